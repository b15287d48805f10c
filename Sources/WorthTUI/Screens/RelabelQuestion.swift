/// The question `l` asks, on the Run screen and in a row's details: the row's new label, its
/// suggested label proposed (the class a model that did not see the row finds most probable),
/// any class picked by its number in the listed classes or by name, 0 for its own label again.
enum RelabelQuestion {
    /// The question for the row under the ranked table's cursor, or nil (with a notice) when
    /// there is none.
    static func ask(_ session: inout Session) -> Navigation? {
        guard let r = session.run, let i = r.table.selected else { return nil }
        let row = r.table.sourceRows[i], names = r.experiment.classNames
        let own = session.originalLabel(row) ?? names[r.experiment.originalLabels[i]]
        let now = session.marks.relabels[row] ?? own
        let suggested = r.predicted(i).map { names[$0] }
        let list = names.enumerated().map { "\($0 + 1) \($1)" }.joined(separator: "  ")
        var title = "Relabel row \(row) (\(now)" + (now == own ? "" : ", was \(own)") + ") as"
        title += suggested == nil ? " (suggested label still being fitted)" : " (suggested: \(suggested!))"
        title += list.count <= 60 ? ": \(list), 0 its own:" : ": a class or its number 1–\(names.count), 0 its own:"
        return .ask(.typed(.relabel(row: row), title, text: suggested ?? ""))
    }

    /// Applies the answer to `prompt` (a `.relabel` question); asks again when it names no class.
    static func answer(_ prompt: Prompt, _ session: inout Session) -> Navigation? {
        guard case .relabel(let row) = prompt.purpose, let names = session.file?.loaded.dataset.classNames else { return nil }
        let text = prompt.text.trimmingCharacters(in: .whitespaces)
        let own = session.originalLabel(row)
        let label: String?
        if text == "0" {
            label = nil
        } else if let k = Int(text), names.indices.contains(k - 1) {
            label = names[k - 1]
        } else if let name = names.first(where: { $0 == text }) ?? names.first(where: { $0.lowercased() == text.lowercased() }) {
            label = name
        } else {
            return .ask(prompt.refused("not a class: type one of the listed names or numbers"))
        }
        let new = label == own ? nil : label
        guard new != session.marks.relabels[row] else {
            session.say("row \(row) already has the label \(label ?? own ?? "?")", .plain)
            return nil
        }
        session.relabel(row, to: new)
        return nil
    }
}
