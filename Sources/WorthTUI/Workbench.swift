import Foundation
import WorthEngine

/// The whole workbench as state: which screen is up, what is loaded, the method settings, the
/// run, the flags. Keys go in through `handle(_:)`, pictures come out through `draw(into:)`;
/// the terminal backend does nothing else, so every behaviour is testable on a `Grid`.
///
/// Used from one thread (the key loop); the engine runs elsewhere and is polled by `poll()`.
final class Workbench {
    /// The main screens, in Tab order.
    enum Screen: Int, CaseIterable {
        case load, label, dataset, method, run

        var title: String {
            switch self {
            case .load: "Open"
            case .label: "Label"
            case .dataset: "Dataset"
            case .method: "Method"
            case .run: "Run"
            }
        }
    }

    /// A panel drawn over the current screen.
    enum Overlay { case help, detail, whatIf }

    /// A one-line question at the bottom of the screen.
    struct Prompt {
        enum Kind {
            case openPath, jump, flagLowest, export, parameter(String), setting(Setting), confirmQuit
            /// Quitting with flags that could not be saved: save elsewhere, retry, quit, stay.
            case unsavedFlags
            /// Where to save the flags instead of beside the data.
            case saveFlagsAs
        }
        var kind: Kind
        var title: String
        var text: String
        var error: String?
        /// True until the first key: typing then replaces the proposed text instead of
        /// appending to it (as in a selected field), while Backspace edits it.
        var fresh = true
    }

    /// Experiment settings shown under each method's parameters.
    enum Setting: CaseIterable {
        case validation, test, flip, seed

        var name: String {
            switch self {
            case .validation: "validation fraction"
            case .test: "test fraction"
            case .flip: "flip labels (experiment)"
            case .seed: "seed"
            }
        }

        var summary: String {
            switch self {
            case .validation: "share of each class held out to score models (methods that need it)"
            case .test: "share of each class held out for the what-if's test accuracy"
            case .flip: "share of valued rows whose label is flipped, to see if the method finds them"
            case .seed: "seed of the split, the flips and the method: same seed, same values"
            }
        }
    }

    /// A file offered on the Open screen.
    struct Entry {
        var name: String
        var path: String
        var note: String
    }

    let services: WorkbenchServices
    let workingDirectory: String
    let workers: Int

    private(set) var screen: Screen = .load
    var overlay: Overlay?
    var prompt: Prompt?
    /// One line in the status bar: what just happened, or what went wrong.
    var status: (text: String, style: Style)?
    private(set) var quitRequested = false

    // Open screen
    var entries: [Entry]
    var entryCursor = 0
    var loadError: String?

    // Label picker
    var preview: TablePreview?
    var labelCursor = 0
    /// The missing-cell policy chosen for each file this session, by standardized path;
    /// a file not in it loads with `.error`.
    private var missingPolicies: [String: MissingPolicy] = [:]

    // The open file and its flags
    private(set) var file: OpenFile?
    private(set) var flagSession: FlagSession?
    /// The Dataset screen's map of the rows, once its background job is done.
    private(set) var map: DatasetMap?
    private var mapJob: DatasetMapJob?

    // Method screen: rows are the methods, then the chosen method's parameters and settings.
    var methodCursor = 0
    var fieldCursor = 0
    var focusOnFields = false
    var parameters: [String: ParameterValues] = [:]
    var experimentOptions = ExperimentOptions(validationFraction: 0.2, testFraction: 0.2, flipFraction: 0, seed: 0)

    // Run
    var run: RunModel?
    private var controller: RunController?
    private var exportedSinceRun = false
    /// The what-if retraining under way or done, shown in its overlay.
    private var whatIfJob: WhatIfJob?
    private(set) var whatIf: WhatIfResult?
    /// The reference model being fitted for the current run.
    private var referenceJob: ReferenceModelJob?

    /// Starts fitting the run's reference model unless it is fitted or under way. Called when
    /// the run ends, or earlier when a row's details are opened: fitting while the engine runs
    /// would take a core from it.
    private func fitReferenceModel() {
        guard let r = run, r.reference == nil, referenceJob == nil else { return }
        referenceJob = ReferenceModelJob(problem: r.experiment.problem)
    }

