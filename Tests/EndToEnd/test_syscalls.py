"""The order of the system calls of one save, read from an strace of a real `ptrack mark`:
the lock is taken first and released last; the log line is written and flushed; a file
replaced whole (the snapshot) is written to a temporary file, flushed, renamed over the old
one, and then its directory is flushed, so the rename itself survives a crash."""

import os
import re
import shutil
import subprocess

import pytest

from conftest import CHANGES, LOCK, SNAPSHOT

pytestmark = pytest.mark.skipif(shutil.which("strace") is None, reason="never: make test installs strace")

CALLS = "openat,write,pwrite64,fsync,fdatasync,rename,renameat,renameat2,flock,close,ftruncate"
# `pid name(args) = result`, with -y naming each descriptor: write(3</tmp/x/changes.jsonl>, …
LINE = re.compile(r"^(?:\[pid\s+)?(\d+)\]?\s+(\w+)\((.*)\)\s+=\s+(-?\d+)")


def traced_save(ptrack, data_dir, tmp_path, *args):
    """Runs ptrack under strace; returns the calls as (name, args, result), in order."""
    log = tmp_path / "strace.log"
    code, out, err = ptrack(*args, data=data_dir, prefix=["strace", "-f", "-y", "-qq", "-s", "0", "-e", f"trace={CALLS}",
                                                          "-o", str(log)])
    assert code == 0, err
    calls = []
    for line in log.read_text().splitlines():
        match = LINE.match(line)
        if match:
            calls.append((match.group(2), match.group(3), int(match.group(4))))
    assert calls, f"strace recorded nothing:\n{log.read_text()[:2000]}"
    return calls


def index(calls, name, path_part, start=0):
    """The index of the first call `name` at or after `start` whose arguments mention `path_part`."""
    for position in range(start, len(calls)):
        call, args, result = calls[position]
        if call == name and path_part in args and result >= 0:
            return position
    raise AssertionError(f"no {name} on {path_part} after call {start}:\n" + "\n".join(f"{c}({a})" for c, a, _ in calls))


def lock_span(calls):
    taken = next(i for i, (c, a, r) in enumerate(calls) if c == "flock" and "LOCK_EX" in a and r == 0)
    released = max(i for i, (c, a, r) in enumerate(calls) if c == "flock" and "LOCK_UN" in a)
    return taken, released


def test_a_mark_writes_and_flushes_its_line_under_the_lock(ptrack, data_dir, tmp_path):
    calls = traced_save(ptrack, data_dir, tmp_path, "mark", "gsomia", "stalled", "--note", "strace")
    taken, released = lock_span(calls)
    write = index(calls, "write", CHANGES, taken)
    flush = index(calls, "fsync", CHANGES, write)
    assert taken < write < flush < released
    # Nothing is written to the log outside the lock.
    outside = [i for i, (c, a, _) in enumerate(calls) if c in ("write", "pwrite64", "ftruncate") and CHANGES in a
               and not taken < i < released]
    assert outside == []
    print(f"mark: {len(calls)} calls traced; flock(EX) #{taken} < write(log) #{write} < fsync(log) #{flush} "
          f"< flock(UN) #{released}")


def test_a_snapshot_is_replaced_by_write_fsync_rename_fsync_of_the_directory(ptrack, data_dir, tmp_path):
    # Without a snapshot, the next save replays the log and writes a new one.
    os.unlink(os.path.join(data_dir, SNAPSHOT))
    calls = traced_save(ptrack, data_dir, tmp_path, "mark", "gsomia", "stalled")
    taken, released = lock_span(calls)
    temporary = f".{SNAPSHOT}.tmp-"
    created = index(calls, "openat", temporary, taken)
    write = index(calls, "write", temporary, created)
    flush = index(calls, "fsync", temporary, write)
    renamed = next(i for i in range(flush, len(calls)) if calls[i][0].startswith("rename") and temporary in calls[i][1]
                   and SNAPSHOT in calls[i][1].split(temporary, 1)[1])
    directory = os.path.realpath(data_dir)
    flush_directory = next(i for i in range(renamed, len(calls))
                           if calls[i][0] == "fsync" and calls[i][1].endswith(f"<{directory}>"))
    assert taken < created < write < flush < renamed < flush_directory < released
    # The seal in the lock file is written after the log line, still under the lock.
    assert index(calls, "fsync", CHANGES, taken) < index(calls, "pwrite64", LOCK, taken) < released
    assert sorted(os.listdir(data_dir)) == sorted([LOCK, "catalog.json", CHANGES, SNAPSHOT])
    print(f"snapshot: {len(calls)} calls traced; flock(EX) #{taken} < open(tmp) #{created} < write #{write} "
          f"< fsync #{flush} < rename #{renamed} < fsync(dir) #{flush_directory} < flock(UN) #{released}")


