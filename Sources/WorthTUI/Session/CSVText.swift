/// Text as a field of a CSV record.
enum CSVText {
    /// `text` as one field of a record separated by `delimiter`: quoted (quotes doubled) when it
    /// holds the delimiter, a quote or a line end, or begins or ends with padding the reader
    /// would trim; as it is otherwise.
    static func field(_ text: String, delimiter: Character) -> String {
        let needsQuotes = text.contains { $0 == delimiter || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
            || text.first == " " || text.last == " " || text.first == "\t" || text.last == "\t"
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
