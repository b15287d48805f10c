import Foundation
import WorthEngine

/// The flags `value` and `eval` share, and turning them into an `Experiment` and a valuator.
struct ValuationSetup {
    /// Flags common to the valuation commands (method parameters come from the catalog).
    static func commonOptions(eval: Bool) -> [OptionSpec] {
        var specs = [
            OptionSpec(name: "method", valueName: "M", help: "valuation method: \(MethodCatalog.all.map(\.id).joined(separator: ", "))"),
            OptionSpec(name: "label", valueName: "NAME|NUMBER", help: "label column by header name or 1-based number (default: the last column)"),
            OptionSpec(name: "seed", valueName: "S", help: "seed of the split, label flips and the method (default 0); same seed, same numbers"),
            OptionSpec(name: "valid", valueName: "FILE", help: "validation rows from this file instead of a split of FILE"),
            OptionSpec(name: "valid-fraction", valueName: "F", help: "fraction of each class held out for validation (default 0.2; 0 for methods that need none)"),
            OptionSpec(name: "flip", valueName: "F", help: "flip this fraction of the valued rows' labels to another class (experiments)"),
            OptionSpec(name: "missing", valueName: "drop|impute", help: "rows with missing cells: leave out, or fill with mean / most frequent (default: error)"),
            OptionSpec(name: "workers", valueName: "N", help: "parallel workers (default: all \(ProcessInfo.processInfo.activeProcessorCount) cores)"),
            OptionSpec(name: "out", valueName: "PATH", help: "write the per-row values here (atomically) instead of stdout"),
            OptionSpec(name: "format", valueName: "csv|json", help: "output format of the values (default csv)"),
            OptionSpec(name: "quiet", valueName: nil, help: "no progress and no notes on stderr"),
            OptionSpec(name: "help", valueName: nil, help: "show this help"),
        ]
        if !eval {
            specs += [
                OptionSpec(name: "checkpoint", valueName: "PATH", help: "Monte Carlo methods: save the running sums here every few seconds and at Ctrl-C"),
                OptionSpec(name: "resume", valueName: "PATH", help: "Monte Carlo methods: continue the run saved in PATH (same file, flags and seed)"),
                OptionSpec(name: "shard", valueName: "K/N", help: "Monte Carlo methods: run only part K of N (K from 0) of the budget; see worth merge"),
                OptionSpec(name: "state-out", valueName: "PATH", help: "Monte Carlo methods: save the final running sums here, for worth merge"),
            ]
        }
        if eval {
            specs.insert(OptionSpec(name: "test", valueName: "FILE", help: "test rows from this file instead of a split of FILE"), at: 4)
            specs.insert(OptionSpec(name: "test-fraction", valueName: "F", help: "fraction of each class held out for testing (default 0.2)"), at: 6)
        }
        return specs
    }

    /// One flag per method parameter across the catalog (a parameter shared by several
    /// methods appears once).
    static var methodParameterOptions: [OptionSpec] {
        var seen = Set<String>()
        var specs: [OptionSpec] = []
        for method in MethodCatalog.all {
            for p in method.parameters where seen.insert(p.name).inserted {
                specs.append(OptionSpec(name: p.name, valueName: valueName(p.kind), help: "\(p.summary) [\(method.id)…]"))
            }
        }
        return specs
    }

    static func valueName(_ kind: ParameterSpec.Kind) -> String {
        switch kind {
        case .integer: "N"
        case .real: "X"
        case .choice(let options): options.joined(separator: "|")
        }
    }

    let arguments: ArgumentList
    let file: String
    let method: MethodDescriptor
    let parameters: ParameterValues
    let experiment: Experiment
    let quiet: Bool
    let notes: [String]
    /// Identifies the data and everything that shaped the problem (file bytes, label column,
    /// missing policy, split, flips): a saved run state only resumes or merges with its own.
    let inputFingerprint: String

