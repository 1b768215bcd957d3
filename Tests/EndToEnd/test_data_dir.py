"""Where the data lives, what ptrack refuses to treat as a tracker, and read-only trackers."""

import json
import os
import pathlib
import re
import shutil
import subprocess
import tempfile

import pytest

from conftest import BUNDLED, BUNDLED_COUNT, CATALOG, CHANGES, LOCK, SNAPSHOT, binary, file_hashes, initialise, privilege_drop, NOBODY

NOTICE = f"ptrack: created a new tracker in {{}} with the bundled trilateral agenda ({BUNDLED_COUNT} recommendations)\n"


@pytest.fixture
def places(ptrack, tmp_path):
    """The four candidate directories, none existing yet."""
    xdg = tmp_path / "xdg"
    return {
        "explicit": tmp_path / "explicit",
        "env": tmp_path / "from-env",
        "xdg_home": xdg,
        "xdg": xdg / "ptrack",
        "home": pathlib.Path(ptrack.home) / ".local" / "share" / "ptrack",
    }


def created(places):
    return sorted(name for name in ("explicit", "env", "xdg", "home") if (places[name] / CATALOG).exists())


def test_explicit_data_beats_everything(ptrack, places):
    code, out, err = ptrack("list", "--json", data=places["explicit"],
                            env={"PTRACK_DATA": places["env"], "XDG_DATA_HOME": places["xdg_home"]})
    assert code == 0 and len(json.loads(out)) == BUNDLED_COUNT
    assert err == NOTICE.format(places["explicit"])
    assert created(places) == ["explicit"]


def test_ptrack_data_beats_xdg_and_home(ptrack, places):
    code, out, err = ptrack("list", "--json", env={"PTRACK_DATA": places["env"], "XDG_DATA_HOME": places["xdg_home"]})
    assert code == 0
    assert err == NOTICE.format(places["env"])
    assert created(places) == ["env"]


def test_xdg_data_home_beats_home(ptrack, places):
    code, out, err = ptrack("list", "--json", env={"XDG_DATA_HOME": places["xdg_home"]})
    assert code == 0
    assert err == NOTICE.format(places["xdg"])
    assert created(places) == ["xdg"]


def test_home_is_the_last_resort(ptrack, places):
    code, out, err = ptrack("list", "--json")
    assert code == 0
    assert err == NOTICE.format(places["home"])
    assert created(places) == ["home"]


@pytest.mark.parametrize("xdg", ["relative/xdg", "xdg", "./xdg", "~/xdg"])
def test_relative_xdg_data_home_is_ignored(ptrack, places, tmp_path, xdg):
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    code, out, err = ptrack("list", "--json", env={"XDG_DATA_HOME": xdg}, cwd=workdir)
    assert code == 0
    assert err == NOTICE.format(places["home"])
    assert created(places) == ["home"]
    assert os.listdir(workdir) == []


def test_empty_variables_are_ignored(ptrack, places):
    code, out, err = ptrack("list", "--json", env={"PTRACK_DATA": "", "XDG_DATA_HOME": ""})
    assert code == 0
    assert err == NOTICE.format(places["home"])
    assert created(places) == ["home"]


def test_writes_go_to_the_chosen_directory(ptrack, places, tmp_path):
    env = {"PTRACK_DATA": places["env"], "XDG_DATA_HOME": places["xdg_home"]}
    # The statuses a tracker starts with, so each mark below is seen to change one.
    bundled = {i["id"]: i["status"] for i in ptrack.json("list", "--json", data=tmp_path / "fresh")}
    assert bundled["gsomia"] != "stalled" and bundled["dtt"] != "partial"
    ptrack.ok("mark", "gsomia", "stalled", "--note", "via PTRACK_DATA", env=env)
    ptrack.ok("mark", "dtt", "partial", "--note", "via --data", env=env, data=places["explicit"])
    ptrack.ok("mark", "cptpp-entry", "implemented", "--note", "via XDG", env={"XDG_DATA_HOME": places["xdg_home"]})
    ptrack.ok("mark", "nsa-meetings", "implemented", "--note", "via HOME")

    def last_note(name):
        return json.loads((places[name] / CHANGES).read_text().splitlines()[-1])["note"]

    assert [last_note(n) for n in ("env", "explicit", "xdg", "home")] == [
        "via PTRACK_DATA", "via --data", "via XDG", "via HOME"]
    status = {i["id"]: i["status"] for i in ptrack.json("list", "--json", env=env)}
    assert (status["gsomia"], status["dtt"]) == ("stalled", bundled["dtt"])
    explicit = {i["id"]: i["status"] for i in ptrack.json("list", "--json", data=places["explicit"])}
    assert (explicit["gsomia"], explicit["dtt"]) == (bundled["gsomia"], "partial")


