import WorthEngine

/// An experiment setting, shown under each method's parameters on the Method screen: its
/// name, range, default and help are the engine's declaration (`ExperimentSettings`), as the
/// command line's flags are.
enum ExperimentSetting: CaseIterable, Sendable {
    case validation, test, flip, seed

    /// The engine's declaration.
    var parameter: AnyParameter {
        switch self {
        case .validation: ExperimentSettings.validationFraction.erased
        case .test: ExperimentSettings.testFraction.erased
        case .flip: ExperimentSettings.flip.erased
        case .seed: ExperimentSettings.seed.erased
        }
    }

    var name: String { parameter.title }

    var summary: String { parameter.summary }
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
        options = ExperimentOptions(validationFraction: ExperimentSettings.validationFraction.defaultValue,
                                    testFraction: ExperimentSettings.testFraction.defaultValue, workers: workers)
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

    /// Sets a setting from `text`, checked by the engine's declaration; returns why it was
    /// refused, or nil.
    mutating func set(_ setting: ExperimentSetting, to text: String) -> String? {
        var o = options
        do {
            switch setting {
            case .validation: o.validationFraction = try ExperimentSettings.validationFraction.parse(text)
            case .test: o.testFraction = try ExperimentSettings.testFraction.parse(text)
            case .flip: o.flipFraction = try ExperimentSettings.flip.parse(text)
            case .seed: o.seed = try ExperimentSettings.seed.parse(text)
            }
            try o.validate()
        } catch {
            return EngineMessages.describe(error)
        }
        options = o
        return nil
    }
}
