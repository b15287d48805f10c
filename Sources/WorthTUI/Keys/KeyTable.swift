/// What a key does, whatever key it is: screens act on actions, never on raw keys, so the key
/// table alone decides which key does what.
enum Action: Hashable, Sendable {
    // Everywhere
    case help, nextScreen, previousScreen, quit, interrupt, suspend
    // Moving in lists
    case up, down, left, right, pageUp, pageDown, first, last
    // Screens
    case back, close, activate, typePath, cycleMissing, edit, run, nextRow, previousRow
    case sort, sortNext, sortPrevious, filter, find, findNext, findPrevious
    case flag, flagLowest, unflagAll, flaggedOnly, relabel, undo, redo, pause, cancel, whatIf, export, nextFigure
    case delete, newRun, choose, compare, consensus, consensusVotes
    // Typing an answer
    case accept, deleteBackward, clearLine, complete
}

/// Where a key binding applies: a screen, a part of one, an overlay, or everywhere.
enum KeyScope: String, CaseIterable, Sendable {
    case global, open, label, loading, dataset, methods, parameters, runs, run, compare, detail, whatIf, help, prompt

    /// How the help overlay and the README name the scope.
    var title: String {
        switch self {
        case .global: "Everywhere"
        case .open: "Open"
        case .label: "Label picker"
        case .loading: "Loading a file"
        case .dataset: "Dataset"
        case .methods: "Method: the methods"
        case .parameters: "Method: parameters"
        case .runs: "Runs"
        case .run: "Run"
        case .compare: "Compare"
        case .detail: "Row details"
        case .whatIf: "What-if"
        case .help: "This help"
        case .prompt: "Typing an answer"
        }
    }
}

/// One line of the key table: the keys (as help shows them), where they work, what they do,
/// and the short form the status line shows, if any.
struct KeyBinding: Sendable {
    let scope: KeyScope
    /// The keys as the help overlay and the README write them: `↑↓ j k`.
    let keys: String
    /// What the keys do, in a sentence (never cut: the help wraps it).
    let help: String
    /// The status line's short form (keys, what), or nil for keys only the help lists.
    let hint: (keys: String, what: String)?
    /// Each key and the action it stands for.
    let actions: [(Key, Action)]
}

