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


def rendered(prefix):
    """The page as `man -l` shows it at 80 columns, without overstriking."""
    shown = subprocess.run(["man", "-l", str(installed(prefix)["man"])], capture_output=True, text=True,
                           env={**os.environ, "MANWIDTH": "80", "MAN_KEEP_FORMATTING": "0", "LANG": "C.UTF-8"})
    assert shown.returncode == 0 and shown.stderr == "", shown.stderr
    return re.sub(".\x08", "", shown.stdout)


def section(text, heading):
    """The text of the section `heading` of a rendered page."""
    match = re.search(rf"^{heading}\n(.*?)(?=^[A-Z][A-Z ]+\n|\Z)", text, re.M | re.S)
    assert match, f"no {heading} section"
    return match.group(1)


def product_sources():
    """The Swift sources of what ptrack runs (not the benchmarks, not the generator)."""
    return [path for path in (REPO / "Sources").rglob("*.swift")
            if path.parts[len(REPO.parts) + 1] not in ("ptrack-bench", "ptrack-gen", "TrackerGenerator")]


def exit_statuses_in_the_code():
    """Every exit status the code can end with: the sysexits of TrackerError.exitCode, the
    literal ExitCode(N)s, and 128 + N for a signal."""
    codes = {"0"}
    for path in product_sources():
        text = path.read_text()
        codes |= set(re.findall(r"\bExitCode\((\d+)\)", text))
        if re.search(r"\bExitCode\(128 \+", text):
            codes.add("128 + N")
        if path.name == "TrackerError.swift":
            codes |= set(re.findall(r"case \.\w+: (\d+)$", text, re.M))
    return codes


def test_man_has_the_sections_people_look_for(prefix):
    text = rendered(prefix)
    for heading in ("ENVIRONMENT", "FILES", "EXIT STATUS", "EXAMPLES", "SEE ALSO"):
        assert f"\n{heading}\n" in text, heading
    assert "0 on success, and >0 if an error occurs" not in text
    files = section(text, "FILES")
    for name in ("catalog.json", "changes.jsonl", "snapshot.jsonl", "config.json", "themes"):
        assert name in files, name


def test_man_and_help_list_every_exit_status_the_code_uses(prefix):
    codes = exit_statuses_in_the_code()
    assert {"0", "1", "64", "65", "66", "69", "74", "75", "78", "128 + N"} <= codes, codes
    listed = section(rendered(prefix), "EXIT STATUS")
    helped = subprocess.run([binary(), "--help"], capture_output=True, text=True, check=True).stdout
    for code in codes:
        assert re.search(rf"^ +{re.escape(code)}\b", listed, re.M), f"exit status {code} is not in the manual:\n{listed}"
        assert re.search(rf"\b{re.escape(code.replace(' ', ''))}\b", helped), f"exit status {code} is not in --help"


def test_man_lists_every_environment_variable_the_code_reads(prefix):
    variables = set()
    for path in product_sources():
        text = path.read_text()
        variables |= set(re.findall(r'environment\[?\(?"([A-Z_]+)"', text))
        variables |= set(re.findall(r'fixed\("([A-Z_]+)"\)', text))
        variables |= set(re.findall(r'Variable = "([A-Z_]+)"', text))
    assert {"PTRACK_DATA", "NO_COLOR", "SOURCE_DATE_EPOCH", "PTRACK_NOW", "ESCDELAY"} <= variables, variables
    listed = section(rendered(prefix), "ENVIRONMENT")
    for variable in variables:
        assert re.search(rf"\b{variable}\b", listed), f"{variable} is not in the manual's ENVIRONMENT"


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
        session.complete(f"ptrack list --data {data} --catalog camp-david-2", f"ptrack list --data {data} --catalog camp-david-2023")
        session.complete(f"ptrack report --data {data} --category secu", f"ptrack report --data {data} --category security")
        missing = tmp_path / "missing"
        screen = session.complete(f"ptrack --data {missing} show gso", f"ptrack --data {missing} show gso")
        assert "gsomia" not in screen
        assert not missing.exists()
    finally:
        session.close()


def test_the_changelog_releases_the_version_ptrack_says(ptrack):
    """CHANGELOG.md in the Keep a Changelog form: Unreleased first, then released versions
    newest first, each dated and with each kind of change at most once; the newest is the
    version `ptrack --version` prints."""
    text = (REPO / "CHANGELOG.md").read_text()
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings[0] == "[Unreleased]", headings[:2]
    released = [re.fullmatch(r"\[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})", heading) for heading in headings[1:]]
    assert released and all(released), headings
    assert [match.group(2) for match in released] == sorted((match.group(2) for match in released), reverse=True)
    assert ptrack.ok("--version").strip() == released[0].group(1)
    for body in re.split(r"^## .+$", text, flags=re.M)[1:]:
        kinds = re.findall(r"^### (.+)$", body, re.M)
        assert set(kinds) <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}, kinds
        assert len(kinds) == len(set(kinds)), kinds
