import Foundation
import WorthEngine

/// What `value` and `eval` share: their flags turned into a method, its parameter values and
/// an `Experiment`, then the run and the written values.
struct ValuationSetup {
    let options: ValuationOptions
    let file: String
    let method: MethodDescriptor
    let parameters: ParameterValues
    let experiment: Experiment
    let notes: [String]
    /// Identifies the data and everything that shaped the problem (file bytes, label column,
    /// missing policy, split, flips): a saved run state only resumes or merges with its own.
    let inputFingerprint: String

    var quiet: Bool { options.output.quiet }

    /// Parses, loads, splits: everything up to the start of the run. Throws `InputError`s.
    init(arguments: ArgumentList, command: ValuationOptions.Command) throws {
        guard arguments.positionals.count == 1 else {
            throw InputError(arguments.positionals.isEmpty ? "no data file given (see --help)"
                : "one data file expected, got \(arguments.positionals.count): \(arguments.positionals.joined(separator: " "))")
        }
        file = arguments.positionals[0]
        let method = try ValuationOptions.chosenMethod(arguments)
        self.method = method
        parameters = try ValuationOptions.parameterValues(arguments, for: method)
        let options = try ValuationOptions(arguments, command: command)
        self.options = options

        try Self.checkOutputs(options, file: file)
        let loadOptions = LoadOptions(label: options.label, missing: options.missing)
        let source = try DatasetLoader.load(path: file, options: loadOptions)
        func matched(_ path: String?) throws -> LoadedDataset? {
            guard let path else { return nil }
            return try DatasetLoader.load(table: CSVReader.read(path: path), path: path, options: loadOptions, matching: source.schema)
        }
        let validationFile = try matched(options.validationFile)
        let testFile = try matched(options.testFile)

        let experimentOptions = options.experimentOptions(for: method)
        experiment = try Experiment(source: source, validationFile: validationFile, testFile: testFile,
                                    options: experimentOptions, for: method)
        notes = source.notes + (validationFile?.notes ?? []) + (testFile?.notes ?? [])
        var shaping = [try Fingerprint.ofFile(file), "label=\(source.labelColumn)", "missing=\(options.missing)",
                       "valid-fraction=\(experimentOptions.validationFraction)", "test-fraction=\(experimentOptions.testFraction)",
                       "flip=\(experimentOptions.flipFraction)"]
        for (flag, path) in [("valid", options.validationFile), ("test", options.testFile)] {
            if let path { shaping.append("\(flag)=" + (try Fingerprint.ofFile(path))) }
        }
        inputFingerprint = Fingerprint.of(shaping.joined(separator: "\n"))

        if command == .eval && experiment.testLabels.isEmpty {
            throw InputError(file: file, "no test rows (raise --test-fraction or give --test FILE)")
        }
    }

    /// Refuses, before any work, outputs that cannot be written, that would overwrite an input
    /// (the data file, `--valid`, `--test`, `--resume`) or that name one file twice. A state
    /// output may be the `--resume` state: it is read whole first and the new state extends it.
    static func checkOutputs(_ options: ValuationOptions, file: String) throws {
        let outputs = [("--out", options.output.out), ("--checkpoint", options.session.checkpoint),
                       ("--state-out", options.session.stateOut)].compactMap { flag, path in
            path.map { OutputPaths.Named(flag, $0) }
        }
        var inputs = [OutputPaths.Named("the data file", file)]
        for (flag, path) in [("valid", options.validationFile), ("test", options.testFile), ("resume", options.session.resume)] {
            if let path { inputs.append(OutputPaths.Named("the --\(flag) file", path)) }
        }
        try OutputPaths.check(outputs: outputs, inputs: inputs,
                              allowed: [("--checkpoint", "the --resume file"), ("--state-out", "the --resume file")])
    }

    /// A one-line description of the run for stderr.
    var summary: String {
        let p = experiment.problem
        var s = "\(file): \(p.count) rows valued, \(p.validationLabels.count) validation"
        if !experiment.testLabels.isEmpty { s += ", \(experiment.testLabels.count) test" }
        s += "; \(p.featureCount) features, \(p.classCount) classes; \(method.id)"
        let params = parameters.all.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
        if !params.isEmpty { s += " (\(params))" }
        if experiment.options.flipFraction > 0 { s += "; \(experiment.flippedRows.count) labels flipped" }
        return s + "; seed \(experiment.options.seed), \(p.workers) workers"
    }

