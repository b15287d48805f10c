// The slice of ncursesw that WorthTUI's terminal backend uses. Swift 6 rejects the C globals
// `stdscr`, `LINES` and `COLS` (not concurrency-safe) and does not import function-like macros,
// so they are wrapped here in small inline functions.
#ifndef WORTH_CNCURSES_SHIM_H
#define WORTH_CNCURSES_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <ncursesw/curses.h>
#include <locale.h>
#include <langinfo.h>
#include <signal.h>
#include <unistd.h>
#include <wchar.h>

static inline WINDOW *worth_stdscr(void) { return stdscr; }
static inline int worth_lines(void) { return LINES; }
static inline int worth_cols(void) { return COLS; }
static inline int worth_colors(void) { return COLORS; }

static inline attr_t worth_attr_bold(void) { return A_BOLD; }
static inline attr_t worth_attr_dim(void) { return A_DIM; }
static inline attr_t worth_attr_reverse(void) { return A_REVERSE; }
static inline attr_t worth_attr_underline(void) { return A_UNDERLINE; }

/// Draws one character cell at (y, x) with attributes and colour pair.
static inline int worth_put(int y, int x, wchar_t ch, attr_t attrs, short pair) {
    cchar_t cell;
    wchar_t text[2] = { ch, 0 };
    setcchar(&cell, text, attrs, pair, NULL);
    return mvwadd_wch(stdscr, y, x, &cell);
}

/// Reads one key or character, waiting at most the window's timeout.
/// Returns ERR (-1) on timeout; `*isKeyCode` tells a KEY_* code from a character.
static inline int worth_read(int *isKeyCode) {
    wint_t ch = 0;
    int r = wget_wch(stdscr, &ch);
    if (r == ERR) { *isKeyCode = 0; return ERR; }
    *isKeyCode = (r == KEY_CODE_YES);
    return (int)ch;
}

/// True when the current locale's character set is UTF-8.
static inline int worth_locale_is_utf8(void) {
    const char *cs = nl_langinfo(CODESET);
    return cs != NULL && (cs[0] == 'U' || cs[0] == 'u') && (cs[1] == 'T' || cs[1] == 't') && (cs[2] == 'F' || cs[2] == 'f');
}

/// Last-resort handler for fatal signals (a trap, a segfault): give the terminal back, then
/// die of the same signal so the exit status and any core dump stay truthful.
static inline void worth_fatal_signal(int sig) {
    endwin();
    signal(sig, SIG_DFL);
    raise(sig);
}

/// Installs `worth_fatal_signal` for the signals a crash raises.
static inline void worth_install_fatal_handlers(void) {
    signal(SIGILL, worth_fatal_signal);
    signal(SIGTRAP, worth_fatal_signal);
    signal(SIGSEGV, worth_fatal_signal);
    signal(SIGBUS, worth_fatal_signal);
    signal(SIGABRT, worth_fatal_signal);
    signal(SIGFPE, worth_fatal_signal);
}
#endif
