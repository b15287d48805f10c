import WorthEngine

/// A flag a command accepts.
struct OptionSpec {
    /// Name without dashes (`seed`).
    var name: String
    /// Placeholder of its value in help (`N`), or nil for a switch that takes no value.
    var valueName: String?
    /// One line of help.
    var help: String
    /// Whether the flag may be given several times (values are collected in order).
    var repeatable = false
}

/// Command-line words split into positionals and flags, checked against the flags a command
/// accepts. `--name value` and `--name=value` are both understood (a value that starts with
/// `--` only in the second form, so a forgotten value is an error); `--` ends the flags.
struct ArgumentList {
    private(set) var positionals: [String] = []
    private var values: [String: [String]] = [:]
    private var switches: Set<String> = []

    init(_ words: [String], accepting specs: [OptionSpec]) throws {
        var i = 0
        var onlyPositionals = false
        while i < words.count {
            let word = words[i]
            i += 1
            guard !onlyPositionals, word.hasPrefix("-"), word != "-" else {
                positionals.append(word)
                continue
            }
            if word == "--" { onlyPositionals = true; continue }
            if word == "-h" { switches.insert("help"); continue }
            guard word.hasPrefix("--") else {
                throw InputError("unknown option '\(word)' (options are spelled --name; see --help)")
            }
            var name = String(word.dropFirst(2))
            var inlineValue: String?
            if let eq = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let spec = specs.first(where: { $0.name == name }) else {
                let near = specs.map(\.name).filter { editDistance($0, name) <= 2 }
                let hint = near.isEmpty ? "see --help" : "did you mean --\(near[0])?"
                throw InputError("unknown option '--\(name)' (\(hint))")
            }
            if spec.valueName == nil {
                if inlineValue != nil { throw InputError("--\(name) takes no value") }
                switches.insert(name)
                continue
            }
            let value: String
            if let inlineValue {
                value = inlineValue
            } else {
                guard i < words.count else { throw InputError("--\(name) needs a value (\(spec.valueName!))") }
                // `--out --quiet` is a forgotten value, not a file called `--quiet`.
                guard !words[i].hasPrefix("--") else {
                    throw InputError("--\(name) needs a value (\(spec.valueName!)) before \(words[i]) (write --\(name)=VALUE for a value that starts with --)")
                }
                value = words[i]
                i += 1
            }
            if values[name] != nil && !spec.repeatable { throw InputError("--\(name) is given twice") }
            values[name, default: []].append(value)
        }
    }

    /// The value of flag `name`, if given.
    func value(_ name: String) -> String? { values[name]?.last }
    /// Every value of a repeatable flag.
    func allValues(_ name: String) -> [String] { values[name] ?? [] }
    /// Whether switch `name` was given.
    func has(_ name: String) -> Bool { switches.contains(name) }
    /// Whether flag `name` was given at all.
    func isSet(_ name: String) -> Bool { values[name] != nil || switches.contains(name) }
    /// Names of the value flags that were given.
    var givenValueNames: [String] { Array(values.keys) }

    /// The value of `name` as an integer in `range`, or `fallback` when absent.
    func integer(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let text = value(name) else { return fallback }
        guard let v = Int(text), range.contains(v) else {
            throw InputError("--\(name) takes a whole number in \(range.lowerBound)...\(range.upperBound), not '\(text)'")
        }
        return v
    }

    /// The value of `name` as a number in `range`, or `fallback` when absent.
    func real(_ name: String, in range: ClosedRange<Double>, default fallback: Double) throws -> Double {
        guard let text = value(name) else { return fallback }
        guard let v = Double(text), range.contains(v) else {
            throw InputError("--\(name) takes a number in \(range.lowerBound)...\(range.upperBound), not '\(text)'")
        }
        return v
    }
}

/// Levenshtein distance, for "did you mean" hints on mistyped flags.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    var current = previous
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