    /// The method's valuator, with the session the flags ask for (checkpoint, resume, shard,
    /// state file); a method refuses the settings it cannot use before any state is read.
    func makeValuator() throws -> any Valuator {
        try method.accept(options.session.settings)
        let e = experiment
        let session = try options.session.session(input: RunInput(
            fingerprint: inputFingerprint, sourceRows: (0..<e.problem.count).map { e.sourceRow(ofValued: $0) },
            labels: e.problem.trainLabels.map { e.classNames[$0] }, layout: ResultLayout(experiment: e)))
        return try method.make(parameters, session: session)
    }

    /// Runs the method with progress on stderr. Ctrl-C or SIGTERM cancels it and returns the
    /// estimate so far, marked cancelled (`Interrupts`). Throws `CancellationError` when it was
    /// interrupted before any row got a value, and an `InputError` when it ended without
    /// valuing any row (a time budget too short for one unit): there is nothing to write then.
    /// A shard that finished is written even without values: its share may be empty.
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
        // A shard may hold no unit at all (more shards than trees or rows): done, not a failure.
        let finishedShard = options.session.shard != nil && last?.stop == .completed
        guard var result = last, finishedShard || result.estimate.values.contains(where: \.isFinite) else {
            guard let last, let stop = last.stop, stop != .cancelled else {
                if !quiet { writeError("worth: \(method.id) cancelled before any row was valued; nothing written") }
                throw CancellationError()
            }
            throw InputError("\(method.id) valued no row: \(stop) after \(last.done) \(last.unit) in \(formatDuration(last.elapsed)); nothing written (give it more time or units)")
        }
        if result.stop == nil { result.stop = .cancelled }
        if !quiet, let stop = result.stop {
            // The final phase says how the method worked (e.g. which Hessian solver it chose).
            let how = result.phase.map { "; \($0)" } ?? ""
            writeError("worth: \(method.id) \(stop) after \(result.done) \(result.unit) in \(formatDuration(result.elapsed))\(how)")
        }
        return result
    }

    /// Saves `update` (the run's last) beside the data file, as the workbench saves its runs
    /// (`RunStore`); returns the path written.
    func saveRun(_ update: ValuationUpdate) throws -> String {
        let source = experiment.source
        let data = SavedRun.DataIdentity(
            fingerprint: try Fingerprint.ofFile(file), dataRows: source.totalRows, labelColumn: source.labelColumn,
            labelName: source.header.indices.contains(source.labelColumn) ? source.header[source.labelColumn] : "",
            missing: options.missing, validationFile: options.validationFile, testFile: options.testFile)
        let run = SavedRun(id: SavedRun.makeID(method: method.id), method: method, parameters: parameters, experiment: experiment,
                           data: data, update: update)
        return try Interrupts.shared.deferring { try RunStore(dataPath: file).save(run) }
    }

    /// Writes the per-row table to `--out` (atomically) or stdout.
    func writeValues(_ update: ValuationUpdate) throws {
        try writeResultTable(ResultTable(experiment: experiment, estimate: update.estimate), output: options.output,
                             method: method.id, parameters: parameters.all, seed: experiment.options.seed,
                             stop: update.stop, note: quiet ? nil : "worth: wrote")
    }
}

/// Writes `table` in `output.format` to `output.out`, atomically, or to stdout; `note`, when
/// given, starts the line on stderr that says where it went.
func writeResultTable(_ table: ResultTable, output: OutputOptions, method: String,
                      parameters: [(name: String, value: String)], seed: UInt64, stop: StopReason?, note: String?) throws {
    let text = switch output.format {
    case .json: try table.json(method: method, parameters: parameters, seed: seed, stop: stop)
    case .csv: table.csv()
    }
    try Interrupts.shared.deferring {
        if let out = output.out {
            try AtomicFile.write(text, to: out)
            if let note { writeError("\(note) \(table.rows.count) rows to \(out)") }
        } else {
            try AtomicFile.write(text, to: "/dev/stdout")
        }
    }
}
