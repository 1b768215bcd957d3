""""Since" is the date the current status began, wherever ptrack shows it: `show`, `list`
(text and JSON), the reports (text, Markdown, JSON, HTML) and the browser. A change that
sets the status the item already has (a reaffirmation), a review, or a change recorded later
with an earlier date does not move it; a change of another status inside the run cuts it.

The item used, pandemic-cooperation, starts in-progress since 2021-02-04 (one change)."""

import json
import pathlib
import re
import shutil

import pytest

from conftest import BUNDLED, SNAPSHOT

ITEM = "pandemic-cooperation"


def show_status_line(ptrack, data_dir):
    """The `Status` line of `show ITEM`."""
    lines = ptrack.ok("show", ITEM, data=data_dir).splitlines()
    return lines[1]


def listed(ptrack, data_dir):
    return next(item for item in ptrack.json("list", "--json", data=data_dir) if item["id"] == ITEM)


def list_row(ptrack, data_dir):
    """The item's row of `list`, split into words: id, status, since, …"""
    out = ptrack.ok("list", data=data_dir, env={"COLUMNS": "140"})
    header = out.splitlines()[0].split()
    assert header[:3] == ["ID", "STATUS", "SINCE"], header
    return next(line.split() for line in out.splitlines() if line[2:].startswith(ITEM + " "))


def attention(report):
    """The item's entry in the JSON report's stalledOrReversed, or None."""
    return next((entry for entry in report["stalledOrReversed"] if entry["id"] == ITEM), None)


def expect_since(ptrack, data_dir, status, since, last_change):
    """Every command that shows "since" says `status` since `since`; the JSON keeps the
    latest status change as `lastChange`."""
    assert show_status_line(ptrack, data_dir) == f"  Status    {status} since {since}"
    shown = ptrack.json("show", ITEM, "--json", data=data_dir)
    assert (shown["status"], shown["since"], shown["lastChange"]) == (status, since, last_change)
    item = listed(ptrack, data_dir)
    assert (item["status"], item["since"], item["lastChange"]) == (status, since, last_change)
    assert list_row(ptrack, data_dir)[1:3] == [status, since]

    report = ptrack.json("report", "--format", "json", data=data_dir)
    entry = attention(report)
    if status in ("stalled", "reversed"):
        assert (entry["status"], entry["since"], entry["lastChange"]) == (status, since, last_change)
        text = ptrack.ok("report", data=data_dir)
        lines = text.splitlines()
        stalled = lines[lines.index("Stalled or reversed") + 1:]
        row = next(line for line in stalled if f" {ITEM}: " in line)
        assert row.split()[:4] == [status, "since", since, ITEM + ":"], row
        markdown = ptrack.ok("report", "--format", "markdown", data=data_dir)
        assert re.search(rf"^- `{ITEM}` .*: \*\*{status}\*\* since {re.escape(since)}$", markdown, re.MULTILINE), markdown
        html = ptrack.ok("report", "--format", "html", data=data_dir)
        assert f'<td class="date">{since}</td><td><code>{ITEM}</code>' in html
    else:
        assert entry is None


def test_a_reaffirmation_and_a_review_do_not_move_since(ptrack, data_dir):
    expect_since(ptrack, data_dir, "in-progress", "2021-02-04", "2021-02-04")
    ptrack.ok("mark", ITEM, "stalled", "--date", "2023-01", "--note", "A made-up test event", data=data_dir)
    expect_since(ptrack, data_dir, "stalled", "2023-01", "2023-01")
    ptrack.ok("mark", ITEM, "stalled", "--date", "2024-01", "--note", "A made-up test event, again", data=data_dir)
    ptrack.ok("review", ITEM, "--note", "Looked again", data=data_dir)
    expect_since(ptrack, data_dir, "stalled", "2023-01", "2024-01")
    # The stalled items, the longest-standing first (ties by id): the item, stalled since
    # 2023-01, comes before the bundled items stalled later.
    report = ptrack.json("report", "--format", "json", data=data_dir)
    entries = [(entry["since"], entry["id"]) for entry in report["stalledOrReversed"]]
    assert entries[0] == ("2023-01", ITEM) and entries == sorted(entries) and len(entries) >= 2


