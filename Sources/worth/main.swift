import Foundation
import WorthEngine

/// Dispatches to a command; every user error becomes one line on stderr and exit status 2.
func runCommand(_ words: [String]) async -> Int32 {
    do {
        switch words.first {
        case "value": return try await ValueCommand.run(Array(words.dropFirst()))
        case "eval": return try await EvalCommand.run(Array(words.dropFirst()))
        case "help", "--help", "-h":
            switch words.dropFirst().first {
            case "value": return try await ValueCommand.run(["--help"])
            case "eval": return try await EvalCommand.run(["--help"])
            default: print(Help.overview); return 0
            }
        case let word? where word.hasPrefix("-"):
            throw InputError("unknown option '\(word)'; commands: value, eval, help (see worth --help)")
        default:
            throw InputError("the terminal workbench is not built yet; use 'worth value FILE' (see worth --help)")
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
