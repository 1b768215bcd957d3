"""Reports on a fixed tracker, compared byte for byte with the files in Tests/Fixtures/reports.

The tracker is the bundled agenda plus the changes in Tests/Fixtures/reports/changes-added.jsonl
(made-up marks with notes and sources, a watch and a review, recorded with PTRACK_NOW set to
2027-03-01, after the bundled agenda's last change); reports are made with the clock at
2027-08-15. PTRACK_RECORD_SNAPSHOTS=1 rewrites the golden files (and fails, so a
re-recording is never mistaken for a pass).
Also: the JSON report parsed and checked, the CSV read with Python's csv, the Markdown
rendered with markdown-it-py, `--as-of` against counts computed here from the log, and
`ptrack verify` on each format before and after one more change.
"""

import csv
import datetime
import hashlib
import io
import json
import os
import pathlib
import shutil

import pytest
from markdown_it import MarkdownIt

from conftest import BUNDLED, CATALOG, CHANGES, REPO, STATUSES

GOLDEN = REPO / "Tests" / "Fixtures" / "reports"
ADDED = GOLDEN / "changes-added.jsonl"
REPORT_CLOCK = {"PTRACK_NOW": "1818288000"}  # 2027-08-15T00:00:00Z
REPORT_DAY = datetime.date(2027, 8, 15)
RECORDING = os.environ.get("PTRACK_RECORD_SNAPSHOTS") == "1"
VARIANTS = {
    "report.txt": ["--format", "text"],
    "report.md": ["--format", "markdown"],
    "report.json": ["--format", "json", "--evidence"],
    "report-evidence.txt": ["--format", "text", "--evidence"],
    "report.csv": ["--format", "csv"],
    "report-2022-12-31.md": ["--format", "markdown", "--as-of", "2022-12-31"],
    "report-stalled.json": ["--format", "json", "--evidence", "--status", "stalled", "--status", "partial"],
}
FORMATS = {"text": "txt", "markdown": "md", "json": "json", "csv": "csv", "html": "html"}


@pytest.fixture
def fixture_dir(tmp_path):
    """The fixed tracker: the bundled files with the added changes appended."""
    directory = tmp_path / "tracker"
    directory.mkdir()
    shutil.copy(BUNDLED / CATALOG, directory / CATALOG)
    (directory / CHANGES).write_bytes((BUNDLED / CHANGES).read_bytes() + ADDED.read_bytes())
    return directory


def report(ptrack, directory, *args):
    return ptrack.ok("report", *args, data=directory, env=REPORT_CLOCK)


def added_changes():
    return [json.loads(line) for line in ADDED.read_text(encoding="utf-8").splitlines() if line]


def fixture_items(ptrack, directory):
    return ptrack.json("list", "--json", data=directory, env=REPORT_CLOCK)


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_golden(ptrack, fixture_dir, name):
    made = report(ptrack, fixture_dir, *VARIANTS[name])
    path = GOLDEN / name
    if RECORDING:
        path.write_text(made, encoding="utf-8", newline="")
        pytest.fail(f"recorded {path}; check it, then run again without PTRACK_RECORD_SNAPSHOTS")
    assert path.exists(), f"no {path}: record it with PTRACK_RECORD_SNAPSHOTS=1"
    assert made.encode("utf-8") == path.read_bytes(), f"{name} differs (re-record with PTRACK_RECORD_SNAPSHOTS=1 if intended)"


def data_digest(directory):
    return hashlib.sha256((directory / CATALOG).read_bytes() + (directory / CHANGES).read_bytes()).hexdigest()


def test_json_report(ptrack, fixture_dir):
    document = json.loads(report(ptrack, fixture_dir, "--format", "json", "--evidence"))
    items = fixture_items(ptrack, fixture_dir)
    provenance = document["provenance"]
    assert provenance["dataSha256"] == data_digest(fixture_dir)
    assert provenance["catalogSha256"] == hashlib.sha256((fixture_dir / CATALOG).read_bytes()).hexdigest()
    assert provenance["logBytes"] == (fixture_dir / CHANGES).stat().st_size
    assert provenance["asOf"] == "2027-08-15" and provenance["filters"] == "none"
    assert sum(document["byStatus"].values()) == document["total"] == len(items)
    assert sorted(document["evidence"]) == sorted(
        item["id"] for item in items if item["status"] in ("implemented", "partial", "stalled", "reversed"))
    assert [change["status"] for change in document["evidence"]["gsomia"]][-1] == "implemented"
    # Everything of the bundled agenda (recorded 180 days or more before 2027-08-15) is stale;
    # the items of the three marks and the review of 2027-03-01 are not.
    touched = {change["id"] for change in added_changes()}
    cut = (REPORT_DAY - datetime.timedelta(days=180)).isoformat()
    assert max(item["lastReviewed"] for item in items if item["id"] not in touched) <= cut
    assert len(touched) == 4 and not touched & set(document["stale"])
    assert sorted(document["stale"]) == sorted(item["id"] for item in items if item["id"] not in touched)
    assert document["staleDays"] == 180


