"""A real full disk and really read-only data, in a mount namespace of the test's own
(`unshare -m`): a small tmpfs (room for a few copies of the bundled agenda) filled to the last block, and a read-only bind mount of the
data directory. Writes fail with a clear error and change nothing; what was saved stays
saved; freeing space is enough to go on."""

import json
import os
import shutil
import subprocess

import pytest

from conftest import (BUNDLED, CATALOG, CHANGES, SNAPSHOT, binary, bundled_catalog, check_files_parse, file_hashes,
                      log_changes, replayed_without_snapshot)
from terminal import assert_restored

pytestmark = pytest.mark.skipif(shutil.which("unshare") is None, reason="never: util-linux is part of the base system")

# Four times the bundled agenda's two files: room for a tracker (with its snapshot) and the
# snapshot's temporary copy, and little more.
DISK_SIZE = f"{max(256, 4 * ((BUNDLED / CATALOG).stat().st_size + (BUNDLED / CHANGES).stat().st_size) // 1024)}k"


def in_namespace(ptrack, script, tmp_path, **variables):
    """Runs the shell `script` in a mount namespace of its own, with $PTRACK the binary
    under test and `variables` in its environment; fails the test when it fails."""
    env = ptrack.env(PTRACK=binary(), **{key: str(value) for key, value in variables.items()})
    result = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-eu", "-c", script],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"the namespace script failed ({result.returncode}):\n{result.stderr}"
    return result.stdout


# Mounts a small tmpfs on $DISK, copies the tracker $DATA onto it (one change brings its
# snapshot up to date: a copy's log has a new inode), and fills every free block.
FULL_DISK = """
mount -t tmpfs -o size=$SIZE ptrack-full "$DISK"
cp -a "$DATA" "$DISK/data"
"$PTRACK" watch dtt --data "$DISK/data" > /dev/null
if [ "$SNAPSHOT" = no ]; then rm "$DISK/data/snapshot.jsonl"; fi
dd if=/dev/zero of="$DISK/filler" bs=4k 2> /dev/null || true
dd if=/dev/zero of="$DISK/filler-tail" bs=512 2> /dev/null || true
"""

# Runs $PTRACK $ARGS against the full disk, keeping its output, exit status and the files
# before and after in $OUT; then frees the space and runs it again.
TRY_THEN_FREE = """
cp -a "$DISK/data" "$OUT/before"
set +e
"$PTRACK" $ARGS --data "$DISK/data" > "$OUT/full.out" 2> "$OUT/full.err"; echo $? > "$OUT/full.rc"
set -e
cp -a "$DISK/data" "$OUT/after-full"
rm "$DISK/filler" "$DISK/filler-tail"
set +e
"$PTRACK" $ARGS --data "$DISK/data" > "$OUT/freed.out" 2> "$OUT/freed.err"; echo $? > "$OUT/freed.rc"
set -e
cp -a "$DISK/data" "$OUT/after-freed"
"""


def run_on_a_full_disk(ptrack, data_dir, tmp_path, args, snapshot=True):
    out = tmp_path / "out"
    disk = tmp_path / "disk"
    out.mkdir()
    disk.mkdir()
    in_namespace(ptrack, FULL_DISK + TRY_THEN_FREE, tmp_path, SIZE=DISK_SIZE, DISK=disk, DATA=data_dir, OUT=out,
                 ARGS=" ".join(args), SNAPSHOT="yes" if snapshot else "no")
    result = {name: (out / name).read_text() for name in ("full.out", "full.err", "freed.out", "freed.err")}
    result.update({name: int((out / name).read_text()) for name in ("full.rc", "freed.rc")})
    return out, result


def without_lock(directory):
    """The files' digests, the lock file's aside (its seal is a note, rewritten by readers)."""
    return {name: digest for name, digest in file_hashes(directory).items() if name != ".lock"}


def test_a_full_disk_refuses_a_change_cut_short_and_takes_it_once_space_is_freed(ptrack, data_dir, tmp_path):
    """The line does not fit: the kernel writes what fits (a short write), then ENOSPC; the
    part written is cut away again."""
    note = "a note longer than any free block " * 250
    status = ptrack.json("show", "gsomia", "--json", data=data_dir)["status"]
    assert status != "stalled"
    out, result = run_on_a_full_disk(ptrack, data_dir, tmp_path, ["mark", "gsomia", "stalled", "--note", note.replace(" ", "_")])
    assert result["full.rc"] == 74 and result["full.out"] == "", result["full.err"]
    assert result["full.err"].endswith(f"/data/{CHANGES}: cannot write: No space left on device\n"), result["full.err"]
    assert without_lock(out / "after-full") == without_lock(out / "before")
    assert result["freed.rc"] == 0, result["freed.err"]
    assert result["freed.out"].startswith(f"gsomia: {status} → stalled (change ")
    final = out / "after-freed"
    check_files_parse(final, "after freeing space")
    assert log_changes(final)[-1]["note"] == note.replace(" ", "_")
    assert ptrack.json("list", "--json", data=final) == replayed_without_snapshot(ptrack, final, tmp_path)
    assert not [name for name in os.listdir(final) if ".tmp-" in name]
    print(f"\nfull disk: a {len(note)}-byte change on a full {DISK_SIZE} tmpfs refused (74), files unchanged; "
          "saved once space was freed")


