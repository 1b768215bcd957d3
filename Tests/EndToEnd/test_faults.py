"""Saves that fail part way, made to fail by strace at chosen system calls:

- killed with SIGKILL at each system call of one save in turn (`inject=SYSCALL:signal=KILL:when=N`);
- the log's write or flush failing (`inject=…:error=…`), or a write cut short by a real file-size limit.

A save is the log line written and flushed under the lock; after it come the lock file's seal
and, now and then, a new snapshot, which only spare later reads work. So a failure up to the
flush of the log is an error and changes nothing; a failure after it is a notice and the change
is kept. Either way every file still parses, the state is the old or the new one, and the next
ptrack leaves no temporary file behind and no lock held."""

import fcntl
import os
import pathlib
import re
import shutil

import pytest

from conftest import CHANGES, LOCK, SNAPSHOT, Ptrack, check_files_parse, file_hashes, initialise, replayed_without_snapshot
from terminal import assert_restored

pytestmark = pytest.mark.skipif(shutil.which("strace") is None, reason="never: make test installs strace")

# The calls a save makes on its files: the lock, the log, the seal, the snapshot's replacement.
SAVE_CALLS = ("flock", "write", "fsync", "pwrite64", "ftruncate", "rename", "unlink")
MARKED = "stalled"
MARK = ("mark", "gsomia", MARKED, "--note", "fault")


