"""`ptrack diff FROM [TO]` on the bundled agenda: what moved in 2022 and 2023, in every
format, parsed with real parsers and compared byte for byte with the files under
Tests/Fixtures/reports (re-recorded with PTRACK_RECORD_SNAPSHOTS=1)."""

import csv
import datetime
import io
import json
import os
import pathlib

import pytest
from markdown_it import MarkdownIt

from conftest import CATALOG, REPO, STATUSES, log_changes
from test_differential import cancelled_ids, first_day, precedence
from test_report_html import local, parsed

GOLDEN = REPO / "Tests" / "Fixtures" / "reports"
FIXED = {"PTRACK_NOW": "1767225600", "COLUMNS": "80"}  # 2026-01-01T00:00:00Z
SPAN = ["diff", "2022-01-01", "2023-12-31"]


def expected(data, start=SPAN[1], end=SPAN[2]):
    """What the diff from `start` to `end` must show, replayed from the tracker's own files
    by the reference of test_differential (docs/data-format.md's rules): the status changes
    in effect that happened in the span, item by item (ids in order), each in the order it
    took effect with the status before and after it; the counts of STATUSES the day before
    the span and at its end; and each item's net move (start, end)."""
    catalog = json.loads(pathlib.Path(data, CATALOG).read_text(encoding="utf-8"))
    changes = log_changes(data)
    cancelled = cancelled_ids(changes)
    items = [r["id"] for r in catalog["recommendations"]]
    items += [c["id"] for c in changes if c["kind"] == "add" and c["changeId"] not in cancelled]
    effective = sorted((c for c in changes if c["kind"] == "status" and c["changeId"] not in cancelled), key=precedence)
    before_span = (datetime.date.fromisoformat(start) - datetime.timedelta(days=1)).isoformat()

    def status_on(item, day):
        kept = [c for c in effective if c["id"] == item and first_day(c["happened"]) <= day]
        return kept[-1]["status"] if kept else "not-started"

    current, moves = {}, []
    for change in effective:
        before = current.get(change["id"], "not-started")
        current[change["id"]] = change["status"]
        if start <= first_day(change["happened"]) <= end:
            moves.append((change["id"], change["changeId"], before, change["status"]))
    moves.sort(key=lambda move: move[0])                    # stable: each item's in the order they took effect
    counts = lambda day: [sum(1 for item in items if status_on(item, day) == status) for status in STATUSES]
    net = {item: (status_on(item, before_span), status_on(item, end)) for item in sorted({m[0] for m in moves})}
    return {"changes": moves, "before": counts(before_span), "after": counts(end), "net": net}


def differences(figures):
    return ["0" if a == b else f"{a - b:+d}" for b, a in zip(figures["before"], figures["after"])]


def moved(figures):
    """The lines of "What moved", in order: each net move by its start then its end status,
    then `still S` for the items that ended where they began; whitespace as one space."""
    groups = {}
    for item, (start, end) in figures["net"].items():
        groups.setdefault((start != end, start, end), []).append(item)
    keys = sorted(groups, key=lambda key: (not key[0], STATUSES.index(key[1]), STATUSES.index(key[2])))
    return [(f"{start} → {end}" if changed else f"still {start}") + f" ({len(groups[key])}): " + ", ".join(groups[key])
            for key in keys for changed, start, end in [key]]


def diff(ptrack, data, *args, env=FIXED):
    return ptrack.ok(*SPAN, *args, data=data, env=env)


def test_the_span_holds_changes_of_every_kind_the_tests_look_for(data_dir):
    """The bundled agenda's 2022–2023 is a fair test: many items moved, some more than once,
    some from a status other than not-started, and reverted changes lie in the span."""
    figures = expected(data_dir)
    assert len(figures["changes"]) >= 15 and len(figures["net"]) >= 10
    assert len(figures["changes"]) > len(figures["net"])
    assert any(start != "not-started" for start, _ in figures["net"].values())
    changes = log_changes(data_dir)
    cancelled = cancelled_ids(changes)
    assert any(c["changeId"] in cancelled and c["kind"] == "status" and SPAN[1] <= first_day(c["happened"]) <= SPAN[2]
               for c in changes)


def test_json_is_the_array_of_changes(ptrack, data_dir):
    changes = json.loads(diff(ptrack, data_dir, "--format", "json"))
    assert isinstance(changes, list)
    assert [(c["id"], c["changeId"], c["before"], c["after"]) for c in changes] == expected(data_dir)["changes"]
    first = changes[0]
    assert set(first) == {"id", "changeId", "before", "after", "happened", "recorded", "note", "source", "citation"}
    logged = {c["changeId"]: c for c in log_changes(data_dir)}[first["changeId"]]
    assert (first["happened"], first["recorded"], first["source"]) == (logged["happened"], logged["recorded"], logged["source"])
    assert first["note"] == logged["note"] and first["citation"].endswith(f"[{logged['source']}]")


