/// The workbench's screens and the panels drawn over them, in Tab order.
enum ScreenID: Int, CaseIterable, Sendable {
    case open, label, loading, dataset, method, runs, run, compare
    case help, detail, whatIf

    /// Whether it is drawn over a main screen rather than in place of one.
    var isOverlay: Bool { rawValue >= ScreenID.help.rawValue }

    /// The name on the title bar's tab.
    var title: String {
        switch self {
        case .open, .label, .loading: "Open"
        case .dataset: "Dataset"
        case .method: "Method"
        case .runs: "Runs"
        case .run: "Run"
        case .compare: "Compare"
        case .help: "Help"
        case .detail: "Row"
        case .whatIf: "What-if"
        }
    }
}

/// What a screen asks of the workbench after acting on a key.
enum Navigation: Sendable {
    /// Show a main screen, or open an overlay over the current one.
    case show(ScreenID)
    /// Close this overlay.
    case close
    /// Ask a question on the status line; the answer comes back to this screen's `answer`.
    case ask(Prompt)
    /// Quit (the workbench asks first if something would be lost).
    case quit
}

/// One screen of the workbench, or one overlay: its own state, the keys it acts on (through the
/// key table's actions for its `scope`) and its drawing.
///
/// Everything the screens share (the open file, the flags, the run, background jobs) is in the
/// `Session` they are handed. `layout` is the only place where space on screen changes state
/// (page sizes, scroll limits); `draw` never changes anything.
protocol Screen {
    /// The key-table scope of the keys it acts on now.
    var scope: KeyScope { get }
    /// The scopes its help lists before the global keys (by default just `scope`).
    var helpScopes: [KeyScope] { get }
    /// Called each time it is shown: takes up what changed in the session meanwhile.
    mutating func appear(_ session: inout Session)
    /// Acts on one action of its scope.
    mutating func perform(_ action: Action, _ session: inout Session) -> Navigation?
    /// Takes the answer to a question it asked; `.ask` again (with an error) to ask anew.
    mutating func answer(_ prompt: Prompt, _ session: inout Session) -> Navigation?
    /// Fits its state to `rect`, the space it will be drawn in (page sizes, scroll positions).
    mutating func layout(_ rect: Rect, _ session: inout Session)
    /// Draws itself into `rect` of `grid`.
    func draw(_ grid: inout Grid, _ rect: Rect, _ session: Session)
}

extension Screen {
    var helpScopes: [KeyScope] { [scope] }
    mutating func appear(_ session: inout Session) {}
    mutating func answer(_ prompt: Prompt, _ session: inout Session) -> Navigation? { nil }
    mutating func layout(_ rect: Rect, _ session: inout Session) {}
}
