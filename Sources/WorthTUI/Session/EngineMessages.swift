import WorthEngine

/// The engine's errors in the workbench's words: the one place that words them. The engine
/// gives a typed reason (`InputError.Reason`) and this file says it with the workbench's keys
/// and field names, so the command line's flag syntax never reaches the screen.
enum EngineMessages {
    /// `error` as one line for the status line or a panel.
    static func describe(_ error: any Error) -> String {
        guard var e = error as? InputError else { return String(describing: error) }
        switch e.reason {
        case .missingValue, .missingLabel: e.file = nil   // the label picker shows the path above
        default: break
        }
        return e.description(phrasing: phrase)
    }

    /// `reason` in the workbench's words; nil where the engine's neutral words serve.
    static func phrase(_ reason: InputError.Reason) -> String? {
        switch reason {
        case .missingValue:
            "missing value: press m to drop rows with missing cells or impute them, then Enter"
        case .missingLabel:
            "missing label (labels are never imputed): press m until 'drop' to leave such rows out, then Enter"
        case .needsValidation(let method):
            "\(method) needs validation rows: set the validation fraction above 0 (→ on the Method screen)"
        case .invalidValue(let parameter, let accepted, let given):
            // A field is named as the Method screen shows it.
            "\(ExperimentSettings.all.first { $0.name == parameter }?.title ?? parameter) \(accepted.accepts), not '\(given)'"
        default:
            nil
        }
    }
}