def test_trailing_slash_and_nested_missing_directories(ptrack, tmp_path):
    nested = tmp_path / "a" / "b" / "c"
    code, out, err = ptrack("list", "--json", data=f"{nested}/")
    assert code == 0 and len(json.loads(out)) == BUNDLED_COUNT
    assert sorted(os.listdir(nested)) == sorted([CATALOG, CHANGES, SNAPSHOT, LOCK])
    assert (nested / CHANGES).read_bytes() == (BUNDLED / CHANGES).read_bytes()
    assert json.loads((nested / CATALOG).read_text()) == json.loads((BUNDLED / CATALOG).read_text())


# ---------------------------------------------------------------- not a tracker


def foreign_directory(tmp_path):
    directory = tmp_path / "foreign"
    directory.mkdir()
    (directory / "notes.txt").write_text("my own notes\n")
    (directory / "sub").mkdir()
    (directory / "sub" / "data.json").write_text("{}\n")
    return directory


NOT_A_TRACKER_COMMANDS = [["list"], ["show", "gsomia"], ["mark", "gsomia", "stalled"], ["history"], ["report"],
                          ["watch", "gsomia"], ["add", "x", "--title", "X"], ["undo"]]


@pytest.mark.parametrize("args", NOT_A_TRACKER_COMMANDS, ids=[" ".join(a) for a in NOT_A_TRACKER_COMMANDS])
def test_not_a_tracker_is_refused(ptrack, tmp_path, args):
    directory = foreign_directory(tmp_path)
    code, out, err = ptrack(*args, data=directory)
    assert code == 66
    assert out == ""
    assert err == f"ptrack: {directory}: not a ptrack data directory (it is not empty and has no catalog.json)\n"
    assert (directory / "notes.txt").read_text() == "my own notes\n"
    assert not any((directory / name).exists() for name in (CATALOG, CHANGES, SNAPSHOT))


@pytest.mark.parametrize("args", NOT_A_TRACKER_COMMANDS, ids=[" ".join(a) for a in NOT_A_TRACKER_COMMANDS])
def test_not_a_tracker_leaves_directory_unchanged(ptrack, tmp_path, args):
    directory = foreign_directory(tmp_path)
    before = file_hashes(directory)
    code, out, err = ptrack(*args, data=directory)
    assert code == 66
    assert file_hashes(directory) == before
    assert sorted(os.listdir(directory)) == ["notes.txt", "sub"]


def test_foreign_log_is_not_a_tracker(ptrack, tmp_path):
    directory = tmp_path / "log-only"
    directory.mkdir()
    (directory / CHANGES).write_text('{"something":"else"}\n')
    before = file_hashes(directory)
    code, out, err = ptrack("list", data=directory)
    assert code == 66 and out == ""
    assert file_hashes(directory) == before