def test_a_full_disk_keeps_a_saved_change_when_the_snapshot_cannot_follow(ptrack, data_dir, tmp_path):
    """A short line fits in the log's last block; the new snapshot does not fit anywhere."""
    slack = -os.path.getsize(os.path.join(data_dir, CHANGES)) % 4096
    if slack < 600:
        # Bring the log to a size whose last block has room for one more line.
        ptrack.ok("mark", "gsomia", "partial", "--note", "x" * (slack + 200), data=data_dir)
    out, result = run_on_a_full_disk(ptrack, data_dir, tmp_path, ["mark", "gsomia", "stalled"], snapshot=False)
    assert result["full.rc"] == 0, result["full.err"]
    assert result["full.out"].startswith("gsomia: ") and "→ stalled (change " in result["full.out"]
    assert "saved, but the snapshot could not be updated" in result["full.err"], result["full.err"]
    assert "No space left on device" in result["full.err"]
    after = out / "after-full"
    assert not (after / SNAPSHOT).exists()
    assert not [name for name in os.listdir(after) if ".tmp-" in name]
    assert ptrack.json("show", "gsomia", "--json", data=after)["status"] == "stalled"
    # With space again, the next save writes the snapshot.
    assert result["freed.rc"] == 0, result["freed.err"]
    assert (out / "after-freed" / SNAPSHOT).exists()
    print("\nfull disk: the change saved in the log's last block, the snapshot refused with a notice, "
          "written once space was freed")


def test_a_new_tracker_on_a_full_disk_is_refused_then_completed(ptrack, tmp_path):
    out = tmp_path / "out"
    disk = tmp_path / "disk"
    out.mkdir()
    disk.mkdir()
    script = """
mount -t tmpfs -o size=$SIZE ptrack-full "$DISK"
dd if=/dev/zero of="$DISK/filler" bs=4k 2> /dev/null || true
dd if=/dev/zero of="$DISK/filler-tail" bs=512 2> /dev/null || true
set +e
"$PTRACK" list --data "$DISK/new" > /dev/null 2> "$OUT/full.err"; echo $? > "$OUT/full.rc"
set -e
ls -A "$DISK/new" > "$OUT/left" 2>&1 || true
rm "$DISK/filler" "$DISK/filler-tail"
"$PTRACK" list --json --data "$DISK/new" > "$OUT/list.json"
cp -a "$DISK/new" "$OUT/new"
"""
    in_namespace(ptrack, script, tmp_path, SIZE=DISK_SIZE, DISK=disk, OUT=out)
    assert int((out / "full.rc").read_text()) == 74, (out / "full.err").read_text()
    assert "No space left on device" in (out / "full.err").read_text()
    assert ".tmp-" not in (out / "left").read_text()
    assert len(json.loads((out / "list.json").read_text())) == len(bundled_catalog()["recommendations"])
    check_files_parse(out / "new", "completed tracker")


# A read-only bind mount of the data directory over itself.
READ_ONLY = ["unshare", "-m", "--propagation", "private", "sh", "-c",
             'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"']

WRITES = [["mark", "gsomia", "stalled"], ["watch", "dtt"], ["add", "new-item", "--title", "New"],
          ["edit", "dtt", "--title", "Renamed"], ["undo"]]


@pytest.mark.parametrize("args", WRITES, ids=[args[0] for args in WRITES])
def test_a_read_only_mount_refuses_writes_and_serves_reads(ptrack, data_dir, args):
    ptrack.ok("mark", "dtt", "partial", data=data_dir)          # something for undo to revert
    before = file_hashes(data_dir)
    code, out, err = ptrack(*args, data=data_dir, prefix=[*READ_ONLY, data_dir])
    assert (code, out) == (74, ""), err
    assert "Read-only file system" in err and err.startswith(f"ptrack: {data_dir}/"), err
    assert err.count("\n") == 1
    for reading in (["list"], ["report"], ["show", "gsomia"], ["history"]):
        code, _, err = ptrack(*reading, data=data_dir, prefix=[*READ_ONLY, data_dir])
        assert code == 0, (reading, err)
    assert file_hashes(data_dir) == before
    print(f"read-only mount: {args[0]} refused (74, EROFS), list/report/show/history served, no byte changed")


def test_the_browser_on_a_read_only_mount_keeps_its_change(browser, data_dir):
    before = file_hashes(data_dir)
    b = browser(width=200, prefix=[*READ_ONLY, data_dir])
    b.wait_for("222-dialogue")
    b.keys("/")
    b.type("gsomia")
    b.keys("Enter", "x")
    b.wait_for("Mark gsomia")
    b.keys("Enter")
    b.wait_for("Read-only file system · kept: W saves again")
    b.keys("q")
    b.wait_for("1 change not saved")
    b.keys("q")
    assert_restored(b.exit_report())
    assert file_hashes(data_dir) == before
