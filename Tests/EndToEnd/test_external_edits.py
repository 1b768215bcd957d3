"""Files replaced under a running browser the ways other programs replace them — an editor's
save, an in-place rewrite, `sed -i`, `mv`, `cp`, `git merge` — within the same second as the
browser's last read, some keeping the size and the modification time: the browser notices,
shows the new content with "Changed by another process: reloaded", and records its own
changes on top of the edited files, never writing back what it had read before. A change
saved right after an edit, before the browser polls the files, keeps the edit too."""

import json
import os
import pathlib
import re
import shutil
import statistics
import subprocess
import threading
import time

import pytest

from conftest import CATALOG, CHANGES
from terminal import assert_restored

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="never: make test installs tmux")

RELOADED = "Changed by another process: reloaded"
DETECTION_TIMEOUT = 3.0


# ---------------------------------------------------------------- edits


class WordEdit:
    """Changes one word of the one line of a file that holds `anchor`, where `template`
    has WORD; in Python, and as the same sed script."""

    def __init__(self, file, template, anchor):
        self.file, self.template, self.anchor = file, template, anchor
        self.pattern = re.compile(re.escape(template.encode()).replace(b"WORD", rb"(\w+)"))

    def line(self, old):
        lines = old.splitlines(keepends=True)
        return lines, next(number for number, line in enumerate(lines) if self.anchor.encode() in line)

    def current(self, old):
        lines, number = self.line(old)
        return self.pattern.search(lines[number]).group(1).decode()

    def make(self, old, word):
        """The new bytes, the same edit as a sed script, and what the browser shows after it."""
        before, after = (self.template.replace("WORD", text) for text in (self.current(old), word))
        lines, number = self.line(old)
        lines[number] = lines[number].replace(before.encode(), after.encode(), 1)
        return b"".join(lines), f"/{self.anchor}/s/{before}/{after}/", word


# The first word of dtt's title, and a word of the note of the revert that withdrew dtt's
# first bundled status: the newest entry of dtt's bundled history, shown right below the
# browser's own marks.
TITLE = WordEdit(CATALOG, '"title": "WORD the Defence Trilateral Talks', "the Defence Trilateral Talks (DTT)\",")
NOTE = WordEdit(CHANGES, "Withdrawn: a WORD about January", '"changeId":"agenda-2026-dtt-1"')


def next_word(current, number, same_size):
    """A word unique to the round, as long as `current` or three characters longer."""
    return f"W{number}".ljust(len(current) if same_size else len(current) + 3, "x")


# ---------------------------------------------------------------- ways of replacing a file


def editor_save(path, new, script, spare):
    """Writes a new file beside the old one and renames it over (a new inode)."""
    temporary = path.with_name(path.name + "~new")
    temporary.write_bytes(new)
    os.rename(temporary, path)


def in_place(path, new, script, spare):
    """Rewrites the file in place (the same inode), as vim with backupcopy=yes does."""
    with open(path, "r+b") as handle:
        handle.write(new)
        handle.truncate()


def sed_in_place(path, new, script, spare):
    subprocess.run(["sed", "-i", "-e", script, str(path)], check=True)


def mv_over(path, new, script, spare):
    prepared = spare / path.name
    prepared.write_bytes(new)
    subprocess.run(["mv", str(prepared), str(path)], check=True)


def cp_over(path, new, script, spare):
    """Copies a prepared file over the old one: the same inode, new content."""
    prepared = spare / path.name
    prepared.write_bytes(new)
    subprocess.run(["cp", str(prepared), str(path)], check=True)


def shell_append(path, new, script, spare):
    """Appends what `new` adds, as another tool's `>>` does."""
    old = path.read_bytes()
    assert new.startswith(old)
    subprocess.run(["sh", "-c", 'printf "%s" "$1" >> "$2"', "sh", new[len(old):].decode(), str(path)], check=True)


WAYS = {"editor": editor_save, "in-place": in_place, "sed": sed_in_place, "mv": mv_over, "cp": cp_over,
        "append": shell_append}


# ---------------------------------------------------------------- the browser under edits


def identity(path):
    info = os.stat(path)
    return info.st_size, info.st_mtime_ns, info.st_ino


