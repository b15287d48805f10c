import Testing
import WorthEngine
@testable import WorthCLI

@Suite struct HelpTests {
    /// The flags a help text lists in its Options section, in order.
    func listedFlags(_ help: String) -> [String] {
        let section = help.components(separatedBy: "Options:\n")[1].components(separatedBy: "\n\n")[0]
        return section.split(separator: "\n").compactMap { line in
            line.hasPrefix("  --") ? String(line.split(separator: " ")[0]) : nil
        }
    }

    @Test func eachCommandListsTheFlagsItAcceptsInOrder() {
        #expect(listedFlags(ValueCommand.help) == ValuationOptions.specs(.value).map { "--" + $0.name } + ["--explain", "--save-run"])
        #expect(listedFlags(EvalCommand.help) == ValuationOptions.specs(.eval).map { "--" + $0.name })
        #expect(listedFlags(MergeCommand.help) == ["--out", "--format", "--state-out", "--quiet", "--help"])
        #expect(listedFlags(EvalCommand.help) == ["--method", "--label", "--seed", "--valid", "--test", "--valid-fraction",
                                                  "--test-fraction", "--flip", "--missing", "--workers", "--out", "--format",
                                                  "--quiet", "--help"])
        #expect(!listedFlags(EvalCommand.help).contains("--shard"))
    }

    @Test func everyMethodParameterIsListedWithItsDeclaredDefault() {
        for help in [ValueCommand.help, EvalCommand.help] {
            for method in MethodCatalog.all where !method.parameters.isEmpty {
                #expect(help.contains("\n  \(method.id)\n"))
                for p in method.parameters {
                    let label = "--\(p.name) \(OptionSpec.valueName(p.kind))"
                    #expect(help.contains("    \(label)"), "\(method.id) \(label)")
                    #expect(help.contains("\(p.summary) [\(p.defaultText)]"), "\(method.id) \(p.name)")
                }
            }
        }
        #expect(ValueCommand.help.contains("--model tree|logistic") && ValueCommand.help.contains("--model logistic|knn "))
    }

    @Test func theOverviewNamesEveryMethodAndCommand() {
        for method in MethodCatalog.all { #expect(Help.overview.contains("\n  \(method.id) ")) }
        for command in ["value", "eval", "merge", "runs", "help"] { #expect(Help.overview.contains("worth \(command)")) }
    }

    @Test func theExplainFlagNamesTheMethodsThatExplain() {
        #expect(ValueCommand.extraOptions.map(\.name) == ["explain", "save-run"])
        #expect(ValueCommand.extraOptions[0].help.hasPrefix("influence only: "))
    }

    @Test func longLabelsWrapUnderTheirFlag() {
        let help = Help.command("x", usage: "worth x", abstract: "A.",
                                options: [OptionSpec(name: "a-very-long-option-name-indeed", valueName: "PLACEHOLDER", help: "wraps"),
                                          OptionSpec(name: "b", valueName: nil, help: "short")],
                                examples: "worth x", extra: "")
        #expect(help.contains("  --a-very-long-option-name-indeed PLACEHOLDER\n  " + String(repeating: " ", count: 34) + "wraps"))
        #expect(help.contains("  --b" + String(repeating: " ", count: 31) + "short"))
    }
}
