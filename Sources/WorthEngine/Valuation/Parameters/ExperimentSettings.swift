import Foundation

/// The settings that turn a loaded file into a valuation problem, declared once for every
/// front end: the command line's `--valid-fraction`, `--test-fraction`, `--flip`, `--seed` and
/// `--workers`, and the workbench's Method screen, read their names, ranges and defaults here.
/// `ExperimentOptions` holds their values.
public enum ExperimentSettings {
    /// Fraction of each class held out for validation when no validation file is given.
    public static let validationFraction = Parameter<Double>(
        "valid-fraction", title: "validation fraction", default: 0.2, in: 0...0.9,
        summary: "fraction of each class held out for validation, to score models (methods that need it)")
    /// Fraction of each class held out for testing (`worth eval`, the what-if); 0 in
    /// `ExperimentOptions` means no test part.
    public static let testFraction = Parameter<Double>(
        "test-fraction", title: "test fraction", default: 0.2, in: 0.01...0.9,
        summary: "fraction of each class held out for testing")
    /// Fraction of the valued rows whose label is flipped to another class (an experiment).
    public static let flip = Parameter<Double>(
        "flip", title: "flip labels (experiment)", default: 0, in: 0...1,
        summary: "fraction of the valued rows whose label is flipped to another class, to see if the method finds them")
    /// Seed of the split, the flips and the valuation.
    public static let seed = Parameter<UInt64>(
        "seed", default: 0, summary: "seed of the split, the label flips and the method: same seed, same values")
    /// Concurrent units of work of a valuation.
    public static let workers = Parameter<Int>(
        "workers", default: ProcessInfo.processInfo.activeProcessorCount, in: 1...1024,
        summary: "units of work run in parallel (values do not depend on it)")

    /// All of them, in the order front ends list them.
    public static let all: [AnyParameter] = [validationFraction.erased, testFraction.erased, flip.erased,
                                             seed.erased, workers.erased]
}

/// The values of the experiment settings that turn a loaded file into a valuation problem.
public struct ExperimentOptions: Sendable, Equatable {
    /// Fraction of each class held out for validation when no validation file is given
    /// (`ExperimentSettings.validationFraction`).
    public var validationFraction: Double
    /// Fraction of each class held out for testing (only `worth eval` and the what-if use it):
    /// 0 for none, else in `ExperimentSettings.testFraction`'s range.
    public var testFraction: Double
    /// Fraction of the valued rows whose label is flipped (`ExperimentSettings.flip`).
    public var flipFraction: Double
    /// Seed of the split, the flips and the valuation.
    public var seed: UInt64
    /// Concurrent units of work for the valuation, ≥ 1.
    public var workers: Int

    public init(validationFraction: Double = ExperimentSettings.validationFraction.defaultValue,
                testFraction: Double = 0, flipFraction: Double = ExperimentSettings.flip.defaultValue,
                seed: UInt64 = ExperimentSettings.seed.defaultValue, workers: Int = 1) {
        self.validationFraction = validationFraction
        self.testFraction = testFraction
        self.flipFraction = flipFraction
        self.seed = seed
        self.workers = workers
    }

    /// The options `settings` (values of `ExperimentSettings.all`) hold.
    public init(_ settings: ParameterValues) {
        self.init(validationFraction: settings[ExperimentSettings.validationFraction],
                  testFraction: settings[ExperimentSettings.testFraction], flipFraction: settings[ExperimentSettings.flip],
                  seed: settings[ExperimentSettings.seed], workers: settings[ExperimentSettings.workers])
    }

    /// Throws an `InputError` when a fraction is outside its setting's range or the validation
    /// and test fractions add up to 1 or more.
    public func validate() throws {
        func check(_ setting: Parameter<Double>, _ value: Double) throws {
            guard case .real(let range) = setting.kind, !range.contains(value) else { return }
            throw InputError(.invalidValue(parameter: setting.name, accepted: setting.kind, given: ParameterKind.text(of: value)))
        }
        try check(ExperimentSettings.validationFraction, validationFraction)
        if testFraction != 0 { try check(ExperimentSettings.testFraction, testFraction) }
        guard validationFraction + testFraction < 1 else { throw InputError(.fractionsTooLarge) }
        try check(ExperimentSettings.flip, flipFraction)
    }
}