def test_a_new_directory_is_flushed_into_its_parent_before_its_files(ptrack, data_dir, tmp_path):
    """`init` of a directory that does not exist yet, and the first `news --mark-seen` of a
    user (who has no state directory yet): each directory made is flushed into its parent
    before the first file is renamed into it, so a power cut cannot lose it (and with it
    every change saved there) once the command has said it is done."""
    made = {}
    for name, args, env in (("init", ["init", str(tmp_path / "new" / "tracker")], None),
                            ("news", ["news", "--mark-seen", "--data", data_dir], {"XDG_STATE_HOME": tmp_path / "state"})):
        log = tmp_path / f"{name}.strace"
        code, _, err = ptrack(*args, env=env, prefix=["strace", "-f", "-y", "-qq", "-s", "4096", "-e",
                                                      f"trace={CALLS},mkdir,mkdirat", "-o", str(log)])
        assert code == 0, err
        calls = [(m.group(2), m.group(3), int(m.group(4))) for m in map(LINE.match, log.read_text().splitlines()) if m]
        created = [(i, re.search(r'"([^"]+)"', args).group(1)) for i, (call, args, result) in enumerate(calls)
                   if call.startswith("mkdir") and result == 0]
        assert created, f"{name}: no directory made"
        filled = 0
        for position, path in created:
            parent = os.path.dirname(os.path.realpath(path))
            flushed = next((i for i in range(position, len(calls))
                            if calls[i][0] == "fsync" and calls[i][1].endswith(f"<{parent}>")), None)
            assert flushed is not None, f"{name}: {path} never flushed into {parent}"
            # The rename's target is its last quoted argument (renameat2 has flags after it).
            first_file = next((i for i in range(position, len(calls)) if calls[i][0].startswith("rename")
                               and f"{os.path.realpath(path)}/" in re.findall(r'"([^"]*)"', calls[i][1])[-1]), None)
            assert first_file is None or flushed < first_file, f"{name}: {path} not flushed into {parent} before its files"
            filled += first_file is not None
        assert filled, f"{name}: no file renamed into a directory it made: the order was not checked"
        made[name] = len(created)
    print(f"new directories flushed into their parents: init {made['init']}, news --mark-seen {made['news']}")


# ---------------------------------------------------------------- what a save preserves


def rewrite_snapshot(ptrack, data_dir):
    """A mark after another program touched the log: the store replays it and rewrites the snapshot."""
    changes = os.path.join(data_dir, CHANGES)
    os.utime(changes, ns=(os.stat(changes).st_atime_ns, os.stat(changes).st_mtime_ns + 1_000_000))
    ptrack.ok("mark", "gsomia", "stalled", data=data_dir)


def test_a_save_keeps_modes_symlinks_and_owners(ptrack, data_dir, tmp_path):
    snapshot = os.path.join(data_dir, SNAPSHOT)
    changes = os.path.join(data_dir, CHANGES)
    # The log lives elsewhere, behind a symlink, and is private.
    elsewhere = tmp_path / "elsewhere.jsonl"
    shutil.move(changes, elsewhere)
    os.symlink(elsewhere, changes)
    os.chmod(elsewhere, 0o600)
    os.chmod(snapshot, 0o600)
    owner = None
    if os.geteuid() == 0:
        owner = (65534, 65534)
        os.chown(snapshot, *owner)
    before = os.stat(snapshot).st_ino
    rewrite_snapshot(ptrack, data_dir)
    assert os.stat(snapshot).st_ino != before, "the snapshot was not rewritten: the test tested nothing"
    assert os.path.islink(changes) and os.readlink(changes) == str(elsewhere)
    assert os.stat(elsewhere).st_mode & 0o777 == 0o600
    assert os.stat(snapshot).st_mode & 0o777 == 0o600
    if owner:
        assert (os.stat(snapshot).st_uid, os.stat(snapshot).st_gid) == owner
    assert "stalled" in ptrack.ok("show", "gsomia", data=data_dir)
    print(f"a save kept: the log a symlink to the same target, modes 0600, owner {owner or 'unchanged (not root)'}")
