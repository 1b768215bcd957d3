"""`ptrack diff FROM [TO]` on the bundled agenda: what moved in 2022 and 2023, in every
format, parsed with real parsers and compared byte for byte with the files under
Tests/Fixtures/reports (re-recorded with PTRACK_RECORD_SNAPSHOTS=1)."""

import csv
import io
import json
import os

import pytest
from markdown_it import MarkdownIt

from conftest import REPO, STATUSES
from test_report_html import local, parsed

GOLDEN = REPO / "Tests" / "Fixtures" / "reports"
FIXED = {"PTRACK_NOW": "1767225600", "COLUMNS": "80"}  # 2026-01-01T00:00:00Z
SPAN = ["diff", "2022-01-01", "2023-12-31"]

# Worked out by hand from Sources/PolicyTrackerCore/Bundled/changes.jsonl: the status
# changes that happened in 2022 or 2023, item by item (ids in order), each change in the
# order it took effect.
EXPECTED_CHANGES = [
    ("acceptable-functional-cooperation", "agenda-acceptable-functional-cooperation-1", "not-started", "in-progress"),
    ("acceptable-functional-cooperation", "agenda-acceptable-functional-cooperation-2", "in-progress", "in-progress"),
    ("alliance-vision", "agenda-alliance-vision-1", "not-started", "in-progress"),
    ("annual-leaders-summit", "agenda-annual-leaders-summit-1", "not-started", "in-progress"),
    ("counterstrike-capabilities", "agenda-counterstrike-capabilities-1", "not-started", "not-started"),
    ("cptpp-entry", "agenda-cptpp-entry-1", "not-started", "stalled"),
    ("do-no-harm", "agenda-do-no-harm-2", "reversed", "in-progress"),
    ("do-no-harm", "agenda-do-no-harm-3", "in-progress", "in-progress"),
    ("economic-coercion-strategy", "agenda-economic-coercion-strategy-1", "not-started", "in-progress"),
    ("economic-security", "agenda-economic-security-1", "not-started", "in-progress"),
    ("economic-security", "agenda-economic-security-2", "in-progress", "in-progress"),
    ("gsomia", "agenda-gsomia-1", "not-started", "in-progress"),
    ("interdependence-mechanism", "agenda-interdependence-mechanism-2", "reversed", "stalled"),
    ("low-hanging-fruit", "agenda-low-hanging-fruit-2", "in-progress", "in-progress"),
    ("low-hanging-fruit", "agenda-low-hanging-fruit-3", "in-progress", "partial"),
    ("low-profile-diplomacy", "agenda-low-profile-diplomacy-2", "in-progress", "in-progress"),
    ("military-coordination", "agenda-military-coordination-1", "not-started", "in-progress"),
    ("military-coordination", "agenda-military-coordination-2", "in-progress", "in-progress"),
    ("missile-data-sharing", "agenda-missile-data-sharing-1", "not-started", "in-progress"),
    ("multilevel-engagement", "agenda-multilevel-engagement-8", "stalled", "in-progress"),
    ("multilevel-engagement", "agenda-multilevel-engagement-9", "in-progress", "in-progress"),
    ("multilevel-engagement", "agenda-multilevel-engagement-10", "in-progress", "in-progress"),
    ("multilevel-engagement", "agenda-multilevel-engagement-11", "in-progress", "in-progress"),
    ("multilevel-engagement", "agenda-multilevel-engagement-12", "in-progress", "partial"),
    ("north-korea-leverage", "agenda-north-korea-leverage-1", "not-started", "in-progress"),
    ("nsa-meetings", "agenda-nsa-meetings-1", "not-started", "in-progress"),
    ("nuclear-contingency-planning", "agenda-nuclear-contingency-planning-1", "not-started", "not-started"),
    ("phnom-penh-follow-through", "agenda-phnom-penh-follow-through-1", "not-started", "in-progress"),
    ("phnom-penh-follow-through", "agenda-phnom-penh-follow-through-2", "in-progress", "in-progress"),
    ("regional-global-cooperation", "agenda-regional-global-cooperation-1", "not-started", "in-progress"),
    ("regional-global-cooperation", "agenda-regional-global-cooperation-2", "in-progress", "in-progress"),
    ("repair-bilateral-ties", "agenda-repair-bilateral-ties-2", "stalled", "in-progress"),
    ("repair-bilateral-ties", "agenda-repair-bilateral-ties-3", "in-progress", "implemented"),
    ("review-military-arrangements", "agenda-review-military-arrangements-1", "not-started", "not-started"),
    ("working-level-tracks", "agenda-working-level-tracks-1", "not-started", "in-progress"),
]
# Counts of STATUSES at the end of 2021 (as `report --as-of 2021` gives them) and of 2023.
BEFORE = [26, 3, 0, 0, 2, 2]
AFTER = [12, 16, 2, 1, 2, 0]