def test_since_survives_the_snapshot_and_an_earlier_layout_of_it(ptrack, data_dir):
    ptrack.ok("mark", ITEM, "stalled", "--date", "2023-01", data=data_dir)
    ptrack.ok("mark", ITEM, "stalled", "--date", "2024-01", data=data_dir)
    snapshot = pathlib.Path(data_dir, SNAPSHOT)
    # Rebuilt from the whole log, then read from the snapshot by the next command.
    snapshot.unlink()
    expect_since(ptrack, data_dir, "stalled", "2023-01", "2024-01")
    header = json.loads(snapshot.read_text(encoding="utf-8").splitlines()[0])
    bundled_lines = len((BUNDLED / "changes.jsonl").read_bytes().splitlines())
    assert header["format"] == 4 and header["log"]["lines"] == bundled_lines + 2
    expect_since(ptrack, data_dir, "stalled", "2023-01", "2024-01")
    # A snapshot of the layout before the run was kept is not used, and is written anew.
    lines = snapshot.read_text(encoding="utf-8").splitlines()
    earlier = []
    for line in lines[1:]:
        entry = json.loads(line)
        run = entry["item"].pop("statusRun", None)
        if run:
            entry["item"]["statusChange"] = run["changes"][-1]
        earlier.append(json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False))
    snapshot.write_text("\n".join([lines[0].replace('"format":4', '"format":3')] + earlier) + "\n", encoding="utf-8")
    expect_since(ptrack, data_dir, "stalled", "2023-01", "2024-01")
    assert json.loads(snapshot.read_text(encoding="utf-8").splitlines()[0])["format"] == 4


def test_a_change_recorded_later_with_an_earlier_date(ptrack, data_dir):
    ptrack.ok("mark", ITEM, "stalled", "--date", "2023-03", data=data_dir)
    ptrack.ok("mark", ITEM, "stalled", "--date", "2024-01", data=data_dir)
    # The same status, dated inside the run: nothing moves.
    ptrack.ok("mark", ITEM, "stalled", "--date", "2023-06", data=data_dir)
    expect_since(ptrack, data_dir, "stalled", "2023-03", "2024-01")
    # The same status, dated before the run with nothing else between: the run starts earlier.
    ptrack.ok("mark", ITEM, "stalled", "--date", "2023-01", data=data_dir)
    expect_since(ptrack, data_dir, "stalled", "2023-01", "2024-01")
    # Another status dated inside the run cuts it: stalled again since 2024-01.
    out = ptrack.ok("mark", ITEM, "partial", "--date", "2023-09", data=data_dir)
    assert "stalled" in out
    expect_since(ptrack, data_dir, "stalled", "2024-01", "2024-01")
    # As of a date inside the run, only the changes that happened by then count.
    then = ptrack.json("report", "--as-of", "2023-08", "--format", "json", data=data_dir)
    assert (attention(then)["since"], attention(then)["lastChange"]) == ("2023-01", "2023-06")
    then = ptrack.json("report", "--as-of", "2023-12", "--format", "json", data=data_dir)
    assert attention(then) is None
    # Undone, the run is whole again.
    ptrack.ok("undo", data=data_dir)
    expect_since(ptrack, data_dir, "stalled", "2023-01", "2024-01")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="never: make test installs tmux")
def test_the_browser_shows_since_while_another_process_reaffirms(browser, ptrack, data_dir):
    ptrack.ok("mark", ITEM, "stalled", "--date", "2023-01", data=data_dir)
    b = browser(width=140, height=70)
    b.wait_for("222-dialogue")
    b.keys("/")
    b.type(ITEM)
    b.keys("Enter")
    screen = b.wait_for("stalled since 2023-01")
    row = re.compile(r"pandemic-coop\S*\s+stalled\s+2023-01 ")
    assert row.search(screen), screen
    ptrack.ok("mark", ITEM, "stalled", "--date", "2024-01", "--note", "A made-up test event, again", data=data_dir)
    ptrack.ok("review", ITEM, data=data_dir)
    b.wait_for("Changed by another process", timeout=3)
    screen = b.wait_for("still stalled")          # the detail's history shows the reaffirmation
    assert "stalled since 2023-01" in screen and "since 2024-01" not in screen, screen
    assert row.search(screen), screen
    b.keys("3")
    dashboard = b.wait_for("Stalled or reversed")
    assert "since 2024-01" not in dashboard, dashboard
    assert dashboard.count("stalled  since 2023-01") == 1, dashboard
    b.keys("q")
