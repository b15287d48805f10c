import Foundation
import WorthEngine
import WorthTUI

/// Dispatches to a command; every user error becomes one line on stderr and exit status 2.
func runCommand(_ words: [String]) async -> Int32 {
    do {
        switch words.first {
        case "value": return try await ValueCommand.run(Array(words.dropFirst()))
        case "eval": return try await EvalCommand.run(Array(words.dropFirst()))
        case "merge": return try MergeCommand.run(Array(words.dropFirst()))
        case "help", "--help", "-h":
            switch words.dropFirst().first {
            case "value": return try await ValueCommand.run(["--help"])
            case "eval": return try await EvalCommand.run(["--help"])
            case "merge": return try MergeCommand.run(["--help"])
            default: print(Help.overview); return 0
            }
        case let word? where word.hasPrefix("-"):
            throw InputError("unknown option '\(word)'; commands: value, eval, merge, help (see worth --help)")
        case nil:
            return await runWorkbench(path: nil, options: WorkbenchOptions())
        case let path? where words.count == 1:
            // `worth FILE` opens the file in the terminal workbench (on the main thread, leaving
            // every pool thread to the engine); a word that is neither a file nor a command is
            // most likely a mistyped command.
            if !FileManager.default.fileExists(atPath: path) && !path.contains("/") && !path.contains(".") {
                throw InputError("unknown command '\(path)'; commands: value, eval, merge, help, or a FILE to open (see worth --help)")
            }
            return await runWorkbench(path: path, options: WorkbenchOptions())
        default:
            throw InputError("unknown command '\(words[0])'; commands: value, eval, merge, help, or a FILE to open (see worth --help)")
        }
    } catch let error as InputError {
        writeError("worth: \(error)")
        return 2
    } catch is CancellationError {
        writeError("worth: cancelled")
        return 130
    } catch {
        writeError("worth: \(error)")
        return 1
    }
}

exit(await runCommand(Array(CommandLine.arguments.dropFirst())))
