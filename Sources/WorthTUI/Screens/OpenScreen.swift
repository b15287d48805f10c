import Foundation

/// The Open screen: the bundled samples and the CSV files of the working directory, or a path
/// typed with Tab completion. The open file is marked and the cursor starts on it; a bundled
/// sample is opened from a copy in the working directory, so its flags and exports go there.
struct OpenScreen: Screen {
    /// Lists the files offered (called again after a sample is copied).
    let discover: @Sendable () -> [FileEntry]
    private(set) var entries: [FileEntry]
    private(set) var cursor = 0
    /// Why the last file could not be read.
    private(set) var error: String?
    private var page = 10

    init(discover: @escaping @Sendable () -> [FileEntry]) {
        self.discover = discover
        entries = discover()
    }

    var scope: KeyScope { .open }

    /// Puts the cursor on the file chosen last (the one whose load was stopped, or the open one).
    mutating func appear(_ session: inout Session) {
        guard let path = session.preview?.path ?? session.file?.path else { return }
        let chosen = FileEntry.identity(of: path)
        if let i = entries.firstIndex(where: { $0.identity == chosen }) {
            cursor = i
        } else {
            let isOpen = session.file.map { FileEntry.identity(of: $0.path) == chosen } ?? false
            entries.insert(FileEntry(name: path, path: path, note: isOpen ? "open now" : "chosen"), at: 0)
            cursor = 0
        }
    }

    mutating func perform(_ action: Action, _ session: inout Session) -> Navigation? {
        let last = max(0, entries.count - 1)
        switch action {
        case .up: cursor = max(0, cursor - 1)
        case .down: cursor = min(last, cursor + 1)
        case .pageUp: cursor = max(0, cursor - page)
        case .pageDown: cursor = min(last, cursor + page)
        case .first: cursor = 0
        case .last: cursor = last
        case .typePath: return .ask(.typed(.openPath, "Open file (Tab completes):"))
        case .back: return session.file == nil ? nil : .show(.dataset)
        case .activate:
            guard entries.indices.contains(cursor) else { return nil }
            return open(entries[cursor], &session)
        default: break
        }
        return nil
    }

    mutating func answer(_ prompt: Prompt, _ session: inout Session) -> Navigation? {
        let path = prompt.text.trimmingCharacters(in: .whitespaces)
        return path.isEmpty ? nil : choose(path, &session)
    }

    /// Opens `entry`: a bundled sample from a copy in the working directory; the open file
    /// again shows its data instead of being read anew.
    private mutating func open(_ entry: FileEntry, _ session: inout Session) -> Navigation? {
        var path = entry.path, note: (String, Style)?
        if entry.bundled {
            do {
                let copy = try FileEntry.copyOfSample(entry.path, into: session.workingDirectory)
                path = copy.path
                note = copy.note.map { ($0, .good) }
                entries = discover()
                cursor = entries.firstIndex { $0.identity == FileEntry.identity(of: path) } ?? cursor
            } catch {
                note = ("the working directory is not writable: flags and exports of this sample go to "
                        + URL(fileURLWithPath: entry.path).deletingLastPathComponent().path, .warn)
            }
        }
        if let f = session.file, FileEntry.identity(of: f.path) == FileEntry.identity(of: path) {
            session.say("\(URL(fileURLWithPath: path).lastPathComponent) is open: its Dataset screen", .plain)
            return .show(.dataset)
        }
        let next = choose(path, &session)
        if let note { session.say(note.0, note.1) }
        return next
    }

    /// Reads `path` for the label picker, or shows why it cannot be read.
    private mutating func choose(_ path: String, _ session: inout Session) -> Navigation? {
        do {
            try session.preview(path)
            error = nil
            return .show(.label)
        } catch {
            self.error = EngineMessages.describe(error)
            return nil
        }
    }

    mutating func layout(_ rect: Rect, _ session: inout Session) {
        page = max(1, filesBox(rect).height - 2)
    }

    private func filesBox(_ rect: Rect) -> Rect {
        rect.splitTop(2 + (error == nil ? 0 : 4)).1
    }

    func draw(_ grid: inout Grid, _ rect: Rect, _ session: Session) {
        grid.paragraph("Open a CSV file: a bundled sample, a file of this directory, or press o to type a path.",
                       in: Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: 2))
        if let error {
            let box = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: 4)
            grid.box(box, title: "Could not open", Style(.red))
            grid.paragraph(error, in: Rect(x: box.x + 2, y: box.y + 1, width: box.width - 4, height: 2), .error)
        }
        let box = filesBox(rect)
        grid.box(box, title: "Files")
        let inner = box.inset(1)
        guard !entries.isEmpty else {
            grid.paragraph("No CSV files here and no bundled samples found; press o to type a path.",
                           in: Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: 2), .dim)
            return
        }
        let open = session.file.map { FileEntry.identity(of: $0.path) }
        let nameWidth = min(inner.width / 2, max(12, entries.map(\.name.count).max() ?? 0))
        let first = max(0, min(cursor - inner.height / 2, entries.count - inner.height))
        for (row, i) in (first..<min(entries.count, first + inner.height)).enumerated() {
            let e = entries[i], y = inner.y + row
            let isOpen = e.identity == open
            grid.text(isOpen ? "▸" : " ", x: inner.x, y: y, .key)
            grid.text(e.name, x: inner.x + 2, y: y, .bold, maxWidth: nameWidth)
            grid.text(isOpen ? "open now" : e.note, x: inner.x + 4 + nameWidth, y: y, isOpen ? .key : .dim,
                      maxWidth: inner.width - nameWidth - 5)
            if i == cursor { grid.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1), .selected) }
        }
    }
}
