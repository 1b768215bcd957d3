"""Evidence carries its quote: `mark --quote` and `review --quote` keep the source's own words
beside the source, and every view of the change shows them."""

import csv
import io
import json

from conftest import file_hashes, log_changes

QUOTE = "The made-up ministry said the talks had resumed in full."


def test_mark_keeps_the_quote_beside_the_source(ptrack, data_dir):
    ptrack.ok("mark", "dtt", "in-progress", "--date", "2024-03", "--source", "https://example.org/made-up",
              "--quote", QUOTE, "--note", "A made-up test event.", data=data_dir)
    line = log_changes(data_dir)[-1]
    assert line["source"] == "https://example.org/made-up" and line["quote"] == QUOTE

    shown = ptrack.ok("show", "dtt", data=data_dir, env=ptrack.env(COLUMNS="200"))
    assert f"Source: https://example.org/made-up \u2014 \u201c{QUOTE}\u201d" in shown
    history = ptrack.json("history", "dtt", "--json", data=data_dir)
    assert [h["quote"] for h in history if h["source"] == "https://example.org/made-up"] == [QUOTE]


def test_review_takes_a_source_and_quote(ptrack, data_dir):
    out = ptrack.json("review", "dtt", "--source", "https://example.org/r", "--quote", "Nothing new.", "--json", data=data_dir)
    assert out["changes"][0]["kind"] == "review" and out["changes"][0]["quote"] == "Nothing new."
    assert log_changes(data_dir)[-1]["source"] == "https://example.org/r"


def test_a_quote_without_a_source_is_refused_and_changes_nothing(ptrack, data_dir):
    before = file_hashes(data_dir)
    code, out, err = ptrack("mark", "dtt", "partial", "--quote", "words", data=data_dir)
    assert code == 64 and out == ""
    assert "quote needs its source" in err
    assert file_hashes(data_dir) == before


def test_reports_show_the_quote_with_the_evidence(ptrack, data_dir):
    ptrack.ok("mark", "dtt", "implemented", "--date", "2024-03", "--source", "https://example.org/made-up",
              "--quote", QUOTE, data=data_dir)
    for fmt, expected in [("text", f"\u201c{QUOTE}\u201d"), ("markdown", f"\u201c{QUOTE}\u201d"),
                          ("html", f"<q>{QUOTE}</q>")]:
        out = ptrack.ok("report", "--format", fmt, "--evidence", data=data_dir, env=ptrack.env(COLUMNS="300"))
        assert expected in out, fmt
    report = ptrack.json("report", "--format", "json", "--evidence", data=data_dir)
    assert report["evidence"]["dtt"][-1]["quote"] == QUOTE


def test_the_quote_survives_csv_and_json_export_and_import(ptrack, data_dir, tmp_path):
    ptrack.ok("mark", "dtt", "partial", "--date", "2024-03", "--source", "made-up-source", "--quote", QUOTE, data=data_dir)
    exported = ptrack.ok("export", "--format", "csv", data=data_dir)
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [row["evidenceQuote"] for row in rows if row["record"] == "change"][-1] == QUOTE
    for fmt in ("csv", "json"):
        target = tmp_path / f"copy-{fmt}"
        path = tmp_path / f"export.{fmt}"
        path.write_text(ptrack.ok("export", "--format", fmt, data=data_dir), encoding="utf-8")
        ptrack.ok("import", str(path), data=str(target))
        assert log_changes(str(target))[-1]["quote"] == QUOTE, fmt
