"""Shared helpers for ptrack's end-to-end tests.

The tests run the built binary named by $PTRACK_BIN (the Makefile sets it) as a user would,
always on temporary data directories and with HOME pointing at a temporary directory, so they
never touch the real tracker of whoever runs them.
"""

import hashlib
import json
import os
import pathlib
import shutil
import stat
import subprocess
import tempfile

import pytest

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
BUNDLED = REPO / "Sources" / "PolicyTrackerCore" / "Bundled"

# The data directory's files, as TrackerFiles names them.
CATALOG = "catalog.json"
CHANGES = "changes.jsonl"
SNAPSHOT = "snapshot.jsonl"
LOCK = ".lock"

STATUSES = ["not-started", "in-progress", "partial", "implemented", "stalled", "reversed"]
BUNDLED_COUNT = 47

# Variables that would steer ptrack away from the test's data or change its output.
SCRUBBED = (
    "PTRACK_DATA",
    "PTRACK_THEME",
    "XDG_DATA_HOME",
    "XDG_CONFIG_HOME",
    "VISUAL",
    "EDITOR",
    "NO_COLOR",
    "PTRACK_LOCK_TIMEOUT",
    "COLUMNS",
    "LINES",
    "SOURCE_DATE_EPOCH",
    "PTRACK_NOW",
)


def binary():
    """The ptrack binary under test; fails (never skips) when $PTRACK_BIN is not usable."""
    path = os.environ.get("PTRACK_BIN", "")
    if not path:
        pytest.fail(
            "PTRACK_BIN is not set: build ptrack (swift build -c release) and run "
            "`PTRACK_BIN=/path/to/release/ptrack python3 -m pytest Tests/EndToEnd` (or `make e2e-test`)",
            pytrace=False,
        )
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(f"PTRACK_BIN={path!r} is not an executable file", pytrace=False)
    return os.path.abspath(path)


def clean_env(home, **overrides):
    """The environment ptrack runs in: ours without the variables that steer it, HOME set
    to `home`, TERM set to a color-capable terminal (so any lack of color is ptrack's own
    choice), plus `overrides` (a value of None removes the variable)."""
    env = {key: value for key, value in os.environ.items() if key not in SCRUBBED}
    env["HOME"] = str(home)
    env["TERM"] = "xterm-256color"
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = str(value)
    return env


def command_line(args, data=None):
    argv = [binary(), *[str(arg) for arg in args]]
    if data is not None:
        argv += ["--data", str(data)]
    return argv


def run_ptrack(*args, home, env=None, data=None, input=None, raw=False, timeout=60, cwd=None, prefix=()):
    """Runs ptrack; returns (returncode, stdout, stderr), text unless `raw`.

    `env` holds overrides of the clean environment (None removes a variable); `data`
    appends `--data DIR`; `prefix` is a command to run ptrack through (e.g. setpriv)."""
    result = subprocess.run(
        [*prefix, *command_line(args, data)],
        cwd=cwd,
        env=clean_env(home, **(env or {})),
        input=input.encode() if isinstance(input, str) else input,
        stdin=None if input is not None else subprocess.DEVNULL,
        capture_output=True,
        timeout=timeout,
    )
    if raw:
        return result.returncode, result.stdout, result.stderr
    return result.returncode, result.stdout.decode("utf-8"), result.stderr.decode("utf-8")


class Ptrack:
    """Runs ptrack for one test, with its own temporary HOME."""

    def __init__(self, home):
        self.home = home

    def env(self, **overrides):
        return clean_env(self.home, **overrides)

    def argv(self, *args, data=None):
        return command_line(args, data)

    def __call__(self, *args, env=None, data=None, input=None, raw=False, timeout=60, cwd=None, prefix=()):
        return run_ptrack(*args, home=self.home, env=env, data=data, input=input, raw=raw, timeout=timeout,
                          cwd=cwd, prefix=prefix)

    def ok(self, *args, **kwargs):
        """Runs ptrack and asserts it succeeded; returns stdout."""
        code, out, err = self(*args, **kwargs)
        assert code == 0, f"ptrack {' '.join(map(str, args))} exited {code}\nstdout: {out!r}\nstderr: {err!r}"
        return out

    def json(self, *args, **kwargs):
        """Runs ptrack, asserts success, and parses stdout as JSON."""
        return json.loads(self.ok(*args, **kwargs))


@pytest.fixture(scope="session", autouse=True)
def _require_binary():
    binary()


@pytest.fixture
def home(tmp_path):
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def ptrack(home):
    """A callable running ptrack: ptrack(*args, env=…, data=…) -> (code, stdout, stderr)."""
    return Ptrack(home)


