import Foundation
import WorthEngine

/// The flags `value` and `eval` share beyond the method and its parameters: what to read, how
/// to split and flip, where to write, and (for `value`) how the run relates to other runs. Parsed once into typed values; the experiment settings are read through the engine's
/// declarations (`ExperimentSettings`), so their ranges and defaults live in one place.
struct ValuationOptions {
    /// The command the options are for.
    enum Command: Equatable {
        case value
        case eval
    }

    /// `--label`: the label column by header name or 1-based number.
    var label: String?
    /// `--valid FILE`.
    var validationFile: String?
    /// `--test FILE` (`eval`).
    var testFile: String?
    /// `--missing`.
    var missing: MissingPolicy
    /// `--seed`.
    var seed: UInt64
    /// `--valid-fraction`, nil when absent (the method's default then).
    var validationFraction: Double?
    /// `--test-fraction` for `eval` (its default when absent); 0 for `value`, which has no test
    /// part.
    var testFraction: Double
    /// `--flip`; when absent 0, or 0.1 for `eval`, whose report needs flipped rows.
    var flipFraction: Double
    /// `--workers`.
    var workers: Int
    /// `--out`, `--format`, `--quiet`.
    var output: OutputOptions
    /// `--checkpoint`, `--resume`, `--shard`, `--state-out` (`value`).
    var session: SessionOptions

    /// The flip fraction `eval` uses without `--flip`.
    static let evalFlipFraction = 0.1

    init(_ arguments: ArgumentList, command: Command) throws {
        label = arguments.value(Self.label.name)
        validationFile = arguments.value(Self.validationFile.name)
        testFile = command == .eval ? arguments.value(Self.testFile.name) : nil
        output = try OutputOptions(arguments)
        switch arguments.value(Self.missing.name) {
        case nil: missing = .error
        case "drop": missing = .drop
        case "impute": missing = .impute
        case let other?: throw InputError("--missing takes drop or impute, not '\(other)'")
        }
        session = SessionOptions(arguments)
        seed = try arguments.value(ExperimentSettings.seed) ?? ExperimentSettings.seed.defaultValue
        validationFraction = try arguments.value(ExperimentSettings.validationFraction)
        testFraction = command == .eval
            ? try arguments.value(ExperimentSettings.testFraction) ?? ExperimentSettings.testFraction.defaultValue : 0
        flipFraction = try arguments.value(ExperimentSettings.flip)
            ?? (command == .eval ? Self.evalFlipFraction : ExperimentSettings.flip.defaultValue)
        workers = try arguments.value(ExperimentSettings.workers) ?? ExperimentSettings.workers.defaultValue
    }

    /// The method `--method` names, Data-OOB when absent.
    static func chosenMethod(_ arguments: ArgumentList) throws -> MethodDescriptor {
        let name = arguments.value(Self.method.name) ?? DataOOB.descriptor.id
        guard let method = MethodCatalog.method(name) else {
            throw InputError("unknown method '\(name)'; methods: \(MethodCatalog.all.map(\.id).joined(separator: ", "))")
        }
        return method
    }

    /// The experiment options for `method`.
    func experimentOptions(for method: MethodDescriptor) -> ExperimentOptions {
        ExperimentOptions(validationFraction: validationFraction ?? method.defaultValidationFraction,
                          testFraction: testFraction, flipFraction: flipFraction, seed: seed, workers: workers)
    }

    // MARK: The flags, in the order help lists them

    static let method = OptionSpec(name: "method", valueName: "M",
                                   help: "valuation method: \(MethodCatalog.all.map(\.id).joined(separator: ", "))")
    static let label = OptionSpec(name: "label", valueName: "NAME|NUMBER",
                                  help: "label column by header name or 1-based number (default: the last column)")
    static let seed = OptionSpec(ExperimentSettings.seed.erased,
                                 help: "seed of the split, label flips and the method (default \(ExperimentSettings.seed.erased.defaultText)); same seed, same numbers")
    static let validationFile = OptionSpec(name: "valid", valueName: "FILE",
                                           help: "validation rows from this file instead of a split of FILE")
    static let testFile = OptionSpec(name: "test", valueName: "FILE", help: "test rows from this file instead of a split of FILE")
    static let validationFraction = OptionSpec(
        ExperimentSettings.validationFraction.erased, valueName: "F",
        help: "fraction of each class held out for validation (default \(ExperimentSettings.validationFraction.erased.defaultText); 0 for methods that need none)")
    static let testFraction = OptionSpec(
        ExperimentSettings.testFraction.erased, valueName: "F",
        help: "fraction of each class held out for testing (default \(ExperimentSettings.testFraction.erased.defaultText))")
    static let flip = OptionSpec(ExperimentSettings.flip.erased, valueName: "F",
                                 help: "flip this fraction of the valued rows' labels to another class (experiments)")
    static let missing = OptionSpec(name: "missing", valueName: "drop|impute",
                                    help: "rows with missing cells: leave out, or fill with mean / most frequent (default: error)")
    static let workers = OptionSpec(ExperimentSettings.workers.erased,
                                    help: "parallel workers (default: all \(ExperimentSettings.workers.defaultValue) cores)")

