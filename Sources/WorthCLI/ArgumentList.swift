import WorthEngine

/// Command-line words split into positionals and flags, checked against the flags a command
/// accepts. `--name value` and `--name=value` are both understood (a value that starts with
/// `--` only in the second form, so a forgotten value is an error); `--` ends the flags.
struct ArgumentList {
    private(set) var positionals: [String] = []
    private var values: [String: String] = [:]
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
            if values[name] != nil { throw InputError("--\(name) is given twice") }
            values[name] = value
        }
    }

    /// The value of flag `name`, if given.
    func value(_ name: String) -> String? { values[name] }
    /// Whether switch `name` was given.
    func has(_ name: String) -> Bool { switches.contains(name) }
    /// Whether flag `name` was given at all.
    func isSet(_ name: String) -> Bool { values[name] != nil || switches.contains(name) }
    /// Names of the value flags that were given.
    var givenValueNames: [String] { Array(values.keys) }

    /// The value of the flag of engine parameter `parameter`, checked by its declaration; nil
    /// when the flag is absent. Throws the declaration's `InputError` (`.invalidValue`).
    func value<Value>(_ parameter: Parameter<Value>) throws -> Value? {
        try value(parameter.name).map(parameter.parse)
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