/// The workbench's one key table: it maps keys to actions, and the status line's hints, the
/// per-screen help and the README's key table are all made from it.
enum KeyTable {
    static let bindings: [KeyBinding] = {
        func b(_ scope: KeyScope, _ keys: String, _ help: String, hint: (String, String)? = nil,
               _ actions: [(Key, Action)]) -> KeyBinding {
            KeyBinding(scope: scope, keys: keys, help: help, hint: hint.map { (keys: $0.0, what: $0.1) }, actions: actions)
        }
        let vertical: [(Key, Action)] = [(.up, .up), (.char("k"), .up), (.down, .down), (.char("j"), .down)]
        let paging: [(Key, Action)] = [(.pageUp, .pageUp), (.pageDown, .pageDown)]
        let ends: [(Key, Action)] = [(.home, .first), (.char("g"), .first), (.end, .last), (.char("G"), .last)]
        return [
            b(.global, "?", "the keys of this screen first, then these", hint: ("?", "help"), [(.char("?"), .help)]),
            b(.global, "Tab Shift-Tab", "next / previous screen", hint: ("Tab", "screens"), [(.tab, .nextScreen), (.backTab, .previousScreen)]),
            b(.global, "q", "quit; asks first when a run is going, or flags or a run could not be saved (ended runs are saved)",
              hint: ("q", "quit"), [(.char("q"), .quit)]),
            b(.global, "Ctrl-C", "as q; a second Ctrl-C while asked quits at once", [(.interrupt, .interrupt)]),
            b(.global, "Ctrl-Z", "suspend to the shell (fg comes back); a run pauses meanwhile", [(.suspend, .suspend)]),

            b(.open, "↑↓ j k", "move in the list of files", hint: ("↑↓", "choose"), vertical),
            b(.open, "PgUp PgDn", "page up / down", paging),
            b(.open, "g G Home End", "first / last file", ends),
            b(.open, "Enter", "open the file; a bundled sample is copied to the working directory first, so flags and exports go there",
              hint: ("Enter", "open"), [(.enter, .activate)]),
            b(.open, "o /", "type a path to open (Tab completes)", hint: ("o", "type a path"), [(.char("o"), .typePath), (.char("/"), .typePath)]),
            b(.open, "Esc", "back to the open file", [(.escape, .back)]),

            b(.label, "←→ h l ↑↓ j k", "choose the label column", hint: ("←→", "label column"),
              [(.left, .left), (.char("h"), .left), (.up, .left), (.char("k"), .left),
               (.right, .right), (.char("l"), .right), (.down, .right), (.char("j"), .right)]),
            b(.label, "m", "what to do with missing cells: error, drop the rows, impute", hint: ("m", "missing cells"), [(.char("m"), .cycleMissing)]),
            b(.label, "Enter", "load the file with this label column", hint: ("Enter", "load"), [(.enter, .activate)]),
            b(.label, "Esc", "back to the list of files", hint: ("Esc", "back"), [(.escape, .back)]),

            b(.loading, "Esc x", "stop loading and go back to the list of files (the file stays chosen: Enter loads it again)",
              hint: ("Esc", "stop loading"), [(.escape, .cancel), (.char("x"), .cancel)]),

            b(.dataset, "↑↓ j k", "scroll the highlighted list: the columns or the classes", hint: ("↑↓", "scroll"), vertical),
            b(.dataset, "PgUp PgDn", "page up / down", paging),
            b(.dataset, "g G Home End", "top / bottom of the list", ends),
            b(.dataset, "←→ h l", "highlight the classes or the columns", hint: ("←→", "classes/columns"),
              [(.left, .left), (.char("h"), .left), (.right, .right), (.char("l"), .right)]),
            b(.dataset, "Enter m", "choose a method", hint: ("Enter", "choose a method"), [(.enter, .activate), (.char("m"), .activate)]),
            b(.dataset, "Esc", "back to the list of files", [(.escape, .back)]),

            b(.methods, "↑↓ j k", "choose a method", hint: ("↑↓", "method"), vertical),
            b(.methods, "g G Home End", "first / last method", ends),
            b(.methods, "Enter R", "run the method on the open file, beside the runs there are (none is discarded)",
              hint: ("Enter", "run"), [(.enter, .run), (.char("R"), .run)]),
            b(.methods, "→ l", "the method's parameters and the experiment settings", hint: ("→", "parameters"),
              [(.right, .right), (.char("l"), .right)]),
            b(.methods, "Esc", "back to the Dataset screen", [(.escape, .back)]),

            b(.parameters, "↑↓ j k", "choose a parameter or setting", hint: ("↑↓", "field"), vertical),
            b(.parameters, "g G Home End", "first / last field", ends),
            b(.parameters, "Enter e", "edit the field (Esc leaves it as it was)", hint: ("Enter", "edit"), [(.enter, .edit), (.char("e"), .edit)]),
            b(.parameters, "R", "run the method with these values", hint: ("R", "run"), [(.char("R"), .run)]),
            b(.parameters, "← h Esc", "back to the list of methods", hint: ("←", "methods"),
              [(.left, .back), (.char("h"), .back), (.escape, .back)]),

            b(.runs, "↑↓ j k", "choose a run", hint: ("↑↓", "choose"), vertical),
            b(.runs, "g G Home End", "first / last run", ends),
            b(.runs, "Enter", "open the run's ranked rows (a run going can be watched, others browsed meanwhile)",
              hint: ("Enter", "open"), [(.enter, .activate)]),
            b(.runs, "d Delete", "delete the run and its saved file (asks first; a run going is cancelled)", hint: ("d", "delete"),
              [(.char("d"), .delete), (.delete, .delete)]),
            b(.runs, "Space", "choose the run for Compare and consensus (none chosen: all runs)", hint: ("Space", "choose"),
              [(.char(" "), .choose)]),
            b(.runs, "c", "compare the chosen runs: rank correlations, lowest-k overlap, AUROCs, a scatter of ranks",
              hint: ("c", "compare"), [(.char("c"), .compare)]),
            b(.runs, "C", "their consensus: mean rank over the chosen runs, as a run (flag, export, what-if)",
              hint: ("C", "consensus"), [(.char("C"), .consensus)]),
            b(.runs, "m", "start another run: the Method screen (no run is discarded)", hint: ("m", "new run"), [(.char("m"), .newRun)]),
            b(.runs, "Esc", "back to the Method screen", [(.escape, .back)]),

            b(.run, "↑↓ j k", "move in the ranked rows", hint: ("↑↓", "move"), vertical),
            b(.run, "PgUp PgDn b", "page up / down", paging + [(.char("b"), .pageUp)]),
            b(.run, "g G Home End", "first / last row", ends),
            b(.run, "Space", "flag / unflag the row, then move down", hint: ("Space", "flag"), [(.char(" "), .flag)]),
            b(.run, "f", "flag the lowest N% (or '<0': every row below 0)", hint: ("f", "flag lowest"), [(.char("f"), .flagLowest)]),
            b(.run, "l", "relabel the row: its suggested label (a model that did not see it), or a class from the list; saved with the flags",
              hint: ("l", "relabel"), [(.char("l"), .relabel)]),
            b(.run, "u Ctrl-R", "undo / redo the last flag or relabel change", hint: ("u", "undo"), [(.char("u"), .undo), (.char("\u{12}"), .redo)]),
            b(.run, "U", "unflag every row (one step: u undoes it)", [(.char("U"), .unflagAll)]),
            b(.run, "\\", "filter: all rows, label ≠ suggested, flagged, relabeled, then each class", hint: ("\\", "filter"),
              [(.char("\\"), .filter)]),
            b(.run, "F", "list flagged rows only / all rows", [(.char("F"), .flaggedOnly)]),
            b(.run, "< >", "sort by the previous / next column: value, row, label, predicted, stderr", hint: ("<>", "sort"),
              [(.char("<"), .sortPrevious), (.char(">"), .sortNext)]),
            b(.run, "s", "reverse the sort", [(.char("s"), .sort)]),
            b(.run, "/ n N", "search row numbers and label text; next / previous match", hint: ("/", "search"),
              [(.char("/"), .find), (.char("n"), .findNext), (.char("N"), .findPrevious)]),
            b(.run, "Enter", "the row's details: its cells, its value in each run, its suggested label, its nearest rows",
              hint: ("Enter", "details"), [(.enter, .activate)]),
            b(.run, "p", "pause / resume the run: the engine stops computing, elapsed time leaves the pause out",
              hint: ("p", "pause"), [(.char("p"), .pause)]),
            b(.run, "x", "cancel the run (the values so far are kept)", hint: ("x", "cancel"), [(.char("x"), .cancel)]),
            b(.run, "c", "chart the next convergence figure", [(.char("c"), .nextFigure)]),
            b(.run, "r", "what-if: retrain without the flagged rows and with the relabels; accuracy before and after", hint: ("r", "what-if"),
              [(.char("r"), .whatIf)]),
            b(.run, "e", "export the values, the flagged rows, the file without them, the corrected file and the changes", hint: ("e", "export"),
              [(.char("e"), .export)]),
            b(.run, "Esc", "back to the Runs screen", [(.escape, .back)]),

            b(.compare, "←→ h l", "the run on the scatter's x axis", hint: ("←→", "x run"),
              [(.left, .left), (.char("h"), .left), (.right, .right), (.char("l"), .right)]),
            b(.compare, "↑↓ j k", "the run on the scatter's y axis", hint: ("↑↓", "y run"), vertical),
            b(.compare, "C", "the consensus of these runs (mean rank), as a run", hint: ("C", "consensus"), [(.char("C"), .consensus)]),
            b(.compare, "V", "the consensus by votes: how many of the runs put the row among their lowest k", [(.char("V"), .consensusVotes)]),
            b(.compare, "Enter", "open the x axis run's ranked rows", hint: ("Enter", "open"), [(.enter, .activate)]),
            b(.compare, "Esc", "back to the Runs screen", [(.escape, .back)]),

            b(.detail, "j k", "next / previous row of the ranked table", hint: ("j k", "next/previous row"),
              [(.char("j"), .nextRow), (.char("k"), .previousRow)]),
            b(.detail, "↑↓ PgUp PgDn", "scroll the row's cells", hint: ("↑↓", "scroll"),
              [(.up, .up), (.down, .down)] + paging),
            b(.detail, "g G Home End", "first / last cell", ends),
            b(.detail, "Space", "flag / unflag this row", hint: ("Space", "flag"), [(.char(" "), .flag)]),
            b(.detail, "l", "relabel this row: its suggested label, or a class from the list", hint: ("l", "relabel"), [(.char("l"), .relabel)]),
            b(.detail, "u Ctrl-R", "undo / redo the last flag or relabel change", [(.char("u"), .undo), (.char("\u{12}"), .redo)]),
            b(.detail, "Esc Enter q", "close the details", hint: ("Esc", "close"), [(.escape, .close), (.enter, .close), (.char("q"), .close)]),

            b(.whatIf, "Esc Enter q", "close the panel", hint: ("Esc", "close"), [(.escape, .close), (.enter, .close), (.char("q"), .close)]),

            b(.help, "↑↓ j k PgUp PgDn", "scroll the help", hint: ("↑↓", "scroll"), vertical + paging),
            b(.help, "g G Home End", "top / bottom", ends),
            b(.help, "Esc ? q", "close the help", hint: ("Esc", "close"), [(.escape, .close), (.char("?"), .close), (.char("q"), .close)]),

            b(.prompt, "Enter", "accept the answer", [(.enter, .accept)]),
            b(.prompt, "Esc", "cancel: nothing changes", [(.escape, .close)]),
            b(.prompt, "Backspace Ctrl-U", "delete a character / the whole line",
              [(.backspace, .deleteBackward), (.delete, .deleteBackward), (.char("\u{15}"), .clearLine)]),
            b(.prompt, "Tab", "complete a path (when asked for a file)", [(.tab, .complete)]),
        ]
    }()