class Session:
    """A wide browser showing dtt and its history beside the list; it saves marks of dtt,
    and counts how edits of the files under it are noticed."""

    def __init__(self, browser, data_dir):
        self.data = pathlib.Path(data_dir)
        self.spare = self.data.parent / "prepared"
        self.spare.mkdir(exist_ok=True)
        # Tall enough for dtt's detail to show its history's first bundled entry below the
        # browser's marks (each adds an entry and a check finding).
        self.b = browser(width=160, height=90)
        self.b.wait_for("222-dialogue")
        self.b.keys("/")
        self.b.type("dtt")
        self.b.keys("Enter")
        self.b.wait_for("dtt — ")
        self.saves = 0
        self.rounds = 0
        self.detected = 0
        self.unchanged_identity = 0
        self.latencies = []
        self.missed = []

    def path(self, name):
        return self.data / name

    def last_note(self):
        last = self.path(CHANGES).read_bytes().rstrip(b"\n").rsplit(b"\n", 1)[-1]
        try:
            return json.loads(last).get("note")
        except ValueError:
            return None

    def save(self):
        """Marks dtt implemented from the browser, with a note of its own, without waiting
        for anything on screen first; returns the note once the log holds it and the screen
        says so."""
        self.saves += 1
        note = f"browser save {self.saves}"
        before = self.path(CHANGES).read_bytes()
        self.b.keys("x")
        self.b.type(note)
        self.b.keys("Enter")
        deadline = time.monotonic() + 10
        while self.last_note() != note:
            assert time.monotonic() < deadline, f"the browser did not save {note!r}:\n{self.b.screen()}"
            time.sleep(0.01)
        self.b.wait_for("Saved: dtt")
        assert self.path(CHANGES).read_bytes().startswith(before), "the browser rewrote the log"
        return note

    def shows(self, screen, shown, gone):
        return shown in screen and (gone is None or gone not in screen)

    def wait_shown(self, shown, gone=None):
        """Seconds until the screen shows `shown` (and not `gone`) with the reload message;
        None when it did not within the timeout."""
        start = time.monotonic()
        while time.monotonic() - start < DETECTION_TIMEOUT:
            screen = self.b.screen()
            if RELOADED in screen and self.shows(screen, shown, gone):
                return time.monotonic() - start
            time.sleep(0.01)
        return None

    def edit_and_save(self, what, edit, shown, gone=None, race=False):
        """Runs `edit`, which changes the files at once (the browser's last read was its last
        save, moments ago). Unless `race`, waits for the browser to show `shown` (and no
        longer `gone`) and say it reloaded; then saves a mark from the browser and checks it
        landed on top of the edited files."""
        self.rounds += 1
        edit()
        catalog, log = self.path(CATALOG).read_bytes(), self.path(CHANGES).read_bytes()
        if race:
            self.check_saved_on_top(catalog, log)
            found = self.shows(self.b.screen(), shown, gone)
        else:
            latency = self.wait_shown(shown, gone)
            found = latency is not None
            if found:
                self.latencies.append(latency * 1000)
            self.check_saved_on_top(catalog, log)
        self.detected += found
        if not found:
            self.missed.append(f"case {self.rounds}: {what}{' (saved before the poll)' if race else ''}")

    def replace(self, name, way, new, script=None, shown="", gone=None, keep_mtime=False, race=False):
        """Replaces file `name` with `new` in `way` (see ``edit_and_save``); with
        `keep_mtime` its modification time is set back to what it was."""
        path = self.path(name)

        def edit():
            before = identity(path)
            WAYS[way](path, new, script, self.spare)
            if keep_mtime:
                os.utime(path, ns=(os.stat(path).st_atime_ns, before[1]))
            assert path.read_bytes() == new, f"{way} did not write what the test expected"
            self.unchanged_identity += identity(path) == before

        same = " (same size and mtime)" if keep_mtime and len(new) == len(path.read_bytes()) else ""
        self.edit_and_save(f"{way} of {name}{same}", edit, shown, gone, race)

    def check_saved_on_top(self, catalog, log):
        """Saves a mark from the browser: catalog.json stays byte for byte as edited, and the
        log is the edited log plus the browser's one line."""
        note = self.save()
        assert self.path(CATALOG).read_bytes() == catalog, "catalog.json is not the edited one"
        now = self.path(CHANGES).read_bytes()
        assert now.startswith(log), "the edited log was not kept as it was"
        added = now[len(log):].decode().splitlines()
        assert len(added) == 1, f"expected the browser's one line, got {added}"
        line = json.loads(added[0])
        assert (line["id"], line["status"], line["note"]) == ("dtt", "implemented", note)

    def finish(self, what):
        timed = len(self.latencies)
        latency = (f"reload latency median {statistics.median(self.latencies):.0f} ms, max "
                   f"{max(self.latencies):.0f} ms over {timed}" if timed else "saved before the poll, no reload timed")
        print(f"\nexternal edits: {what}: {self.rounds} cases, {self.detected} detected "
              f"({self.unchanged_identity} with size, mtime and inode unchanged), {latency}")
        assert not self.missed, "not noticed:\n" + "\n".join(self.missed)
        self.b.keys("q")
        assert_restored(self.b.exit_report())