    /// Parses, loads, splits: everything up to the start of the run. Throws `InputError`s.
    init(arguments: ArgumentList, eval: Bool) throws {
        self.arguments = arguments
        guard arguments.positionals.count == 1 else {
            throw InputError(arguments.positionals.isEmpty ? "no data file given (see --help)"
                : "one data file expected, got \(arguments.positionals.count): \(arguments.positionals.joined(separator: " "))")
        }
        file = arguments.positionals[0]
        quiet = arguments.has("quiet")

        let methodName = arguments.value("method") ?? "data-oob"
        guard let method = MethodCatalog.method(methodName) else {
            throw InputError("unknown method '\(methodName)'; methods: \(MethodCatalog.all.map(\.id).joined(separator: ", "))")
        }
        self.method = method
        var parameters = method.defaults
        let own = Set(method.parameters.map(\.name))
        let allParameterNames = Set(Self.methodParameterOptions.map(\.name))
        for name in arguments.givenValueNames.sorted() where allParameterNames.contains(name) {
            guard own.contains(name) else {
                let list = method.parameters.map { "--\($0.name)" }.joined(separator: ", ")
                throw InputError("--\(name) does not apply to \(method.id)" + (list.isEmpty ? "" : " (its parameters: \(list))"))
            }
            try parameters.set(name, arguments.value(name)!)
        }
        self.parameters = parameters

        if let format = arguments.value("format"), format != "csv" && format != "json" {
            throw InputError("--format takes csv or json, not '\(format)'")
        }
        let missing: MissingPolicy
        switch arguments.value("missing") {
        case nil: missing = .error
        case "drop": missing = .drop
        case "impute": missing = .impute
        case let other?: throw InputError("--missing takes drop or impute, not '\(other)'")
        }
        try Self.checkOutputs(arguments, file: file)
        let loadOptions = LoadOptions(label: arguments.value("label"), missing: missing)
        let source = try DatasetLoader.load(path: file, options: loadOptions)
        func matched(_ flag: String) throws -> LoadedDataset? {
            guard let path = arguments.value(flag) else { return nil }
            return try DatasetLoader.load(table: CSVReader.read(path: path), path: path, options: loadOptions, matching: source.schema)
        }
        let validationFile = try matched("valid")
        let testFile = eval ? try matched("test") : nil

        guard let seed = UInt64(arguments.value("seed") ?? "0") else {
            throw InputError("--seed takes a whole number ≥ 0, not '\(arguments.value("seed")!)'")
        }
        let options = ExperimentOptions(
            validationFraction: try arguments.real("valid-fraction", in: 0...0.9, default: method.defaultValidationFraction),
            testFraction: eval ? try arguments.real("test-fraction", in: 0.01...0.9, default: 0.2) : 0,
            flipFraction: try arguments.real("flip", in: 0...1, default: 0),
            seed: seed,
            workers: try arguments.integer("workers", in: 1...1024, default: ProcessInfo.processInfo.activeProcessorCount))
        experiment = try Experiment(source: source, validationFile: validationFile, testFile: testFile, options: options)
        notes = source.notes + (validationFile?.notes ?? []) + (testFile?.notes ?? [])
        var shaping = [try Fingerprint.ofFile(file), "label=\(source.labelColumn)", "missing=\(missing)",
                       "valid-fraction=\(options.validationFraction)", "test-fraction=\(options.testFraction)",
                       "flip=\(options.flipFraction)"]
        for flag in ["valid", "test"] { if let path = arguments.value(flag) { shaping.append("\(flag)=" + (try Fingerprint.ofFile(path))) } }
        inputFingerprint = Fingerprint.of(shaping.joined(separator: "\n"))

        if method.needsValidation && experiment.problem.validationLabels.isEmpty {
            throw InputError(file: file, "\(method.id) needs validation rows; none are left (raise --valid-fraction or give --valid FILE)")
        }
        if eval && experiment.testLabels.isEmpty {
            throw InputError(file: file, "no test rows (raise --test-fraction or give --test FILE)")
        }
    }

    /// Refuses, before any work, outputs that cannot be written, that would overwrite an input
    /// (the data file, `--valid`, `--test`, `--resume`) or that name one file twice. A state
    /// output may be the `--resume` state: it is read whole first and the new state extends it.
    static func checkOutputs(_ arguments: ArgumentList, file: String) throws {
        let outputs = ["out", "checkpoint", "state-out"].compactMap { flag in
            arguments.value(flag).map { OutputPaths.Named("--\(flag)", $0) }
        }
        var inputs = [OutputPaths.Named("the data file", file)]
        for flag in ["valid", "test", "resume"] {
            if let path = arguments.value(flag) { inputs.append(OutputPaths.Named("the --\(flag) file", path)) }
        }
        try OutputPaths.check(outputs: outputs, inputs: inputs,
                              allowed: [("--checkpoint", "the --resume file"), ("--state-out", "the --resume file")])
    }

    /// A one-line description of the run for stderr.
    var summary: String {
        let p = experiment.problem
        var s = "\(file): \(p.count) rows valued, \(p.validationLabels.count) validation"
        if !experiment.testLabels.isEmpty { s += ", \(experiment.testLabels.count) test" }
        s += "; \(p.train.columns) features, \(p.classCount) classes; \(method.id)"
        let params = parameters.all.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
        if !params.isEmpty { s += " (\(params))" }
        if experiment.options.flipFraction > 0 { s += "; \(experiment.flippedRows.count) labels flipped" }
        return s + "; seed \(experiment.options.seed), \(p.workers) workers"
    }

