import Foundation

/// A tunable setting, declared once with everything a front end needs: its name, what it
/// does, the values it accepts and its default.
///
/// As swift-argument-parser's `@Option` carries its name, help and default in one place, a
/// `Parameter` is the single declaration that the engine reads (typed, through
/// `ParameterValues`), the command line turns into a `--name VALUE` flag and the workbench
/// into an editable field:
///
///     static let trees = Parameter<Int>("trees", default: 1000, in: 1...100_000,
///                                       summary: "bootstrap models (trees) to train")
///     …
///     DataOOB(trees: values[DataOOB.trees])
///
/// Values are kept as the text that was accepted (so results record `0.050` as typed), and
/// read back as `Value`.
public struct Parameter<Value: Sendable>: ParameterDeclaration {
    /// The name without dashes, kebab-case (`trees`, `max-seconds`): the command line's flag
    /// and the key values are kept under.
    public let name: String
    /// The name shown to people where it differs from `name` (`validation fraction`).
    public let title: String
    /// One line: what it changes, with units.
    public let summary: String
    /// The value when none is given.
    public let defaultValue: Value
    /// What it accepts.
    public let kind: ParameterKind
    private let decode: @Sendable (String) -> Value?
    private let encode: @Sendable (Value) -> String

    private init(name: String, title: String?, summary: String, defaultValue: Value, kind: ParameterKind,
                 decode: @escaping @Sendable (String) -> Value?, encode: @escaping @Sendable (Value) -> String) {
        self.name = name
        self.title = title ?? name
        self.summary = summary
        self.defaultValue = defaultValue
        self.kind = kind
        self.decode = decode
        self.encode = encode
        precondition(kind.accepting(encode(defaultValue)) != nil, "the default of \(name) is not one of its values")
    }

    /// The text `value` is written as (`1000`, `0.01`, `logistic`).
    public func text(of value: Value) -> String { encode(value) }

    /// The value of accepted text; nil for text `kind` does not accept.
    public func value(of text: String) -> Value? { kind.accepting(text).flatMap(decode) }

    /// The value `text` stands for (surrounding spaces ignored); throws an `InputError`
    /// (`.invalidValue`) when `kind` does not accept it.
    public func parse(_ text: String) throws -> Value {
        guard let value = value(of: text) else {
            throw InputError(.invalidValue(parameter: name, accepted: kind, given: text))
        }
        return value
    }

    public var erased: AnyParameter {
        AnyParameter(name: name, title: title, summary: summary, kind: kind, defaultText: encode(defaultValue))
    }
}

extension Parameter where Value == Int {
    /// A whole number in `range`.
    public init(_ name: String, title: String? = nil, default value: Int, in range: ClosedRange<Int>, summary: String) {
        self.init(name: name, title: title, summary: summary, defaultValue: value, kind: .integer(range),
                  decode: { Int($0) }, encode: { String($0) })
    }
}

extension Parameter where Value == Double {
    /// A finite number in `range`.
    public init(_ name: String, title: String? = nil, default value: Double, in range: ClosedRange<Double>, summary: String) {
        self.init(name: name, title: title, summary: summary, defaultValue: value, kind: .real(range),
                  decode: { Double($0) }, encode: ParameterKind.text(of:))
    }
}

extension Parameter where Value == UInt64 {
    /// Any whole number from 0 to 2⁶⁴ − 1 (a seed).
    public init(_ name: String, title: String? = nil, default value: UInt64, summary: String) {
        self.init(name: name, title: title, summary: summary, defaultValue: value, kind: .natural,
                  decode: { UInt64($0) }, encode: { String($0) })
    }
}

extension Parameter where Value: ParameterChoice {
    /// One of `choices` (by default every case, in declaration order), written as its raw value.
    public init(_ name: String, title: String? = nil, default value: Value, choices: [Value] = Array(Value.allCases),
                summary: String) {
        self.init(name: name, title: title, summary: summary, defaultValue: value,
                  kind: .choice(choices.map { ParameterKind.Option(value: $0.rawValue, summary: $0.summary) }),
                  decode: { Value(rawValue: $0) }, encode: { $0.rawValue })
    }
}

/// A closed set of values a parameter can take, such as a model or a score: its cases are the
/// accepted values (as their raw values) and each says what it means.
public protocol ParameterChoice: CaseIterable, RawRepresentable, Sendable where RawValue == String {
    /// One line: what choosing this case does.
    var summary: String { get }
}

/// What a parameter accepts, as front ends show and check it.
public enum ParameterKind: Sendable, Equatable {
    /// A whole number in the range.
    case integer(ClosedRange<Int>)
    /// A finite number in the range.
    case real(ClosedRange<Double>)
    /// A whole number from 0 to 2⁶⁴ − 1.
    case natural
    /// One of the options, in the order front ends list them.
    case choice([Option])

    /// An accepted value of a choice and what it means.
    public struct Option: Sendable, Equatable {
        /// The value as it is typed (`logistic`).
        public var value: String
        /// One line: what choosing it does.
        public var summary: String
    }

    /// `text`, surrounding spaces ignored, in the form it is kept (a whole number without
    /// leading zeros; a real number as typed), or nil when it is not accepted.
    public func accepting(_ text: String) -> String? {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch self {
        case .integer(let range):
            guard let v = Int(t), range.contains(v) else { return nil }
            return String(v)
        case .real(let range):
            guard let v = Double(t), v.isFinite, range.contains(v) else { return nil }
            return t
        case .natural:
            return UInt64(t).map { String($0) }
        case .choice(let options):
            return options.contains { $0.value == t } ? t : nil
        }
    }

    /// A real number as a person writes it: `0` and `4` rather than `0.0` and `4.0`.
    static func text(of value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// Anything that declares a parameter; lets a method list parameters of different value types.
public protocol ParameterDeclaration: Sendable {
    /// The declaration without its value type, as front ends list and edit it.
    var erased: AnyParameter { get }
}

/// A parameter without its value type: what the command line (flags, help) and the
/// workbench's Method screen list, show and edit by name, as text.
public struct AnyParameter: ParameterDeclaration {
    /// The name without dashes (`trees`).
    public let name: String
    /// The name shown to people.
    public let title: String
    /// One line: what it changes, with units.
    public let summary: String
    /// What it accepts.
    public let kind: ParameterKind
    /// The default, as the user would type it.
    public let defaultText: String

    public var erased: AnyParameter { self }

    /// `text` in the form it is kept, or an `InputError` (`.invalidValue`) when `kind` does not
    /// accept it.
    public func validate(_ text: String) throws -> String {
        guard let accepted = kind.accepting(text) else {
            throw InputError(.invalidValue(parameter: name, accepted: kind, given: text))
        }
        return accepted
    }
}
