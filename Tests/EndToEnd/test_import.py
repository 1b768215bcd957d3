"""`ptrack import` and the lossless exports: JSON and CSV written by one tracker rebuild it
in another, importing twice changes nothing, a spreadsheet becomes a catalog in one command,
and a file with any bad row is refused whole, every problem named, the tracker untouched."""

import csv
import io
import json
import pathlib

import pytest

from conftest import BUNDLED_COUNT, CATALOG, CHANGES, file_hashes, log_changes

HOSTILE = "共同声明 \"quoted\", comma\nnew line =SUM(A1) \x1b[31m \u202e \\u{41}"


def busy_tracker(ptrack, data):
    """A tracker with a change of every kind, text of every kind and a new catalog."""
    ptrack.ok("mark", "gsomia", "implemented", "--note", HOSTILE, "--source", "https://example.org/a?b=1,2", data=data)
    ptrack.ok("mark", "dtt", "stalled", "--date", "2023-05", "--note=-starts with a dash", data=data)
    ptrack.ok("edit", "dtt", "--title", "Revamp the DTT 한미일", data=data)
    ptrack.ok("watch", "222-dialogue", data=data)
    ptrack.ok("review", "cptpp-entry", "--note=@nothing new", data=data)
    ptrack.ok("add", "hotline", "--catalog", "camp-david-2023", "--title", "Set up a trilateral crisis hotline",
              "--category", "security", "--horizon", "short-term", data=data)
    ptrack.ok("mark", "hotline", "partial", "--note", "tab\there", data=data)
    ptrack.ok("mark", "hotline", "reversed", data=data)
    ptrack.ok("undo", data=data)


BUSY_CHANGES = 9            # the lines busy_tracker appends


def catalog_of(data):
    return json.loads(pathlib.Path(data, CATALOG).read_text(encoding="utf-8"))


def everything(ptrack, data):
    """What a person can see of a tracker: every item with its status, and every change."""
    return ptrack.json("list", "--json", data=data), ptrack.json("history", "--json", data=data)


@pytest.mark.parametrize("form", ["json", "csv"])
def test_an_export_rebuilds_the_tracker_and_a_second_import_changes_nothing(ptrack, data_dir, tmp_path, form):
    bundled = len(log_changes(data_dir))                     # a new tracker's log: the bundled agenda's
    busy_tracker(ptrack, data_dir)
    assert len(log_changes(data_dir)) == bundled + BUSY_CHANGES
    exported = tmp_path / f"all.{form}"
    ptrack.ok("export", "--format", form, "--output", exported, data=data_dir)
    other = tmp_path / "other"
    out = ptrack.ok("import", exported, data=other)
    assert f"changes:         {BUSY_CHANGES} added, {bundled} already in the log" in out
    assert everything(ptrack, other) == everything(ptrack, data_dir)
    assert ptrack.ok("export", "--format", "json", data=other) == ptrack.ok("export", "--format", "json", data=data_dir)
    before = file_hashes(other)
    out = ptrack.ok("import", exported, data=other)
    assert f"recommendations: 0 added, {BUNDLED_COUNT} already there, 0 differing, kept" in out
    assert f"changes:         0 added, {bundled + BUSY_CHANGES} already in the log" in out
    assert file_hashes(other) == before


def test_csv_export_is_a_table_spreadsheets_read(ptrack, data_dir):
    busy_tracker(ptrack, data_dir)
    rows = list(csv.DictReader(io.StringIO(ptrack.ok("export", "--format", "csv", data=data_dir), newline="")))
    records = [row["record"] for row in rows]
    assert records.count("catalog") == len(catalog_of(data_dir)["catalogs"]) > 1
    assert records.count("recommendation") == BUNDLED_COUNT
    assert records.count("change") == len(pathlib.Path(data_dir, CHANGES).read_text(encoding="utf-8").splitlines())
    gsomia = [row for row in rows if row["record"] == "change" and row["id"] == "gsomia"][-1]
    # Kept whole, but nothing a terminal or a spreadsheet would act on is written as it is.
    assert gsomia["note"] == HOSTILE.replace("\x1b", "\\u{1B}").replace("\u202e", "\\u{202E}").replace("\\u{41}", "\\u{5C}u{41}")
    dash = [row for row in rows if row["id"] == "dtt" and row["kind"] == "status"][-1]
    assert dash["note"] == "\\u{2D}starts with a dash"
    assert all(not value.startswith(("=", "+", "-", "@")) for row in rows for value in row.values())