# Each case: (same size, modification time set back, saved before the browser polls).
CASES = [(False, False, False), (True, False, False), (True, True, False), (True, False, True), (True, True, True)]


def run_cases(session, edit, way):
    for number, (same_size, keep_mtime, race) in enumerate(CASES, 1):
        if way == "in-place" and not same_size:
            continue
        old = session.path(edit.file).read_bytes()
        new, script, shown = edit.make(old, next_word(edit.current(old), number, same_size))
        session.replace(edit.file, way, new, script, shown=shown, keep_mtime=keep_mtime, race=race)


@pytest.mark.parametrize("way", ["editor", "in-place", "sed", "mv", "cp"])
@pytest.mark.parametrize("edit, what", [(TITLE, "catalog.json"), (NOTE, "a note in changes.jsonl")],
                         ids=["catalog-title", "log-note"])
def test_file_replaced_under_the_browser(browser, data_dir, edit, what, way):
    session = Session(browser, data_dir)
    session.save()
    run_cases(session, edit, way)
    session.finish(f"{what} by {way}")


def review_line(number, note):
    """A review of dtt as another tool would append it, made now: the newest entry of dtt's
    history (after the browser's marks), so the detail shows it whatever the bundled agenda
    holds."""
    now = time.gmtime()
    return (json.dumps({"changeId": time.strftime("%Y%m%dT%H%M%SZ", now) + f"-a41c07e9b6d{number}",
                        "happened": time.strftime("%Y-%m-%d", now), "id": "dtt", "kind": "review", "note": note,
                        "recorded": time.strftime("%Y-%m-%dT%H:%M:%SZ", now), "schemaVersion": 1},
                       sort_keys=True, separators=(",", ":")) + "\n").encode()


def without_last_line(log):
    return log[:log.rstrip(b"\n").rfind(b"\n") + 1]


def test_log_grown_and_shrunk_under_the_browser(browser, data_dir):
    """A line appended by another tool, and the log replaced by a longer or a shorter one
    (the browser's own last line taken out), each right after the browser's last save."""
    session = Session(browser, data_dir)
    session.save()
    log = lambda: session.path(CHANGES).read_bytes()  # noqa: E731
    for number, (way, race) in enumerate([("append", False), ("append", True), ("editor", False),
                                          ("cp", False), ("mv", True)], 1):
        note = f"reviewed by another tool {number}"
        session.replace(CHANGES, way, log() + review_line(number, note), shown=note, race=race)
    for way in ["editor", "cp", "in-place", "mv"]:
        dropped = f"browser save {session.saves}"
        session.replace(CHANGES, way, without_last_line(log()), shown="dtt — ", gone=dropped,
                        keep_mtime=way == "in-place")
    session.finish("changes.jsonl grown and shrunk")


# ---------------------------------------------------------------- git


GIT = ["git", "-c", "user.name=Analyst", "-c", "user.email=analyst@example.org", "-c", "commit.gpgsign=false",
       "-c", "init.defaultBranch=main"]


def git(directory, *args):
    return subprocess.run([*GIT, "-C", str(directory), *args], check=True, capture_output=True, text=True).stdout


