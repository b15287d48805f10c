import Foundation
import WorthEngine

/// The workbench as a router: it turns keys into actions through the key table and hands them
/// to the screen shown (or the question asked), moves between screens and overlays as they ask,
/// and draws the title bar, the screens and the status line into a `Grid`. The screens own
/// their state, keys and drawing; the `Session` holds what they share. Quitting is decided
/// here, since every screen can ask for it.
///
/// Used from one thread (the key loop); the engine runs elsewhere and is polled by `poll()`.
final class Workbench {
    /// The smallest terminal the screens are laid out for.
    static let minimumSize = (width: 80, height: 24)

    var session: Session
    /// Every screen and overlay, indexed by `ScreenID.rawValue`.
    private var screens: [any Screen]
    /// The main screen shown, and the overlays over it (the last on top).
    private(set) var current = ScreenID.open
    private(set) var overlays: [ScreenID] = []
    /// The question on the status line, if one is asked.
    private(set) var prompt: Prompt?
    private(set) var quitRequested = false
    /// Set by Ctrl-Z; the key loop suspends the program and clears it.
    var suspendRequested = false

    /// A workbench let go stops its load (the program never lets go of it; tests do).
    deinit { session.cancelLoad() }

    init(services: WorkbenchServices, discover: @escaping @Sendable () -> [FileEntry], workingDirectory: String, workers: Int) {
        session = Session(services: services, workingDirectory: workingDirectory, workers: workers)
        let byID: [ScreenID: any Screen] = [
            .open: OpenScreen(discover: discover), .label: LabelScreen(), .loading: LoadScreen(), .dataset: DatasetScreen(),
            .method: MethodScreen(methods: services.methods, workers: session.workers), .runs: RunsScreen(), .run: RunScreen(),
            .compare: CompareScreen(),
            .help: HelpOverlay(scopes: []), .detail: RowDetailOverlay(), .whatIf: WhatIfOverlay(),
        ]
        screens = ScreenID.allCases.map { byID[$0]! }
    }

    /// The screen or overlay that gets the keys.
    var visible: ScreenID { overlays.last ?? current }

    /// A screen's state, for the program and tests.
    func screen<S: Screen>(_ id: ScreenID, as type: S.Type = S.self) -> S { screens[id.rawValue] as! S }

    /// Opens `path` as `worth FILE [--label L]` does: the label picker, or with `label` (a
    /// column name or 1-based number) straight to loading it (then the Dataset screen).
    func open(path: String, label: String?) {
        navigate(.show(.open))
        perform(.typePath)
        prompt?.text = path
        handle(.enter)
        guard let label, current == .label, let header = session.preview?.header,
              let column = header.firstIndex(of: label) ?? Int(label).map({ $0 - 1 }), header.indices.contains(column) else { return }
        var picker: LabelScreen = screen(.label)
        picker.choose(column: column, session)
        screens[ScreenID.label.rawValue] = picker
        handle(.enter)
    }

    // MARK: - Keys

    /// Acts on one key.
    func handle(_ key: Key) {
        stampNotice()
        defer { stampNotice() }
        if prompt != nil { return handlePrompt(key) }
        if let action = KeyTable.action(for: key, in: screens[visible.rawValue].scope) { perform(action) }
    }

    private func perform(_ action: Action) {
        switch action {
        case .help where visible != .help:
            screens[ScreenID.help.rawValue] = HelpOverlay(scopes: screens[visible.rawValue].helpScopes)
            navigate(.show(.help))
        case .nextScreen where current == .loading, .previousScreen where current == .loading:
            break   // the load screen is left by its end, or by stopping it
        case .nextScreen, .previousScreen:
            let reachable = reachableScreens
            let i = reachable.firstIndex(of: current == .label ? .open : (current == .compare ? .runs : current)) ?? 0
            navigate(.show(reachable[(i + (action == .nextScreen ? 1 : reachable.count - 1)) % reachable.count]))
        case .quit, .interrupt: requestQuit(force: false)
        case .suspend: suspendRequested = true
        default: navigate(screens[visible.rawValue].perform(action, &session))
        }
    }

    private func navigate(_ to: Navigation?) {
        defer {
            // A notice said on another screen gives way to this one's hints.
            if let n = session.notice?.screen, n != visible { session.notice = nil }
        }
        switch to {
        case .show(let id)?:
            if id.isOverlay { overlays.append(id) } else { overlays = []; current = id }
            screens[id.rawValue].appear(&session)
        case .close?: _ = overlays.popLast()
        case .ask(var p)?:
            if p.owner == nil { p.owner = visible }
            prompt = p
        case .quit?: requestQuit(force: false)
        case nil: break
        }
    }

    /// Screens Tab can reach now.
    var reachableScreens: [ScreenID] {
        var s: [ScreenID] = [.open]
        if session.file != nil { s += [.dataset, .method, .runs] }
        if session.run != nil { s.append(.run) }
        return s
    }

    /// A notice belongs to the screen that was up when it was said (or first seen).
    private func stampNotice() {
        if session.notice != nil && session.notice?.screen == nil { session.notice?.screen = visible }
    }

    // MARK: - Questions and quitting