def test_filters_in_provenance_and_evidence(ptrack, fixture_dir):
    document = json.loads(report(ptrack, fixture_dir, "--format", "json", "--evidence", "--status", "stall", "--actor", "japan"))
    assert document["provenance"]["filters"] == "status stalled; actor Japan"
    assert set(document["evidence"]) == {item["id"] for item in document["stalledOrReversed"]}
    assert set(document["stale"]) <= set(document["evidence"])


def test_evidence_by_default_in_markdown_and_html_only(ptrack, fixture_dir):
    """The evidence is long, so the terminal's report and the scripts' JSON leave it out
    unless asked; the documents made to be handed on carry it unless told not to."""
    assert "evidence" not in json.loads(report(ptrack, fixture_dir, "--format", "json"))
    assert "\nEvidence\n" not in report(ptrack, fixture_dir)
    assert "\nEvidence\n" in report(ptrack, fixture_dir, "--evidence")
    assert "\n## Evidence\n" in report(ptrack, fixture_dir, "--format", "markdown")
    assert "\n## Evidence\n" not in report(ptrack, fixture_dir, "--format", "markdown", "--no-evidence")
    assert 'id="evidence"' in report(ptrack, fixture_dir, "--format", "html")
    page = report(ptrack, fixture_dir, "--format", "html", "--no-evidence")
    assert 'id="evidence"' not in page and 'id="timeline"' in page
    code, _, err = ptrack("report", "--format", "csv", "--evidence", data=fixture_dir)
    assert code == 64 and "counts only" in err


def test_csv_report(ptrack, fixture_dir):
    rows = list(csv.reader(io.StringIO(report(ptrack, fixture_dir, "--format", "csv"), newline="")))
    assert rows[0] == ["dimension", "group", "status", "count", "share", "asOf"]
    overall = {row[2]: int(row[3]) for row in rows if row[0] == "overall"}
    assert list(overall) == STATUSES and sum(overall.values()) == len(fixture_items(ptrack, fixture_dir))
    provenance = {row[1]: row[2] for row in rows if row[0] == "provenance"}
    assert provenance["data-sha256"] == data_digest(fixture_dir)
    assert all(len(row) == 6 for row in rows)


def test_markdown_renders(ptrack, fixture_dir):
    html = MarkdownIt("commonmark").enable("table").render(report(ptrack, fixture_dir, "--format", "markdown"))
    tables = html.split("<table>")[1:]
    # Overall, by category, by actor, provenance.
    assert len(tables) == 4
    assert tables[0].count("<tr>") == 1 + len(STATUSES)
    assert tables[2].count("<tr>") == 1 + 3
    assert tables[3].count("<tr>") == 1 + 7
    listed = fixture_items(ptrack, fixture_dir)
    implemented = sum(1 for item in listed if item["status"] == "implemented")
    items = [line for line in html.splitlines() if line.startswith("<li>[")]
    checked = [line for line in items if line.startswith("<li>[x] ")]
    assert len(items) == len(listed) and all(line.startswith(("<li>[x] ", "<li>[ ] ")) for line in items)
    assert 0 < implemented < len(listed)
    assert len(checked) == implemented and all("— implemented" in line for line in checked)
    assert "pipe | and <em>stars</em>" not in html and "pipe | and *stars*" in html


def replayed_counts(as_of):
    """The status of every bundled item as of `as_of`, replayed here from the log."""
    catalog = json.loads((BUNDLED / CATALOG).read_text(encoding="utf-8"))
    statuses = {item["id"]: "not-started" for item in catalog["recommendations"]}
    changes = [json.loads(line) for line in (BUNDLED / CHANGES).read_text(encoding="utf-8").splitlines() if line]
    reverted = {change["reverts"] for change in changes if change["kind"] == "revert"}
    wanted = [change for change in changes if change["kind"] == "status" and change["changeId"] not in reverted
              and (change["happened"] <= as_of or change["happened"].startswith(as_of))]
    for change in sorted(wanted, key=lambda change: (change["happened"], change["recorded"], change["changeId"])):
        statuses[change["id"]] = change["status"]
    return {status: list(statuses.values()).count(status) for status in STATUSES}


@pytest.mark.parametrize("as_of", ["2021", "2022-12-31"])
def test_as_of_matches_a_replay(ptrack, tmp_path, as_of):
    directory = tmp_path / "bundled"
    directory.mkdir()
    for name in (CATALOG, CHANGES):
        shutil.copy(BUNDLED / name, directory / name)
    document = json.loads(report(ptrack, directory, "--format", "json", "--as-of", as_of))
    assert document["byStatus"] == replayed_counts(as_of)
    assert document["asOf"] == as_of