def branch_with_edits(data, side, merge):
    """Puts the data directory in git, as docs/data-format.md advises, and makes a branch
    `side` (checked out in `side`) that changes dtt's title and, for a true merge, adds a
    line to the log. Returns the branch's catalog.json and the line it added."""
    (data / ".gitignore").write_text("snapshot.jsonl\nsnapshot.json\n.lock\n.*.tmp-*\n")
    (data / ".gitattributes").write_text("changes.jsonl merge=union\n")
    git(data, "init", "-q")
    git(data, "add", "-A")
    git(data, "commit", "-q", "-m", "Tracker")
    git(data, "worktree", "add", "-q", "-b", "side", str(side))
    catalog, _, _ = TITLE.make((side / CATALOG).read_bytes(), "Overhaul")
    (side / CATALOG).write_bytes(catalog)
    line = review_line(1, "reviewed on a branch") if merge == "merge-commit" else b""
    (side / CHANGES).write_bytes((side / CHANGES).read_bytes() + line)
    git(side, "commit", "-q", "-am", "Retitle dtt")
    return catalog, line


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("merge", ["fast-forward", "merge-commit"])
@pytest.mark.parametrize("race", [False, True], ids=["polled", "race"])
def test_git_merge_under_the_browser(browser, data_dir, tmp_path, merge, race):
    """The branch is merged back right after the browser's save: fast-forward, or (the
    browser's save committed on main) with a merge commit, the log merged by git's union
    driver."""
    data = pathlib.Path(data_dir)
    catalog, line = branch_with_edits(data, tmp_path / "side", merge)
    session = Session(browser, data)
    session.save()
    if merge == "merge-commit":
        git(data, "commit", "-q", "-am", "Marked in the browser")
    log = (data / CHANGES).read_bytes()

    def edit():
        git(data, "merge", "-q", "--ff-only" if merge == "fast-forward" else "--no-edit", "side")
        assert (data / CATALOG).read_bytes() == catalog
        assert (data / CHANGES).read_bytes() == log + line, "the merge did not keep both sides' lines"
        assert len(git(data, "log", "-1", "--format=%P").split()) == (2 if line else 1)

    session.edit_and_save(f"git merge ({merge})", edit, shown="Overhaul the Defence", race=race)
    session.finish(f"git merge, {merge}{', saved before the poll' if race else ''}")


# ---------------------------------------------------------------- the snapshot cut short


def test_snapshot_rewritten_in_place_under_readers(ptrack, browser, data_dir):
    """Another program cutting `snapshot.jsonl` short and writing it again in place (as `cp`
    or a shell redirect does), over and over, while the browser is open and marks and undos
    make it and the commands read the snapshot: nobody dies of it (a reader of mapped pages
    past the new end would, of SIGBUS), and the browser still shows the last status."""
    ptrack.ok("report", data=data_dir)
    session = browser(width=116, height=60)
    session.wait_for("222-dialogue")
    snapshot = pathlib.Path(data_dir) / "snapshot.jsonl"
    stop = threading.Event()

    def rewrite():
        while not stop.is_set():
            try:
                good = snapshot.read_bytes()
                with open(snapshot, "r+b") as file:
                    file.truncate(len(good) // 3)
                    time.sleep(0.001)
                    file.seek(0)
                    file.write(good)
            except FileNotFoundError:
                pass

    writer = threading.Thread(target=rewrite)
    writer.start()
    rounds, started = 0, time.monotonic()
    try:
        while time.monotonic() - started < 8:
            for args in (["mark", "gsomia", "stalled"], ["undo"], ["report"]):
                code, _, err = ptrack(*args, data=data_dir)
                assert code >= 0, f"`ptrack {' '.join(args)}` was killed by signal {-code}: {err}"
            assert not session.result.exists(), f"the browser ended: {session.result.read_text()}"
            rounds += 1
    finally:
        stop.set()
        writer.join()
    assert rounds > 3
    ptrack.ok("mark", "gsomia", "partial", "--note", "after the rewrites", data=data_dir)
    deadline = time.monotonic() + DETECTION_TIMEOUT
    while not any("gsomia" in line and "partial" in line for line in session.screen().splitlines()):
        assert time.monotonic() < deadline, f"gsomia is not shown partial:\n{session.screen()}"
        time.sleep(0.05)
    assert not session.result.exists(), f"the browser ended: {session.result.read_text()}"