@pytest.fixture
def run(ptrack):
    """The same as `ptrack`, under the name the helpers' description uses."""
    return ptrack


def initialise(ptrack, directory):
    """Makes `directory` a fresh tracker filled with the bundled agenda."""
    code, out, err = ptrack("list", "--json", data=directory)
    assert code == 0, err
    assert len(json.loads(out)) == BUNDLED_COUNT
    assert "created a new tracker in" in err
    return str(directory)


@pytest.fixture
def data_dir(ptrack, tmp_path):
    """A fresh, initialised tracker directory (the bundled agenda, nothing recorded yet)."""
    return initialise(ptrack, tmp_path / "data")


# ---------------------------------------------------------------- file helpers


def file_hashes(directory):
    """Every entry under `directory` (recursively) → a digest of its bytes (or a marker for
    directories and symbolic links), so any change to any file is noticed."""
    result = {}
    for root, dirs, files in os.walk(directory):
        for name in dirs:
            path = os.path.join(root, name)
            result[os.path.relpath(path, directory)] = ("dir", oct(os.stat(path).st_mode))
        for name in files:
            path = os.path.join(root, name)
            info = os.lstat(path)
            if os.path.islink(path):
                result[os.path.relpath(path, directory)] = ("link", os.readlink(path))
                continue
            with open(path, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
            result[os.path.relpath(path, directory)] = ("file", digest, oct(info.st_mode))
    return result


def log_lines(directory):
    """The lines of changes.jsonl as bytes, each without its newline (a torn tail included)."""
    data = pathlib.Path(directory, CHANGES).read_bytes()
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def log_changes(directory):
    """Every line of changes.jsonl parsed as JSON (all lines must be complete and valid)."""
    data = pathlib.Path(directory, CHANGES).read_bytes()
    assert data.endswith(b"\n"), "changes.jsonl must end with a newline"
    return [json.loads(line) for line in data.split(b"\n")[:-1] if line.strip()]


def check_files_parse(directory, context):
    """catalog.json is a whole JSON document; every line of snapshot.jsonl (when present)
    and every complete line of changes.jsonl is a JSON object (only an unterminated tail of
    the log may be torn)."""
    json.loads(pathlib.Path(directory, CATALOG).read_bytes())
    data = pathlib.Path(directory, CHANGES).read_bytes()
    complete = data.split(b"\n")[:-1]
    for number, line in enumerate(complete, 1):
        try:
            json.loads(line)
        except ValueError as error:
            raise AssertionError(f"{context}: changes.jsonl line {number} is not JSON: {error}: {line[:120]!r}")
    snapshot = pathlib.Path(directory, SNAPSHOT)
    if snapshot.exists():
        raw = snapshot.read_bytes()
        assert raw.endswith(b"\n"), f"{context}: snapshot.jsonl ends in the middle of a line"
        for number, line in enumerate(raw.split(b"\n")[:-1], 1):
            try:
                json.loads(line)
            except ValueError as error:
                raise AssertionError(f"{context}: snapshot.jsonl line {number} is not JSON: {error}")
    return data


def replayed_without_snapshot(ptrack, data, tmp_path):
    """`list --json` on a copy of the tracker without its snapshot: a full replay."""
    copy = tmp_path / "copy"
    shutil.copytree(data, copy)
    (copy / SNAPSHOT).unlink(missing_ok=True)
    return ptrack.json("list", "--json", data=copy)


def bundled_changes():
    return [json.loads(line) for line in (BUNDLED / CHANGES).read_text(encoding="utf-8").splitlines() if line.strip()]


def bundled_catalog():
    return json.loads((BUNDLED / CATALOG).read_text(encoding="utf-8"))


def items_by_id(ptrack, data):
    return {item["id"]: item for item in ptrack.json("list", "--json", data=data)}


NOBODY = 65534


def privilege_drop():
    """How to run ptrack as an unprivileged user: root ignores permission bits."""
    if os.geteuid() != 0:
        return ()
    if shutil.which("setpriv"):
        return ("setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups")
    if shutil.which("runuser"):
        return ("runuser", "-u", "nobody", "--")
    pytest.fail("the tests run as root, and neither setpriv nor runuser (util-linux) is installed "
                "to run ptrack as an unprivileged user")


@pytest.fixture
def shared_base():
    """A directory in /tmp any user may traverse (for the unprivileged cases)."""
    base = tempfile.mkdtemp(prefix="ptrack-broken-", dir="/tmp")
    os.chmod(base, 0o755)
    yield base
    for root, dirs, files in os.walk(base):
        for name in dirs + files:
            if not os.path.islink(os.path.join(root, name)):
                os.chmod(os.path.join(root, name), 0o755)
    shutil.rmtree(base)


# ---------------------------------------------------------------- $EDITOR


def editor(tmp_path, body, name="editor.sh", status=0):
    """A script usable as $EDITOR: copies the file it opens to seen.txt, then runs `body`
    (shell, with the file as $1) and exits with `status`."""
    path = tmp_path / name
    path.write_text(f'#!/bin/sh\ncp "$1" "{tmp_path}/seen.txt"\n{body}\nexit {status}\n')
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return path


# ---------------------------------------------------------------- hostile text

# Text that would act on a terminal or hide itself, each class by name. Titles, notes and
# sources holding these must reach the screen and every report visibly escaped, and the
# files exactly as given. (No NUL: a command-line argument cannot hold one.)
HOSTILE = {
    "osc-0-title": "\x1b]0;pwned\x07",
    "osc-2-title-st": "\x1b]2;pwned\x1b\\",
    "osc-52-clipboard": "\x1b]52;c;cHduZWQ=\x07",
    "csi-clear-screen": "\x1b[2J",
    "csi-cursor-home": "\x1b[H",
    "csi-cursor-up": "\x1b[3A",
    "csi-red": "\x1b[31m",
    "dcs": "\x1bP+q544e\x1b\\",
    "c1-csi": "\x9b2J",
    "c1-osc": "\x9d0;pwned\x9c",
    "c1-dcs": "\x90+q544e\x9c",
    "c1-nel": "\x85",
    "carriage-return": "REJECTED\rAPPROVED",
    "backspace": "yes\b\b\bno",
    "bell": "\x07",
    "delete": "\x7f",
    "vertical-tab-form-feed": "\x0b\x0c",
    "lre": "\u202a", "rle": "\u202b", "pdf": "\u202c", "lro": "\u202d", "rlo": "\u202eexe.pdf",
    "lri": "\u2066", "rli": "\u2067", "fsi": "\u2068", "pdi": "\u2069",
    "lrm-rlm-alm": "\u200e\u200f\u061c",
    "zero-width-space": "\u200b", "zero-width-non-joiner": "\u200c", "zero-width-joiner": "\u200d",
    "word-joiner": "\u2060", "byte-order-mark": "\ufeff",
    "line-separator": "\u2028", "paragraph-separator": "\u2029",
}

# Code points that must never be written raw: C0 and C1 controls, DEL, and the characters
# that reorder text or hide themselves.
INVISIBLE = {0x061C, *range(0x200B, 0x2010), *range(0x2028, 0x202F), *range(0x2060, 0x2065), *range(0x2066, 0x206A),
             0xFEFF}


def must_escape(character):
    code = ord(character)
    return code < 0x20 or 0x7F <= code <= 0x9F or code in INVISIBLE


def shown(text):
    """`text` as ptrack shows it on a terminal: `^X` for C0 controls and DEL, `<U+XXXX>`
    for the others, a space for tabs and line breaks."""
    result = []
    for character in text.replace("\r\n", " "):
        code = ord(character)
        if character in "\t\n":
            result.append(" ")
        elif code < 0x20:
            result.append("^" + chr(code + 0x40))
        elif code == 0x7F:
            result.append("^?")
        elif must_escape(character):
            result.append(f"<U+{code:X}>")
        else:
            result.append(character)
    return "".join(result)


def raw_escapes(data, line_ending=b"\n"):
    """The characters of the bytes `data` (UTF-8) that must not be written raw, ignoring
    `line_ending`, as a sorted list of code points (empty when clean)."""
    text = data.replace(line_ending, b"\n").decode("utf-8")
    return sorted({f"U+{ord(c):04X}" for c in text if must_escape(c) and c != "\n"})


# ---------------------------------------------------------------- figures

# What the tests print (how many runs, cases, what survived), gathered from passing tests
# and shown together at the end of the run, so `make test` reports them without `-s`.
FIGURES = []


def pytest_runtest_logreport(report):
    if report.when == "call" and report.passed:
        FIGURES.extend(line.strip() for line in report.capstdout.splitlines() if line.strip())


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


# ---------------------------------------------------------------- the browser in tmux


@pytest.fixture
def browser(ptrack, data_dir, tmp_path):
    """Opens ptrack's browser on `data_dir` in tmux: browser(width=…, prefix=[…], …) -> terminal.Browser."""
    from terminal import Browser        # here: terminal.py itself imports this module
    opened = []

    def open_browser(**kwargs):
        session = Browser(ptrack, data_dir, tmp_path, **kwargs)
        opened.append(session)
        return session

    yield open_browser
    for session in opened:
        session.close()
