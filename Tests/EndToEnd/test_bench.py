"""The benchmark suite's smoke run: `ptrack-bench --smoke` (the binary beside $PTRACK_BIN)
generates a 1,000-recommendation tracker, runs every benchmark once or twice (the cliffs'
rows once, their tails 100 and 1,000 lines long) and writes its table. Only that it ran and wrote every row is checked, never how fast anything was."""

import json
import os
import re
import shutil
import subprocess

import pytest

from conftest import binary

# Every row of a full smoke run, in table order (Sources/ptrack-bench/Suite.swift, `Operation`).
OPERATIONS = [
    "load: snapshot + log tail → state",
    "load: full replay (no snapshot)",
    "history(): decode every change",
    "report (text): load + history + StatusReport + write",
    "report --format json",
    "list --json: load + filter + ItemOutput + JSONWriter",
    "state(asOf:): replay all history to a date",
    "report --as-of (text)",
    "mark: record one status change",
    "mark + snapshot rewrite (1 mark in 256)",
    "undo: revert the last change",
    "browser model: load + history + AppState",
    "first frame: View.render 80×24",
    'search: "/" opens the prompt',
    'search key → "e"',
    'search key → "eq"',
    'search key → "eqz"',
    'search key → "한"',
    'search key → "한국"',
    'search key → "t"',
    'search key → "tr"',
    'search key → "tri"',
    'search key → "tril"',
    "move j + render 80×24",
    "move j + render 200×60",
    "sort s → status",
    "sort s → since",
    "sort s → category",
    "sort s → id",
    "filter: f opens the status picker",
    "filter: 5 → stalled",
    "filter: f 0 → any (clear)",
    "process: ptrack --version (start-up floor)",
    "process: ptrack report",
    "process: ptrack list --json",
    "process: ptrack report --as-of",
    "process: ptrack mark",
    "process: ptrack undo",
    "tmux floor: sh prints the status text",
    "browser start → first frame (tmux)",
]


def tail_rows(kind, lines):
    """The rows of one tail past the snapshot (`Operation.tailRows`)."""
    tail = f"tail of {lines} {kind}"
    return (
        [f"{tail}: report (text), lock held"]
        + [f"process: {command}, {tail}, lock held" for command in ("report", "report --format json", "list --json")]
        + [f"process: report, {tail}, first read", f"process: report, {tail}, later reads"]
    )


# The cliffs' rows, with the smoke run's tails of 100 and 1,000 lines (`Operation.cliffs`).
OPERATIONS += [
    row
    for kind in ("same-status marks", "reviews", "undos", "edits")
    for lines in ("100", "1,000")
    for row in tail_rows(kind, lines)
] + [
    "process: report, no snapshot (fresh clone)",
    "process: report, the one after it",
    'browser save: Enter on the note → "Saved" (in-process)',
    'browser save: Enter on the note → "Saved" on screen (tmux)',
    "another process's mark → on screen (tmux)",
]
TMUX_ROWS = {
    "tmux floor: sh prints the status text",
    "browser start → first frame (tmux)",
    'browser save: Enter on the note → "Saved" on screen (tmux)',
    "another process's mark → on screen (tmux)",
}

NUMBER = re.compile(r"^\d+(\.\d+)?$")


def bench_binary():
    path = os.path.join(os.path.dirname(binary()), "ptrack-bench")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(f"{path} is missing: `swift build -c release` builds it beside ptrack", pytrace=False)
    return path


def table_rows(markdown):
    """operation → its cells (median, min, max, runs, peak RSS, notes)."""
    rows = {}
    for line in markdown.splitlines():
        if not line.startswith("| ") or line.startswith("| operation ") or line.startswith("|---"):
            continue
        cells = [cell.strip() for cell in re.split(r"(?<!\\) \| ", line.strip("| \n"))]
        rows[cells[0]] = cells[1:]
    return rows


@pytest.fixture(scope="module")
def smoke_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bench")
    env = dict(os.environ, HOME=str(tmp), TMPDIR=str(tmp))
    for name in ("PTRACK_DATA", "XDG_DATA_HOME"):
        env.pop(name, None)
    table, results = tmp / "bench.md", tmp / "bench.json"
    run = subprocess.run(
        [bench_binary(), "--smoke", "--output", str(table), "--json", str(results)],
        capture_output=True, text=True, env=env, timeout=900)
    return run, table, results, tmp


def test_smoke_run_succeeds_and_writes_its_table(smoke_run):
    run, table, results, _ = smoke_run
    assert run.returncode == 0, f"ptrack-bench --smoke failed:\n{run.stderr[-4000:]}"
    assert "smoke run complete" in run.stderr
    assert table.is_file() and results.is_file()


def test_table_lists_every_operation_with_a_number(smoke_run):
    run, table, _, _ = smoke_run
    assert run.returncode == 0, run.stderr[-4000:]
    markdown = table.read_text()
    assert "## 1,000 recommendations × 10 changes" in markdown
    rows = table_rows(markdown)
    has_tmux = shutil.which("tmux") is not None
    for operation in OPERATIONS:
        assert operation in rows, f"{operation!r} is missing from the table:\n{markdown}"
        median, low, high, runs = rows[operation][:4]
        if operation in TMUX_ROWS and not has_tmux:
            assert median == "skipped", rows[operation]
            continue
        for value in (median, low, high):
            assert NUMBER.match(value), f"{operation}: {value!r} is not a number ({rows[operation]})"
        assert int(runs) >= 1
        assert float(low) <= float(median) <= float(high)
    assert list(rows) == OPERATIONS, "the table's rows are not the expected ones, in order"


def test_process_rows_carry_a_peak_rss(smoke_run):
    _, table, _, _ = smoke_run
    rows = table_rows(table.read_text())
    if not os.access("/usr/bin/time", os.X_OK):
        pytest.skip("peak RSS needs GNU time")
    for operation in OPERATIONS:
        if operation.startswith("process: "):
            assert NUMBER.match(rows[operation][4]), f"{operation}: no peak RSS ({rows[operation]})"


def test_json_matches_the_table(smoke_run):
    _, table, results, _ = smoke_run
    document = json.loads(results.read_text())
    (size,) = document["sizes"]
    assert size["count"] == 1000 and size["changesPerItem"] == 10
    assert size["catalogBytes"] > 0 and size["logBytes"] > 0
    by_name = {row["operation"]: row for row in size["results"]}
    assert set(by_name) == set(OPERATIONS)
    for operation in OPERATIONS:
        row = by_name[operation]
        if "skipped" in row:
            assert operation in TMUX_ROWS and shutil.which("tmux") is None
            continue
        assert "failure" not in row, row
        assert row["runs"] == len(row["samplesMs"]) >= 1
        assert row["minMs"] <= row["medianMs"] <= row["maxMs"]


def test_leaves_no_trackers_or_tmux_servers_behind(smoke_run):
    run, _, _, tmp = smoke_run
    assert run.returncode == 0, run.stderr[-4000:]
    leftovers = [path.name for path in tmp.iterdir() if path.name.startswith("ptrack-bench-")]
    assert leftovers == [], leftovers
    # The browsers it started ran on trackers under `tmp`; none may outlive the run.
    browsers = subprocess.run(["pgrep", "-f", f"--data {tmp}/"], capture_output=True, text=True).stdout.split()
    assert browsers == [], "browsers started by ptrack-bench are still running"
