/// A problem with what the user gave us: a file, a setting, a column. Shown as one line.
///
/// It says where (`file`, `line`, `column`, `columnName`) and, typed, what went wrong
/// (`reason`). The engine words nothing for a particular front end: each front end phrases the
/// reason in its own terms (the command line names its flags, `--missing drop`; the workbench
/// its keys and fields), and `description` is the neutral wording:
/// `data.csv, line 12, column 3 (bill_length_mm): "abc" is not a number`.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file concerned, as the user named it; nil for problems with settings.
    public var file: String?
    /// 1-based physical line in the file, when the problem is at one place.
    public var line: Int?
    /// 1-based column number, when the problem is in one column.
    public var column: Int?
    /// The column's header name, when known.
    public var columnName: String?
    /// What is wrong.
    public var reason: Reason

    public init(file: String? = nil, line: Int? = nil, column: Int? = nil, columnName: String? = nil, _ reason: Reason) {
        self.file = file
        self.line = line
        self.column = column
        self.columnName = columnName
        self.reason = reason
    }

    /// An error whose reason is a fact that needs no front end's words (`.message`).
    public init(file: String? = nil, line: Int? = nil, column: Int? = nil, columnName: String? = nil, _ message: String) {
        self.init(file: file, line: line, column: column, columnName: columnName, .message(message))
    }

    /// The reason in neutral words.
    public var message: String { reason.message }

    /// The error as one line in neutral words (see `description(phrasing:)`).
    public var description: String { description(phrasing: { _ in nil }) }

    /// The error as one line safe for a terminal: file, line and column, then the reason as
    /// `phrase` words it (nil: the neutral wording), with the control characters of file names,
    /// header names and cell text written out (`escapingControlCharacters`).
    public func description(phrasing phrase: (Reason) -> String?) -> String {
        var place: [String] = []
        if let file { place.append(file) }
        if let line { place.append("line \(line)") }
        if let column {
            if let columnName { place.append("column \(column) (\(columnName))") } else { place.append("column \(column)") }
        } else if let columnName {
            place.append("column \(columnName)")
        }
        let message = phrase(reason) ?? reason.message
        let text = place.isEmpty ? message : place.joined(separator: ", ") + ": " + message
        return text.escapingControlCharacters
    }
}

extension InputError {
    /// What went wrong, typed, so that each front end can say it in its own terms.
    public enum Reason: Sendable, Equatable {
        /// A fact that needs no front end's words (`is empty`, `has no column "x"`).
        case message(String)
        /// A cell of a feature column is missing (the error's place says which); the rows with
        /// missing cells can be dropped or the cells imputed.
        case missingValue
        /// A label is missing; such rows can be dropped. `imputing`: the user asked to impute
        /// missing cells, which is never done for labels.
        case missingLabel(imputing: Bool)
        /// `given` is not a value parameter `parameter` accepts.
        case invalidValue(parameter: String, accepted: ParameterKind, given: String)
        /// No parameter of that name.
        case unknownParameter(String)
        /// The validation and test fractions add up to 1 or more.
        case fractionsTooLarge
        /// Method `method` (its id) scores models on validation rows and there are none.
        case needsValidation(method: String)
        /// Method `method` cannot use this setting of the run; `supportedBy` lists the methods
        /// that can.
        case unsupportedSetting(RunSession.Setting, method: String, supportedBy: [String])
        /// Method `method` (its id) cannot run as shards: its work is one training run whose
        /// steps each build on the ones before, with no parts that combine.
        case unsplittable(method: String)
        /// A shard written other than `K/N`.
        case shardSyntax(given: String)
        /// Shard `index` of `count` does not exist (0 ≤ K < N).
        case shardOutOfRange(index: Int, count: Int)
        /// A sharded run without a budget of units to share out.
        case shardNeedsBudget(unit: String)
        /// The state a run was asked to resume from does not belong to it; `detail` says how.
        case resumeMismatch(String)
        /// Validation row `row` (0-based, in problem order) does not exist; there are `count`.
        case noValidationRow(Int, count: Int)

        /// The reason in neutral words.
        public var message: String {
            switch self {
            case .message(let text):
                text
            case .missingValue:
                "missing value (drop the rows with missing cells, or impute them)"
            case .missingLabel(imputing: false):
                "missing label (drop the rows with missing cells to leave such rows out)"
            case .missingLabel(imputing: true):
                "missing label; labels are not imputed (drop the rows with missing cells to leave such rows out)"
            case .invalidValue(let parameter, let accepted, let given):
                "\(parameter) \(accepted.accepts), not '\(given)'"
            case .unknownParameter(let name):
                "unknown parameter \(name)"
            case .fractionsTooLarge:
                "the validation and test fractions must add up to less than 1"
            case .needsValidation(let method):
                "\(method) needs validation rows; none are left"
            case .unsupportedSetting(let setting, let method, let methods):
                "\(method) cannot \(setting.action) (\(methods.joined(separator: ", ")) can)"
            case .unsplittable(let method):
                "\(method) cannot be split into shards: it trains one model step by step, each step on what the previous ones learnt; run it whole"
            case .shardSyntax(let given):
                "a shard is written K/N (for example 0/4), not '\(given)'"
            case .shardOutOfRange(let index, let count):
                "shard K/N takes 0 ≤ K < N, not \(index)/\(count)"
            case .shardNeedsBudget(let unit):
                "a shard needs a budget of \(unit)"
            case .resumeMismatch(let detail):
                "cannot resume: \(detail)"
            case .noValidationRow(let row, let count):
                "there is no validation row \(row) (there are \(count))"
            }
        }
    }
}

extension ParameterKind {
    /// What values are accepted, as the predicate of a sentence: `takes a whole number in
    /// 1...100`, `takes one of tree, logistic`.
    public var accepts: String {
        switch self {
        case .integer(let range): "takes a whole number in \(range.lowerBound)...\(range.upperBound)"
        case .real(let range): "takes a number in \(range.lowerBound)...\(range.upperBound)"
        case .natural: "takes a whole number ≥ 0"
        case .choice(let options): "takes one of \(options.map(\.value).joined(separator: ", "))"
        }
    }
}
