import WorthEngine

/// A command's `--format` choice: the formats it writes, the option and the default.
protocol FormatChoice: RawRepresentable<String>, CaseIterable {
    /// The option that chooses it.
    static var option: OptionSpec { get }
    /// The format when `--format` is absent.
    static var fallback: Self { get }
}

extension FormatChoice {
    /// The format `--format` names in `arguments`, `fallback` when it is absent.
    init(_ arguments: ArgumentList) throws {
        guard let text = arguments.value(Self.option.name) else { self = Self.fallback; return }
        guard let format = Self(rawValue: text) else {
            throw InputError("--format takes \(Self.allCases.map(\.rawValue).joined(separator: " or ")), not '\(text)'")
        }
        self = format
    }
}

/// How a command writes its per-row values (`--format csv|json`).
enum OutputFormat: String, FormatChoice {
    case csv
    case json

    static let option = OptionSpec(name: "format", valueName: "csv|json", help: "output format of the values (default csv)")
    static let fallback = OutputFormat.csv
}
