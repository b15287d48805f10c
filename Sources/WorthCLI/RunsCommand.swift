import Foundation
import WorthEngine

/// `worth runs FILE`: the runs saved beside FILE (`FILE.worth-runs/`, by the workbench or by
/// `worth value … --save-run`), one line each, as the workbench's Runs screen lists them.
enum RunsCommand {
    static let abstract = "List the runs saved beside a CSV file (by the workbench or worth value --save-run)."

    static let options = [OptionSpec.help]

    static let examples = """
        worth value Samples/wine.csv --method tmc-shapley --save-run --quiet
        worth runs Samples/wine.csv
        """

    static let extraHelp = """
        One line per run, oldest first: its id (its file in FILE.worth-runs/), method, the
        parameters changed from their defaults, seed, flip fraction, rows valued, elapsed time,
        why it stopped, and the detection AUROC when labels were flipped. A run saved for another
        version of FILE is marked stale: the workbench lists it apart and never uses it. A file
        in the folder that is not a readable run gets one line on stderr saying why.
        """

    static var help: String {
        Help.command("runs", usage: "worth runs FILE", abstract: abstract, options: options, examples: examples, extra: extraHelp)
    }

    static func run(_ words: [String]) throws -> Int32 {
        let arguments = try ArgumentList(words, accepting: options)
        if arguments.has("help") {
            print(help)
            return 0
        }
        guard arguments.positionals.count == 1, let file = arguments.positionals.first else {
            throw InputError(arguments.positionals.isEmpty ? "no data file given (see worth runs --help)"
                : "one data file expected, got \(arguments.positionals.count): \(arguments.positionals.joined(separator: " "))")
        }
        let fingerprint = try Fingerprint.ofFile(file)
        let store = RunStore(dataPath: file)
        var table = TextTable(["id", "method", "parameters", "seed", "flip", "rows", "elapsed", "stopped", "AUROC", ""])
        var count = 0
        for entry in store.list() {
            switch entry {
            case .unreadable(_, let reason):
                writeError("worth: unreadable run: \(reason)")
            case .run(let r, _):
                count += 1
                let parameters = r.changedParameters.isEmpty ? "defaults" : r.changedParameters.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
                table.add([r.id, r.method, parameters, String(r.settings.seed), String(r.settings.flipFraction), String(r.rows.count),
                           formatDuration(r.elapsed), "\(r.stop)", r.auroc.map { String(format: "%.3f", $0) } ?? "",
                           r.data.fingerprint == fingerprint ? "" : "stale: saved for another version of the file"])
            }
        }
        print(count == 0 ? "no runs saved beside \(file)".escapingControlCharacters : table.render())
        return 0
    }
}
