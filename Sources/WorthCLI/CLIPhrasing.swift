import WorthEngine

/// The engine's errors in the command line's words: the one place that names flags for the
/// reasons the engine gives (`--missing drop`, `--valid-fraction`), so the engine never does.
enum CLIPhrasing {
    /// `error` as the one line worth prints for it (after `worth: `).
    static func describe(_ error: InputError) -> String {
        error.description(phrasing: phrase)
    }

    /// The flag of a session setting.
    static func flag(_ setting: RunSession.Setting) -> String {
        switch setting {
        case .checkpoint: "--checkpoint"
        case .resume: "--resume"
        case .shard: "--shard"
        case .stateOut: "--state-out"
        }
    }

    /// `reason` with the flags that change it; nil where the engine's words say it all.
    static func phrase(_ reason: InputError.Reason) -> String? {
        switch reason {
        case .message:
            nil
        case .missingValue:
            "missing value (use --missing drop or --missing impute)"
        case .missingLabel(imputing: false):
            "missing label (use --missing drop to leave such rows out)"
        case .missingLabel(imputing: true):
            "missing label; labels are not imputed (use --missing drop to leave such rows out)"
        case .invalidValue(let parameter, let accepted, let given):
            "--\(parameter) \(accepted.accepts), not '\(given)'"
        case .unknownParameter(let name):
            "unknown parameter --\(name)"
        case .fractionsTooLarge:
            "--valid-fraction and --test-fraction must be in [0, 1) and add up to less than 1"
        case .needsValidation(let method):
            "\(method) needs validation rows; none are left (raise --valid-fraction or give --valid FILE)"
        case .unsupportedSetting(let setting, let method, let methods):
            "\(flag(setting)) applies to \(methods.joined(separator: ", ")), not \(method)"
        case .unsplittable(let method):
            "\(method) cannot run as --shard K/N: it trains one model step by step, each step on what the previous ones learnt, so its work has no parts to merge; run it whole"
        case .shardSyntax(let given):
            "--shard takes K/N (for example 0/4), not '\(given)'"
        case .shardOutOfRange(let index, let count):
            "--shard K/N takes 0 ≤ K < N, not \(index)/\(count)"
        case .shardNeedsBudget(let unit):
            "--shard needs a budget of \(unit)"
        case .resumeMismatch(let detail):
            "--resume: \(detail)"
        case .noValidationRow(let row, let count):
            "--explain: there is no validation row \(row) (there are \(count))"
        }
    }
}