def diff(ptrack, data, *args, env=FIXED):
    return ptrack.ok(*SPAN, *args, data=data, env=env)


def test_json_is_the_array_of_changes(ptrack, data_dir):
    changes = json.loads(diff(ptrack, data_dir, "--format", "json"))
    assert isinstance(changes, list)
    assert [(c["id"], c["changeId"], c["before"], c["after"]) for c in changes] == EXPECTED_CHANGES
    first = changes[0]
    assert set(first) == {"id", "changeId", "before", "after", "happened", "recorded", "note", "source", "citation"}
    assert (first["happened"], first["recorded"], first["source"]) == ("2022-08", "2024-01-31T00:00:00Z", "foreman-yeo-2023")
    assert first["note"] and first["citation"].endswith("[foreman-yeo-2023]")


def test_csv_has_a_row_per_change(ptrack, data_dir):
    rows = list(csv.DictReader(io.StringIO(diff(ptrack, data_dir, "--format", "csv"), newline="")))
    assert [(r["id"], r["changeId"], r["before"], r["after"]) for r in rows] == EXPECTED_CHANGES
    assert all(r["note"] and r["happened"][:4] in ("2022", "2023") for r in rows)


def test_text_tells_what_moved_in_one_screen(ptrack, data_dir):
    text = diff(ptrack, data_dir)
    summary = text.split("\nChanges by item\n")[0].rstrip("\n").split("\n")
    assert len(summary) <= 24 and max(len(line) for line in summary) <= 80, summary
    counts = {line.split()[0]: line.split()[1:] for line in summary if line.startswith("  ") and line.split()[0] in ("start", "end", "change")}
    assert counts == {"start": [str(n) for n in BEFORE], "end": [str(n) for n in AFTER],
                      "change": ["-14", "+13", "+2", "+1", "0", "-2"]}
    assert "  stalled → implemented (1): repair-bilateral-ties" in summary
    assert "  still in-progress (1): low-profile-diplomacy" in summary
    assert text.count("change agenda-") == len(EXPECTED_CHANGES)


def test_markdown_renders(ptrack, data_dir):
    tokens = MarkdownIt("commonmark").enable("table").parse(diff(ptrack, data_dir, "--format", "markdown"))
    text = lambda token: "".join(child.content for child in token.children)
    headings = [text(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "heading_open"]
    items = sorted({c[0] for c in EXPECTED_CHANGES})
    assert headings[:3] == ["Status changes from 2022-01-01 to 2023-12-31", "Counts", "Changes by item"]
    assert [h.split(":")[0] for h in headings[3:-1]] == items and headings[-1] == "Provenance"
    assert headings[headings.index("Changes by item") + 1] == "acceptable-functional-cooperation: not-started → in-progress"
    cells = [text(t) for t in tokens if t.type == "inline"]
    rows = [cells[i:i + 4] for i, cell in enumerate(cells) if cell in STATUSES and i + 3 < len(cells)]
    assert rows[:6] == [[s, str(b), str(a), c] for s, b, a, c in zip(
        STATUSES, BEFORE, AFTER, ["-14", "+13", "+2", "+1", "0", "-2"])]
    assert sum(1 for t in tokens if t.type == "list_item_open") == len(EXPECTED_CHANGES)
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
    items = [heading.find("code").text for heading in document.iter("h3")]
    assert items == sorted({c[0] for c in EXPECTED_CHANGES})
    assert len(tables) == 2 + len(items) + 1                 # counts, items, provenance
    assert sum(len(table.find("tbody")) for table in tables[2:-1]) == len(EXPECTED_CHANGES)


def test_output_file_and_filters(ptrack, data_dir, tmp_path):
    target = tmp_path / "diff.json"
    code, out, err = ptrack(*SPAN, "--format", "json", "--output", target, data=data_dir, env=FIXED)
    assert (code, out) == (0, "") and f"wrote {target}" in err
    assert target.read_text() == diff(ptrack, data_dir, "--format", "json")
    stalled = json.loads(diff(ptrack, data_dir, "--format", "json", "--status", "stalled"))
    assert [c["id"] for c in stalled] == ["cptpp-entry", "interdependence-mechanism"]


def test_to_defaults_to_today_and_reverts_do_not_count(ptrack, data_dir):
    ptrack.ok("mark", "dtt", "implemented", "--date", "2025-03", "--note", "done", data=data_dir, env=FIXED)
    change = ptrack.json("history", "dtt", "--json", data=data_dir)[0]["changeId"]
    assert [c["changeId"] for c in ptrack.json("diff", "2025", "--format", "json", data=data_dir, env=FIXED)] == [change]
    ptrack.ok("undo", change, data=data_dir, env=FIXED)
    assert ptrack.json("diff", "2025", "--format", "json", data=data_dir, env=FIXED) == []


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