def strace(*options):
    return ["strace", "-f", "-qq", "-o", "/dev/null", *options]


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A fresh tracker, copied for each run (initialising one per run would triple the time)."""
    scratch = tmp_path_factory.mktemp("faults")
    (scratch / "home").mkdir()
    return initialise(Ptrack(scratch / "home"), scratch / "data")


@pytest.fixture(scope="module")
def gsomia_before(base, tmp_path_factory):
    """gsomia's status in the fresh tracker, which the mark changes (read from a copy, so the
    base itself is never read again)."""
    copy = tmp_path_factory.mktemp("faults-before") / "data"
    shutil.copytree(base, copy)
    status = status_of_gsomia(Ptrack(copy.parent), copy)
    assert status != MARKED, f"gsomia is already {MARKED}: the mark would change nothing"
    return status


def ack(before):
    """What `ptrack mark` prints once it has saved the mark."""
    return re.compile(rf"^gsomia: {re.escape(before)} → {MARKED} \(change (\S+)\)\n$")


def fresh_copy(base, tmp_path, name, snapshot=True):
    """A copy of the tracker, its snapshot current (a copy's log has a new inode, so the
    copied snapshot no longer describes it: one change brings a new one); without its
    snapshot, the save also writes a new one."""
    target = tmp_path / name
    shutil.copytree(base, target)
    Ptrack(tmp_path).ok("watch", "dtt", data=target)
    if not snapshot:
        (target / SNAPSHOT).unlink()
    return str(target)


def line_count(data):
    return pathlib.Path(data, CHANGES).read_bytes().count(b"\n")


def calls_of_one_save(ptrack, data, tmp_path):
    """How many times one `ptrack mark` makes each of SAVE_CALLS, counted from an strace of it."""
    log = tmp_path / "count.strace"
    code, _, err = ptrack(*MARK, data=data, prefix=["strace", "-f", "-qq", "-c", "-U", "name,calls", "-o", str(log)])
    assert code == 0, err
    counts = {}
    for line in log.read_text().splitlines():
        fields = line.split()
        if len(fields) == 2 and fields[0] in SAVE_CALLS and fields[1].isdigit():
            counts[fields[0]] = int(fields[1])
    return counts


def status_of_gsomia(ptrack, data):
    return next(item["status"] for item in ptrack.json("list", "--json", data=data) if item["id"] == "gsomia")


def assert_sound_after(ptrack, data, tmp_path, old_lines, acknowledged, context, before):
    """Files parse; the state is the old or the new one and agrees with a full replay; an
    acknowledged change is there; the next writer leaves no temporary file and no lock held."""
    check_files_parse(data, context)
    lines = line_count(data)
    assert lines in (old_lines, old_lines + 1), f"{context}: {lines} log lines, expected {old_lines} or one more"
    status = status_of_gsomia(ptrack, data)
    assert status == (MARKED if lines > old_lines else before), f"{context}: gsomia is {status}"
    if acknowledged:
        assert lines == old_lines + 1, f"{context}: an acknowledged change is missing"
    assert ptrack.json("list", "--json", data=data) == replayed_without_snapshot(ptrack, data, tmp_path / f"replay-{context}")
    code, _, err = ptrack("unwatch", "dtt", data=data)
    assert code == 0, f"{context}: the next writer failed: {err}"
    left = [name for name in os.listdir(data) if ".tmp-" in name]
    assert not left, f"{context}: temporary files left: {left}"
    with open(os.path.join(data, LOCK), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)       # raises when a lock is still held


@pytest.mark.parametrize("snapshot", [True, False], ids=["log-only", "with-new-snapshot"])
def test_sigkill_at_each_system_call_of_a_save(ptrack, base, gsomia_before, tmp_path, snapshot):
    """Kills `ptrack mark` at the Nth call of each kind, for every N the save reaches, then
    once past the last (the save completes: the control)."""
    counts = calls_of_one_save(ptrack, fresh_copy(base, tmp_path, "count", snapshot), tmp_path)
    assert counts.get("fsync") == (1 if snapshot else 3) and counts.get("write") == (2 if snapshot else 3), counts
    assert counts.get("rename", 0) == (0 if snapshot else 1), counts
    runs = killed = acknowledged_count = 0
    for call, count in sorted(counts.items()):
        for n in range(1, count + 2):
            context = f"{call}-{n}"
            data = fresh_copy(base, tmp_path, context, snapshot)
            old_lines = line_count(data)
            code, out, err = ptrack(*MARK, data=data, prefix=strace("-e", f"inject={call}:signal=KILL:when={n}"))
            runs += 1
            if n <= count:
                assert code in (-9, 137), f"{context}: expected the kill, got {code}: {err}"
                killed += 1
            else:
                assert code == 0, f"{context}: {err}"
            acknowledged = ack(gsomia_before).match(out) is not None
            acknowledged_count += acknowledged
            assert_sound_after(ptrack, data, tmp_path, old_lines, acknowledged, context, gsomia_before)
    print(f"\nkill at each call ({'log only' if snapshot else 'with a new snapshot'}): calls {counts}, "
          f"runs {runs}, killed {killed}, acknowledged {acknowledged_count}, all sound")
    assert killed == sum(counts.values())


# Failures up to the log's flush: an error, exit 74, and not one byte changed.
REFUSED = [
    ("write-ENOSPC", "write:error=ENOSPC:when=1", "cannot write: No space left on device"),
    ("write-EIO", "write:error=EIO:when=1", "cannot write: Input/output error"),
    ("write-nothing", "write:retval=0:when=1", "cannot write: Input/output error"),
    ("fsync-EIO", "fsync:error=EIO:when=1", "cannot flush to disk (fsync): Input/output error"),
]


@pytest.mark.parametrize("snapshot", [True, False], ids=["log-only", "with-new-snapshot"])
@pytest.mark.parametrize("name, inject, reason", REFUSED, ids=[case[0] for case in REFUSED])
def test_failing_log_write_is_an_error_and_changes_nothing(ptrack, base, gsomia_before, tmp_path, name, inject, reason,
                                                          snapshot):
    data = fresh_copy(base, tmp_path, name, snapshot)
    old_lines = line_count(data)
    hashes = file_hashes(data)
    # -P: only the calls on the log fail, so the `when` counts them alone.
    code, out, err = ptrack(*MARK, data=data, prefix=strace("-P", f"{data}/{CHANGES}", "-e", f"inject={inject}"))
    assert (code, out) == (74, ""), err
    assert err == f"ptrack: {data}/{CHANGES}: {reason}\n"
    assert file_hashes(data) == hashes
    assert_sound_after(ptrack, data, tmp_path, old_lines, False, name, gsomia_before)
    print(f"injected {inject} on the log ({'log only' if snapshot else 'with a new snapshot'}): exit 74, "
          "no byte changed, the next writer sound")


def test_write_cut_short_by_a_file_size_limit(ptrack, base, gsomia_before, tmp_path):
    """A real short write: under `ulimit -f` the kernel writes what fits, then refuses the
    rest (EFBIG). The part written is cut away again."""
    data = fresh_copy(base, tmp_path, "short")
    hashes = file_hashes(data)
    size = os.path.getsize(os.path.join(data, CHANGES))
    note = "x" * 4000
    limit = size + 1000
    code, out, err = ptrack("mark", "gsomia", "stalled", "--note", note, data=data,
                            prefix=["prlimit", f"--fsize={limit}"])
    assert (code, out) == (74, ""), err
    assert err == f"ptrack: {data}/{CHANGES}: cannot write: File too large\n"
    assert file_hashes(data) == hashes
    code, out, err = ptrack("mark", "gsomia", "stalled", "--note", note, data=data)
    assert code == 0 and ack(gsomia_before).match(out), err
    print(f"\nshort write: limit {limit} bytes, log {size} bytes, line of {4000 + 300}+ bytes: refused, unchanged, then saved")


# Failures after the log's flush: the change is saved; a notice says what could not follow.
KEPT = [
    ("seal-EIO", True, "pwrite64:error=EIO:when=1",
     "the lock file's seal could not be written ({data}/.lock: cannot write: Input/output error)"),
    ("snapshot-write-ENOSPC", False, "write:error=ENOSPC:when=2",
     "the snapshot could not be updated ({data}/.snapshot.jsonl.tmp-"),
    ("snapshot-fsync-EIO", False, "fsync:error=EIO:when=2",
     "the snapshot could not be updated ({data}/.snapshot.jsonl.tmp-"),
    ("snapshot-rename-ENOSPC", False, "rename:error=ENOSPC:when=1",
     "the snapshot could not be updated ({data}/snapshot.jsonl: cannot replace: No space left on device)"),
    ("directory-fsync-EIO", False, "fsync:error=EIO:when=3",
     "the snapshot could not be updated ({data}: cannot flush to disk (fsync): Input/output error)"),
]


@pytest.mark.parametrize("name, snapshot, inject, notice", KEPT, ids=[case[0] for case in KEPT])
def test_failure_after_the_log_is_flushed_keeps_the_change(ptrack, base, gsomia_before, tmp_path, name, snapshot, inject,
                                                           notice):
    data = fresh_copy(base, tmp_path, name, snapshot)
    old_lines = line_count(data)
    code, out, err = ptrack(*MARK, data=data, prefix=strace("-e", f"inject={inject}"))
    assert code == 0 and ack(gsomia_before).match(out), err
    assert err.startswith("ptrack: saved, but " + notice.format(data=data)), err
    assert err.endswith("; later commands read the log instead\n"), err
    assert status_of_gsomia(ptrack, data) == MARKED
    assert_sound_after(ptrack, data, tmp_path, old_lines, True, name, gsomia_before)
    print(f"injected {inject}: exit 0, the change kept, a notice, the next writer sound")


# The browser: a change it could not save stays pending until saved again or given up.


def mark_gsomia_in_the_browser(b):
    b.wait_for("222-dialogue")
    b.keys("/")
    b.type("gsomia")
    b.keys("Enter", "x")
    b.wait_for("Mark gsomia")
    b.type("kept while the disk is full")
    b.keys("Enter")


def test_browser_keeps_a_change_it_could_not_save_and_saves_it_again(browser, ptrack, data_dir):
    before = file_hashes(data_dir)
    b = browser(width=200, prefix=strace("-P", f"{data_dir}/{CHANGES}", "-e", "inject=write:error=ENOSPC:when=1"))
    mark_gsomia_in_the_browser(b)
    b.wait_for(f"Not saved: {data_dir}/{CHANGES}: cannot write: No space left")
    assert file_hashes(data_dir) == before
    b.keys("j")
    b.wait_for("1 change not saved: W saves again")
    b.keys("q")
    b.wait_for("1 change not saved: W saves again; q or Ctrl-C again quits without them")
    b.keys("W")
    b.wait_for("Saved: gsomia → implemented")
    shown = ptrack.json("show", "gsomia", "--json", data=data_dir)
    assert shown["status"] == "implemented" and shown["history"][0]["note"] == "kept while the disk is full"
    b.keys("q")
    assert_restored(b.exit_report())


def test_browser_quits_without_an_unsaved_change_only_when_asked_twice(browser, data_dir):
    before = file_hashes(data_dir)
    b = browser(width=200, prefix=strace("-P", f"{data_dir}/{CHANGES}", "-e", "inject=write:error=EIO:when=1+"))
    mark_gsomia_in_the_browser(b)
    b.wait_for("Not saved:")
    b.keys("W")
    b.wait_for("Input/output error · kept: W saves again")
    b.keys("C-c")
    b.wait_for("q or Ctrl-C again quits without them")
    assert not b.result.exists(), "the browser quit with a change not saved"
    b.keys("q")
    assert_restored(b.exit_report())
    assert file_hashes(data_dir) == before


def test_browser_shows_what_the_store_notices_on_its_status_line(browser, data_dir):
    """A torn last line is reported on the status line, not written over the screen."""
    with open(os.path.join(data_dir, CHANGES), "ab") as log:
        log.write(b'{"changeId":"torn-by-a-crash","kind":"st')
    b = browser(width=220)
    screen = b.wait_for("incomplete end of the log")
    assert screen.splitlines()[0].startswith("ptrack  1 List"), screen
    mark_gsomia_in_the_browser(b)
    screen = b.wait_for("removed the incomplete end of the log (40 bytes)")
    assert "Saved: gsomia → implemented · " in screen
    assert screen.splitlines()[0].startswith("ptrack  1 List"), screen
    b.keys("q")
    assert_restored(b.exit_report())