    /// The method's valuator; Monte Carlo semivalues also get their checkpoint, resume and
    /// shard settings.
    func makeValuator() throws -> any Valuator {
        let sessionFlags = ["checkpoint", "resume", "shard", "state-out"].filter { arguments.isSet($0) }
        guard let semivalue = SemivalueMethod(rawValue: method.id) else {
            if let flag = sessionFlags.first {
                throw InputError("--\(flag) applies to the Monte Carlo methods (\(SemivalueMethod.allCases.map(\.rawValue).joined(separator: ", "))), not \(method.id)")
            }
            return try method.make(parameters)
        }
        let e = experiment
        let input = SemivalueInput(fingerprint: inputFingerprint,
                                   sourceRows: (0..<e.problem.count).map { e.sourceRow(ofValued: $0) },
                                   labels: e.problem.trainLabels.map { e.classNames[$0] },
                                   layout: ResultLayout(experiment: e))
        let session = SemivalueRun(input: input,
                                   shard: try arguments.value("shard").map(ShardSpec.init(parsing:)),
                                   resume: try arguments.value("resume").map(SemivalueState.load(from:)),
                                   checkpoint: arguments.value("checkpoint"),
                                   stateOut: arguments.value("state-out"))
        return try semivalue.valuator(parameters: parameters, session: session)
    }

    /// Runs the method with progress on stderr. Ctrl-C or SIGTERM cancels it and returns the
    /// estimate so far, marked cancelled (`Interrupts`). Throws `CancellationError` when it was
    /// interrupted before any row got a value, and an `InputError` when it ended without
    /// valuing any row (a time budget too short for one unit): there is nothing to write then.
    func run(_ valuator: any Valuator) async throws -> ValuationUpdate {
        let problem = experiment.problem
        let display = ProgressDisplay(enabled: !quiet)
        let task = Task.detached { () throws -> ValuationUpdate? in
            var last: ValuationUpdate?
            for try await update in valuator.run(problem) {
                last = update
                display.show(update)
            }
            return last
        }
        let last = try await Interrupts.shared.cancelling({ task.cancel() }) {
            let last = try await task.value
            await ValuationWork.finish()   // a cancelled run may still be saving its checkpoint
            return last
        }
        display.finish()
        guard var result = last, result.estimate.values.contains(where: \.isFinite) else {
            guard let last, let stop = last.stop, stop != .cancelled else {
                if !quiet { writeError("worth: \(method.id) cancelled before any row was valued; nothing written") }
                throw CancellationError()
            }
            throw InputError("\(method.id) valued no row: \(stop) after \(last.done) \(last.unit) in \(formatSeconds(last.elapsed)); nothing written (give it more time or units)")
        }
        if result.stop == nil { result.stop = .cancelled }
        if !quiet, let stop = result.stop {
            // The final phase says how the method worked (e.g. which Hessian solver it chose).
            let how = result.phase.map { "; \($0)" } ?? ""
            writeError("worth: \(method.id) \(stop) after \(result.done) \(result.unit) in \(formatSeconds(result.elapsed))\(how)")
        }
        return result
    }

    /// Writes the per-row table to `--out` (atomically) or stdout.
    func writeValues(_ update: ValuationUpdate) throws {
        try writeResultTable(ResultTable(experiment: experiment, estimate: update.estimate), arguments: arguments,
                             method: method.id, parameters: parameters.all, seed: experiment.options.seed,
                             stop: update.stop, note: quiet ? nil : "worth: wrote")
    }
}

/// Writes `table` as `--format` says (CSV unless json) to `--out`, atomically, or to stdout;
/// `note`, when given, starts the line on stderr that says where it went.
func writeResultTable(_ table: ResultTable, arguments: ArgumentList, method: String,
                      parameters: [(name: String, value: String)], seed: UInt64, stop: StopReason?, note: String?) throws {
    let text = arguments.value("format") == "json"
        ? try table.json(method: method, parameters: parameters, seed: seed, stop: stop)
        : table.csv()
    try Interrupts.shared.deferring {
        if let out = arguments.value("out") {
            try AtomicFile.write(text, to: out)
            if let note { writeError("\(note) \(table.rows.count) rows to \(out)") }
        } else {
            try AtomicFile.write(text, to: "/dev/stdout")
        }
    }
}
