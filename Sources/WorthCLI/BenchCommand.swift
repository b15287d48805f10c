import Foundation
import WorthEngine

/// `worth bench …`: a diagnostic for benchmarks, not for valuing data. It times one method on a
/// generated in-memory problem (no CSV loading, so the method's own time and memory show at
/// sizes where the loader would dominate), or writes the same generated data as a CSV file.
enum BenchCommand {
    static let abstract = """
        Benchmark diagnostics (for Benchmarks/scale.py and profiling, not for valuing data):
        time a method on a generated in-memory problem of any size, without loading a file, and
        report its time, peak memory and a fingerprint of its values; or write the same
        generated data as a CSV file (`generate`).
        """

    // The generated data, declared as engine parameters so their ranges and defaults live once.
    static let rows = Parameter<Int>("rows", default: 10_000, in: 2...100_000_000, summary: "rows in all, valued and validation")
    static let features = Parameter<Int>("features", default: 20, in: 1...100_000, summary: "features per row")
    static let classes = Parameter<Int>("classes", default: 2, in: 2...1000, summary: "number of classes")
    static let separation = Parameter<Double>("separation", default: 0.3, in: 0...100,
                                              summary: "class centroids' offset on each informative feature")
    static let flip = Parameter<Double>("flip", default: 0.1, in: 0...1, summary: "chance that a valued row's label is flipped")

    static let dataOptions = [
        OptionSpec(rows.erased, help: "rows in all, valued and validation (default 10000)"),
        OptionSpec(features.erased, help: "features per row (default 20)"),
        OptionSpec(classes.erased, help: "number of classes (default 2)"),
        OptionSpec(separation.erased, help: "class centroids' offset on each informative feature (default 0.3)"),
        OptionSpec(flip.erased, valueName: "F", help: "chance that a valued row's label is flipped (default 0.1)"),
        OptionSpec(ExperimentSettings.seed.erased, help: "seed of the data and the method (default 0)"),
    ]

    static var runOptions: [OptionSpec] {
        dataOptions + [
            OptionSpec(ExperimentSettings.validationFraction.erased, valueName: "F",
                       help: "fraction of the rows made validation rows (default 0.2 for methods that need them, else 0)"),
            ValuationOptions.workers,
            OptionSpec(name: "format", valueName: "text|json", help: "report as text lines or one JSON object (default text)"),
            OutputOptions.quiet,
            OptionSpec.help,
        ] + ValuationOptions.methodParameterSpecs
    }

    static var generateOptions: [OptionSpec] {
        dataOptions + [
            OptionSpec(name: "out", valueName: "PATH", help: "the CSV file to write (required)"),
            OptionSpec.help,
        ]
    }

    static var help: String {
        Help.command("bench", usage: "worth bench METHOD [options] | worth bench generate --out FILE [options]",
                     abstract: abstract, options: runOptions,
                     examples: """
                         worth bench data-oob --rows 1000000 --features 100 --trees 1000
                         worth bench knn-shapley --rows 200000 --features 50 --format json
                         worth bench generate --rows 200000 --features 50 --out /tmp/200k.csv
                         """,
                     extra: """
                         The data: each class's centroid is ±X on the first half of the features (random
                         signs), a row is its centroid plus standard normal noise, values have four
                         decimals; a valued row's label is flipped with chance F. `generate` writes
                         every row (labels flipped with chance F) with the header x0,…,label; the same
                         flags give the same rows in memory and in the file.
                         Peak memory is the process's peak resident size while the method ran (the
                         generated data included, reported apart); cpu_seconds is the CPU time of all
                         its threads, steadier than wall time on a busy machine.
                         """)
    }