def test_interrupted_initialisation_is_completed(ptrack, tmp_path):
    """A directory holding only what a killed initialisation leaves (a lock, a temporary
    file, a prefix of the bundled log) is initialised afresh."""
    directory = tmp_path / "half"
    directory.mkdir()
    bundled = (BUNDLED / CHANGES).read_bytes()
    (directory / CHANGES).write_bytes(bundled[: len(bundled) // 2])
    (directory / LOCK).write_bytes(b"")
    (directory / ".catalog.json.tmp-123-456").write_bytes(b'{"half')
    code, out, err = ptrack("list", "--json", data=directory)
    assert code == 0, err
    assert len(json.loads(out)) == BUNDLED_COUNT
    assert err == NOTICE.format(directory)
    assert (directory / CHANGES).read_bytes() == bundled
    assert sorted(os.listdir(directory)) == sorted([CATALOG, CHANGES, SNAPSHOT, LOCK])


def test_data_path_that_is_a_file(ptrack, tmp_path):
    target = tmp_path / "a-file"
    target.write_text("not a directory\n")
    for args in (["list"], ["mark", "gsomia", "stalled"]):
        code, out, err = ptrack(*args, data=target)
        assert code == 74, (args, err)
        assert out == "" and err.startswith(f"ptrack: {target}/")
    assert target.read_text() == "not a directory\n"


# ---------------------------------------------------------------- read-only trackers

GENERATED = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")



@pytest.fixture
def read_only_tracker(ptrack):
    """A tracker under a fresh directory in /tmp that the unprivileged user can traverse,
    made read-only: directory 0555, files 0444."""
    base = tempfile.mkdtemp(prefix="ptrack-ro-", dir="/tmp")
    os.chmod(base, 0o755)
    directory = os.path.join(base, "data")
    initialise(ptrack, directory)
    ptrack.ok("mark", "gsomia", "stalled", "--note", "before read-only", data=directory)
    ptrack.ok("watch", "dtt", data=directory)
    for name in os.listdir(directory):
        os.chmod(os.path.join(directory, name), 0o444)
    os.chmod(directory, 0o555)
    yield directory
    os.chmod(directory, 0o755)
    shutil.rmtree(base)


READS = [["list"], ["list", "--json"], ["list", "--search", "paused"], ["show", "gsomia"], ["show", "gsomia", "--json"],
         ["history"], ["history", "--json"], ["history", "gsomia"], ["report"], ["report", "--format", "json"],
         ["report", "--format", "csv"], ["report", "--as-of", "2020", "--format", "markdown"]]


def test_unprivileged_user_can_run_ptrack():
    prefix = privilege_drop()
    result = subprocess.run([*prefix, binary(), "--version"], capture_output=True, env={"PATH": os.environ["PATH"]})
    assert result.returncode == 0, (
        f"cannot run {binary()} as an unprivileged user ({result.stderr!r}); its directory must be world-readable")


def test_reads_work_on_a_read_only_tracker(ptrack, read_only_tracker):
    """The chmod that made the files read-only changed the log's status-change time, so the
    seal no longer vouches for the snapshot: the reads replay, and cannot keep the snapshot."""
    prefix = privilege_drop()
    before = file_hashes(read_only_tracker)
    printed = {}
    for args in READS:
        code, out, err = ptrack(*args, data=read_only_tracker, prefix=prefix, env={"HOME": "/nonexistent"})
        assert code == 0, (args, err)
        assert out, args
        printed[tuple(args)] = out
    items = {i["id"]: i for i in json.loads(ptrack(*["list", "--json"], data=read_only_tracker, prefix=prefix)[1])}
    assert items["gsomia"]["status"] == "stalled" and items["dtt"]["watched"] is True
    assert file_hashes(read_only_tracker) == before
    # What the same commands print as root, who may write (and so keeps the snapshot).
    for args in READS:
        assert GENERATED.sub("T", printed[tuple(args)]) == GENERATED.sub("T", ptrack.ok(*args, data=read_only_tracker)), args


def test_reads_work_on_a_read_only_tracker_without_snapshot(ptrack, tmp_path):
    prefix = privilege_drop()
    base = tempfile.mkdtemp(prefix="ptrack-ro-", dir="/tmp")
    try:
        os.chmod(base, 0o755)
        directory = os.path.join(base, "data")
        initialise(ptrack, directory)
        ptrack.ok("mark", "gsomia", "stalled", data=directory)
        os.unlink(os.path.join(directory, SNAPSHOT))
        expected = ptrack.ok("list", "--json", data=directory)
        for name in os.listdir(directory):
            os.chmod(os.path.join(directory, name), 0o444)
        os.chmod(directory, 0o555)
        before = file_hashes(directory)
        code, out, err = ptrack("list", "--json", data=directory, prefix=prefix)
        assert (code, err) == (0, "")
        assert out == expected
        assert file_hashes(directory) == before
    finally:
        os.chmod(os.path.join(base, "data"), 0o755)
        shutil.rmtree(base)


WRITES = [["mark", "gsomia", "implemented", "--note", "x"], ["watch", "gsomia"], ["unwatch", "dtt"],
          ["add", "new-item", "--title", "New"], ["edit", "gsomia", "--title", "T"], ["undo"]]


@pytest.mark.parametrize("args", WRITES, ids=[" ".join(a) for a in WRITES])
def test_writes_fail_on_a_read_only_tracker(ptrack, read_only_tracker, args):
    prefix = privilege_drop()
    before = file_hashes(read_only_tracker)
    code, out, err = ptrack(*args, data=read_only_tracker, prefix=prefix)
    assert code == 74, err
    assert out == ""
    assert err.startswith(f"ptrack: {read_only_tracker}/")
    assert "Permission denied" in err
    assert file_hashes(read_only_tracker) == before
    assert sorted(os.listdir(read_only_tracker)) == sorted([CATALOG, CHANGES, SNAPSHOT, LOCK])


def test_report_output_into_read_only_directory(ptrack, read_only_tracker):
    prefix = privilege_drop()
    before = file_hashes(read_only_tracker)
    target = os.path.join(read_only_tracker, "report.md")
    code, out, err = ptrack("report", "--format", "markdown", "--output", target, data=read_only_tracker, prefix=prefix)
    assert code == 74
    assert out == ""
    assert "Permission denied" in err
    assert file_hashes(read_only_tracker) == before


def test_data_option_before_the_subcommand(ptrack, places):
    code, out, err = ptrack("--data", places["explicit"], "list", "--json", env={"PTRACK_DATA": places["env"]})
    assert code == 0 and len(json.loads(out)) == BUNDLED_COUNT
    assert err == NOTICE.format(places["explicit"])
    assert created(places) == ["explicit"]


def test_one_letter_relative_paths(ptrack, tmp_path):
    """A data directory and an output file named by one letter, relative to the current
    directory (Foundation's path splitting trapped on them)."""
    code, _, err = ptrack("list", data="d", cwd=tmp_path)
    assert code == 0 and (tmp_path / "d" / "catalog.json").exists(), err
    code, _, err = ptrack("report", "--output", "r", data="d", cwd=tmp_path)
    assert code == 0 and (tmp_path / "r").read_text().startswith("Status report"), err
