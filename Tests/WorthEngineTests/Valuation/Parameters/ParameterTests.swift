import Testing
@testable import WorthEngine

@Suite struct ParameterTests {
    enum Fruit: String, ParameterChoice {
        case apple, pear, plum
        var summary: String { "a \(rawValue)" }
    }

    static let count = Parameter<Int>("count", default: 10, in: 1...100, summary: "how many")
    static let rate = Parameter<Double>("rate", title: "learning rate", default: 0, in: 0...2, summary: "how fast")
    static let fruit = Parameter<Fruit>("fruit", default: .pear, choices: [.pear, .apple], summary: "which fruit")
    static let seed = Parameter<UInt64>("seed", default: 7, summary: "the seed")

    @Test func aDeclarationCarriesNameDefaultRangeAndHelp() {
        let erased = Self.rate.erased
        #expect(erased.name == "rate" && erased.title == "learning rate" && erased.summary == "how fast")
        #expect(erased.kind == .real(0...2) && erased.defaultText == "0")
        #expect(Self.count.erased.title == "count" && Self.count.erased.defaultText == "10")
        #expect(Parameter<Double>("x", default: 1.05, in: 0...2, summary: "").erased.defaultText == "1.05")
        #expect(Parameter<Double>("x", default: 4, in: 0...8, summary: "").erased.defaultText == "4")
        #expect(Self.seed.erased.defaultText == "7" && Self.seed.kind == .natural)
    }

    @Test func choicesAreTheCasesGivenInTheirOrderWithTheirHelp() {
        #expect(Self.fruit.kind == .choice([.init(value: "pear", summary: "a pear"), .init(value: "apple", summary: "a apple")]))
        #expect(Parameter<Fruit>("fruit", default: .plum, summary: "").kind.accepts == "takes one of apple, pear, plum")
        #expect(Self.fruit.value(of: "apple") == .apple)
        #expect(Self.fruit.value(of: "plum") == nil)   // a case, but not one of this parameter's choices
    }

    @Test func textIsAcceptedInTheFormItIsKept() throws {
        #expect(Self.count.erased.kind.accepting(" 007 ") == "7")
        #expect(Self.rate.erased.kind.accepting("0.050") == "0.050")   // reals are kept as typed
        #expect(Self.rate.value(of: "0.050") == 0.05)
        #expect(Self.seed.value(of: "18446744073709551615") == .max)
        for (parameter, text) in [(Self.count.erased, "0"), (Self.count.erased, "1.5"), (Self.count.erased, "ten"),
                                  (Self.rate.erased, "2.5"), (Self.rate.erased, "nan"), (Self.rate.erased, "inf"),
                                  (Self.seed.erased, "-1"), (Self.fruit.erased, "kiwi")] {
            let error = #expect(throws: InputError.self) { try parameter.validate(text) }
            #expect(error?.reason == .invalidValue(parameter: parameter.name, accepted: parameter.kind, given: text))
        }
        #expect(try Self.count.parse("12") == 12)
        #expect(throws: InputError.self) { try Self.count.parse("101") }
    }

    @Test func valuesAreSetByNameOrDeclarationAndReadTyped() throws {
        var values = ParameterValues([Self.count, Self.rate, Self.fruit])
        #expect(values[Self.count] == 10 && values[Self.rate] == 0 && values[Self.fruit] == .pear)
        try values.set("count", "42")
        try values.set(Self.fruit, to: .apple)
        try values.set("rate", "1.50")
        #expect(values[Self.count] == 42 && values[Self.fruit] == .apple && values[Self.rate] == 1.5)
        #expect(values.all.map(\.name) == ["count", "rate", "fruit"])
        #expect(values.all.map(\.value) == ["42", "1.50", "apple"])
        #expect(values.isSet("count") && !ParameterValues([Self.count]).isSet("count"))
        let unknown = #expect(throws: InputError.self) { try values.set("colour", "red") }
        #expect(unknown?.reason == .unknownParameter("colour"))
        #expect(throws: InputError.self) { try values.set(Self.count, to: 0) }
        #expect(values[Self.count] == 42)   // a refused value leaves the old one
    }

    @Test func everyMethodDeclaresDistinctParametersWhoseDefaultsAreAcceptedAndBuild() throws {
        for method in MethodCatalog.all {
            let names = method.parameters.map(\.name)
            #expect(Set(names).count == names.count, "\(method.id) declares a name twice")
            for p in method.parameters {
                #expect(p.kind.accepting(p.defaultText) == p.defaultText, "\(method.id) --\(p.name)")
                #expect(!p.summary.isEmpty)
            }
            _ = try method.make(method.defaults)
        }
    }
}