@pytest.mark.parametrize("format", sorted(FORMATS))
def test_verify(ptrack, fixture_dir, tmp_path, format):
    path = tmp_path / f"report.{FORMATS[format]}"
    ptrack.ok("report", "--format", format, "--output", path, data=fixture_dir, env=REPORT_CLOCK)
    assert f"matches the tracker's data (sha256 {data_digest(fixture_dir)})" in ptrack.ok("verify", path, data=fixture_dir)
    ptrack.ok("mark", "dtt", "partial", "--note", "one more", data=fixture_dir)
    code, out, err = ptrack("verify", path, data=fixture_dir)
    assert code == 1, (out, err)
    assert "does not match: 1 change recorded after the report was made" in out


@pytest.mark.parametrize("format", ["text", "markdown", "html"])
def test_verify_a_diff(ptrack, fixture_dir, tmp_path, format):
    path = tmp_path / f"diff.{FORMATS[format]}"
    ptrack.ok("diff", "2022", "2024", "--format", format, "--output", path, data=fixture_dir, env=REPORT_CLOCK)
    assert "matches the tracker's data" in ptrack.ok("verify", path, data=fixture_dir)
    ptrack.ok("review", "dtt", data=fixture_dir)
    code, out, _ = ptrack("verify", path, data=fixture_dir)
    assert code == 1 and "1 change recorded after" in out


@pytest.mark.parametrize("format", ["json", "csv"])
def test_a_diff_for_scripts_has_no_provenance(ptrack, fixture_dir, tmp_path, format):
    """The JSON diff is an array of changes and the CSV one row per change: no room for
    provenance, and verify says so."""
    path = tmp_path / f"diff.{format}"
    ptrack.ok("diff", "2022", "2024", "--format", format, "--output", path, data=fixture_dir)
    code, _, err = ptrack("verify", path, data=fixture_dir)
    assert code == 65 and "no provenance found" in err


def test_verify_tells_a_changed_catalog_and_a_rewritten_log(ptrack, fixture_dir, tmp_path):
    path = tmp_path / "report.md"
    ptrack.ok("report", "--format", "markdown", "--output", path, data=fixture_dir)
    log = (fixture_dir / CHANGES).read_bytes()
    (fixture_dir / CHANGES).write_bytes(log[:-1] + b" \n")
    code, out, _ = ptrack("verify", path, data=fixture_dir)
    assert code == 1 and "changes.jsonl was rewritten" in out
    (fixture_dir / CHANGES).write_bytes(log)
    (fixture_dir / CATALOG).write_bytes((fixture_dir / CATALOG).read_bytes() + b"\n")
    code, out, _ = ptrack("verify", path, data=fixture_dir)
    assert code == 1 and "catalog.json changed" in out


def test_verify_without_provenance(ptrack, fixture_dir, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("a memo\nwith no provenance\n")
    code, _, err = ptrack("verify", path, data=fixture_dir)
    assert code == 65
    assert f"{path}:2: no provenance found" in err


def test_review_takes_an_item_off_the_stale_list(ptrack, fixture_dir):
    items = {item["id"]: item for item in fixture_items(ptrack, fixture_dir)}
    total = len(items)
    stale = json.loads(report(ptrack, fixture_dir, "--format", "json"))["stale"]
    assert "222-dialogue" in stale
    out = ptrack.ok("review", "222", "--note", "Made-up test review of made-up statements", "--date", "2027-08",
                    data=fixture_dir, env=REPORT_CLOCK)
    status = items["222-dialogue"]["status"]
    assert out.startswith(f"222-dialogue: reviewed, still {status} (change 20270815T000000Z-")
    change = ptrack.json("history", "222-dialogue", "--json", data=fixture_dir)[0]
    assert (change["kind"], change["happened"], change["note"], change["status"]) == \
        ("review", "2027-08", "Made-up test review of made-up statements", None)
    document = json.loads(report(ptrack, fixture_dir, "--format", "json"))
    assert document["stale"] == [item for item in stale if item != "222-dialogue"]
    assert len(json.loads(report(ptrack, fixture_dir, "--format", "json", "--stale-days", "0"))["stale"]) == total
    assert json.loads(report(ptrack, fixture_dir, "--format", "json", "--stale-days", "300"))["stale"] == []
    code, _, err = ptrack("review", "dtt", "--date", "2030", data=fixture_dir, env=REPORT_CLOCK)
    assert code == 64 and "in the future" in err
    code, _, err = ptrack("report", "--stale-days", "-1", data=fixture_dir)
    assert code == 64 and "--stale-days" in err
