import WorthEngine

/// The Method screen: the methods on the left; on the right the chosen one's description, its
/// parameters and the experiment settings, editable (→ goes there). Every description is shown
/// whole: beside its field when there is room, else the focused field's below the list. Enter
/// (or R) runs the method beside the runs there are (none is discarded).
struct MethodScreen: Screen {
    let methods: [MethodDescriptor]
    private(set) var choices: MethodChoices
    private(set) var methodCursor = 0
    private(set) var fieldCursor = 0
    private(set) var focusOnFields = false
    /// The first line of the field list on screen.
    private var scroll = 0

    init(methods: [MethodDescriptor], workers: Int) {
        self.methods = methods
        choices = MethodChoices(methods: methods, workers: workers)
    }

    var scope: KeyScope { focusOnFields ? .parameters : .methods }
    var helpScopes: [KeyScope] { focusOnFields ? [.parameters, .methods] : [.methods, .parameters] }

    var selected: MethodDescriptor? { methods.indices.contains(methodCursor) ? methods[methodCursor] : nil }

    /// The editable rows under the chosen method: its parameters, then the experiment settings.
    private var fieldCount: Int { (selected?.parameters.count ?? 0) + ExperimentSetting.allCases.count }

    mutating func perform(_ action: Action, _ session: inout Session) -> Navigation? {
        let last = focusOnFields ? fieldCount - 1 : max(0, methods.count - 1)
        func move(_ to: Int) {
            if focusOnFields { fieldCursor = min(last, max(0, to)) } else { methodCursor = min(last, max(0, to)); scroll = 0 }
        }
        let current = focusOnFields ? fieldCursor : methodCursor
        switch action {
        case .up: move(current - 1)
        case .down: move(current + 1)
        case .first: move(0)
        case .last: move(last)
        case .right: if selected != nil { focusOnFields = true; fieldCursor = min(fieldCursor, fieldCount - 1) }
        case .back: if focusOnFields { focusOnFields = false } else { return .show(.dataset) }
        case .edit: return edit()
        case .run:
            guard selected != nil, session.file != nil else { return nil }
            return start(&session)
        default: break
        }
        return nil
    }

    private func edit() -> Navigation? {
        guard let m = selected else { return nil }
        if fieldCursor < m.parameters.count {
            let spec = m.parameters[fieldCursor]
            return .ask(.typed(.parameter(spec.name), "\(spec.name):", text: choices.values(of: m).text(spec.name)))
        }
        let s = ExperimentSetting.allCases[fieldCursor - m.parameters.count]
        return .ask(.typed(.setting(s), "\(s.name):", text: choices.text(of: s)))
    }

    private func start(_ session: inout Session) -> Navigation? {
        guard let m = selected else { return nil }
        do {
            try session.startRun(m, choices: choices)
            return .show(.run)
        } catch {
            session.say(EngineMessages.describe(error), .error)
            return nil
        }
    }

    mutating func answer(_ prompt: Prompt, _ session: inout Session) -> Navigation? {
        guard let m = selected else { return nil }
        switch prompt.purpose {
        case .parameter(let name):
            do { try choices.set(name, to: prompt.text.trimmingCharacters(in: .whitespaces), of: m) } catch {
                return .ask(prompt.refused(EngineMessages.describe(error)))
            }
        case .setting(let s):
            if let why = choices.set(s, to: prompt.text.trimmingCharacters(in: .whitespaces)) { return .ask(prompt.refused(why)) }
        default: break
        }
        return nil
    }

    mutating func layout(_ rect: Rect, _ session: inout Session) {
        let l = MethodLayout(rect: rect, screen: self, session: session)
        guard focusOnFields, let focused = l.lines.firstIndex(where: { $0.field == fieldCursor }) else { scroll = 0; return }
        let height = l.lines.lastIndex(where: { $0.field == fieldCursor })! - focused + 1
        if focused < scroll { scroll = focused }
        if focused + height > scroll + l.list.height { scroll = focused + height - l.list.height }
        scroll = max(0, min(scroll, l.lines.count - l.list.height))
    }

    func draw(_ grid: inout Grid, _ rect: Rect, _ session: Session) {
        let l = MethodLayout(rect: rect, screen: self, session: session)
        grid.box(l.methods, title: "Methods", focusOnFields ? .dim : Style(.cyan))
        let inner = l.methods.inset(1)
        if methods.isEmpty { grid.text("no methods in this build", x: inner.x + 1, y: inner.y, .dim) }
        for (i, m) in methods.enumerated() where i < inner.height {
            grid.text(m.title, x: inner.x + 1, y: inner.y + i, .bold, maxWidth: inner.width - 2)
            if i == methodCursor {
                grid.restyle(Rect(x: inner.x, y: inner.y + i, width: inner.width, height: 1), focusOnFields ? Style(.cyan, .bold) : .selected)
            }
        }
        guard let m = selected else { return }
        grid.box(l.detail, title: m.title, focusOnFields ? Style(.cyan) : .dim)
        var y = l.text.y
        for (line, style) in l.intro { grid.text(line, x: l.text.x, y: y, style); y += 1 }
        for (k, line) in l.lines.dropFirst(scroll).prefix(l.list.height).enumerated() {
            let y = l.list.y + k
            line.draw(&grid, x: l.list.x, y: y, l)
            if focusOnFields, line.field == fieldCursor, line.first {
                grid.restyle(Rect(x: l.list.x, y: y, width: l.nameWidth + l.valueWidth + 1, height: 1), .selected)
            }
        }
        if scroll > 0 { grid.put(grid.glyphs.up, x: l.list.maxX - 1, y: l.list.y, .dim) }
        if scroll + l.list.height < l.lines.count { grid.put(grid.glyphs.down, x: l.list.maxX - 1, y: l.list.maxY - 1, .dim) }
        for (k, (line, style)) in l.footer.enumerated() { grid.text(line, x: l.text.x, y: l.list.maxY + k, style) }
    }
}
