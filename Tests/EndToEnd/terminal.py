"""The browser in a real terminal, for the end-to-end tests: tmux runs ptrack in a
detached session of its own server, send-keys types, capture-pane reads the screen, and
`stty -a` before and after tells whether the terminal was restored."""

import os
import re
import subprocess
import time
import uuid

from conftest import binary


def drain_pty(master):
    """Everything written to the pseudo-terminal whose `master` end this is, until its last
    writer closes it, and how many seconds after the call its first byte came (None when
    none did); closes `master`."""
    started, chunks, first = time.monotonic(), [], None
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the terminal's last writer closed it
            break
        if not chunk:
            break
        first = first if first is not None else time.monotonic() - started
        chunks.append(chunk)
    os.close(master)
    return b"".join(chunks), first


class Browser:
    """ptrack running in a detached tmux session of its own server."""

    def __init__(self, ptrack, data, tmp_path, width=100, height=30, term="xterm-256color", extra_env=None, args=(),
                 prefix=()):
        self.socket = f"ptrack-{uuid.uuid4().hex[:8]}"
        self.session = "browser"
        self.result = tmp_path / "exit.txt"
        env = ptrack.env(**(extra_env or {}))
        exports = " ".join(f"{key}={shell_quote(str(value))}" for key, value in env.items()
                           if key not in ("TERM", "LINES", "COLUMNS"))
        command = " ".join(shell_quote(part) for part in [*prefix, binary(), "--data", data, *args])
        before, written = (shell_quote(str(tmp_path / name)) for name in ("stty-before.txt", "exit.tmp"))
        # The exit status, the terminal's settings after and before, written at once. LINES
        # and COLUMNS are unset: the pane inherits the environment of the process that
        # started the tmux server, where GNU readline (once imported, as under pytest) sets
        # them to 80 and 24, and ncurses would take them over the pane's size. Ctrl-C in a
        # program ptrack runs in the terminal does not end the script, as it would not end
        # an interactive shell.
        script = (f"trap : INT; unset LINES COLUMNS; export {exports} TERM={term}; stty -a > {before}; {command}; status=$?; "
                  f"{{ echo EXIT=$status; stty -a; echo BEFORE; cat {before}; }} > {written}; "
                  f"mv {written} {shell_quote(str(self.result))}; sleep 60")
        self.tmux("new-session", "-d", "-s", self.session, "-x", str(width), "-y", str(height), "sh", "-c", script)

    def tmux(self, *args, check=True):
        return subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args], check=check,
                              capture_output=True, text=True)

    def keys(self, *keys):
        self.tmux("send-keys", "-t", self.session, *keys)

    def escape(self):
        """Esc on its own, as a person types it: a key right behind it would make the two
        one Alt key, so this waits past the browser's Esc delay."""
        self.keys("Escape")
        time.sleep(0.1)

    def type(self, text):
        self.tmux("send-keys", "-t", self.session, "-l", text)

    def paste(self, text):
        """Pastes `text` as a terminal does: between ESC [ 200 ~ and ESC [ 201 ~ when the
        program asked for bracketed paste, line feeds kept as they are."""
        self.tmux("set-buffer", "-b", "pasted", "--", text)
        self.tmux("paste-buffer", "-p", "-r", "-d", "-b", "pasted", "-t", self.session)

    def clipboard(self, expected, timeout=5.0):
        """Waits until tmux's newest buffer holds `expected`, what the program copied with
        OSC 52 (the server's set-clipboard must be on); returns it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            copied = self.tmux("show-buffer", check=False).stdout
            if copied == expected:
                return copied
            time.sleep(0.05)
        raise AssertionError(f"the clipboard holds {self.tmux('show-buffer', check=False).stdout!r}, not {expected!r}")

    def select(self, item):
        """Selects `item` as a person would: `/`, its id, Enter."""
        self.keys("/")
        self.type(item)
        self.keys("Enter")
        self.wait_for(f"search: /{item}")

    def screen(self):
        return self.tmux("capture-pane", "-p", "-t", self.session).stdout

    def wait_for(self, text, timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} did not appear on the screen:\n{self.screen()}")

    def wait_gone(self, text, timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text not in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} stayed on the screen:\n{self.screen()}")

    def resize(self, width, height):
        self.tmux("resize-window", "-t", self.session, "-x", str(width), "-y", str(height))

    def exit_report(self, timeout=5.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.result.exists() and "speed" in self.result.read_text():
                return self.result.read_text()
            time.sleep(0.05)
        raise AssertionError(f"ptrack did not exit; screen:\n{self.screen()}")

    def pid(self):
        out = subprocess.run(["pgrep", "-f", f"{binary()} --data"], capture_output=True, text=True).stdout.split()
        return [int(p) for p in out]

    def close(self):
        self.tmux("kill-server", check=False)


def shell_quote(text):
    return "'" + str(text).replace("'", "'\\''") + "'"


def assert_restored(report, status=0):
    """The browser exited with `status` and left the terminal's settings (`stty -a`) as
    they were before it started, but for the size, which a test may have changed."""
    assert report.startswith(f"EXIT={status}\n"), report
    settings, before = report.split("\n", 1)[1].split("BEFORE\n")
    for flag in (" icanon", " echo ", " isig", " icrnl", " opost"):
        assert flag in " " + settings.replace("\n", " ") + " ", f"terminal not restored: {flag.strip()} missing\n{settings}"
    assert without_size(settings) == without_size(before), f"terminal settings changed:\n{before}\n→\n{settings}"


def without_size(settings):
    return re.sub(r"rows \d+; columns \d+;", "", settings)
