import WorthEngine

/// An experiment setting, shown under each method's parameters on the Method screen.
enum ExperimentSetting: CaseIterable, Sendable {
    case validation, test, flip, seed

    var name: String {
        switch self {
        case .validation: "validation fraction"
        case .test: "test fraction"
        case .flip: "flip labels (experiment)"
        case .seed: "seed"
        }
    }

    var summary: String {
        switch self {
        case .validation: "share of each class held out to score models (methods that need it)"
        case .test: "share of each class held out for the what-if's test accuracy"
        case .flip: "share of valued rows whose label is flipped, to see if the method finds them"
        case .seed: "seed of the split, the flips and the method: same seed, same values"
        }
    }
}

/// What the Method screen edits: each method's parameter values and the experiment settings.
/// The one model of parameters in the workbench; it reads them from the engine's catalog by
/// name and as text, so a method added there needs nothing here.
struct MethodChoices: Sendable {
    private var parameters: [String: ParameterValues] = [:]
    /// The experiment settings (the validation fraction as chosen; `options(for:)` zeroes it
    /// for methods that need no validation rows).
    var options: ExperimentOptions

    init(methods: [MethodDescriptor], workers: Int) {
        options = ExperimentOptions(validationFraction: 0.2, testFraction: 0.2, flipFraction: 0, seed: 0, workers: workers)
        for m in methods { parameters[m.id] = m.defaults }
    }

    /// `method`'s parameter values.
    func values(of method: MethodDescriptor) -> ParameterValues { parameters[method.id] ?? method.defaults }

    /// Sets `method`'s parameter `name` from `text`; throws the engine's error when refused.
    mutating func set(_ name: String, to text: String, of method: MethodDescriptor) throws {
        var values = values(of: method)
        try values.set(name, text)
        parameters[method.id] = values
    }

    /// The parameters of `method` whose values differ from its defaults, as name and value.
    func changed(of method: MethodDescriptor) -> [(name: String, value: String)] {
        let defaults = method.defaults
        return values(of: method).all.filter { $0.value != defaults.text($0.name) }
    }

    /// The experiment options a run of `method` uses.
    func options(for method: MethodDescriptor) -> ExperimentOptions {
        var o = options
        if !method.needsValidation { o.validationFraction = 0 }
        return o
    }

    /// A setting's value as text.
    func text(of setting: ExperimentSetting) -> String {
        switch setting {
        case .validation: formatNumber(options.validationFraction, digits: 3)
        case .test: formatNumber(options.testFraction, digits: 3)
        case .flip: formatNumber(options.flipFraction, digits: 3)
        case .seed: String(options.seed)
        }
    }

    /// Sets a setting from `text`; returns why it was refused, or nil.
    mutating func set(_ setting: ExperimentSetting, to text: String) -> String? {
        if setting == .seed {
            guard let v = UInt64(text) else { return "the seed is a whole number ≥ 0" }
            options.seed = v
            return nil
        }
        guard let v = Double(text), v >= 0, v < 1 || (setting == .flip && v <= 1) else {
            return setting == .flip ? "type a fraction in [0, 1]" : "type a fraction in [0, 1)"
        }
        var o = options
        switch setting {
        case .validation: o.validationFraction = v
        case .test: o.testFraction = v
        default: o.flipFraction = v
        }
        guard o.validationFraction + o.testFraction < 1 else { return "validation and test fractions must add up to less than 1" }
        options = o
        return nil
    }
}