    static func run(_ words: [String]) async throws -> Int32 {
        if words.first == "generate" { return try generate(Array(words.dropFirst())) }
        let arguments = try ArgumentList(words, accepting: runOptions)
        if arguments.has("help") {
            print(help)
            return 0
        }
        guard arguments.positionals.count == 1, let method = MethodCatalog.method(arguments.positionals[0]) else {
            throw InputError("bench: give one method (\(MethodCatalog.all.map(\.id).joined(separator: ", "))) or generate")
        }
        let parameters = try ValuationOptions.parameterValues(arguments, for: method)
        let valuator = try method.make(parameters)
        if let format = arguments.value("format"), format != "text" && format != "json" {
            throw InputError("--format takes text or json, not '\(format)'")
        }

        let data = try synthetic(arguments)
        let rows = try arguments.value(Self.rows) ?? Self.rows.defaultValue
        let fraction = try arguments.value(ExperimentSettings.validationFraction) ?? method.defaultValidationFraction
        let validationCount = Int((Double(rows) * fraction).rounded())
        guard !method.needsValidation || validationCount > 0 else {
            throw InputError("\(method.id) needs validation rows: raise --valid-fraction")
        }
        let workers = try arguments.value(ExperimentSettings.workers) ?? ExperimentSettings.workers.defaultValue

        let generationStart = Date()
        let valued = data.make(rows: 0..<(rows - validationCount), noisy: true)
        let validation = data.make(rows: (rows - validationCount)..<rows, noisy: false)
        let problem = ValuationProblem(train: valued.x, trainLabels: valued.labels, validation: validation.x,
                                       validationLabels: validation.labels, classCount: data.classes,
                                       seed: data.seed, workers: workers)
        let generationSeconds = Date().timeIntervalSince(generationStart)
        let dataMemory = MemoryUse.current()
        MemoryUse.resetPeak()
        let cpuStart = MemoryUse.cpuSeconds()

        let display = ProgressDisplay(enabled: !arguments.has("quiet"))
        let last = try await Task.detached { () throws -> ValuationUpdate? in
            var last: ValuationUpdate?
            for try await update in valuator.run(problem) {
                last = update
                display.show(update)
            }
            return last
        }.value
        display.finish()
        guard let result = last else { throw InputError("bench: the run ended without an estimate") }
        let peak = MemoryUse.peak()
        let cpu = MemoryUse.cpuSeconds() - cpuStart

        let values = result.estimate.values
        var bits = [UInt8]()
        bits.reserveCapacity(values.count * 8)
        for v in values { withUnsafeBytes(of: (v.isNaN ? Double.nan : v).bitPattern.littleEndian) { bits.append(contentsOf: $0) } }
        let detection = NoisyLabelDetection(values: values, flipped: valued.flipped)
        let mib = { (bytes: Int) in (Double(bytes) / 1_048_576 * 10).rounded() / 10 }
        let report: [(String, String)] = [
            ("method", "\"\(method.id)\""),
            ("parameters", "\"\(parameters.all.map { "\($0.name)=\($0.value)" }.joined(separator: " "))\""),
            ("valued_rows", "\(problem.count)"), ("validation_rows", "\(validationCount)"),
            ("features", "\(data.features)"), ("classes", "\(data.classes)"), ("workers", "\(workers)"),
            ("seconds", String(format: "%.3f", result.elapsed)),
            ("cpu_seconds", String(format: "%.3f", cpu)),
            ("generate_seconds", String(format: "%.3f", generationSeconds)),
            ("data_mib", "\(mib(dataMemory))"), ("peak_mib", "\(mib(peak))"),
            ("method_peak_mib", "\(mib(peak - dataMemory))"),
            ("done", "\(result.done)"), ("unit", "\"\(result.unit)\""),
            ("auroc", detection.auroc.isNaN ? "null" : String(format: "%.4f", detection.auroc)),
            ("values_fingerprint", "\"\(Fingerprint.of(bits))\""),
        ]
        if arguments.value("format") == "json" {
            print("{" + report.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
        } else {
            for (name, value) in report { print("\(name): \(value.replacingOccurrences(of: "\"", with: ""))") }
        }
        return result.stop == .cancelled ? 130 : 0
    }

    /// `worth bench generate --out FILE …`: writes the generated rows as CSV, streaming.
    static func generate(_ words: [String]) throws -> Int32 {
        let arguments = try ArgumentList(words, accepting: generateOptions)
        if arguments.has("help") {
            print(Help.command("bench generate", usage: "worth bench generate --out FILE [options]",
                               abstract: "Write the generated data of `worth bench` as a CSV file (streamed: any size).",
                               options: generateOptions,
                               examples: "worth bench generate --rows 1000000 --features 100 --out /tmp/1m.csv", extra: ""))
            return 0
        }
        guard let path = arguments.value("out") else { throw InputError("bench generate: give --out FILE") }
        let data = try synthetic(arguments)
        let rows = try arguments.value(Self.rows) ?? Self.rows.defaultValue
        // Through AtomicFile like every output: a device or FIFO is written through, a link's
        // target is replaced, never the link, and a half-written file never takes the name.
        try AtomicFile.write(to: path) { emit in
            try Data(data.csvHeader.utf8).withUnsafeBytes { try emit($0) }
            var text = [UInt8]()
            let block = 4096
            for start in stride(from: 0, to: rows, by: block) {
                text.removeAll(keepingCapacity: true)
                data.appendCSV(rows: start..<min(start + block, rows), noisy: true, to: &text)
                try text.withUnsafeBytes { try emit($0) }
            }
        }
        return 0
    }

    static func synthetic(_ arguments: ArgumentList) throws -> SyntheticClassification {
        SyntheticClassification(
            features: try arguments.value(features) ?? features.defaultValue,
            classes: try arguments.value(classes) ?? classes.defaultValue,
            separation: try arguments.value(separation) ?? separation.defaultValue,
            flipFraction: try arguments.value(flip) ?? flip.defaultValue,
            seed: try arguments.value(ExperimentSettings.seed) ?? ExperimentSettings.seed.defaultValue)
    }
}

/// This process's resident memory, from /proc/self/status (Linux; 0 elsewhere), and its CPU time.
enum MemoryUse {
    /// User and system CPU time of all threads so far, in seconds: on a shared machine a
    /// steadier measure of work than wall time.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// Resident size now, in bytes.
    static func current() -> Int { field("VmRSS:") }
    /// Peak resident size since the start or the last `resetPeak()`, in bytes.
    static func peak() -> Int { field("VmHWM:") }

    /// Starts a new peak from the current resident size (Linux ≥ 4.0: `5` into clear_refs).
    static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    private static func field(_ name: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let kib = line.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first.flatMap { Int($0) } ?? 0
            return kib * 1024
        }
        return 0
    }
}
