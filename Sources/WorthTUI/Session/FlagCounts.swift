import WorthEngine

/// How many rows are flagged, and where they are: the one count the title bar, the Run header,
/// the what-if and the export all show. A flag is a data row of the file to drop, wherever it
/// is: valued by the run, held out for its validation or test, or left out by the loader.
struct FlagCounts: Equatable, Sendable {
    /// Every flagged row of the file.
    var total = 0
    /// Flagged rows the run values (those the table lists and the what-if retrains without).
    var valued = 0
    /// Flagged rows the run holds out for validation or testing.
    var heldOut = 0
    /// Flagged rows the loader left out (missing cells).
    var dropped = 0

    /// Counts `flags` by the role each row plays in `experiment` (all as valued without one).
    init(flags: Set<Int>, experiment: Experiment?) {
        total = flags.count
        guard let roles = experiment?.roles else { valued = total; return }
        for row in flags where roles.indices.contains(row - 1) {
            switch roles[row - 1] {
            case .valued: valued += 1
            case .validation, .test: heldOut += 1
            case .dropped: dropped += 1
            }
        }
    }

    /// `46 flagged`, or `46 flagged (36 valued, 10 held out)` when not every flag is valued.
    var summary: String {
        var parts: [String] = []
        if valued != total { parts.append("\(valued) valued") }
        if heldOut > 0 { parts.append("\(heldOut) held out") }
        if dropped > 0 { parts.append("\(dropped) dropped by the loader") }
        return "\(total) flagged" + (parts.isEmpty || valued == total ? "" : " (" + parts.joined(separator: ", ") + ")")
    }
}
