// The wide-character ncurses API for Swift. SwiftPM drops the -D flags of ncursesw.pc, so
// the wide API is switched on here, before the header, and the C macros Swift cannot
// import are wrapped as functions.
#ifndef PTRACK_CNCURSESW_SHIM_H
#define PTRACK_CNCURSESW_SHIM_H

#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include <ncurses.h>

static inline attr_t ptrack_attr_bold(void) { return A_BOLD; }
static inline attr_t ptrack_attr_underline(void) { return A_UNDERLINE; }
static inline attr_t ptrack_attr_reverse(void) { return A_REVERSE; }
static inline attr_t ptrack_attr_dim(void) { return A_DIM; }
static inline attr_t ptrack_attr_normal(void) { return A_NORMAL; }
static inline int ptrack_key_code_yes(void) { return KEY_CODE_YES; }
static inline int ptrack_key_f(int n) { return KEY_F(n); }
static inline mmask_t ptrack_button1_pressed(void) { return BUTTON1_PRESSED; }
static inline mmask_t ptrack_button1_clicked(void) { return BUTTON1_CLICKED; }
static inline mmask_t ptrack_button4_pressed(void) { return BUTTON4_PRESSED; }
static inline mmask_t ptrack_button5_pressed(void) { return BUTTON5_PRESSED; }
static inline int ptrack_colors(void) { return COLORS; }
static inline int ptrack_color_pairs(void) { return COLOR_PAIRS; }

// Swift 6 refuses imported global variables (shared mutable state); these read them.
static inline WINDOW *ptrack_stdscr(void) { return stdscr; }
static inline FILE *ptrack_stdout(void) { return stdout; }
static inline FILE *ptrack_stdin(void) { return stdin; }

// True when the current terminal can move the cursor anywhere (has `cup`): not `dumb`.
static inline bool ptrack_can_address_cursor(void) {
    const char *cup = tigetstr("cup");
    return cup != NULL && cup != (const char *)-1;
}

// True when the current terminal has an alternate screen to leave (`rmcup`): the linux
// console and vt100 do not, and keep the last frame after endwin.
static inline bool ptrack_has_alternate_screen(void) {
    const char *rmcup = tigetstr("rmcup");
    return rmcup != NULL && rmcup != (const char *)-1;
}

// The C library's width of a character in the current locale; -1 when it cannot print it.
static inline int ptrack_wcwidth(wchar_t character) { return wcwidth(character); }

// sigaction's handler field is a union spelled differently on Linux and macOS.
// Installs `handler` for `signal` with an empty mask and no flags (no SA_RESTART, so a
// blocking read returns EINTR), keeping the previous action in `previous`.
static inline int ptrack_install_handler(int signal, void (*handler)(int), struct sigaction *previous) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    return sigaction(signal, &action, previous);
}

// Puts back an action saved by ptrack_install_handler.
static inline int ptrack_restore_handler(int signal, const struct sigaction *previous) {
    return sigaction(signal, previous, NULL);
}

// Async-signal-safe: the default action for `signal`, then the signal again.
static inline void ptrack_reraise_with_default(int signal) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    sigemptyset(&action.sa_mask);
    sigaction(signal, &action, NULL);
    raise(signal);
}

#endif
