import Foundation
import WorthEngine

/// `worth value FILE --method M …`: values every row of FILE and writes one line per row.
enum ValueCommand {
    static let abstract = "Value every row of a CSV file and write one line per row."

    /// The methods that explain one validation prediction (`--explain`).
    static var explainingMethods: [String] { MethodCatalog.all.filter { $0.explainer != nil }.map(\.id) }

    static let saveRun = OptionSpec(name: "save-run", valueName: nil,
                                    help: "also save the run beside FILE (FILE.worth-runs/), where the workbench lists it and worth runs FILE shows it")

    static var extraOptions: [OptionSpec] { [
        OptionSpec(name: "explain", valueName: "ROW",
                   help: "\(explainingMethods.joined(separator: ", ")) only: the rows that most helped and hurt validation row ROW (its data-row number in the file)"),
        saveRun,
    ] }

    static var options: [OptionSpec] {
        ValuationOptions.specs(.value) + ValuationOptions.methodParameterSpecs + extraOptions
    }

    static let examples = """
        worth value Samples/breast_cancer.csv --method data-oob --out values.csv
        worth value Samples/wine.csv --method knn-shapley --k 5 --format json
        worth value Samples/penguins_raw.csv --missing drop --method loo
        worth value train.csv --valid valid.csv --label species --seed 7
        worth value Samples/wine.csv --method influence --explain 7
        """

    static let outputHelp = """
        Output: one row per data row of FILE, in file order: row (1-based data row), label,
        value (higher = the row helps more), stderr (where the method has one), rank (1 = lowest
        value, the most suspect), held_out (empty when valued, else validation / test / missing),
        then method-specific columns; with --flip also noisy_label and flipped.
        """

    static var help: String {
        Help.valuationCommand("value", usage: "worth value FILE [--method M] [options]", abstract: abstract,
                              command: .value, extraOptions: extraOptions, examples: examples, extra: outputHelp)
    }

    static func run(_ words: [String]) async throws -> Int32 {
        let arguments = try ArgumentList(words, accepting: options)
        if arguments.has("help") {
            print(help)
            return 0
        }
        let setup = try ValuationSetup(arguments: arguments, command: .value)
        if let row = arguments.value("explain") {
            return try explain(setup, row: row)
        }
        if arguments.has(saveRun.name), setup.options.session.shard != nil {
            throw InputError("--save-run saves a whole run, not a shard: merge the shards, or run without --shard")
        }
        let valuator = try setup.makeValuator()
        if !setup.quiet {
            for note in setup.notes { writeError("worth: \(note)") }
            writeError("worth: \(setup.summary)")
        }
        let result = try await setup.run(valuator)
        try setup.writeValues(result)
        if arguments.has(saveRun.name) {
            let path = try setup.saveRun(result)
            if !setup.quiet { writeError("worth: saved the run to \(path) (worth \(setup.file) lists it in the workbench)".escapingControlCharacters) }
        }
        return Interrupts.shared.exitStatus ?? 0
    }

    /// `--explain ROW`: prints the valued rows that most helped and most hurt the model's
    /// prediction of one validation row.
    static func explain(_ setup: ValuationSetup, row text: String) throws -> Int32 {
        guard let explainer = setup.method.explainer else {
            throw InputError("--explain works with \(explainingMethods.map { "--method \($0)" }.joined(separator: " or "))")
        }
        let e = setup.experiment
        guard let row = Int(text), let t = e.validationSourceRows.firstIndex(of: row) else {
            let sample = e.validationSourceRows.prefix(8).map(String.init).joined(separator: ", ")
            throw InputError(file: setup.options.validationFile ?? setup.file,
                             "--explain \(text): not a validation row; validation rows are e.g. \(sample)")
        }
        let explanation = try explainer(e.problem, t, 10, setup.parameters)
        let names = e.classNames
        print("Validation row \(row) (label \(names[e.problem.validationLabels[t]].escapingControlCharacters)): the rows that most changed its log-loss")
        for (title, rows) in [("helped (removing them would raise its loss)", explanation.helped),
                              ("hurt (removing them would lower its loss)", explanation.hurt)] {
            print("")
            print(title)
            var table = TextTable(["row", "label", "influence"])
            for r in rows {
                table.add([String(e.sourceRow(ofValued: r.row)), names[e.problem.trainLabels[r.row]],
                           String(format: "%+.3e", r.influence)])
            }
            print(rows.isEmpty ? "  none" : table.render())
        }
        return 0
    }
}