def test_a_spreadsheet_becomes_a_catalog_in_one_command(ptrack, data_dir, tmp_path):
    sheet = tmp_path / "summit.csv"
    sheet.write_text(
        "Id,Title,Category,Horizon,Actors,Status,Happened,Note,Evidence\r\n"
        "hotline,Set up a crisis hotline,security,short-term,\"US, Japan, ROK\",in progress,2023-11,Line tested,readout-2023\r\n"
        "exchanges,청소년 교류를 확대한다,people,Long term,Japan;rok,,,,\r\n",
        encoding="utf-8")
    before = file_hashes(data_dir)
    existing = [(c["id"], c["default"]) for c in catalog_of(data_dir)["catalogs"]]
    assert ("ncafp-2021", True) in existing and "summit-2024" not in dict(existing)
    preview = ptrack.ok("import", sheet, "--catalog", "summit-2024", "--title", "Next summit", "--source", "Joint statement",
                        "--dry-run", data=data_dir)
    assert "Would import" in preview and "1 added (summit-2024)" in preview and "2 added" in preview
    assert file_hashes(data_dir) == before
    ptrack.ok("import", sheet, "--catalog", "summit-2024", "--title", "Next summit", "--source", "Joint statement", data=data_dir)
    items = {item["id"]: item for item in ptrack.json("list", "--catalog", "summit", "--json", data=data_dir)}
    assert set(items) == {"hotline", "exchanges"}
    assert items["hotline"]["status"] == "in-progress" and items["exchanges"]["horizon"] == "long-term"
    assert items["exchanges"]["actors"] == ["Japan", "ROK"]
    assert len(ptrack.json("list", "--json", data=data_dir)) == BUNDLED_COUNT + 2
    catalogs = catalog_of(data_dir)["catalogs"]
    # The new catalog joins the others in order of id; the default stays the default.
    assert [(c["id"], c["default"]) for c in catalogs] == sorted(existing + [("summit-2024", False)])
    report = ptrack.ok("report", "--catalog", "summit-2024", "--format", "markdown", data=data_dir)
    assert "Next summit" in report and "hotline" in report
    again = file_hashes(data_dir)
    # A day later: the status the sheet gives is the same change, whenever it is imported.
    out = ptrack.ok("import", sheet, "--catalog", "summit-2024", "--source", "Joint statement", data=data_dir,
                    env={"PTRACK_NOW": "1893456000"})
    assert "changes:         0 added, 1 already in the log" in out
    assert file_hashes(data_dir) == again


def test_a_file_with_bad_rows_is_refused_whole(ptrack, data_dir, tmp_path):
    sheet = tmp_path / "bad.csv"
    sheet.write_text(
        "id,title,category,horizon,status,happened\n"
        "fine,A fine row,security,short-term,implemented,2024\n"
        "Not A Slug,Title,security,short-term,,\n"
        "no-horizon,Title,security,,,\n"
        "bad-status,Title,security,ongoing,done,2024\n"
        "gsomia,Moved,security,ongoing,,\n",
        encoding="utf-8")
    before = file_hashes(data_dir)
    code, out, err = ptrack("import", sheet, "--catalog", "new", "--source", "s", data=data_dir)
    assert code == 65 and out == ""
    lines = [line for line in err.splitlines() if line.startswith("ptrack: ")]
    assert lines == [
        f"ptrack: {sheet}:3:1: row 3: invalid \"id\" \"Not A Slug\" (expected a lowercase slug of letters, digits and single hyphens, such as 222-dialogue)",
        f"ptrack: {sheet}:4:1: row 4: missing required field \"horizon\"",
        f"ptrack: {sheet}:5:35: row 5: invalid \"status\" \"done\" (expected one of not-started, in-progress, partial, implemented, stalled, reversed)",
    ]
    assert file_hashes(data_dir) == before
    fresh = tmp_path / "fresh"
    code, _, _ = ptrack("import", sheet, "--catalog", "new", "--source", "s", data=fresh)
    assert code == 65 and not fresh.exists()
    # Once every row reads, conflicts with the tracker are found, all of them.
    sheet.write_text("id,title,category,horizon\nfine,A fine row,security,short-term\ngsomia,Moved,security,ongoing\n", encoding="utf-8")
    code, _, err = ptrack("import", sheet, "--catalog", "new", "--source", "s", data=data_dir)
    assert code == 65 and f"{sheet}:3:1: row 3: recommendation \"gsomia\" is already in catalog \"ncafp-2021\", not \"new\"" in err
    assert file_hashes(data_dir) == before
    code, _, _ = ptrack("import", sheet, "--catalog", "new", "--source", "s", data=fresh)
    assert code == 65 and not fresh.exists()


