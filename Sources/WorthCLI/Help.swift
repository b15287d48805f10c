import WorthEngine

/// Help texts: the overview and each command's.
enum Help {
    static let overview = """
        worth: which training rows help your model, and which hurt it.

        Usage:
          worth [FILE.csv] [--label L] [--workers N]
                                               open the terminal workbench (on FILE)
          worth value FILE [--method M] […]    value every row, write CSV/JSON
          worth eval FILE [--method M] […]     flip labels, value, report detection and accuracy
          worth merge PART… [--out PATH]       combine the parts of a sharded run (every method but dvrl)
          worth describe FILE [--label L]      rows, columns, missing cells, classes: the file as loaded
          worth runs FILE                      list the runs saved beside FILE (workbench, --save-run)
          worth help [COMMAND]                 this text, or a command's options

        Methods:
        \(methodList)

        Examples:
          worth value Samples/breast_cancer.csv --method data-oob --out values.csv
          worth eval Samples/wine.csv --method knn-shapley --flip 0.1

        Exit status: 0 done, 2 bad input or usage (one line on stderr says what and where),
        130 on Ctrl-C and 143 on SIGTERM (the estimate so far is still written, if there is
        one), 1 anything else.
        """

    static var methodList: String {
        let width = (MethodCatalog.all.map(\.id.count).max() ?? 0) + 2
        return MethodCatalog.all.map { m in
            "  " + m.id + String(repeating: " ", count: width - m.id.count) + m.summary
        }.joined(separator: "\n")
    }

    /// Each method's parameters with their defaults, for the commands that run methods.
    static var methodParameters: String {
        var lines = ["Method parameters (default in brackets):"]
        for m in MethodCatalog.all where !m.parameters.isEmpty {
            lines.append("  \(m.id)")
            for p in m.parameters {
                let label = "--\(p.name) \(OptionSpec.valueName(p.kind))"
                let pad = String(repeating: " ", count: max(1, 32 - label.count))
                lines.append("    \(label)\(pad)\(p.summary) [\(p.defaultText)]")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The help of a command that runs a method (`value`, `eval`): its own flags, then every
    /// method's parameters, then `extra`.
    static func valuationCommand(_ name: String, usage: String, abstract: String, command: ValuationOptions.Command,
                                 extraOptions: [OptionSpec], examples: String, extra: String) -> String {
        self.command(name, usage: usage, abstract: abstract, options: ValuationOptions.specs(command) + extraOptions,
                examples: examples, extra: methodParameters + "\n\n" + extra)
    }

    /// A command's help: usage, abstract, options with their help, examples.
    static func command(_ name: String, usage: String, abstract: String, options: [OptionSpec],
                        examples: String, extra: String) -> String {
        let labels = options.map { o in "--" + o.name + (o.valueName.map { " " + $0 } ?? "") }
        let width = min(34, (labels.map(\.count).max() ?? 0) + 2)
        let lines = zip(labels, options).map { label, o in
            label.count + 2 > width
                ? "  \(label)\n  " + String(repeating: " ", count: width) + o.help
                : "  " + label + String(repeating: " ", count: width - label.count) + o.help
        }
        return """
            \(abstract)

            Usage: \(usage)

            Options:
            \(lines.joined(separator: "\n"))

            \(extra)

            Examples:
            \(examples.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
            """
    }
}
