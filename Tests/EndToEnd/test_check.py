"""`ptrack check` on made-up trackers: findings at path:line, JSON, exit statuses, chosen and
silenced rules, quotes checked against source texts kept beside the tracker."""

import json
import pathlib

import pytest
from jsonschema import Draft202012Validator

SCHEMA = json.loads((pathlib.Path(__file__).resolve().parents[2] / "docs" / "schema" / "check.schema.json").read_text(encoding="utf-8"))

CATALOG = {
    "schemaVersion": 1,
    "catalogs": [{"default": True, "description": "Made-up items for testing.", "id": "made-up",
                  "source": "made-up-report", "title": "A made-up agenda", "version": "1"}],
    "sources": [
        {"author": "Nobody", "date": "2021-02", "id": "made-up-report", "publisher": "Imaginary Institute",
         "title": "An imaginary report", "where": "https://example.org/report"},
        {"author": "", "date": "2024-05-10", "id": "made-up-page", "publisher": "Imaginary Wire",
         "title": "An imaginary wire story", "where": "https://example.org/wire"},
    ],
    "recommendations": [
        {"actors": ["US"], "catalog": "made-up", "category": "testing", "horizon": "ongoing", "id": id_,
         "source": {"id": "made-up-report", "quote": "hold imaginary talks"}, "summary": "", "title": f"Made-up item {id_}",
         "watched": False, **({"links": [{"id": "alpha", "kind": "advances"}]} if id_ == "beta" else {})}
        for id_ in ("alpha", "beta", "gamma")
    ],
}


def change(change_id, item, status, happened, **extra):
    line = {"changeId": change_id, "happened": happened, "id": item, "kind": "status", "recorded": "2026-12-01T00:00:00Z",
            "schemaVersion": 1, "status": status}
    line.update(extra)
    return json.dumps(line, sort_keys=True, separators=(",", ":"))


def review(change_id, item):
    return json.dumps({"changeId": change_id, "happened": "2026-12-01", "id": item, "kind": "review",
                       "recorded": "2026-12-01T00:00:00Z", "schemaVersion": 1}, sort_keys=True, separators=(",", ":"))


