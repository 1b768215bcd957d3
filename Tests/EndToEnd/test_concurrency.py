"""Several ptrack processes writing at once: every acknowledged change is kept, the log stays
valid, and a held lock makes a writer give up cleanly."""

import datetime
import fcntl
import json
import os
import re
import subprocess
import threading
import time

import pytest

from conftest import (BUNDLED_COUNT, LOCK, SNAPSHOT, binary, bundled_catalog, bundled_changes, file_hashes, log_changes,
                      replayed_without_snapshot)
from terminal import assert_restored

ITEMS = sorted(r["id"] for r in bundled_catalog()["recommendations"])
STATUS_CYCLE = ["in-progress", "partial", "implemented", "stalled", "reversed", "not-started"]
ACK = re.compile(r"^(\S+): .* \(change (\S+)\)\n$")


def after_bundled():
    """The first day after the period of the bundled agenda's latest status change: a mark
    dated then or later takes effect over every bundled one."""
    latest = max(change["happened"] for change in bundled_changes() if change["kind"] == "status")
    parts = [int(part) for part in latest.split("-")]
    if len(parts) == 1:
        return datetime.date(parts[0] + 1, 1, 1)
    if len(parts) == 2:
        year, month = parts
        return datetime.date(year + month // 12, month % 12 + 1, 1)
    return datetime.date(*parts) + datetime.timedelta(days=1)


def start_together(ptrack, data, commands):
    """Starts every command at once (all forked before any is waited for) and returns
    [(code, stdout, stderr)] in order."""
    procs = [subprocess.Popen(ptrack.argv(*args, data=data), env=ptrack.env(), stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for args in commands]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        results.append((proc.returncode, out.decode(), err.decode()))
    return results


def check_log_and_state(ptrack, data, expected_notes):
    changes = log_changes(data)                          # every line complete, valid JSON
    assert len({c["changeId"] for c in changes}) == len(changes)
    history = ptrack.json("history", "--json", data=data)
    notes = {h["note"] for h in history}
    missing = set(expected_notes) - notes
    assert not missing, f"acknowledged changes missing from history: {sorted(missing)[:5]}"
    assert len(history) == len(changes)
    return changes


@pytest.mark.parametrize("count", [2, 8])
def test_simultaneous_marks_of_different_items(ptrack, data_dir, tmp_path, count):
    before = len(log_changes(data_dir))
    date = after_bundled().isoformat()
    commands = [["mark", ITEMS[i], "reversed", "--note", f"simultaneous {i}", "--date", date] for i in range(count)]
    results = start_together(ptrack, data_dir, commands)
    change_ids = []
    for i, (code, out, err) in enumerate(results):
        assert code == 0, err
        match = ACK.match(out)
        assert match and match.group(1) == ITEMS[i], out
        change_ids.append(match.group(2))
    changes = check_log_and_state(ptrack, data_dir, [f"simultaneous {i}" for i in range(count)])
    assert len(changes) == before + count
    assert {c["changeId"] for c in changes[before:]} == set(change_ids)
    items = {i["id"]: i for i in ptrack.json("list", "--json", data=data_dir)}
    assert [items[ITEMS[i]]["status"] for i in range(count)] == ["reversed"] * count
    assert ptrack.json("list", "--json", data=data_dir) == replayed_without_snapshot(ptrack, data_dir, tmp_path)


def test_simultaneous_mixed_writers_and_readers(ptrack, data_dir, tmp_path):
    commands = []
    for i in range(6):
        commands.append(["mark", ITEMS[i], "partial", "--note", f"mixed {i}", "--date", "2024-02"])
        commands.append(["list", "--json"])
    commands += [["watch", ITEMS[10]], ["add", "concurrent-item", "--title", "Added concurrently", "--note", "mixed add"]]
    results = start_together(ptrack, data_dir, commands)
    for args, (code, out, err) in zip(commands, results):
        assert code == 0, (args, err)
        if args[0] == "list":
            listed = json.loads(out)          # a reader sees a whole state, never a half-written one
            assert len(listed) in (BUNDLED_COUNT, BUNDLED_COUNT + 1)
    check_log_and_state(ptrack, data_dir, [f"mixed {i}" for i in range(6)] + ["mixed add"])
    items = {i["id"]: i for i in ptrack.json("list", "--json", data=data_dir)}
    assert items[ITEMS[10]]["watched"] is True and "concurrent-item" in items
    assert ptrack.json("list", "--json", data=data_dir) == replayed_without_snapshot(ptrack, data_dir, tmp_path)


def test_writers_in_a_loop(ptrack, data_dir, tmp_path):
    """Six writers, each marking its own item again and again for a few seconds, with
    ever later dates, so the last acknowledged mark of each must be its status."""
    writers = 6
    seconds = 3.0
    base = after_bundled()             # after every bundled status change
    # 200 lines past the snapshot already, so the writers also refresh it (every 256 lines).
    seeded = 200
    with open(os.path.join(data_dir, "changes.jsonl"), "a", encoding="utf-8") as log:
        for n in range(seeded):
            log.write(json.dumps({"schemaVersion": 1, "changeId": f"seed-{n}", "id": ITEMS[20 + n % 10],
                                  "kind": "review", "happened": "2024-01", "recorded": "2024-01-31T00:00:00Z",
                                  "note": f"seed {n}"}, sort_keys=True, separators=(",", ":")) + "\n")
    acknowledged = {w: [] for w in range(writers)}
    failures = []
    deadline = time.monotonic() + seconds

    def writer(w):
        k = 0
        while time.monotonic() < deadline:
            status = STATUS_CYCLE[(w + k) % len(STATUS_CYCLE)]
            note = f"loop w{w} k{k}"
            date = (base + datetime.timedelta(days=k)).isoformat()
            code, out, err = ptrack("mark", ITEMS[w], status, "--note", note, "--date", date, data=data_dir)
            if code != 0 or not ACK.match(out):
                failures.append((w, k, code, out, err))
                return
            acknowledged[w].append((note, status, ACK.match(out).group(2)))
            k += 1

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures[:3]
    total = sum(len(v) for v in acknowledged.values())
    assert total >= writers * 5, f"only {total} marks in {seconds} s"
    notes = [note for v in acknowledged.values() for note, _, _ in v]
    changes = check_log_and_state(ptrack, data_dir, notes)
    bundled = len(bundled_changes())
    assert len(changes) == bundled + seeded + total
    with open(os.path.join(data_dir, SNAPSHOT), encoding="utf-8") as snapshot:
        assert json.loads(snapshot.readline())["log"]["lines"] > bundled + seeded, "the snapshot was never refreshed"
    ids = {c["changeId"] for c in changes}
    assert all(change_id in ids for v in acknowledged.values() for _, _, change_id in v)
    items = {i["id"]: i for i in ptrack.json("list", "--json", data=data_dir)}
    for w, marks in acknowledged.items():
        assert items[ITEMS[w]]["status"] == marks[-1][1], ITEMS[w]
        assert items[ITEMS[w]]["lastChange"] == (base + datetime.timedelta(days=len(marks) - 1)).isoformat()
    assert ptrack.json("list", "--json", data=data_dir) == replayed_without_snapshot(ptrack, data_dir, tmp_path)
    print(f"\n{total} marks by {writers} writers in {seconds} s")


def own_command_name():
    with open("/proc/self/comm") as comm:
        return comm.read().strip()


@pytest.fixture
def held_lock(data_dir):
    handle = open(os.path.join(data_dir, LOCK), "a+")
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    yield handle
    handle.close()


def test_held_lock_makes_writers_give_up(ptrack, data_dir, held_lock):
    before = file_hashes(data_dir)
    for args in (["mark", "gsomia", "stalled"], ["watch", "gsomia"], ["undo"], ["add", "x-item", "--title", "X"]):
        started = time.monotonic()
        code, out, err = ptrack(*args, data=data_dir, env={"PTRACK_LOCK_TIMEOUT": "0.3"})
        elapsed = time.monotonic() - started
        assert code == 75, (args, err)
        assert out == ""
        assert err == (f"ptrack: {data_dir}/.lock: locked by process {os.getpid()} ({own_command_name()}); "
                       "gave up after 0.3 s (set PTRACK_LOCK_TIMEOUT to wait longer)\n")
        assert 0.3 <= elapsed < 2.5, elapsed
    assert file_hashes(data_dir) == before
    # Readers need no lock.
    code, out, err = ptrack("list", "--json", data=data_dir, env={"PTRACK_LOCK_TIMEOUT": "0.3"})
    assert code == 0 and len(json.loads(out)) == BUNDLED_COUNT
    assert ptrack("report", "--format", "json", data=data_dir)[0] == 0
    assert file_hashes(data_dir) == before


def test_waiting_writer_proceeds_once_the_lock_is_released(ptrack, data_dir, held_lock):
    status = ptrack.json("show", "gsomia", "--json", data=data_dir)["status"]
    assert status != "stalled"
    proc = subprocess.Popen(ptrack.argv("mark", "gsomia", "stalled", "--note", "waited", data=data_dir),
                            env=ptrack.env(PTRACK_LOCK_TIMEOUT="10"), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.6)
    assert proc.poll() is None, "mark did not wait for the lock"
    assert log_changes(data_dir)[-1]["changeId"] == bundled_changes()[-1]["changeId"]
    held_lock.close()
    out, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert out.decode().startswith(f"gsomia: {status} → stalled (change ")
    assert log_changes(data_dir)[-1]["note"] == "waited"


WRITER_PROCESSES = 4
MARKS_EACH = 250


@pytest.mark.parametrize("same_item", [False, True], ids=["different-items", "same-item"])
def test_four_writers_of_250_marks_and_a_browser(ptrack, data_dir, tmp_path, browser, same_item):
    """Four shell loops, each running `ptrack mark` 250 times, on their own items or all on
    one, while the browser is open: exactly 1,000 changes; then the browser's own change,
    made on top of them; nothing lost."""
    before = len(log_changes(data_dir))
    b = browser(width=200)
    b.wait_for("222-dialogue")
    loop = ('i=0; while [ $i -lt "$MARKS" ]; do '
            '"$PTRACK" mark "$ITEM" "$(echo $STATUSES | cut -d" " -f$((i % 6 + 1)))" --note "w$W m$i" --data "$DATA" '
            '> /dev/null || exit 1; i=$((i + 1)); done')
    started = time.monotonic()
    writers = [subprocess.Popen(["sh", "-c", loop], env=ptrack.env(
        PTRACK=binary(), MARKS=str(MARKS_EACH), ITEM=ITEMS[0 if same_item else w + 1], W=str(w),
        STATUSES=" ".join(STATUS_CYCLE), DATA=data_dir, PTRACK_LOCK_TIMEOUT="60")) for w in range(WRITER_PROCESSES)]
    codes = [writer.wait(timeout=600) for writer in writers]
    seconds = time.monotonic() - started
    assert codes == [0] * WRITER_PROCESSES
    b.wait_for("Changed by another process")
    b.keys("/")
    b.type("gsomia")
    b.keys("Enter", "x")
    b.wait_for("Mark gsomia")
    b.type("made after 1,000 others")
    b.keys("Enter")
    b.wait_for("Saved: gsomia")
    b.keys("q")
    assert_restored(b.exit_report())
    expected = [f"w{w} m{i}" for w in range(WRITER_PROCESSES) for i in range(MARKS_EACH)] + ["made after 1,000 others"]
    changes = check_log_and_state(ptrack, data_dir, expected)
    assert len(changes) == before + WRITER_PROCESSES * MARKS_EACH + 1
    assert sorted(c.get("note") for c in changes[before:]) == sorted(expected)
    for w in range(WRITER_PROCESSES):        # each writer's marks in its own order
        mine = [c["note"] for c in changes if (c.get("note") or "").startswith(f"w{w} ")]
        assert mine == [f"w{w} m{i}" for i in range(MARKS_EACH)]
    assert ptrack.json("list", "--json", data=data_dir) == replayed_without_snapshot(ptrack, data_dir, tmp_path)
    total = WRITER_PROCESSES * MARKS_EACH
    print(f"\n{WRITER_PROCESSES} writers × {MARKS_EACH} marks ({'one item' if same_item else 'own items'}) "
          f"with a browser open: {total} changes in {seconds:.1f} s ({total / seconds:.0f} marks/s), "
          f"then the browser's own: {len(changes) - before} recorded")
