import Foundation
import WorthEngine

/// `worth merge PART… --out values.csv`: combines the states of a sharded run into one result,
/// equal to a single run with the same seed (and, for the Monte Carlo methods, total budget).
enum MergeCommand {
    static let abstract = "Combine the saved states of a sharded run (worth value --shard K/N --state-out PART)."

    static let stateOut = OptionSpec(name: "state-out", valueName: "PATH",
                                     help: "also save the merged state (for a Monte Carlo run, worth value --resume can extend it)")

    static let options = [
        OutputOptions.out, OutputFormat.option, stateOut,
        OptionSpec(name: OutputOptions.quiet.name, valueName: nil, help: "no notes on stderr"),
        OptionSpec.help,
    ]

    static let examples = """
        for k in 0 1 2 3; do worth value data.csv --method tmc-shapley --permutations 2000 --seed 7 --shard $k/4 --state-out part$k.json; done
        worth merge part0.json part1.json part2.json part3.json --out values.csv
        for k in 0 1; do worth value data.csv --method loo --shard $k/2 --state-out loo$k.json --out /dev/null; done
        worth merge loo0.json loo1.json --out loo.csv
        """

    static let extraHelp = """
        Every method but dvrl and in-run-shapley splits: the Monte Carlo methods by permutations or samples,
        data-oob by trees, knn-shapley by validation points, loo, influence and self-influence
        by rows; the merged values equal one run's with the same seed, byte for byte. The parts
        must come from the same file, flags, method and seed, with distinct shards; worth refuses
        parts that do not belong together. It refuses missing parts of data-oob, knn-shapley and
        the row methods, and warns about missing Monte Carlo units (their values use the units
        done).
        See Samples/slurm-shards.sh and Samples/k8s-indexed-job.yaml for cluster set-ups.
        """

    static var help: String {
        Help.command("merge", usage: "worth merge PART… [--out PATH] [--format csv|json]", abstract: abstract,
                     options: options, examples: examples, extra: extraHelp)
    }

    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try ArgumentList(words, accepting: options)
        if arguments.has("help") {
            print(help)
            return 0
        }
        let paths = arguments.positionals
        guard !paths.isEmpty else { throw InputError("no state files given (see worth merge --help)") }
        let output = try OutputOptions(arguments)
        let statePath = arguments.value(stateOut.name)
        let outputs = [("--out", output.out), ("--state-out", statePath)].compactMap { flag, path in
            path.map { OutputPaths.Named(flag, $0) }
        }
        try OutputPaths.check(outputs: outputs, inputs: paths.map { OutputPaths.Named("the state file", $0) })
        var semivalueStates: [SemivalueState] = [], shardStates: [ShardState] = []
        for (path, state) in zip(paths, try paths.map(SavedState.load(from:))) {
            switch state {
            case .semivalue(let state): semivalueStates.append(state)
            case .shard(let state): shardStates.append(state)
            }
            if !semivalueStates.isEmpty && !shardStates.isEmpty {
                throw InputError(file: path, "is not a state of the same method as \(paths[0])")
            }
        }
        if !shardStates.isEmpty {
            return try merge(shardStates, paths: paths, output: output, statePath: statePath)
        }
        let merged = try SemivalueState.merge(semivalueStates, names: paths)
        let quiet = output.quiet
        if !merged.gaps.isEmpty && !quiet {
            let gaps = merged.gaps.map { "\($0.lowerBound)..<\($0.upperBound)" }.joined(separator: ", ")
            writeError("worth: warning: \(merged.unitName) \(gaps) are missing (a shard not given or not finished); the values use the \(merged.unitsDone) done")
        }
        guard let layout = merged.input.layout else {
            throw InputError(file: paths[0], "this state does not record the input file's rows; it was not written by worth value")
        }
        if let statePath { try Interrupts.shared.deferring { try merged.save(to: statePath) } }
        try writeResultTable(ResultTable(layout: layout, estimate: merged.estimate), output: output,
                             method: merged.settings.method, parameters: [("settings", merged.settings.description)],
                             seed: merged.seed, stop: .completed,
                             note: quiet ? nil : "worth: merged \(paths.count) parts (\(merged.unitsDone) \(merged.unitName)); wrote")
        return Interrupts.shared.exitStatus ?? 0
    }

    /// Merges the states of Data-OOB, KNN-Shapley or the row methods, all of whose parts must
    /// be there, and writes the values as one run writes them (method, parameters, seed).
    static func merge(_ parts: [ShardState], paths: [String], output: OutputOptions, statePath: String?) throws -> Int32 {
        let merged = try ShardState.merge(parts, names: paths)
        guard let layout = merged.input.layout else {
            throw InputError(file: paths[0], "this state does not record the input file's rows; it was not written by worth value")
        }
        if let statePath { try Interrupts.shared.deferring { try merged.save(to: statePath) } }
        try writeResultTable(ResultTable(layout: layout, estimate: merged.estimate), output: output,
                             method: merged.origin.method, parameters: merged.origin.parameters.map { ($0.name, $0.value) },
                             seed: merged.seed, stop: .completed,
                             note: output.quiet ? nil : "worth: merged \(paths.count) parts (\(merged.unitsDone) \(merged.unitName)); wrote")
        return Interrupts.shared.exitStatus ?? 0
    }
}