    /// The action `key` stands for in `scope`: the scope's own binding first, then the global one
    /// (the prompt has no global keys: it takes typed text).
    static func action(for key: Key, in scope: KeyScope) -> Action? {
        if let a = lookup[scope]?[key] { return a }
        return scope == .prompt ? nil : lookup[.global]?[key]
    }

    /// The bindings of `scope`, in table order.
    static func bindings(in scope: KeyScope) -> [KeyBinding] { bindings.filter { $0.scope == scope } }

    /// The status line's hints for `scope`: its own, then the global ones whose keys it leaves
    /// alone.
    static func hints(in scope: KeyScope) -> [(keys: String, what: String)] {
        let own = bindings(in: scope)
        let global = bindings(in: .global).filter { g in !g.actions.contains { lookup[scope]?[$0.0] != nil } }
        return (own + global).compactMap(\.hint)
    }

    private static let lookup: [KeyScope: [Key: Action]] = {
        var out: [KeyScope: [Key: Action]] = [:]
        for binding in bindings {
            for (key, action) in binding.actions {
                precondition(out[binding.scope]?[key] == nil, "\(key) is bound twice in \(binding.scope)")
                out[binding.scope, default: [:]][key] = action
            }
        }
        return out
    }()

    /// The key table as the README shows it (a test checks that the README's copy is this one).
    static var markdown: String {
        var lines = ["| where | keys | what they do |", "|---|---|---|"]
        for scope in KeyScope.allCases {
            for binding in bindings(in: scope) {
                lines.append("| \(scope.title) | \(binding.keys) | \(binding.help) |")
            }
        }
        return lines.joined(separator: "\n")
    }
}
