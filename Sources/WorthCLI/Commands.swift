import Foundation
import WorthEngine
import WorthTUI

/// The flags `worth [FILE]` takes.
let workbenchOptions = [
    OptionSpec(name: "label", valueName: "NAME|NUMBER", help: "label column of FILE (skips the label picker)"),
    OptionSpec(ExperimentSettings.workers.erased, help: "parallel workers for valuations (default: all cores)"),
]

/// Runs the command `words` (the program's arguments) names and returns the exit status:
/// 0 done, 2 bad input or usage (every user error becomes one line on stderr), 128 + signal
/// when interrupted, 1 anything else.
public func runCommand(_ words: [String]) async -> Int32 {
    if ["value", "eval", "merge"].contains(words.first) { Interrupts.shared.install() }
    do {
        switch words.first {
        case "value": return try await ValueCommand.run(Array(words.dropFirst()))
        case "eval": return try await EvalCommand.run(Array(words.dropFirst()))
        case "merge": return try MergeCommand.run(Array(words.dropFirst()))
        case "describe": return try DescribeCommand.run(Array(words.dropFirst()))
        case "bench": return try await BenchCommand.run(Array(words.dropFirst()))  // diagnostic, not in the overview
        case "runs": return try RunsCommand.run(Array(words.dropFirst()))
        case "help", "--help", "-h":
            switch words.dropFirst().first {
            case "value": print(ValueCommand.help)
            case "eval": print(EvalCommand.help)
            case "merge": print(MergeCommand.help)
            case "describe": print(DescribeCommand.help)
            case "runs": print(RunsCommand.help)
            default: print(Help.overview)
            }
            return 0
        default:
            // `worth [FILE] [--label L] [--workers N]` opens the terminal workbench (on the main
            // thread, leaving every pool thread to the engine).
            let arguments = try ArgumentList(words, accepting: workbenchOptions)
            guard arguments.positionals.count <= 1 else {
                throw InputError("unknown command '\(words[0])'; commands: value, eval, merge, describe, runs, help, or a FILE to open (see worth --help)")
            }
            let path = arguments.positionals.first
            // A word that is neither a file nor a command is most likely a mistyped command.
            if let path, !FileManager.default.fileExists(atPath: path) && !path.contains("/") && !path.contains(".") {
                throw InputError("unknown command '\(path)'; commands: value, eval, merge, describe, runs, help, or a FILE to open (see worth --help)")
            }
            let options = WorkbenchOptions(
                label: arguments.value("label"),
                workers: try arguments.value(ExperimentSettings.workers) ?? ExperimentSettings.workers.defaultValue)
            return await runWorkbench(path: path, options: options)
        }
    } catch let error as InputError {
        writeError("worth: \(CLIPhrasing.describe(error))")
        return 2
    } catch is CancellationError {
        // An interrupt has said so on its line already; nothing was written.
        if let status = Interrupts.shared.exitStatus { return status }
        writeError("worth: cancelled")
        return 130
    } catch {
        writeError("worth: \(error)")
        return 1
    }
}
