import Foundation

/// One valuation as it is kept beside the data file (`RunStore`): what was run (method,
/// parameters, the experiment's settings, which file and label column) and what it found
/// (each valued row's value and standard error, how far it got, why it stopped, its
/// convergence history), so the workbench lists and reopens it without running it again and a
/// headless run (`worth value … --save-run`) can be opened in the workbench.
///
/// It holds the values of the valued rows, never the problem: a reopened run rebuilds its
/// split from `settings` (the split, the flips and the standardisation are functions of the
/// file, the label column, the missing-cell policy and the seed) and checks that it values the
/// same rows (`matches(_:)`).
public struct SavedRun: Sendable, Equatable {
    /// The format this build writes and reads.
    public static let formatVersion = 1

    /// A name for the run, unique in its store (also its file name there, with `.json`).
    public var id: String
    /// When it was started, in seconds since 1970.
    public var created: Double
    /// The method's catalog id (`data-oob`) and title (`Data-OOB`).
    public var method: String
    public var methodTitle: String
    /// Every parameter of the method with the value used, in the method's order.
    public var parameters: [Parameter]
    /// The parameters whose values differ from the method's defaults (a subset of `parameters`).
    public var changedParameters: [Parameter]
    /// Which file, label column and missing-cell policy the run valued.
    public var data: DataIdentity
    /// The experiment's split, flips and seed.
    public var settings: Settings
    /// 1-based data-row numbers of the valued rows, ascending.
    public var rows: [Int]
    /// One value per valued row (NaN where the method had none).
    public var values: [Double]
    /// Standard errors, one per valued row, when the method reports them.
    public var standardErrors: [Double]?
    /// The method's extra per-row columns (`oob_count`, …).
    public var extraColumns: [ExtraColumn]
    /// Units done and planned, what a unit is, and the seconds of work (pauses excluded).
    public var done: Int
    public var total: Int?
    public var unit: String
    public var elapsed: Double
    /// Why it ended.
    public var stop: StopReason
    /// The convergence figures with their history.
    public var convergence: [ConvergenceSeries]
    /// In a label-flip experiment: rows flipped, and the detection AUROC of the values.
    public var flippedRows: Int
    public var auroc: Double?

    /// A parameter and its value, as the user types it.
    public struct Parameter: Sendable, Equatable, Codable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The data a run belongs to.
    public struct DataIdentity: Sendable, Equatable, Codable {
        /// `Fingerprint.of` the file's bytes: a run saved for other bytes is stale.
        public var fingerprint: String
        /// Data rows in the file.
        public var dataRows: Int
        /// The label column: 0-based index and header name.
        public var labelColumn: Int
        public var labelName: String
        /// What was done with missing cells.
        public var missing: MissingPolicy
        /// The `--valid` / `--test` files, when the held-out rows came from other files (their
        /// rows are then not part of this file's split).
        public var validationFile: String?
        public var testFile: String?

        public init(fingerprint: String, dataRows: Int, labelColumn: Int, labelName: String, missing: MissingPolicy,
                    validationFile: String? = nil, testFile: String? = nil) {
            self.fingerprint = fingerprint
            self.dataRows = dataRows
            self.labelColumn = labelColumn
            self.labelName = labelName
            self.missing = missing
            self.validationFile = validationFile
            self.testFile = testFile
        }
    }

    /// The experiment's settings, as the split used them (a fraction taken by a `--valid` or
    /// `--test` file is 0 here: no rows of this file were held out for it).
    public struct Settings: Sendable, Equatable, Hashable, Codable {
        public var validationFraction: Double
        public var testFraction: Double
        public var flipFraction: Double
        public var seed: UInt64

        public init(validationFraction: Double, testFraction: Double, flipFraction: Double, seed: UInt64) {
            self.validationFraction = validationFraction
            self.testFraction = testFraction
            self.flipFraction = flipFraction
            self.seed = seed
        }

        /// The settings of `experiment`'s split.
        public init(_ experiment: Experiment, validationFile: Bool = false, testFile: Bool = false) {
            let o = experiment.options
            self.init(validationFraction: validationFile ? 0 : o.validationFraction, testFraction: testFile ? 0 : o.testFraction,
                      flipFraction: o.flipFraction, seed: o.seed)
        }

