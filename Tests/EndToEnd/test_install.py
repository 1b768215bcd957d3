"""The manual page and the shell completions, installed as `make install` installs them
(scripts/install-docs.sh over the release build), then read by `man` and used by bash, zsh
and fish in a real terminal: each shell runs in tmux, the test types a command line and
presses Tab, and reads what the shell completed."""

import os
import pathlib
import re
import subprocess
import time
import uuid

import pytest

from conftest import REPO, binary, initialise

SHELLS = ("bash", "zsh", "fish")


@pytest.fixture(scope="module")
def prefix(tmp_path_factory):
    """An installation prefix filled by scripts/install-docs.sh."""
    build = pathlib.Path(binary()).parent
    if not (build / "generate-manual").exists():
        pytest.fail(f"{build}/generate-manual is missing: `swift build -c release --product generate-manual`", pytrace=False)
    root = tmp_path_factory.mktemp("prefix")
    subprocess.run([REPO / "scripts" / "install-docs.sh", build, root], check=True,
                   env={**os.environ, "SOURCE_DATE_EPOCH": "1764547200"})
    return root


def installed(prefix):
    share = prefix / "share"
    return {"man": share / "man/man1/ptrack.1", "bash": share / "bash-completion/completions/ptrack",
            "zsh": share / "zsh/site-functions/_ptrack", "fish": share / "fish/vendor_completions.d/ptrack.fish"}


def subcommands():
    out = subprocess.run([binary(), "--help"], capture_output=True, text=True, check=True).stdout
    section = out.split("SUBCOMMANDS:")[1]
    return re.findall(r"^  ([a-z][a-z-]*) ", section, re.M)


def test_man_renders_every_command(prefix):
    """`man -l` renders the page without a warning; it names every subcommand and their
    options, taken from the argument parser."""
    page = installed(prefix)["man"]
    shown = subprocess.run(["man", "-l", str(page)], capture_output=True, text=True,
                           env={**os.environ, "MANWIDTH": "80", "MAN_KEEP_FORMATTING": "0", "LANG": "C.UTF-8"})
    assert shown.returncode == 0 and shown.stderr == "", shown.stderr
    text = re.sub(".\x08", "", shown.stdout)                 # bold and underline by overstriking
    assert text.startswith("PTRACK(1)") and "December 1, 2025" in text
    for heading in ("NAME", "SYNOPSIS", "DESCRIPTION"):
        assert f"\n{heading}\n" in text
    names = subcommands()
    assert {"list", "mark", "review", "report", "diff", "verify"} <= set(names)
    for name in names:
        assert re.search(rf"^ {{5}}{name}\b", text, re.M), f"{name} is not in the page"
    for option in ("--stale-days", "--evidence", "--as-of", "--format", "--data"):
        assert option in text


@pytest.mark.parametrize("shell", SHELLS)
def test_completion_script_is_valid(prefix, shell):
    """Each shell reads its script without a syntax error."""
    result = subprocess.run([shell, "-n", str(installed(prefix)[shell])], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


class Shell:
    """An interactive shell in a detached tmux session, with ptrack on its PATH and its
    completion loaded as the shell's own configuration would load it."""

    SETUP = {
        "bash": "PS1='$ '; source {bash}",
        "zsh": "PS1='$ '; fpath=({zsh_dir} $fpath); autoload -Uz compinit; compinit -u -D",
        "fish": "function fish_prompt; echo '$ '; end; source {fish}",
    }
    COMMAND = {"bash": ["bash", "--norc", "--noprofile", "-i"], "zsh": ["zsh", "-f", "-i"], "fish": ["fish", "-N", "-i"]}

    def __init__(self, shell, prefix, home):
        self.socket = f"ptrack-shell-{uuid.uuid4().hex[:8]}"
        env = {"PATH": f"{pathlib.Path(binary()).parent}:/usr/bin:/bin", "HOME": str(home), "TERM": "xterm",
               "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data")}
        exports = [f"{key}={value}" for key, value in env.items()]
        self.tmux("new-session", "-d", "-s", "shell", "-x", "200", "-y", "40", "env", "-i", *exports, *self.COMMAND[shell])
        paths = installed(prefix)
        self.type(self.SETUP[shell].format(bash=paths["bash"], zsh_dir=paths["zsh"].parent, fish=paths["fish"]))
        self.keys("Enter")
        self.type("clear")
        self.keys("Enter")
        time.sleep(0.5)

    def tmux(self, *args):
        return subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True, check=True)

    def type(self, text):
        self.tmux("send-keys", "-t", "shell", "-l", text)

    def keys(self, *keys):
        self.tmux("send-keys", "-t", "shell", *keys)

    def screen(self):
        return self.tmux("capture-pane", "-p", "-t", "shell").stdout

    def complete(self, line, expected, timeout=10.0):
        """Types `line`, presses Tab, and waits for `expected` on the screen; clears the line."""
        self.type(line)
        self.keys("Tab")
        deadline = time.monotonic() + timeout
        while expected not in self.screen():
            if time.monotonic() > deadline:
                raise AssertionError(f"{expected!r} not completed from {line!r}:\n{self.screen()}")
            time.sleep(0.1)
            if time.monotonic() + timeout / 2 > deadline:
                self.keys("Tab")
        screen = self.screen()
        self.keys("C-e", "C-u")                                  # the line is never run
        self.type("clear")
        self.keys("Enter")
        time.sleep(0.3)
        return screen

    def close(self):
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.mark.parametrize("shell", SHELLS)
def test_shells_complete_ids_and_statuses(ptrack, prefix, tmp_path, shell):
    """Tab completes a recommendation id, a catalog and a category from the tracker `--data`
    names, a status, and a report format; completing never creates a tracker where there is
    none."""
    data = tmp_path / "data"
    initialise(ptrack, data)
    session = Shell(shell, prefix, tmp_path)
    try:
        session.complete(f"ptrack --data {data} show gso", f"ptrack --data {data} show gsomia")
        session.complete(f"ptrack mark --data {data} gsomia imp", f"ptrack mark --data {data} gsomia implemented")
        session.complete("ptrack report --format htm", "ptrack report --format html")
        session.complete(f"ptrack list --data {data} --catalog cam", f"ptrack list --data {data} --catalog camp-david-2023")
        session.complete(f"ptrack report --data {data} --category secu", f"ptrack report --data {data} --category security")
        missing = tmp_path / "missing"
        screen = session.complete(f"ptrack --data {missing} show gso", f"ptrack --data {missing} show gso")
        assert "gsomia" not in screen
        assert not missing.exists()
    finally:
        session.close()