def test_csv_has_a_row_per_change(ptrack, data_dir):
    rows = list(csv.DictReader(io.StringIO(diff(ptrack, data_dir, "--format", "csv"), newline="")))
    assert [(r["id"], r["changeId"], r["before"], r["after"]) for r in rows] == expected(data_dir)["changes"]
    assert all(r["note"] and r["happened"][:4] in ("2022", "2023") for r in rows)


def summary_of(text):
    return text.split("\nChanges by item\n")[0].rstrip("\n").split("\n")


def what_moved(summary):
    """The entries of "What moved", each with its wrapped lines joined."""
    lines = summary[summary.index("What moved (start → end)") + 1:]
    entries = []
    for line in lines:
        if line.startswith("    "):
            entries[-1] += " " + line.strip()
        else:
            entries.append(line.strip())
    return entries


def test_text_tells_what_moved_in_one_screen(ptrack, data_dir):
    figures = expected(data_dir)
    text = diff(ptrack, data_dir)
    summary = summary_of(text)
    assert len(summary) <= 24 and max(len(line) for line in summary) <= 80, summary
    counts = {line.split()[0]: line.split()[1:] for line in summary if line.startswith("  ") and line.split()[0] in ("start", "end", "change")}
    assert counts == {"start": [str(n) for n in figures["before"]], "end": [str(n) for n in figures["after"]],
                      "change": differences(figures)}
    assert what_moved(summary) == moved(figures)
    assert text.count("change agenda-") == len(figures["changes"])

    # Marks that confirm, inside the span, the status two items have held since before it
    # (made-up notes, in the test's own tracker): each item is listed as `still S`.
    confirmed = [(item["id"], item["status"]) for item in ptrack.json("list", "--json", data=data_dir)
                 if item["status"] != "not-started" and item["id"] not in figures["net"]
                 and first_day(item["lastChange"]) < SPAN[1]][:2]
    assert len(confirmed) == 2, "no two items whose status took effect before the span"
    for (item, status), date in zip(confirmed, ("2022-06", "2023-02-14")):
        ptrack.ok("mark", item, status, "--date", date, "--note", "A made-up test note confirming the status.",
                  data=data_dir, env=FIXED)
    figures = expected(data_dir)
    assert [figures["net"][item] for item, _ in confirmed] == [(status, status) for _, status in confirmed]
    text = diff(ptrack, data_dir)
    entries = what_moved(summary_of(text))
    assert entries == moved(figures)
    for item, status in confirmed:
        assert any(entry.startswith(f"still {status} (") and item in entry.split(": ", 1)[1].split(", ")
                   for entry in entries), entries
    assert text.count("change agenda-") + 2 == len(figures["changes"])


