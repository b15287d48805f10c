import WorthEngine

/// How a command writes its per-row values (`--format csv|json`).
enum OutputFormat: String, CaseIterable {
    case csv
    case json

    /// The option that chooses it.
    static let option = OptionSpec(name: "format", valueName: "csv|json", help: "output format of the values (default csv)")

    /// The format `--format` names in `arguments`, CSV when it is absent.
    init(_ arguments: ArgumentList) throws {
        guard let text = arguments.value(Self.option.name) else { self = .csv; return }
        guard let format = OutputFormat(rawValue: text) else {
            throw InputError("--format takes \(Self.allCases.map(\.rawValue).joined(separator: " or ")), not '\(text)'")
        }
        self = format
    }
}
