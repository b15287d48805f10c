import Foundation

/// A tunable parameter of a method: its flag name, what it does, its range and default.
///
/// The command line turns each into a `--name VALUE` flag and the terminal UI into an editable
/// field, so a method added to the catalog appears in both without other changes.
public struct ParameterSpec: Sendable {
    /// The kind and range of values accepted.
    public enum Kind: Sendable {
        case integer(ClosedRange<Int>)
        case real(ClosedRange<Double>)
        case choice([String])
    }

    /// Flag name without dashes, kebab-case (`trees`, `k`, `max-seconds`).
    public var name: String
    /// One line: what it changes, with units.
    public var summary: String
    public var kind: Kind
    /// The default, as the user would type it.
    public var defaultValue: String

    public init(name: String, summary: String, kind: Kind, defaultValue: String) {
        self.name = name
        self.summary = summary
        self.kind = kind
        self.defaultValue = defaultValue
    }

    /// Checks `text` against the kind and range; returns it normalised, or throws an error
    /// naming the flag.
    public func validate(_ text: String) throws -> String {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .integer(let range):
            guard let v = Int(t), range.contains(v) else {
                throw InputError("--\(name) takes a whole number in \(range.lowerBound)...\(range.upperBound), not '\(text)'")
            }
            return String(v)
        case .real(let range):
            guard let v = Double(t), v.isFinite, range.contains(v) else {
                throw InputError("--\(name) takes a number in \(range.lowerBound)...\(range.upperBound), not '\(text)'")
            }
            return t
        case .choice(let options):
            guard options.contains(t) else {
                throw InputError("--\(name) takes one of \(options.joined(separator: ", ")), not '\(text)'")
            }
            return t
        }
    }
}

/// Parameter values by name; a name not set falls back to its spec's default.
public struct ParameterValues: Sendable {
    public private(set) var specs: [ParameterSpec]
    private var values: [String: String] = [:]

    /// Defaults for `specs`.
    public init(specs: [ParameterSpec]) {
        self.specs = specs
    }

    /// Sets `name` after validating `text`; throws for an unknown name or a bad value.
    public mutating func set(_ name: String, _ text: String) throws {
        guard let spec = specs.first(where: { $0.name == name }) else {
            throw InputError("unknown parameter --\(name)")
        }
        values[name] = try spec.validate(text)
    }

    /// The value of `name` as text (the default when not set).
    public func text(_ name: String) -> String {
        if let v = values[name] { return v }
        guard let spec = specs.first(where: { $0.name == name }) else {
            preconditionFailure("no parameter named \(name)")
        }
        return spec.defaultValue
    }

    /// The value of an integer parameter.
    public func integer(_ name: String) -> Int { Int(text(name)) ?? 0 }
    /// The value of a real parameter.
    public func real(_ name: String) -> Double { Double(text(name)) ?? 0 }

    /// All parameters with their values, in spec order (for result files and the UI).
    public var all: [(name: String, value: String)] { specs.map { ($0.name, text($0.name)) } }
}

/// A valuation method as the command line and the UI see it.
public struct MethodDescriptor: Sendable, Identifiable {
    /// The name used on the command line (`data-oob`).
    public var id: String
    /// The name shown to people (`Data-OOB`).
    public var title: String
    /// One line: what the method does and when to use it.
    public var summary: String
    /// Whether it scores models on a validation set (Data-OOB and self-influence do not).
    public var needsValidation: Bool
    /// Its tunable parameters.
    public var parameters: [ParameterSpec]
    /// Makes the valuator for the given parameters.
    public var make: @Sendable (ParameterValues) throws -> any Valuator

    public init(id: String, title: String, summary: String, needsValidation: Bool,
                parameters: [ParameterSpec], make: @escaping @Sendable (ParameterValues) throws -> any Valuator) {
        self.id = id
        self.title = title
        self.summary = summary
        self.needsValidation = needsValidation
        self.parameters = parameters
        self.make = make
    }

    /// The validation fraction to split off when the user does not choose one: 0.2 for methods
    /// that score on validation rows, 0 for the others, which then value every row.
    public var defaultValidationFraction: Double { needsValidation ? 0.2 : 0 }

    /// Default values for this method's parameters.
    public var defaults: ParameterValues { ParameterValues(specs: parameters) }
}

/// Every method worth offers, in the order menus list them.
public enum MethodCatalog {
    /// All methods.
    public static let all: [MethodDescriptor] = [
        // Each method file defines its descriptor; list it here to offer it everywhere.
        DataOOB.descriptor,
        KNNShapley.descriptor,
        LeaveOneOut.descriptor,
        InfluenceFunction.descriptor,
        InfluenceFunction.selfInfluenceDescriptor,
        SemivalueMethod.tmcShapley.descriptor,
        SemivalueMethod.betaShapley.descriptor,
        SemivalueMethod.banzhaf.descriptor,
        DVRL.descriptor,
    ]

    /// The method with command-line name `id`.
    public static func method(_ id: String) -> MethodDescriptor? {
        all.first { $0.id == id }
    }
}
