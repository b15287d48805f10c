import CNcurses
import Foundation
import Synchronization

/// The one file that talks to ncurses: sets the terminal up, reads keys with a timeout and
/// shows a `Grid`, redrawing only the cells that changed. Everything else in WorthTUI is plain
/// Swift drawing into grids.
final class Terminal {
    /// Whether colours are used (off with `NO_COLOR` or a terminal without colours).
    let colors: Bool
    /// Whether the locale is UTF-8 (else drawing falls back to ASCII).
    let unicode: Bool
    private var shown: Grid?
    private var grayAttribute: attr_t = 0

    /// Takes over the terminal. Call `restore()` on every way out.
    init(noColor: Bool) {
        unicode = worth_locale_is_utf8() != 0
        initscr()
        raw()
        noecho()
        nonl()
        keypad(worth_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        if !noColor && has_colors() {
            start_color()
            use_default_colors()
            let table: [(Color, Int16)] = [(.red, Int16(COLOR_RED)), (.green, Int16(COLOR_GREEN)), (.yellow, Int16(COLOR_YELLOW)),
                                           (.blue, Int16(COLOR_BLUE)), (.magenta, Int16(COLOR_MAGENTA)), (.cyan, Int16(COLOR_CYAN))]
            for (c, n) in table { init_pair(Int16(c.rawValue), n, -1) }
            // Gray: bright black where the terminal has 16 colours, else dim white.
            if worth_colors() >= 16 { init_pair(Int16(Color.gray.rawValue), 8, -1) } else {
                init_pair(Int16(Color.gray.rawValue), Int16(COLOR_WHITE), -1)
                grayAttribute = worth_attr_dim()
            }
            colors = true
        } else {
            colors = false
        }
    }

    /// Gives the terminal back as it was.
    func restore() {
        endwin()
    }

    /// The terminal's size in cells.
    var size: (width: Int, height: Int) { (Int(worth_cols()), Int(worth_lines())) }

    /// Waits up to `milliseconds` for a key; nil on timeout.
    func readKey(timeout milliseconds: Int) -> Key? {
        wtimeout(worth_stdscr(), Int32(milliseconds))
        var isKeyCode: Int32 = 0
        let c = worth_read(&isKeyCode)
        if c == ERR && isKeyCode == 0 { return nil }
        if isKeyCode != 0 {
            switch c {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_ENTER: return .enter
            case KEY_BTAB: return .backTab
            case KEY_BACKSPACE: return .backspace
            case KEY_DC: return .delete
            case KEY_RESIZE: return .resize
            default: return nil
            }
        }
        switch c {
        case 3: return .interrupt
        case 26: return .suspend
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 0..<32: return nil
        default: return Unicode.Scalar(UInt32(c)).map { .char(Character($0)) }
        }
    }

    /// Shows `grid`, writing only cells that differ from what is on screen.
    func show(_ grid: Grid) {
        let full = shown.map { $0.width != grid.width || $0.height != grid.height } ?? true
        if full { werase(worth_stdscr()) }
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                let cell = grid[x, y]
                if !full, let old = shown, old[x, y] == cell { continue }
                // The bottom-right cell is skipped: writing it scrolls some terminals.
                if y == grid.height - 1 && x == grid.width - 1 { continue }
                var attrs: attr_t = 0
                let a = cell.style.attributes
                if a.contains(.bold) { attrs |= worth_attr_bold() }
                if a.contains(.dim) { attrs |= worth_attr_dim() }
                if a.contains(.reverse) { attrs |= worth_attr_reverse() }
                if a.contains(.underline) { attrs |= worth_attr_underline() }
                var pair: Int16 = 0
                if colors && cell.style.color != .normal {
                    pair = Int16(cell.style.color.rawValue)
                    if cell.style.color == .gray { attrs |= grayAttribute }
                }
                let scalar = cell.character.unicodeScalars.first.map { Int32(bitPattern: $0.value) } ?? 32
                _ = worth_put(Int32(y), Int32(x), wchar_t(scalar), attrs, pair)
            }
        }
        wrefresh(worth_stdscr())
        shown = grid
    }

    /// Forgets what is on screen so the next `show` redraws everything (after a resize).
    func invalidate() { shown = nil }

    /// Gives the terminal back and stops the program as a shell's job (Ctrl-Z); returns when it
    /// is continued (`fg`, SIGCONT), with the terminal taken over again and to be redrawn.
    func suspend() {
        endwin()
        signal(SIGTSTP, SIG_DFL)
        // The key loop may run on a thread that blocks signals (a Dispatch worker): unblock
        // SIGTSTP here so raising it stops the program now, before the terminal is taken back.
        var tstp = sigset_t(), previous = sigset_t()
        sigemptyset(&tstp)
        sigaddset(&tstp, SIGTSTP)
        pthread_sigmask(SIG_UNBLOCK, &tstp, &previous)
        raise(SIGTSTP)
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        installSuspendHandler()
        refresh()
        invalidate()
    }
}

/// The signal that asked the program to end (SIGINT, SIGTERM, SIGHUP), or 0.
let terminationSignal = Atomic<Int32>(0)

/// Whether a SIGTSTP from outside (`kill -TSTP`) asked the program to suspend.
let suspendSignal = Atomic<Bool>(false)

/// Installs handlers that only record the signal; the key loop sees it within one poll and
/// restores the terminal on its way out (or suspends). Crashes restore the terminal in the C shim.
func installSignalHandlers() {
    for s in [SIGINT, SIGTERM, SIGHUP] {
        signal(s) { received in terminationSignal.store(received, ordering: .relaxed) }
    }
    installSuspendHandler()
    worth_install_fatal_handlers()
}

private func installSuspendHandler() {
    signal(SIGTSTP) { _ in suspendSignal.store(true, ordering: .relaxed) }
}