def test_markdown_renders(ptrack, data_dir):
    figures = expected(data_dir)
    tokens = MarkdownIt("commonmark").enable("table").parse(diff(ptrack, data_dir, "--format", "markdown"))
    text = lambda token: "".join(child.content for child in token.children)
    headings = [text(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"]
    items = list(figures["net"])
    assert headings[:3] == ["Status changes from 2022-01-01 to 2023-12-31", "Counts", "Changes by item"]
    assert headings[3:-1] == [f"{item}: {start} → {end}" if start != end else f"{item}: still {start}"
                              for item, (start, end) in figures["net"].items()] and headings[-1] == "Provenance"
    assert [h.split(":")[0] for h in headings[3:-1]] == items
    cells = [text(t) for t in tokens if t.type == "inline"]
    rows = [cells[i:i + 4] for i, cell in enumerate(cells) if cell in STATUSES and i + 3 < len(cells)]
    assert rows[:6] == [[s, str(b), str(a), c] for s, b, a, c in zip(
        STATUSES, figures["before"], figures["after"], differences(figures))]
    assert sum(1 for t in tokens if t.type == "list_item_open") == len(figures["changes"])
    assert "data-sha256" in cells


@pytest.mark.parametrize("fmt,suffix", [("text", "txt"), ("markdown", "md"), ("json", "json"), ("csv", "csv"),
                                        ("html", "html")])
def test_golden_files(ptrack, data_dir, fmt, suffix):
    out = ptrack(*SPAN, "--format", fmt, data=data_dir, env=FIXED, raw=True)[1]
    golden = GOLDEN / f"diff.{suffix}"
    if os.environ.get("PTRACK_RECORD_SNAPSHOTS") == "1":
        golden.write_bytes(out)
        pytest.fail(f"recorded {golden}: check it, then run again without PTRACK_RECORD_SNAPSHOTS")
    assert golden.exists(), f"no {golden}: record it with PTRACK_RECORD_SNAPSHOTS=1"
    assert out == golden.read_bytes(), f"{golden} differs (re-record with PTRACK_RECORD_SNAPSHOTS=1 if intended)"


def test_html_is_a_self_contained_accessible_page(ptrack, data_dir):
    """Parsed strictly as HTML5: no script or external reference; tables with header cells,
    charts with text alternatives, one table of changes per item that moved."""
    document = parsed(ptrack.ok(*SPAN, "--format", "html", data=data_dir, env=FIXED))
    elements = [element for element in document.iter() if isinstance(element.tag, str)]
    assert not {local(element.tag) for element in elements} & {"script", "link", "iframe", "img", "object", "embed", "base"}
    assert not [element.attrib for element in elements if "src" in element.attrib]
    tables = list(document.iter("table"))
    assert all(table.find("caption") is not None and table.find("thead") is not None for table in tables)
    charts = [element for element in elements if local(element.tag) == "svg"]
    assert len(charts) == 2 and all(chart.get("role") == "img" and chart.get("aria-label") for chart in charts)
    figures = expected(data_dir)
    items = [heading.find("code").text for heading in document.iter("h3")]
    assert items == list(figures["net"])
    assert len(tables) == 2 + len(items) + 1                 # counts, items, provenance
    assert sum(len(table.find("tbody")) for table in tables[2:-1]) == len(figures["changes"])


def test_output_file_and_filters(ptrack, data_dir, tmp_path):
    target = tmp_path / "diff.json"
    code, out, err = ptrack(*SPAN, "--format", "json", "--output", target, data=data_dir, env=FIXED)
    assert (code, out) == (0, "") and f"wrote {target}" in err
    assert target.read_text() == diff(ptrack, data_dir, "--format", "json")
    # --status keeps the items in that status at the end of the span: the changes of those
    # items alone, for a status some but not all of the items that moved ended in.
    figures = expected(data_dir)
    ended = {status: [item for item, (_, end) in figures["net"].items() if end == status] for status in STATUSES}
    status = min((s for s in STATUSES if 0 < len(ended[s]) < len(figures["net"])), key=lambda s: len(ended[s]))
    kept = json.loads(diff(ptrack, data_dir, "--format", "json", "--status", status))
    assert [(c["id"], c["changeId"]) for c in kept] == [(m[0], m[1]) for m in figures["changes"] if m[0] in ended[status]]


def test_to_defaults_to_today_and_reverts_do_not_count(ptrack, data_dir):
    today = datetime.datetime.fromtimestamp(int(FIXED["PTRACK_NOW"]), datetime.timezone.utc).date().isoformat()
    since_2025 = lambda: ptrack.json("diff", "2025", "--format", "json", data=data_dir, env=FIXED)
    assert since_2025() == ptrack.json("diff", "2025", today, "--format", "json", data=data_dir, env=FIXED)
    bundled = since_2025()
    assert [(c["id"], c["changeId"], c["before"], c["after"]) for c in bundled] == expected(data_dir, "2025-01-01", today)["changes"]
    assert "dtt" not in {c["id"] for c in bundled}
    status = ptrack.json("show", "dtt", "--json", data=data_dir)["status"]
    target = "implemented" if status != "implemented" else "stalled"
    ptrack.ok("mark", "dtt", target, "--date", "2025-03", "--note", "A made-up test note.", data=data_dir, env=FIXED)
    change = log_changes(data_dir)[-1]["changeId"]          # the line the mark appended
    marked = since_2025()
    assert [c for c in marked if c["id"] != "dtt"] == bundled
    assert [(c["changeId"], c["before"], c["after"]) for c in marked if c["id"] == "dtt"] == [(change, status, target)]
    ptrack.ok("undo", change, data=data_dir, env=FIXED)
    assert since_2025() == bundled


@pytest.mark.parametrize("args,message", [
    (["2022-13"], 'invalid date "2022-13"'),
    (["2022", "yesterday"], 'invalid date "yesterday"'),
    (["2024", "2023"], "the start 2024 is after the end 2023"),
    (["2023-12-31", "2023-06"], "the start 2023-12-31 is after the end 2023-06"),
])
def test_bad_dates_are_usage_errors(ptrack, data_dir, args, message):
    code, out, err = ptrack("diff", *args, data=data_dir, env=FIXED)
    assert (code, out) == (64, "")
    assert message in err
