/// The values of a list of parameters (a method's, or the experiment settings): set by name as
/// text (a flag, a field being edited) or by declaration, read typed by declaration. A
/// parameter not set has its default.
public struct ParameterValues: Sendable {
    /// The parameters, in the order front ends list them.
    public let parameters: [AnyParameter]
    private var texts: [String: String] = [:]

    /// Every parameter of `parameters` at its default.
    public init(_ parameters: [any ParameterDeclaration]) {
        self.parameters = parameters.map(\.erased)
    }

    /// Sets parameter `name` from `text` after checking it against the declaration; throws
    /// an `InputError` for an unknown name (`.unknownParameter`) or a value it does not
    /// accept (`.invalidValue`).
    public mutating func set(_ name: String, _ text: String) throws {
        guard let parameter = parameters.first(where: { $0.name == name }) else {
            throw InputError(.unknownParameter(name))
        }
        texts[name] = try parameter.validate(text)
    }

    /// Sets `parameter` to `value`; throws as `set(_:_:)` when the value is out of its range.
    public mutating func set<Value>(_ parameter: Parameter<Value>, to value: Value) throws {
        try set(parameter.name, parameter.text(of: value))
    }

    /// The value of `name` as text: as set, else its default.
    public func text(_ name: String) -> String {
        if let text = texts[name] { return text }
        guard let parameter = parameters.first(where: { $0.name == name }) else {
            preconditionFailure("no parameter named \(name)")
        }
        return parameter.defaultText
    }

    /// The value of `parameter`, which must be one of `parameters`.
    public subscript<Value>(_ parameter: Parameter<Value>) -> Value {
        guard let value = parameter.value(of: text(parameter.name)) else {
            preconditionFailure("\(parameter.name) holds '\(text(parameter.name))', not a value of its declaration")
        }
        return value
    }

    /// Whether `name` was set (it may still equal its default).
    public func isSet(_ name: String) -> Bool { texts[name] != nil }

    /// Every parameter with its value as text, in order (for result files and the UI).
    public var all: [(name: String, value: String)] { parameters.map { ($0.name, text($0.name)) } }
}