    /// The flags of `command`, in the order its help lists them (method parameters aside).
    static func specs(_ command: Command) -> [OptionSpec] {
        var specs = [method, label, seed, validationFile]
        if command == .eval { specs.append(testFile) }
        specs.append(validationFraction)
        if command == .eval { specs.append(testFraction) }
        specs += [flip, missing, workers, OutputOptions.out, OutputFormat.option, OutputOptions.quiet, OptionSpec.help]
        if command == .value { specs += SessionOptions.specs }
        return specs
    }

    /// One flag per method parameter across the catalog (a parameter shared by several
    /// methods appears once, with the first one's help).
    static var methodParameterSpecs: [OptionSpec] {
        var seen = Set<String>()
        var specs: [OptionSpec] = []
        for method in MethodCatalog.all {
            for p in method.parameters where seen.insert(p.name).inserted {
                specs.append(OptionSpec(p, help: "\(p.summary) [\(method.id)…]"))
            }
        }
        return specs
    }

    /// The values `arguments` gives `method`'s parameters; a parameter flag of another method
    /// is an error naming the method's own.
    static func parameterValues(_ arguments: ArgumentList, for method: MethodDescriptor) throws -> ParameterValues {
        var values = method.defaults
        let own = Set(method.parameters.map(\.name))
        let allParameterNames = Set(methodParameterSpecs.map(\.name))
        for name in arguments.givenValueNames.sorted() where allParameterNames.contains(name) {
            guard own.contains(name) else {
                let list = method.parameters.map { "--\($0.name)" }.joined(separator: ", ")
                throw InputError("--\(name) does not apply to \(method.id)" + (list.isEmpty ? "" : " (its parameters: \(list))"))
            }
            try values.set(name, arguments.value(name)!)
        }
        return values
    }
}

/// Where and how a command writes its per-row values: `--out`, `--format`, `--quiet`.
struct OutputOptions {
    /// `--out PATH`; stdout when nil.
    var out: String?
    var format: OutputFormat
    /// `--quiet`: no progress and no notes on stderr.
    var quiet: Bool

    static let out = OptionSpec(name: "out", valueName: "PATH", help: "write the per-row values here (atomically) instead of stdout")
    static let quiet = OptionSpec(name: "quiet", valueName: nil, help: "no progress and no notes on stderr")

    init(_ arguments: ArgumentList) throws {
        out = arguments.value(Self.out.name)
        format = try OutputFormat(arguments)
        quiet = arguments.has(Self.quiet.name)
    }
}

/// How a `value` run relates to other runs: `--checkpoint`, `--resume`, `--shard`,
/// `--state-out`, turned into the engine's `RunSession`.
struct SessionOptions {
    var checkpoint: String?
    var resume: String?
    var shard: String?
    var stateOut: String?

    static let checkpoint = OptionSpec(name: "checkpoint", valueName: "PATH",
                                       help: "Monte Carlo methods: save the running sums here every few seconds and at Ctrl-C")
    static let resume = OptionSpec(name: "resume", valueName: "PATH",
                                   help: "Monte Carlo methods: continue the run saved in PATH (same file, flags and seed)")
    static let shard = OptionSpec(name: "shard", valueName: "K/N",
                                  help: "run only part K of N (K from 0): of the permutations, trees, validation points (knn-shapley) or rows (loo, influence, self-influence); see worth merge; not dvrl or in-run-shapley, which cannot be split")
    static let stateOut = OptionSpec(name: "state-out", valueName: "PATH",
                                     help: "save the run's final state here, for worth merge (not dvrl or in-run-shapley)")
    static let specs = [checkpoint, resume, shard, stateOut]

    init(_ arguments: ArgumentList) {
        checkpoint = arguments.value(Self.checkpoint.name)
        resume = arguments.value(Self.resume.name)
        shard = arguments.value(Self.shard.name)
        stateOut = arguments.value(Self.stateOut.name)
    }

    /// The session settings asked for, in `RunSession.Setting` order.
    var settings: [RunSession.Setting] {
        RunSession.Setting.allCases.filter {
            switch $0 {
            case .checkpoint: checkpoint != nil
            case .resume: resume != nil
            case .shard: shard != nil
            case .stateOut: stateOut != nil
            }
        }
    }

    /// The session, with `input` recorded in its states: parses the shard and loads the state
    /// to resume.
    func session(input: @autoclosure () -> RunInput) throws -> RunSession {
        guard !settings.isEmpty else { return RunSession() }
        return RunSession(input: input(), shard: try shard.map(ShardSpec.init(parsing:)),
                          resume: try resume.map(SemivalueState.load(from:)), checkpoint: checkpoint, stateOut: stateOut)
    }
}

extension OptionSpec {
    /// `--help`.
    static let help = OptionSpec(name: "help", valueName: nil, help: "show this help")

    /// The flag of an engine parameter with its own placeholder.
    init(_ parameter: AnyParameter, valueName: String, help: String) {
        self.init(name: parameter.name, valueName: valueName, help: help)
    }
}