        /// Experiment options with these settings, run on `workers` (which never changes a value).
        public func options(workers: Int) -> ExperimentOptions {
            ExperimentOptions(validationFraction: validationFraction, testFraction: testFraction, flipFraction: flipFraction,
                              seed: seed, workers: workers)
        }
    }

    public init(id: String, created: Double, method: String, methodTitle: String, parameters: [Parameter],
                changedParameters: [Parameter], data: DataIdentity, settings: Settings, rows: [Int], values: [Double],
                standardErrors: [Double]?, extraColumns: [ExtraColumn], done: Int, total: Int?, unit: String,
                elapsed: Double, stop: StopReason, convergence: [ConvergenceSeries], flippedRows: Int, auroc: Double?) {
        self.id = id
        self.created = created
        self.method = method
        self.methodTitle = methodTitle
        self.parameters = parameters
        self.changedParameters = changedParameters
        self.data = data
        self.settings = settings
        self.rows = rows
        self.values = values
        self.standardErrors = standardErrors
        self.extraColumns = extraColumns
        self.done = done
        self.total = total
        self.unit = unit
        self.elapsed = elapsed
        self.stop = stop
        self.convergence = convergence
        self.flippedRows = flippedRows
        self.auroc = auroc
    }

    /// The record of `update` (the run's last one; a run without `stop` set counts as
    /// cancelled) of `method` with `parameters` on `experiment`.
    ///
    /// - Parameters:
    ///   - data: the file's identity (`experiment` says nothing of its bytes or missing-cell policy).
    ///   - id: a name unique in the store; `SavedRun.makeID` makes one.
    public init(id: String, created: Date = Date(), method: MethodDescriptor, parameters: ParameterValues,
                experiment: Experiment, data: DataIdentity, update: ValuationUpdate) {
        let defaults = method.defaults
        let all = parameters.all.map { Parameter(name: $0.name, value: $0.value) }
        let flipped = experiment.flippedRows.count
        let auroc = flipped > 0 && update.estimate.values.contains(where: { !$0.isNaN })
            ? NoisyLabelDetection(values: update.estimate.values, flipped: experiment.flipped).auroc : nil
        self.init(id: id, created: created.timeIntervalSince1970, method: method.id, methodTitle: method.title,
                  parameters: all, changedParameters: all.filter { $0.value != defaults.text($0.name) }, data: data,
                  settings: Settings(experiment, validationFile: data.validationFile != nil, testFile: data.testFile != nil),
                  rows: experiment.valuedRows.indices.map { experiment.sourceRow(ofValued: $0) },
                  values: update.estimate.values, standardErrors: update.estimate.standardErrors,
                  extraColumns: update.estimate.extraColumns, done: update.done, total: update.total, unit: update.unit,
                  elapsed: update.elapsed, stop: update.stop ?? .cancelled, convergence: update.convergence,
                  flippedRows: flipped, auroc: auroc.flatMap { $0.isFinite ? $0 : nil })
    }

    /// A fresh id for a run of `method` started at `date`: `20261127-231500-data-oob-3fa2`
    /// (sortable by time; the random tail keeps two runs of one second apart).
    public static func makeID(method: String, date: Date = Date()) -> String {
        var t = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&t, &parts)
        let stamp = String(format: "%04d%02d%02d-%02d%02d%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                           Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        let safe = String(method.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" }.prefix(40))
        return "\(stamp)-\(safe)-" + String(format: "%04x", UInt16.random(in: 0...UInt16.max))
    }

    /// Whether `experiment` values exactly this run's rows (the reopened file, label column and
    /// missing-cell policy gave the same split).
    public func matches(_ experiment: Experiment) -> Bool {
        experiment.valuedRows.count == rows.count
            && rows.indices.allSatisfy { experiment.sourceRow(ofValued: $0) == rows[$0] }
    }

    /// The values as the engine reported them.
    public var estimate: ValuationEstimate {
        ValuationEstimate(values: values, standardErrors: standardErrors, extraColumns: extraColumns)
    }

    /// The run's last update, as the engine sent it.
    public var finalUpdate: ValuationUpdate {
        ValuationUpdate(done: done, total: total, unit: unit, estimate: estimate, convergence: convergence,
                        elapsed: elapsed, stop: stop)
    }

    /// The record without its per-row arrays: what a list of runs shows of a run that cannot
    /// be opened (saved for another version of the file).
    public var summary: SavedRun {
        var s = self
        s.rows = []
        s.values = []
        s.standardErrors = nil
        s.extraColumns = []
        return s
    }
}