    init(services: WorkbenchServices, entries: [Entry], workingDirectory: String, workers: Int) {
        self.services = services
        self.entries = entries
        self.workingDirectory = workingDirectory
        self.workers = max(1, workers)
        experimentOptions.workers = self.workers
        for m in services.methods { parameters[m.id] = m.defaults }
    }

    // MARK: - Files

    /// Reads `path` and shows the label picker (or the error, staying where we are).
    func choose(path: String) {
        do {
            let p = try services.preview(path)
            preview = p
            loadError = nil
            labelCursor = max(0, p.header.count - 1)
            screen = .label
        } catch {
            loadError = String(describing: error)
            screen = .load
        }
    }

    /// Loads the previewed file with the label column under the cursor and the file's
    /// missing-cell policy.
    func openPreviewed() {
        guard let p = preview else { return }
        do {
            let f = try services.open(p.path, labelCursor, missingPolicy)
            install(f)
        } catch {
            loadError = Self.pickerMessage(error)
        }
    }

    /// What the label picker does with missing cells for the previewed file (`.error` until
    /// chosen with `m`; remembered per file for the session).
    var missingPolicy: MissingPolicy {
        get { preview.map { missingPolicies[Self.fileKey($0.path)] ?? .error } ?? .error }
        set { if let p = preview { missingPolicies[Self.fileKey(p.path)] = newValue } }
    }

    /// Steps the previewed file's missing-cell policy: error → drop → impute → error.
    func cycleMissingPolicy() {
        let all = MissingPolicy.allCases
        missingPolicy = all[((all.firstIndex(of: missingPolicy) ?? 0) + 1) % all.count]
        loadError = nil
    }