    private func handlePrompt(_ key: Key) {
        guard var p = prompt else { return }
        if key == .interrupt {
            // Ctrl-C while asked about quitting quits; while asked anything else, it is q.
            prompt = nil
            return p.owner == nil ? finishQuit() : requestQuit(force: false)
        }
        switch p.edit(key, workingDirectory: session.workingDirectory) {
        case .editing: prompt = p
        case .cancelled: prompt = nil
        case .accepted:
            prompt = nil
            guard let owner = p.owner else { return answerQuit(p) }
            navigate(screens[owner.rawValue].answer(p, &session))
        }
    }

    /// Quits, first asking about what would be lost: unsaved flags (unless `flagsSettled`: the
    /// person chose to leave them), then a run going or a run that could not be saved.
    private func requestQuit(force: Bool, flagsSettled: Bool = false) {
        if !force && !flagsSettled && session.flagsUnsaved {
            let n = session.flags.count
            ask(.question(.unsavedFlags, "\(n) flag\(n == 1 ? "" : "s") NOT SAVED: s save to another file, r retry, y quit without, n stay",
                          choices: ["s", "r", "y", "n"]))
        } else if force || session.workAtStake == nil {
            finishQuit()
        } else if let stake = session.workAtStake {
            ask(.question(.quit, stake.prefix(1).uppercased() + stake.dropFirst() + ". Quit anyway? (y/n)"))
        }
    }

    private func ask(_ p: Prompt) {
        prompt = p   // owner nil: the answer comes back to `answerQuit`
    }

    private func finishQuit() {
        session.cancelLoad()
        session.closeRuns()
        quitRequested = true
    }

    private func answerQuit(_ p: Prompt) {
        switch (p.purpose, p.text) {
        case (.quit, "y"): finishQuit()
        case (.unsavedFlags, "s"): ask(.typed(.saveFlagsAs, "Save the flags to (Tab completes):", text: session.flagsFallbackPath))
        case (.unsavedFlags, "r"): if session.retrySavingFlags() { requestQuit(force: false) } else { ask(p.refused("still not saved")) }
        case (.unsavedFlags, "y"): requestQuit(force: false, flagsSettled: true)
        case (.saveFlagsAs, let text):
            let path = (text.trimmingCharacters(in: .whitespaces) as NSString).expandingTildeInPath
            guard !path.isEmpty else { return ask(p.refused("type a path")) }
            let absolute = path.hasPrefix("/") ? path : (session.workingDirectory as NSString).appendingPathComponent(path)
            if let why = session.saveFlags(to: absolute) { return ask(p.refused(why)) }
            requestQuit(force: false)
        default: break
        }
    }

    /// Runs `body` (which suspends the program) with the runs going paused, so the time away is
    /// not counted; a run the person had paused stays paused.
    func suspending(_ body: () -> Void) {
        let controls = session.runs.compactMap { $0.isRunning && !$0.isPaused ? $0.control : nil }
        for c in controls { c.pause() }
        body()
        for c in controls { c.resume() }
        suspendRequested = false
    }

    // MARK: - Engine and drawing

    /// Takes the engine's and the background jobs' news; true when something changed on screen.
    /// A load that ends shows the Dataset screen, or the label picker with the error.
    @discardableResult
    func poll() -> Bool {
        let changed = session.poll()
        guard let outcome = session.takeLoadOutcome() else { return changed }
        switch outcome {
        case .opened: navigate(.show(.dataset))
        case .failed(let why):
            var picker: LabelScreen = screen(.label)
            picker.loadFailed(why)
            screens[ScreenID.label.rawValue] = picker
            navigate(.show(.label))
        }
        stampNotice()
        return true
    }

    /// Whether a file is being loaded (the loop keeps drawing while it is).
    var isLoading: Bool { session.loading != nil }

    /// Whether a run is going (the loop keeps drawing at frame rate while it is).
    var isRunning: Bool { session.runs.contains { $0.isRunning } }

    /// Lays the screens out for `grid`'s size, then draws them, the title bar and the status line.
    func draw(into grid: inout Grid) {
        grid.fill(grid.bounds)
        let status = StatusBar(prompt: prompt, notice: session.notice.flatMap { $0.screen == nil || $0.screen == visible ? $0 : nil },
                               hints: KeyTable.hints(in: screens[visible.rawValue].scope))
        guard grid.width >= Self.minimumSize.width, grid.height >= Self.minimumSize.height else {
            let lines = ["Enlarge the terminal", "worth needs at least \(Self.minimumSize.width)×\(Self.minimumSize.height);",
                         "this one is \(grid.width)×\(grid.height).", "q quits"]
            for (k, l) in lines.enumerated() {
                grid.text(l, x: max(0, (grid.width - l.count) / 2), y: max(0, grid.height / 2 - 2) + k, k == 0 ? .error : .plain)
            }
            return StatusBar(prompt: prompt, notice: nil, hints: []).draw(&grid)
        }
        TitleBar(current: current, reachable: reachableScreens, fileName: session.file.map { URL(fileURLWithPath: $0.path).lastPathComponent },
                 flagged: session.flagCounts.total, unsaved: session.flagsUnsaved).draw(&grid)
        let body = Rect(x: 0, y: 1, width: grid.width, height: grid.height - 2)
        for id in [current] + overlays {
            screens[id.rawValue].layout(body, &session)
            screens[id.rawValue].draw(&grid, body, session)
        }
        status.draw(&grid)
    }
}
