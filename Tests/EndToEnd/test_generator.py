"""End-to-end tests of ptrack-gen, the synthetic-tracker generator.

ptrack-gen is built beside ptrack (.build/release), so its path comes from $PTRACK_BIN's
folder. The trackers are small (200 recommendations with 5 changes each) to keep the tests
fast; the generator's speed at 100,000 is measured by `make bench-compare`, not here.
"""

import collections
import json
import os
import pathlib
import re
import shutil
import subprocess
import time
import tty

import pytest

from conftest import CATALOG, CHANGES, STATUSES, binary, clean_env
from terminal import Browser, drain_pty

COUNT = 200
CHANGES_PER_ITEM = 5
SEED = 42

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
TASK_DATE = re.compile(r"^\d{8}T\d{6}Z$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
# Hangul syllables and jamo, kana and the CJK ideographs.
CJK = re.compile("[\u1100-\u11ff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def generator():
    """ptrack-gen beside the ptrack under test; fails (never skips) when it is missing."""
    path = pathlib.Path(binary()).with_name("ptrack-gen")
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(
            f"{path} is missing: build it with `swift build -c release` (`make test` builds every product)",
            pytrace=False,
        )
    return str(path)


def run_gen(home, *args):
    """Runs ptrack-gen; returns the CompletedProcess with text output."""
    return subprocess.run(
        [generator(), *[str(arg) for arg in args]],
        env=clean_env(home),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )


def generate(home, output, seed=SEED, peers=None, count=COUNT, changes=CHANGES_PER_ITEM):
    args = ["--count", count, "--changes", changes, "--seed", seed, "--output", output]
    if peers is not None:
        args += ["--peers", peers]
    result = run_gen(home, *args)
    assert result.returncode == 0, f"ptrack-gen exited {result.returncode}\nstderr: {result.stderr}"
    return result


def current_statuses(changes):
    """Each recommendation's status by the rule of docs/data-format.md: among its status
    changes, the one with the greatest (happened, recorded, changeId)."""
    best = {}
    for change in changes:
        key = (change["happened"], change["recorded"], change["changeId"])
        if change["id"] not in best or key > best[change["id"]][0]:
            best[change["id"]] = (key, change["status"])
    return {item: status for item, (_, status) in best.items()}


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """One generated tracker with its peer files, shared by the read-only tests."""
    root = tmp_path_factory.mktemp("generated")
    home = root / "home"
    home.mkdir()
    output, peers = root / "tracker", root / "peers"
    result = generate(home, output, peers=peers)
    catalog = json.loads((output / CATALOG).read_text(encoding="utf-8"))
    lines = (output / CHANGES).read_text(encoding="utf-8").splitlines()
    return {
        "home": home,
        "output": output,
        "peers": peers,
        "stdout": result.stdout,
        "catalog": catalog,
        "lines": lines,
        "changes": [json.loads(line) for line in lines],
    }


def test_help_describes_the_options(tmp_path):
    result = run_gen(tmp_path, "--help")
    assert result.returncode == 0, result.stderr
    for option in ("--count", "--changes", "--seed", "--output", "--peers"):
        assert option in result.stdout


def test_same_seed_gives_the_same_bytes_and_another_seed_other_data(tmp_path):
    first, second, other = tmp_path / "first", tmp_path / "second", tmp_path / "other"
    generate(tmp_path, first, peers=first / "peers")
    generate(tmp_path, second, peers=second / "peers")
    generate(tmp_path, other, seed=SEED + 1)
    for name in (CATALOG, CHANGES, "peers/tracker.json", "peers/taskwarrior.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), f"{name} differs between two runs"
    for name in (CATALOG, CHANGES):
        assert (first / name).read_bytes() != (other / name).read_bytes(), f"{name} is the same for another seed"


def test_writes_only_the_tracker_files(generated):
    assert sorted(os.listdir(generated["output"])) == [CATALOG, CHANGES]
    assert sorted(os.listdir(generated["peers"])) == ["taskwarrior.json", "tracker.json"]
    for name in (CATALOG, CHANGES, "tracker.json", "taskwarrior.json"):
        assert name in generated["stdout"]


def test_files_are_in_the_canonical_form(generated):
    """Byte for byte what ptrack (and Python's json.dumps with sorted keys) writes."""
    catalog_text = (generated["output"] / CATALOG).read_text(encoding="utf-8")
    assert catalog_text == json.dumps(generated["catalog"], sort_keys=True, ensure_ascii=False, indent=2) + "\n"
    for line, change in zip(generated["lines"], generated["changes"]):
        assert line == json.dumps(change, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert (generated["output"] / CHANGES).read_bytes().endswith(b"\n")


def test_counts_ids_and_texts(generated):
    catalog, changes = generated["catalog"], generated["changes"]
    recommendations = catalog["recommendations"]
    assert [r["id"] for r in recommendations] == [f"rec-{n:06d}" for n in range(1, COUNT + 1)]
    assert len({c["id"] for c in catalog["catalogs"]}) >= 3
    assert len({r["category"] for r in recommendations}) >= 5
    assert {r["catalog"] for r in recommendations} <= {c["id"] for c in catalog["catalogs"]}
    assert len(changes) == COUNT * CHANGES_PER_ITEM
    assert collections.Counter(c["id"] for c in changes) == {r["id"]: CHANGES_PER_ITEM for r in recommendations}
    assert len({c["changeId"] for c in changes}) == len(changes), "change ids must be unique"

    for recommendation in recommendations:
        assert SLUG.match(recommendation["id"])
        assert recommendation["actors"], "every recommendation has an actor"
        assert recommendation["horizon"] in {"short-term", "medium-term", "long-term", "ongoing"}
        assert recommendation["source"]["id"]

    # About one in ten is written in Korean or Japanese (title, summary and notes).
    cjk = {r["id"] for r in recommendations if CJK.search(r["title"]) and CJK.search(r["summary"])}
    assert 0.07 * COUNT <= len(cjk) <= 0.13 * COUNT, f"{len(cjk)} of {COUNT} recommendations in Korean or Japanese"
    assert any(CJK.search(c.get("note", "")) for c in changes if c["id"] in cjk)

    # Realistic lengths: titles about 60 characters, summaries about 400, notes about 120.
    def mean(values):
        values = list(values)
        return sum(values) / len(values)

    assert 45 <= mean(len(r["title"]) for r in recommendations) <= 75
    assert 300 <= mean(len(r["summary"]) for r in recommendations) <= 500
    notes = [c["note"] for c in changes if "note" in c]
    assert len(notes) >= 0.8 * len(changes)
    assert 80 <= mean(map(len, notes)) <= 160
    assert len({r["title"] for r in recommendations}) >= 0.9 * COUNT, "titles should vary"


def test_changes_are_ordered_and_well_formed(generated):
    changes = generated["changes"]
    recorded = [c["recorded"] for c in changes]
    assert recorded == sorted(recorded), "the log must be in the order recorded"
    by_item = collections.defaultdict(list)
    for change in changes:
        assert change["kind"] == "status" and change["status"] in STATUSES
        assert change["schemaVersion"] == 2
        assert DATE.match(change["happened"]) and "1998" <= change["happened"][:4] <= "2024"
        assert TIMESTAMP.match(change["recorded"])
        assert change["recorded"][:10] >= change["happened"], "recorded on or after it happened"
        by_item[change["id"]].append(change)
    for item, history in by_item.items():
        happened = [c["happened"] for c in history]
        assert all(a < b for a, b in zip(happened, happened[1:])), f"{item}: dates must increase: {happened}"
    forms = collections.Counter(len(c["happened"]) for c in changes)
    assert forms[10] > forms[7] > 0, f"mostly full dates, some YYYY-MM: {forms}"
    years = {c["happened"][:4] for c in changes}
    assert min(years) <= "2001" and max(years) >= "2022", "histories spread over 1998–2024"
    assert any("source" in c for c in changes)


def test_output_loads_in_ptrack(generated, ptrack, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(generated["output"], data)
    expected = current_statuses(generated["changes"])

    items = ptrack.json("list", "--json", data=data)
    assert len(items) == COUNT
    assert {item["id"]: item["status"] for item in items} == expected
    assert all(item["changeCount"] == CHANGES_PER_ITEM for item in items)

    report = ptrack.json("report", "--format", "json", data=data)
    assert report["total"] == COUNT
    counts = collections.Counter(expected.values())
    assert report["byStatus"] == {status: counts.get(status, 0) for status in STATUSES}
    assert "recommendations" in ptrack.ok("report", data=data)

    # ptrack can write to it: its first write builds the snapshot.
    ptrack.ok("mark", "rec-000001", "implemented", "--note", "Marked by the test.", data=data)
    items = {item["id"]: item for item in ptrack.json("list", "--json", data=data)}
    assert items["rec-000001"]["status"] == "implemented"
    assert (data / "snapshot.jsonl").exists()


def test_peer_document_has_the_same_data(generated):
    document = json.loads((generated["peers"] / "tracker.json").read_text(encoding="utf-8"))
    assert document["schemaVersion"] == 2
    assert document["catalogs"] == generated["catalog"]["catalogs"]
    assert document["sources"] == generated["catalog"]["sources"]
    recommendations = document["recommendations"]
    assert len(recommendations) == COUNT
    by_id = {r["id"]: r for r in generated["catalog"]["recommendations"]}
    log_by_id = collections.defaultdict(list)
    for change in generated["changes"]:
        log_by_id[change["id"]].append(change)
    current = current_statuses(generated["changes"])
    for recommendation in recommendations:
        history = recommendation.pop("history")
        assert recommendation == by_id[recommendation["id"]]
        logged = [{k: v for k, v in c.items() if k not in ("id", "schemaVersion")} for c in log_by_id[recommendation["id"]]]
        assert history == logged
        # The last change of the history is the current status (jq: .history[-1].status).
        assert history[-1]["status"] == current[recommendation["id"]]


def test_peer_document_lines_are_canonical_json(generated):
    """One recommendation per line, each in the compact form ptrack writes its log in."""
    lines = (generated["peers"] / "tracker.json").read_text(encoding="utf-8").split("\n")
    items = [line.rstrip(",") for line in lines[1:-2]]
    assert len(items) == COUNT
    for text in items:
        assert text == json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def test_taskwarrior_file_matches_the_statuses(generated):
    tasks = json.loads((generated["peers"] / "taskwarrior.json").read_text(encoding="utf-8"))
    assert isinstance(tasks, list) and len(tasks) == COUNT
    recommendations = generated["catalog"]["recommendations"]
    current = current_statuses(generated["changes"])
    assert len({task["uuid"] for task in tasks}) == COUNT
    notes_by_id = collections.defaultdict(list)
    for change in generated["changes"]:
        if "note" in change:
            notes_by_id[change["id"]].append(change["note"])
    for task, recommendation in zip(tasks, recommendations):
        status = current[recommendation["id"]]
        assert UUID.match(task["uuid"])
        assert task["description"] == recommendation["title"]
        assert task["project"] == recommendation["category"]
        assert task["status"] == ("completed" if status == "implemented" else "pending")
        assert ("end" in task) == (status == "implemented")
        assert task["tags"] == recommendation["actors"] + [status.replace("-", "_")]
        for key in ("entry", "modified", "end"):
            if key in task:
                assert TASK_DATE.match(task[key]), f"{key}: {task[key]}"
        annotations = task.get("annotations", [])
        assert [a["description"] for a in annotations] == notes_by_id[recommendation["id"]][-3:]
        assert all(TASK_DATE.match(a["entry"]) for a in annotations)


def test_task_import_accepts_the_taskwarrior_file(generated, tmp_path):
    task = shutil.which("task")
    if task is None:
        pytest.fail(
            "Taskwarrior's `task` is not installed, so the import cannot be checked: "
            "install it with `apt-get install taskwarrior` (make test installs it)",
            pytrace=False,
        )
    taskrc = tmp_path / "taskrc"
    taskrc.write_text("")
    env = clean_env(tmp_path, TASKRC=taskrc, TASKDATA=tmp_path / "taskdata")
    (tmp_path / "taskdata").mkdir()

    def run_task(*args):
        result = subprocess.run(
            [task, "rc.confirmation=off", "rc.hooks=off", "rc.verbose=nothing", *args],
            env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120,
        )
        assert result.returncode == 0, f"task {' '.join(args)} exited {result.returncode}\n{result.stderr}"
        return result.stdout

    run_task("import", generated["peers"] / "taskwarrior.json")
    exported = json.loads(run_task("export"))
    tasks = json.loads((generated["peers"] / "taskwarrior.json").read_text(encoding="utf-8"))
    assert {t["uuid"] for t in exported} == {t["uuid"] for t in tasks}
    implemented = sum(1 for status in current_statuses(generated["changes"]).values() if status == "implemented")
    assert int(run_task("status:completed", "count")) == implemented
    assert int(run_task("status:pending", "count")) == COUNT - implemented
    annotated = next(t for t in exported if t.get("annotations"))
    assert annotated["annotations"][0]["description"]


def test_refuses_an_output_directory_that_is_not_empty(tmp_path):
    output = tmp_path / "busy"
    output.mkdir()
    (output / "notes.txt").write_text("mine\n")
    result = run_gen(tmp_path, "--count", 10, "--changes", 2, "--output", output)
    assert result.returncode == 64, result
    assert "not empty" in result.stderr
    assert os.listdir(output) == ["notes.txt"]
    assert (output / "notes.txt").read_text() == "mine\n"

    a_file = tmp_path / "file"
    a_file.write_text("x")
    result = run_gen(tmp_path, "--count", 10, "--output", a_file)
    assert result.returncode == 64
    assert a_file.read_text() == "x"


def test_accepts_an_empty_or_missing_output_directory(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    generate(tmp_path, empty, count=3, changes=0)
    generate(tmp_path, tmp_path / "missing" / "nested", count=3, changes=1)
    assert (tmp_path / "missing" / "nested" / CATALOG).exists()
    assert (empty / CHANGES).read_bytes() == b""


def test_refuses_bad_arguments(tmp_path):
    for args in (["--count", 0], ["--count", 5, "--changes", -1], ["--count", "many"], []):
        result = run_gen(tmp_path, *args, "--output", tmp_path / "never")
        assert result.returncode == 64, (args, result.stderr)
    assert not (tmp_path / "never").exists()


def stderr_of(ptrack, args, data, on_terminal):
    """ptrack's standard error, on a pseudo-terminal or a pipe, and how long after the start
    its first byte came (None when none did); stdout goes to a pipe."""
    if not on_terminal:
        result = subprocess.run(ptrack.argv(*args, data=data), env=ptrack.env(), stdin=subprocess.DEVNULL,
                                capture_output=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return result.stderr, None
    master, slave = os.openpty()
    tty.setraw(slave)
    try:
        proc = subprocess.Popen(ptrack.argv(*args, data=data), env=ptrack.env(), stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=slave)
    finally:
        os.close(slave)
    err, first = drain_pty(master)
    assert proc.wait(timeout=300) == 0
    return err, first


PROGRESS = re.compile(rb"^ptrack: ([a-z ]+): ([\d,]+) of ([\d,]+) (MB|changes|items|records|bytes) \((\d+) %\)"
                      rb"(, [\d,]+ ?(MB)?/s, \d+ s left)?$")


def progress_lines(err):
    """The lines drawn in place: each starts with a carriage return and a clear to the end."""
    assert err.startswith(b"\r\x1b[K"), err[:80]
    return [line for line in err.split(b"\r\x1b[K") if line]


def test_long_work_shows_its_progress_on_a_terminal_only(ptrack, tmp_path):
    """A replay of a long log (a fresh clone of a tracker, here 20,000 items of 10 changes)
    and an export draw their steps in place on a terminal — what is done of the total, the
    rate and the time left — within half a second, and clear the line when done; piped, or
    with --quiet, nothing; quick work (the read after) shows nothing either."""
    generate(tmp_path / "home", tmp_path / "tracker", count=20000, changes=10)
    for way in ("terminal", "pipe", "quiet"):
        data = tmp_path / f"data-{way}"
        shutil.copytree(tmp_path / "tracker", data)
        args = ["report"] + (["--quiet"] if way == "quiet" else [])
        err, first = stderr_of(ptrack, args, data, on_terminal=way != "pipe")
        assert (data / "snapshot.jsonl").exists()
        if way != "terminal":
            assert err == b"", err[:200]
            continue
        lines = progress_lines(err)
        assert lines and all(PROGRESS.match(line) for line in lines), lines[:5]
        titles = {PROGRESS.match(line).group(1) for line in lines}
        assert titles & {b"reading the change log", b"replaying the change log", b"writing the snapshot"}, titles
        assert err.endswith(b"\r\x1b[K"), "the last step's line is cleared"
        assert first is not None and first < 1.0, f"the first progress came {first:.2f} s after the start"
        assert stderr_of(ptrack, ["report"], data, on_terminal=True)[0] == b"", "a read from the snapshot is quick"
        err, _ = stderr_of(ptrack, ["export", "--format", "csv", "--output", str(tmp_path / "out.csv")], data, on_terminal=True)
        shown = [line for line in err.split(b"\r\x1b[K") if line.startswith(b"ptrack: ")]
        assert any(PROGRESS.match(line) for line in shown), err[:300]


def test_the_browser_draws_no_progress_line_over_its_screen(ptrack, tmp_path):
    """The browser owns the terminal: when it reads a long log again (catalog.json changed
    under it, so the whole log is replayed), no progress line reaches the screen."""
    generate(tmp_path / "home", tmp_path / "tracker", count=20000, changes=10)
    data = tmp_path / "tracker"
    ptrack.ok("report", data=data)                         # the snapshot, so the first frame is quick
    session = Browser(ptrack, data, tmp_path, width=120, height=30)
    try:
        session.wait_for("rec-000001", timeout=30)
        catalog = data / CATALOG
        catalog.write_bytes(catalog.read_bytes())           # the same bytes, a new file time: a whole read
        screens = []
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            screen = session.screen()
            screens.append(screen)
            if "reloaded" in screen:
                break
            time.sleep(0.02)
        assert any("reloaded" in screen for screen in screens), screens[-1]
        assert not [screen for screen in screens if "ptrack: " in screen], next(s for s in screens if "ptrack: " in s)
    finally:
        session.close()
