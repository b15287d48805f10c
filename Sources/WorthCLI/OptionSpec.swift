import WorthEngine

/// A flag a command accepts, as its help lists it.
struct OptionSpec: Equatable {
    /// Name without dashes (`seed`).
    var name: String
    /// Placeholder of its value in help (`N`), or nil for a switch that takes no value.
    var valueName: String?
    /// One line of help.
    var help: String

    init(name: String, valueName: String?, help: String) {
        self.name = name
        self.valueName = valueName
        self.help = help
    }

    /// The flag of an engine parameter: named as declared, its value shown as its kind
    /// (`N`, `X`, `tree|logistic`).
    init(_ parameter: AnyParameter, help: String) {
        self.init(name: parameter.name, valueName: Self.valueName(parameter.kind), help: help)
    }

    /// The placeholder of a value of `kind` in help.
    static func valueName(_ kind: ParameterKind) -> String {
        switch kind {
        case .integer: "N"
        case .real: "X"
        case .natural: "S"
        case .choice(let options): options.map(\.value).joined(separator: "|")
        }
    }
}
