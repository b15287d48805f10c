/// A key press, decoded from the terminal into what the workbench acts on.
public enum Key: Sendable, Equatable {
    case char(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, tab, backTab, backspace, delete
    /// Ctrl-C typed while the terminal is in raw mode.
    case interrupt
    /// The terminal changed size.
    case resize
}
