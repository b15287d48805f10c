import WorthEngine

/// The engine's errors in the workbench's words: the one place that words them, so the
/// command line's flag syntax (`--missing`, `--valid-fraction`) never reaches the screen and a
/// typed error reason from the engine changes only this file.
enum EngineMessages {
    /// `error` as one line for the status line or a panel.
    static func describe(_ error: any Error) -> String {
        guard var e = error as? InputError else { return String(describing: error) }
        let m = e.message
        if m.hasPrefix("missing value") {
            e.file = nil   // the label picker shows the path above
            e.message = "missing value: press m to drop rows with missing cells or impute them, then Enter"
        } else if m.hasPrefix("missing label") {
            e.file = nil
            e.message = "missing label (labels are never imputed): press m until 'drop' to leave such rows out, then Enter"
        } else if m.contains("needs validation rows") {
            e.message = (m.components(separatedBy: " needs").first ?? "this method")
                + " needs validation rows: set the validation fraction above 0 (→ on the Method screen)"
        } else if m.hasPrefix("--valid-fraction and --test-fraction") {
            e.message = "the validation and test fractions must each be in [0, 1) and add up to less than 1"
        } else if m.hasPrefix("--") {
            // A parameter's value refused: the field is named without the flag's dashes.
            e.message = String(m.dropFirst(2))
        }
        return e.description
    }
}
