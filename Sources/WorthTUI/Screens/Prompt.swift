/// A question on the status line: a typed answer (a path, a number, a parameter's value) or one
/// key among a few (`y`/`n`). The screen that asked gets the answer back.
struct Prompt: Sendable {
    /// What the answer is for.
    enum Purpose: Sendable, Equatable {
        case openPath, find, flagLowest, export
        case parameter(String), setting(ExperimentSetting)
        /// The new label of a data row.
        case relabel(row: Int)
        /// Deleting a run of the Runs screen (by its id), or a stale saved one (by its path).
        case deleteRun(id: String), deleteStale(path: String)
        /// Opening another file would cut short the run going.
        case replaceFile
        /// Quitting would cut short a run going, or lose a run not saved.
        case quit
        /// Quitting with flags that could not be saved: save elsewhere, retry, quit, stay.
        case unsavedFlags
        /// Where to save the flags instead of beside the data.
        case saveFlagsAs
    }

    let purpose: Purpose
    var title: String
    /// The answer typed so far (for a question: the key that answered it).
    var text: String
    /// Why the last answer was refused, shown after it.
    var error: String?
    /// True until the first key: typing then replaces the proposed text instead of appending to
    /// it (as in a selected field), while Backspace edits it.
    var fresh = true
    /// The keys that answer a question (lower case), or nil for a typed answer.
    let choices: [Character]?
    /// The screen the answer goes back to; nil for the workbench itself (quitting).
    var owner: ScreenID?

    /// A question answered by typing, with `text` proposed.
    static func typed(_ purpose: Purpose, _ title: String, text: String = "") -> Prompt {
        Prompt(purpose: purpose, title: title, text: text, choices: nil)
    }

    /// A question answered by one of `choices` (upper or lower case); Esc answers the last one.
    static func question(_ purpose: Purpose, _ title: String, choices: [Character] = ["y", "n"]) -> Prompt {
        Prompt(purpose: purpose, title: title, text: "", choices: choices)
    }

    /// The same question again, saying why the answer was refused.
    func refused(_ reason: String) -> Prompt {
        var p = self
        p.error = reason
        return p
    }

    /// Whether Tab completes the answer as a path.
    var completesPaths: Bool { purpose == .openPath || purpose == .saveFlagsAs }

    /// What one key did to the prompt.
    enum Edit { case editing, accepted, cancelled }

    /// Takes one key: edits the answer, accepts it or cancels the question.
    mutating func edit(_ key: Key, workingDirectory: String) -> Edit {
        if let choices {
            if case .char(let c) = key, let answer = c.lowercased().first, choices.contains(answer) {
                text = String(answer)
                return .accepted
            }
            if key == .escape, let last = choices.last {
                text = String(last)
                return .accepted
            }
            return .editing
        }
        switch KeyTable.action(for: key, in: .prompt) {
        case .accept?: return .accepted
        case .close?: return .cancelled
        case .deleteBackward?: if !text.isEmpty { text.removeLast() }
        case .clearLine?: text = ""
        case .complete?: if completesPaths { text = PathCompletion.complete(text, in: workingDirectory) }
        default:
            guard case .char(let c) = key, !c.isASCII || c.asciiValue! >= 0x20 else { return .editing }
            if fresh { text = "" }
            text.append(c)
        }
        fresh = false
        error = nil
        return .editing
    }
}