def test_bad_json_is_named_by_path_and_changes_nothing(ptrack, data_dir, tmp_path):
    exported = json.loads(ptrack.ok("export", "--format", "json", data=data_dir))
    exported["recommendations"][3]["horizon"] = "soon"
    exported["changes"][5]["status"] = "finished"
    exported["changes"].append({**exported["changes"][0], "changeId": "brand-new", "id": "nothing-here"})
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(exported, indent=1, ensure_ascii=False), encoding="utf-8")
    before = file_hashes(data_dir)
    code, _, err = ptrack("import", path, data=data_dir)
    assert code == 65
    messages = [line.split(": ", 2)[2] for line in err.splitlines() if line.startswith("ptrack: ")]
    assert messages == [
        "$.changes[5]: invalid \"status\" \"finished\" (expected one of not-started, in-progress, partial, implemented, stalled, reversed)",
    ]
    located = [line.split(": ")[1] for line in err.splitlines() if line.startswith("ptrack: ")]
    text = path.read_text(encoding="utf-8").splitlines()
    _, line, column = located[0].rsplit(":", 2)
    assert text[int(line) - 1][int(column) - 1:].startswith("\"finished\"")
    assert file_hashes(data_dir) == before
    # Once every element reads, each is checked against the tracker: the horizon is not one
    # of its catalog's, and the problem names the recommendation's path and line.
    exported["changes"][5]["status"] = "stalled"
    path.write_text(json.dumps(exported, indent=1, ensure_ascii=False), encoding="utf-8")
    code, _, err = ptrack("import", path, data=data_dir)
    assert code == 65
    messages = [line.split(": ", 2)[2] for line in err.splitlines() if line.startswith("ptrack: ")]
    catalog = exported["recommendations"][3]["catalog"]
    assert messages[0].startswith(f"$.recommendations[3]: horizon \"soon\" is not in the vocabulary of catalog \"{catalog}\""), messages
    assert file_hashes(data_dir) == before
    code, _, err = ptrack("import", path, "--catalog", "x", data=data_dir)
    assert code == 64 and "CSV files only" in err


def test_import_reads_standard_input_and_a_dry_run_creates_no_tracker(ptrack, data_dir, tmp_path):
    busy_tracker(ptrack, data_dir)
    exported = ptrack.ok("export", "--format", "csv", "--catalog", "camp-david-2", data=data_dir)
    assert "ncafp-2021" not in exported and "hotline" in exported
    fresh = tmp_path / "fresh"
    summary = json.loads(ptrack.ok("import", "-", "--format", "csv", "--dry-run", "--json", input=exported, data=fresh))
    assert not fresh.exists()
    assert summary["changes"] == [] and summary["import"]["written"] is False and summary["import"]["recommendations"]["added"] == ["hotline"]
    code, _, err = ptrack("import", "-", input=exported, data=fresh)
    assert code == 64 and "--format" in err
    ptrack.ok("import", "-", "--format", "csv", input=exported, data=fresh)
    assert ptrack.json("show", "hotline", "--json", data=fresh)["status"] == "partial"


def test_one_catalog_exports_for_taskwarrior_and_moves_with_its_links(ptrack, data_dir, tmp_path):
    tasks = json.loads(ptrack.ok("export", "--format", "taskwarrior", "--catalog", "camp-david-2", data=data_dir))
    camp = [item for item in ptrack.json("list", "--json", data=data_dir) if item["catalog"] == "camp-david-2023"]
    assert len(tasks) == len(camp) > 0 and {task["project"] for task in tasks} == {"camp-david-2023"}
    exported = tmp_path / "camp.json"
    ptrack.ok("export", "--format", "json", "--catalog", "camp-david-2", "--output", exported, data=data_dir)
    # Its links lead to the 2021 agenda, which a new tracker starts with.
    other = tmp_path / "other"
    ptrack.ok("import", exported, data=other)
    shown = ptrack.json("show", "nsa-meetings", "--json", data=other)
    assert shown["links"] == [{"kind": "advances", "id": "multilevel-engagement"}]