def tracker(tmp_path, lines):
    data = tmp_path / "made-up"
    data.mkdir()
    (data / "catalog.json").write_text(json.dumps(CATALOG, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    (data / "changes.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(data)


SOUND = [
    change("c1", "alpha", "in-progress", "2024-05", source="made-up-page", quote="talks resumed"),
    change("c2", "beta", "in-progress", "2024-05-10", source="made-up-page"),
    review("c3", "gamma"),
]


@pytest.fixture
def clock(ptrack):
    return ptrack.env(PTRACK_NOW="1796558400")


def test_a_sound_tracker_has_no_finding_and_exits_0(ptrack, tmp_path, clock):
    data = tracker(tmp_path, SOUND)
    code, out, err = ptrack("check", data=data, env=clock)
    assert (code, err) == (0, ""), out
    assert out == "0 errors, 0 warnings in 3 items\n"


def test_errors_are_located_and_exit_1(ptrack, tmp_path, clock):
    data = tracker(tmp_path, SOUND + [
        change("bad1", "gamma", "implemented", "2019", note="Made up."),          # no source, before the report
        change("bad2", "alpha", "implemented", "2024-07", source="made-up-page"),  # source older than the event
    ])
    code, out, err = ptrack("check", data=data, env=clock)
    assert code == 1, (out, err)
    lines = out.splitlines()
    assert f"{data}/changes.jsonl:4: error [status-without-source] gamma: change bad1 sets implemented as of 2019 with no source" in lines
    assert any(line.startswith(f"{data}/changes.jsonl:4: error [before-recommendation] gamma:") for line in lines)
    assert any(line.startswith(f"{data}/changes.jsonl:5: error [source-before-event] alpha:") for line in lines)
    # alpha is now implemented while beta, which advances it, is in progress: a warning at alpha's catalog line.
    catalog_lines = pathlib.Path(data, "catalog.json").read_text(encoding="utf-8").splitlines()
    alpha_line = next(i for i, text in enumerate(catalog_lines, 1) if '"id": "alpha"' in text)
    assert f"{data}/catalog.json:{alpha_line}: warning [link-conflict] alpha: implemented, but beta, which advances it, is in-progress" in lines
    assert lines[-1] == "3 errors, 1 warning in 3 items"


def test_warnings_alone_exit_0(ptrack, tmp_path, clock):
    data = tracker(tmp_path, SOUND[:2])  # gamma never reviewed
    code, out, _ = ptrack("check", data=data, env=clock)
    assert code == 0
    assert "warning [never-reviewed] gamma:" in out


def test_json_output_for_scripts(ptrack, tmp_path, clock):
    data = tracker(tmp_path, SOUND + [change("bad1", "gamma", "implemented", "2024-06")])
    code, out, _ = ptrack("check", "--json", data=data, env=clock)
    assert code == 1
    result = json.loads(out)
    Draft202012Validator(SCHEMA).validate(result)
    assert result["errors"] == 1 and result["warnings"] == 0 and result["items"] == 3
    assert result["findings"] == [{
        "changeId": "bad1", "item": "gamma", "line": 4, "message": "change bad1 sets implemented as of 2024-06 with no source",
        "path": f"{data}/changes.jsonl", "rule": "status-without-source", "severity": "error"}]


def test_rules_are_chosen_and_skipped(ptrack, tmp_path, clock):
    data = tracker(tmp_path, SOUND[:2] + [change("bad1", "gamma", "implemented", "2024-06")])
    code, out, _ = ptrack("check", "--rule", "never-reviewed", data=data, env=clock)
    assert code == 0 and out == "0 errors, 0 warnings in 3 items\n"
    code, out, _ = ptrack("check", "--skip", "status-without-source", data=data, env=clock)
    assert code == 0 and "status-without-source" not in out
    code, out, err = ptrack("check", "--rule", "no-such-rule", data=data, env=clock)
    assert code == 64 and out == "" and "unknown rule" in err
    rules = ptrack.json("check", "rules", "--json")
    assert {rule["id"] for rule in rules} >= {"status-without-source", "quote-not-found", "stale-review"}


def test_only_the_items_named(ptrack, tmp_path, clock):
    data = tracker(tmp_path, SOUND + [change("bad1", "gamma", "implemented", "2024-06")])
    code, out, _ = ptrack("check", "alpha", data=data, env=clock)
    assert code == 0 and out == "0 errors, 0 warnings in 1 item\n"


def test_a_silence_is_recorded_with_its_reason(ptrack, tmp_path, clock):
    data = tracker(tmp_path, SOUND + [change("bad1", "gamma", "implemented", "2024-06")])
    ptrack.ok("check", "silence", "status-without-source", "gam", "--reason", "A made-up reason.", data=data, env=clock)
    settings = json.loads(pathlib.Path(data, "check.json").read_text(encoding="utf-8"))
    assert settings["silences"] == [{"item": "gamma", "reason": "A made-up reason.", "recorded": "2026-12-06T12:00:00Z",
                                     "rule": "status-without-source"}]
    code, out, _ = ptrack("check", data=data, env=clock)
    assert code == 0 and out.endswith("0 errors, 0 warnings in 3 items (1 silenced)\n")
    silenced = ptrack.json("check", "--json", data=data, env=clock)
    Draft202012Validator(SCHEMA).validate(silenced)
    assert silenced["silenced"][0]["item"] == "gamma" and silenced["findings"] == []
    ptrack.ok("check", "unsilence", "status-without-source", "gamma", data=data, env=clock)
    assert ptrack("check", data=data, env=clock)[0] == 1
    code, _, err = ptrack("check", "silence", "status-without-source", "gamma", "--reason", "  ", data=data, env=clock)
    assert code == 64 and "reason" in err


def test_a_bad_check_file_is_an_error_and_is_left_alone(ptrack, tmp_path, clock):
    data = tracker(tmp_path, SOUND)
    path = pathlib.Path(data, "check.json")
    path.write_text('{"schemaVersion": 1, "silences": [{"rule": "nope"}]}\n', encoding="utf-8")
    before = path.read_bytes()
    code, out, err = ptrack("check", data=data, env=clock)
    assert code == 65 and out == ""
    assert err.startswith(f"ptrack: {data}/check.json:1:")
    code, _, err = ptrack("check", "silence", "stale-review", "alpha", "--reason", "r", data=data, env=clock)
    assert code == 65 and f"{data}/check.json:1:" in err
    assert path.read_bytes() == before


def test_quotes_are_checked_where_the_source_text_is_at_hand(ptrack, tmp_path, clock):
    data = tracker(tmp_path, SOUND + [change("c4", "gamma", "in-progress", "2024-05", source="made-up-page",
                                             quote="the imaginary talks were cancelled")])
    # No text at hand: nothing to say about the quotes.
    assert ptrack("check", data=data, env=clock)[0] == 0
    texts = pathlib.Path(data, "sources")
    texts.mkdir()
    (texts / "made-up-page.txt").write_text("Officials said the \u201cimaginary\u201d talks resumed on Monday.\n", encoding="utf-8")
    (texts / "made-up-report.txt").write_text("The report urges both sides to hold imaginary talks soon.\n", encoding="utf-8")
    code, out, _ = ptrack("check", data=data, env=clock)
    assert code == 1
    assert [line.split(" [")[1].split("]")[0] for line in out.splitlines()[:-1]] == ["quote-not-found"]
    assert "gamma: change c4 quotes words the text of made-up-page does not hold" in out
    # --sources points elsewhere.
    elsewhere = tmp_path / "texts"
    elsewhere.mkdir()
    (elsewhere / "made-up-page.txt").write_text("the imaginary talks were cancelled; talks resumed\n", encoding="utf-8")
    assert ptrack("check", "--sources", str(elsewhere), data=data, env=clock)[0] == 0


def test_the_browser_detail_shows_the_items_findings(ptrack, tmp_path, clock):
    from terminal import Browser
    data = tracker(tmp_path, SOUND + [change("bad1", "gamma", "implemented", "2024-06")])
    b = Browser(ptrack, data, tmp_path, width=120, height=40, extra_env={"PTRACK_NOW": "1796558400"})
    try:
        b.wait_for("gamma")
        b.keys("/")
        b.type("gamma")
        b.wait_for("/gamma")
        b.keys("Enter", "Enter")
        b.wait_for("Check")
        b.wait_for("error [status-without-source] change bad1 sets")
        b.wait_for("implemented as of 2024-06 with no source")
        b.escape()
        b.keys("/")
        b.type("alpha")
        b.keys("Enter", "Enter")
        b.wait_for("alpha — Made-up item alpha")
        b.wait_for("No findings.")
        b.escape()
        b.keys("q")
    finally:
        b.close()


def test_the_browser_says_when_a_newer_bundled_agenda_is_available(browser, data_dir):
    path = pathlib.Path(data_dir, "catalog.json")
    catalog = json.loads(path.read_text(encoding="utf-8"))
    for entry in catalog["catalogs"]:
        entry["version"] = "2000.01"
    path.write_text(json.dumps(catalog, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    b = browser(width=140, height=30)
    b.wait_for("A newer edition of the bundled agenda is available: run `ptrack agenda update`")
    b.keys("q")
