import WorthEngine

/// `worth value FILE --method M …`: values every row of FILE and writes one line per row.
enum ValueCommand {
    static let abstract = "Value every row of a CSV file and write one line per row."

    static var options: [OptionSpec] {
        ValuationSetup.commonOptions(eval: false) + ValuationSetup.methodParameterOptions
    }

    static let examples = """
        worth value Samples/breast_cancer.csv --method data-oob --out values.csv
        worth value Samples/wine.csv --method knn-shapley --k 5 --format json
        worth value Samples/penguins_raw.csv --missing drop --method loo
        worth value train.csv --valid valid.csv --label species --seed 7
        """

    static let outputHelp = """
        Output: one row per data row of FILE, in file order: row (1-based data row), label,
        value (higher = the row helps more), stderr (where the method has one), rank (1 = lowest
        value, the most suspect), held_out (empty when valued, else validation / test / missing),
        then method-specific columns; with --flip also noisy_label and flipped.
        """

    static func run(_ words: [String]) async throws -> Int32 {
        let arguments = try ArgumentList(words, accepting: options)
        if arguments.has("help") {
            print(Help.command("value", usage: "worth value FILE [--method M] [options]", abstract: abstract,
                               options: options, examples: examples, extra: outputHelp))
            return 0
        }
        let setup = try ValuationSetup(arguments: arguments, eval: false)
        if !setup.quiet {
            for note in setup.notes { writeError("worth: \(note)") }
            writeError("worth: \(setup.summary)")
        }
        let result = try await setup.run()
        try setup.writeValues(result)
        return result.stop == .cancelled ? 130 : 0
    }
}
