/// A key press, decoded from the terminal into what the workbench acts on.
enum Key: Sendable, Hashable {
    case char(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    /// Ctrl-C typed while the terminal is in raw mode.
    case interrupt
    /// Ctrl-Z typed while the terminal is in raw mode (or a SIGTSTP sent from outside).
    case suspend
    /// The terminal changed size.
    case resize
}