    private static func fileKey(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// A load error in the picker's terms: the loader's missing-cell advice names command-line
    /// flags, here the key that chooses the policy is `m`.
    static func pickerMessage(_ error: any Error) -> String {
        guard var e = error as? InputError else { return String(describing: error) }
        if e.message.hasPrefix("missing") { e.file = nil }   // the picker shows the path above
        if e.message.hasPrefix("missing value") {
            e.message = "missing value: press m to drop rows with missing cells or impute them, then Enter"
        } else if e.message.hasPrefix("missing label") {
            e.message = "missing label (labels are never imputed): press m until 'drop' to leave such rows out, then Enter"
        }
        return e.description
    }

    /// Makes `f` the open file: restores its saved flags, computes its map, shows the dataset.
    func install(_ f: OpenFile) {
        cancelRun()
        run = nil
        file = f
        loadError = nil
        let (session, note) = FlagSession.open(FlagStore(dataPath: f.path, fingerprint: f.source.fingerprint,
                                                         rowCount: f.source.recordCount))
        flagSession = session
        status = note
        mapJob?.cancel()
        map = nil
        mapJob = DatasetMapJob(dataset: f.loaded.dataset)
        screen = .dataset
    }

    // MARK: - Flags

    /// The flagged data rows (1-based) of the open file.
    var flags: Set<Int> { flagSession?.flags ?? [] }

    /// Whether the open file's flags could not be saved (the title bar and the quit say so).
    var flagsUnsaved: Bool { flagSession.map { !$0.isSaved } ?? false }

    /// Flags or unflags data rows and saves them; `action`, asked after the save, is what the
    /// status line says then (a failed save always says so as well).
    func setFlags(_ rows: [Int], on: Bool, action: (() -> String)? = nil) {
        changeFlags(action) { $0.set(rows, on: on) }
    }

    func unflagAll() {
        let n = flags.count
        changeFlags({ "unflagged \(n) row\(n == 1 ? "" : "s")" }) { $0.removeAll() }
    }

    /// Applies `change` to the flags, saves them (merged with what is on disk) and reports.
    private func changeFlags(_ action: (() -> String)?, _ change: (inout FlagSession) -> Void) {
        guard var session = flagSession else { return }
        let wasSaved = session.isSaved
        change(&session)
        let outcome = session.save()
        flagSession = session
        run?.table.flagsChanged(session.flags)
        if let message = FlagSession.message(outcome, after: action?(), wasSaved: wasSaved, path: session.store.path) {
            status = message
        }
    }

    /// Tries the save again (the quit prompt's `r`); true when it worked.
    private func retrySavingFlags() -> Bool {
        changeFlags(nil) { _ in }
        return !flagsUnsaved
    }

    /// Where the quit prompt proposes to save flags that cannot be saved beside the data: the
    /// working directory, else the home directory, else the temporary one, under the data
    /// file's name.
    var flagsFallbackPath: String {
        let name = URL(fileURLWithPath: flagSession?.store.path ?? "worth.worth-flags.csv").lastPathComponent
        let failed = URL(fileURLWithPath: flagSession?.store.path ?? "/").deletingLastPathComponent().standardizedFileURL.path
        let candidates = [workingDirectory, ProcessInfo.processInfo.environment["HOME"] ?? "", NSTemporaryDirectory()]
        let directory = candidates.first {
            !$0.isEmpty && URL(fileURLWithPath: $0).standardizedFileURL.path != failed && access($0, W_OK) == 0
        } ?? NSTemporaryDirectory()
        return (directory as NSString).appendingPathComponent(name)
    }

    // MARK: - Runs

    var selectedMethod: MethodDescriptor? {
        services.methods.indices.contains(methodCursor) ? services.methods[methodCursor] : nil
    }

    /// Splits the open file, makes the valuator and starts it in the background.
    func startRun() {
        guard let f = file, let method = selectedMethod else { return }
        cancelRun()
        do {
            var options = experimentOptions
            if !method.needsValidation { options.validationFraction = 0 }
            let experiment = try Experiment(source: f.loaded, options: options)
            let values = parameters[method.id] ?? method.defaults
            let valuator = try method.make(values)
            let text = values.all.map { "\($0.name)=\($0.value)" }.joined(separator: " ")
            run = RunModel(methodTitle: method.title, parameterText: text, experiment: experiment)
            run?.table.flagsChanged(flags)
            controller = RunController(valuator: valuator, problem: experiment.problem)
            referenceJob = nil
            exportedSinceRun = false
            status = nil
            screen = .run
        } catch {
            status = (String(describing: error), .error)
        }
    }

    /// Asks a running valuation to stop; its estimate so far stays on screen.
    func cancelRun() {
        controller?.cancel()
    }

    /// Takes the engine's newest news; returns true when something changed on screen.
    @discardableResult
    func poll() -> Bool {
        var changed = false
        if let job = mapJob, let result = job.result {
            map = result
            mapJob = nil
            changed = true
        }
        if let job = whatIfJob, let result = job.result {
            whatIf = result
            whatIfJob = nil
            changed = true
        }
        if let job = referenceJob, let model = job.result {
            run?.reference = model
            referenceJob = nil
            changed = true
        }
        return pollRun() || changed
    }

    private func pollRun() -> Bool {
        guard let c = controller, var r = run else { return false }
        if r.frozen { return false }
        let mail = c.take()
        var changed = false
        if let u = mail.update { r.apply(u, flags: flags); changed = true }
        if let failure = mail.failure { r.fail(failure); changed = true }
        if mail.ended {
            r.ended()
            controller = nil
            changed = true
        }
        run = r
        if mail.ended { fitReferenceModel() }
        return changed
    }

    /// Whether a run is going (the loop keeps drawing at frame rate while it is).
    var isRunning: Bool { controller != nil }

    /// Retrains without the flagged rows in the background and opens the what-if panel.
    func startWhatIf() {
        guard let r = run else { return }
        let removed = Set(r.table.sourceRows.indices.filter { flags.contains(r.table.sourceRows[$0]) })
        guard !removed.isEmpty else {
            status = ("flag rows first (Space, or f for the lowest N%): the what-if retrains without them", .warn)
            return
        }
        whatIf = nil
        whatIfJob = WhatIfJob(experiment: r.experiment, removed: removed)
        overlay = .whatIf
    }

    /// Whether a what-if retraining is under way.
    var isRetraining: Bool { whatIfJob != nil }

    /// Whether the open file's map is still being computed.
    var isMapping: Bool { mapJob != nil }

    // MARK: - Export

    /// Writes the values, the flagged rows and the cleaned file next to `prefix`.
    func export(prefix: String) {
        guard let f = file, let r = run else {
            status = ("run a method first: there are no values to export", .warn)
            return
        }
        do {
            let files = try Exporter(file: f, run: r, flags: flags).write(prefix: prefix)
            exportedSinceRun = true
            status = ("exported " + files.joined(separator: ", "), .good)
        } catch {
            status = (String(describing: error), .error)
        }
    }

    /// The export prefix offered: the data file's name in the working directory.
    var defaultExportPrefix: String {
        guard let f = file else { return "worth" }
        let name = URL(fileURLWithPath: f.path).deletingPathExtension().lastPathComponent
        return name + "-worth"
    }

    // MARK: - Keys

    /// Acts on one key.
    func handle(_ key: Key) {
        if key == .interrupt {
            // Ctrl-C quits at once, unless flags would be lost: then it asks, and a second one quits.
            if case .unsavedFlags? = prompt?.kind { requestQuit(force: true) } else { requestQuit(force: !flagsUnsaved) }
            return
        }
        if prompt != nil { handlePrompt(key); return }
        if let o = overlay {
            switch (o, key) {
            case (_, .escape), (_, .char("q")), (.help, .char("?")), (.detail, .enter), (.whatIf, .enter):
                overlay = nil
            default: break
            }
            return
        }
        switch key {
        case .char("q"): requestQuit(force: false); return
        case .char("?"): overlay = .help; return
        case .tab: cycleScreen(1); return
        case .backTab: cycleScreen(-1); return
        default: break
        }
        switch screen {
        case .load: handleLoad(key)
        case .label: handleLabel(key)
        case .dataset: handleDataset(key)
        case .method: handleMethod(key)
        case .run: handleRun(key)
        }
    }

    /// Screens Tab can reach now.
    var reachableScreens: [Screen] {
        var s: [Screen] = [.load]
        if file != nil { s += [.dataset, .method] }
        if run != nil { s.append(.run) }
        return s
    }

    private func cycleScreen(_ step: Int) {
        let s = reachableScreens
        let i = s.firstIndex(of: screen) ?? 0
        screen = s[(i + step + s.count) % s.count]
    }

    func show(_ s: Screen) { screen = s }

    /// Quits, first asking about what would be lost: unsaved flags (unless `flagsSettled`:
    /// the person chose to leave them), then a run going or values not exported.
    private func requestQuit(force: Bool, flagsSettled: Bool = false) {
        if !force && !flagsSettled && flagsUnsaved {
            let n = flags.count
            prompt = Prompt(kind: .unsavedFlags,
                            title: "\(n) flag\(n == 1 ? "" : "s") NOT SAVED: s save to another file, r retry, y quit without, n stay",
                            text: "")
        } else if force || !(isRunning || (run != nil && !exportedSinceRun)) {
            cancelRun()
            quitRequested = true
        } else {
            prompt = Prompt(kind: .confirmQuit,
                            title: isRunning ? "A run is going. Quit anyway? (y/n)"
                                : "Values not exported\(flagsUnsaved ? "" : " (flags are saved)"). Quit? (y/n)",
                            text: "")
        }
    }

    private func handleLoad(_ key: Key) {
        switch key {
        case .up, .char("k"): entryCursor = max(0, entryCursor - 1)
        case .down, .char("j"): entryCursor = min(max(0, entries.count - 1), entryCursor + 1)
        case .home, .char("g"): entryCursor = 0
        case .end, .char("G"): entryCursor = max(0, entries.count - 1)
        case .enter: if entries.indices.contains(entryCursor) { choose(path: entries[entryCursor].path) }
        case .char("o"), .char("/"): prompt = Prompt(kind: .openPath, title: "Open file (Tab completes):", text: "")
        case .escape: if file != nil { screen = .dataset }
        default: break
        }
    }

    private func handleLabel(_ key: Key) {
        guard let p = preview else { screen = .load; return }
        switch key {
        case .left, .up, .char("h"), .char("k"): labelCursor = max(0, labelCursor - 1)
        case .right, .down, .char("l"), .char("j"): labelCursor = min(p.header.count - 1, labelCursor + 1)
        case .char("m"): cycleMissingPolicy()
        case .enter: openPreviewed()
        case .escape: screen = .load
        default: break
        }
    }

    private func handleDataset(_ key: Key) {
        switch key {
        case .enter, .char("m"): screen = .method
        case .escape: screen = .load
        default: break
        }
    }

    /// The editable rows under the chosen method: its parameters, then the experiment settings.
    var fieldCount: Int { (selectedMethod?.parameters.count ?? 0) + Setting.allCases.count }

    private func handleMethod(_ key: Key) {
        let methods = services.methods
        switch key {
        case .up, .char("k"):
            if focusOnFields { fieldCursor = max(0, fieldCursor - 1) } else { methodCursor = max(0, methodCursor - 1) }
        case .down, .char("j"):
            if focusOnFields { fieldCursor = min(fieldCount - 1, fieldCursor + 1) }
            else { methodCursor = min(max(0, methods.count - 1), methodCursor + 1) }
        case .right, .char("l"):
            if !methods.isEmpty { focusOnFields = true; fieldCursor = min(fieldCursor, fieldCount - 1) }
        case .left, .char("h"): focusOnFields = false
        case .escape:
            if focusOnFields { focusOnFields = false } else { screen = .dataset }
        case .char("e") where focusOnFields: editField()
        case .enter:
            if focusOnFields { editField() } else { startRun() }
        case .char("R"): startRun()
        default: break
        }
    }

    private func editField() {
        guard let m = selectedMethod else { return }
        let values = parameters[m.id] ?? m.defaults
        if fieldCursor < m.parameters.count {
            let spec = m.parameters[fieldCursor]
            prompt = Prompt(kind: .parameter(spec.name), title: "\(spec.name) (\(spec.summary)):", text: values.text(spec.name))
        } else {
            let s = Setting.allCases[fieldCursor - m.parameters.count]
            prompt = Prompt(kind: .setting(s), title: "\(s.name):", text: settingText(s))
        }
    }

    func settingText(_ s: Setting) -> String {
        switch s {
        case .validation: formatNumber(experimentOptions.validationFraction, digits: 3)
        case .test: formatNumber(experimentOptions.testFraction, digits: 3)
        case .flip: formatNumber(experimentOptions.flipFraction, digits: 3)
        case .seed: String(experimentOptions.seed)
        }
    }

    private func handleRun(_ key: Key) {
        guard run != nil else { screen = .method; return }
        let page = run!.table.pageSize
        switch key {
        case .up, .char("k"): run!.table.move(-1)
        case .down, .char("j"): run!.table.move(1)
        case .pageUp, .char("b"): run!.table.move(-page)
        case .pageDown: run!.table.move(page)
        case .home, .char("g"): run!.table.moveToTop()
        case .end, .char("G"): run!.table.moveToBottom()
        case .char("s"): run!.table.setSort(run!.table.sort.next, flags: flags)
        case .char("F"): run!.table.setFlaggedOnly(!run!.table.flaggedOnly, flags: flags)
        case .char(" "):
            if let i = run!.table.selected {
                let row = run!.table.sourceRows[i]
                setFlags([row], on: !flags.contains(row))
                run!.table.move(1)
            }
        case .char("u"): unflagAll()
        case .char("f"): prompt = Prompt(kind: .flagLowest, title: "Flag the lowest N% (or '<0' for all below 0):", text: "10")
        case .char("/"): prompt = Prompt(kind: .jump, title: "Jump to data row:", text: "")
        case .char("e"): prompt = Prompt(kind: .export, title: "Export files starting with:", text: defaultExportPrefix)
        case .char("p"):
            run!.frozen.toggle()
            status = (run!.frozen ? "display paused (the run continues); p resumes the display" : "display resumed", .plain)
        case .char("x"):
            if isRunning { cancelRun(); status = ("cancelling…", .warn) }
        case .char("r"): startWhatIf()
        case .enter:
            if run!.table.selected != nil {
                overlay = .detail
                fitReferenceModel()
            }
        case .escape: screen = .method
        default: break
        }
    }

    // MARK: - Prompt

    private func handlePrompt(_ key: Key) {
        guard var p = prompt else { return }
        if case .confirmQuit = p.kind {
            if key == .char("y") || key == .char("Y") { prompt = nil; requestQuit(force: true) }
            else if key == .char("n") || key == .char("N") || key == .escape { prompt = nil }
            return
        }
        if case .unsavedFlags = p.kind {
            switch key {
            case .char("s"), .char("S"):
                prompt = Prompt(kind: .saveFlagsAs, title: "Save the flags to (Tab completes):", text: flagsFallbackPath)
            case .char("r"), .char("R"):
                if retrySavingFlags() { prompt = nil; requestQuit(force: false) } else { p.error = "still not saved"; prompt = p }
            case .char("y"), .char("Y"): prompt = nil; requestQuit(force: false, flagsSettled: true)
            case .char("n"), .char("N"), .escape: prompt = nil
            default: break
            }
            return
        }
        switch key {
        case .escape: prompt = nil; return
        case .backspace, .delete: if !p.text.isEmpty { p.text.removeLast() }
        case .char("\u{15}"): p.text = ""   // Ctrl-U clears the line
        case .char(let c) where !c.isASCII || !(c.asciiValue! < 0x20):
            if p.fresh { p.text = "" }
            p.text.append(c)
        case .tab:
            switch p.kind {
            case .openPath, .saveFlagsAs: p.text = PathCompletion.complete(p.text, in: workingDirectory)
            default: break
            }
        case .enter:
            prompt = nil
            submit(p)
            return
        default: break
        }
        p.fresh = false
        p.error = nil
        prompt = p
    }

    private func submit(_ p: Prompt) {
        var retry = p
        func fail(_ message: String) { retry.error = message; prompt = retry }
        let text = p.text.trimmingCharacters(in: .whitespaces)
        switch p.kind {
        case .openPath:
            guard !text.isEmpty else { return }
            choose(path: text)
        case .jump:
            guard let row = Int(text), row > 0 else { return fail("type a data-row number (1 = first row after the header)") }
            guard run?.table.jump(toSourceRow: row) == true else {
                return fail("row \(row) is not in the table (held out, dropped, filtered, or past the end)")
            }
        case .flagLowest:
            guard let r = run else { return }
            let rows: [Int]
            if text.hasPrefix("<") || text.lowercased().hasPrefix("below") {
                let number = text.drop { !($0.isNumber || $0 == "-" || $0 == ".") }
                guard let t = Double(number) else { return fail("type '<0' or '<' and a number") }
                rows = r.table.below(t)
            } else {
                guard let pct = Double(text.trimmingCharacters(in: CharacterSet(charactersIn: "% "))), pct > 0, pct <= 100 else {
                    return fail("type a percentage in (0, 100], or '<0'")
                }
                rows = r.table.lowest(percent: pct)
            }
            setFlags(rows, on: true) { "flagged \(rows.count) row\(rows.count == 1 ? "" : "s"); \(self.flags.count) flagged in all" }
        case .export:
            guard !text.isEmpty else { return fail("type a file prefix") }
            export(prefix: text)
        case .parameter(let name):
            guard let m = selectedMethod else { return }
            var values = parameters[m.id] ?? m.defaults
            do { try values.set(name, text); parameters[m.id] = values } catch { fail(String(describing: error)) }
        case .setting(let s):
            switch s {
            case .seed:
                guard let v = UInt64(text) else { return fail("the seed is a whole number ≥ 0") }
                experimentOptions.seed = v
            case .validation, .test, .flip:
                guard let v = Double(text), v >= 0, v < 1 || (s == .flip && v <= 1) else {
                    return fail("type a fraction in [0, 1)")
                }
                var o = experimentOptions
                switch s {
                case .validation: o.validationFraction = v
                case .test: o.testFraction = v
                default: o.flipFraction = v
                }
                guard o.validationFraction + o.testFraction < 1 else {
                    return fail("validation and test fractions must add up to less than 1")
                }
                experimentOptions = o
            }
        case .saveFlagsAs:
            guard !text.isEmpty, var session = flagSession else { return fail("type a path") }
            let path = (text as NSString).expandingTildeInPath
            let outcome = session.save(to: path.hasPrefix("/") ? path : (workingDirectory as NSString).appendingPathComponent(path))
            flagSession = session
            if case .failed(let reason) = outcome { return fail(reason) }
            run?.table.flagsChanged(session.flags)
            let beside = FlagStore.path(besideData: session.store.dataPath)
            status = ("flags saved to \(session.store.path); reopening restores them only from \(beside): copy the file there", .good)
            requestQuit(force: false)
        case .confirmQuit, .unsavedFlags: break
        }
    }
}
