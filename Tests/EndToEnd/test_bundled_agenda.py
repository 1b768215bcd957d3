"""The bundled agenda holds to its own rules: every status argued from a listed, dated source
with a short quote, `ptrack check` clean, the log only ever appended to between editions, and
trackers made from the previous edition brought up to date by `ptrack agenda update` without
touching what their users recorded."""

import json
import pathlib
import re
import shutil

from conftest import BUNDLED, REPO, file_hashes, log_changes

PREVIOUS = REPO / "Tests" / "Fixtures" / "agenda-2024.01"
SOURCES_DOC = REPO / "docs" / "sources.md"
NOW = {"PTRACK_NOW": "1796558400"}  # 2026-12-06T12:00:00Z


def bundled():
    catalog = json.loads((BUNDLED / "catalog.json").read_text(encoding="utf-8"))
    changes = [json.loads(line) for line in (BUNDLED / "changes.jsonl").read_text(encoding="utf-8").splitlines() if line]
    return catalog, changes


def in_effect(changes):
    """The changes no revert in effect cancels, reverts left out (a revert of a revert restores)."""
    cancelled = set()
    for change in reversed(changes):
        if change["changeId"] not in cancelled and change["kind"] == "revert":
            cancelled.add(change["reverts"])
    return [c for c in changes if c["kind"] != "revert" and c["changeId"] not in cancelled]


def words(text):
    return len([w for w in text.split() if any(ch.isalnum() for ch in w)])


def is_url(text):
    return re.match(r"https?://", text or "") is not None


def test_every_bundled_status_rests_on_a_listed_dated_source_with_a_short_quote():
    catalog, changes = bundled()
    sources = {source["id"]: source for source in catalog["sources"]}
    problems = []
    for change in in_effect(changes):
        where = f"{change['changeId']} ({change['id']})"
        source = change.get("source")
        if change["kind"] == "status" and change["status"] != "not-started" and not source:
            problems.append(f"{where}: sets {change['status']} with no source")
        if source and source not in sources:
            problems.append(f"{where}: cites {source!r}, which is not a listed source")
        if "quote" in change and words(change["quote"]) > 25:
            problems.append(f"{where}: quotes {words(change['quote'])} words")
        if change["kind"] == "status" and change["status"] != "not-started" and source in sources and "quote" not in change \
                and change["recorded"] >= "2026":
            problems.append(f"{where}: new evidence without its quote")
    for source in catalog["sources"]:
        if is_url(source["where"]) and not source.get("date"):
            problems.append(f"source {source['id']}: a URL without a date")
    for recommendation in catalog["recommendations"]:
        quote = recommendation["source"].get("quote", "")
        if words(quote) > 25:
            problems.append(f"{recommendation['id']}: its catalog quote has {words(quote)} words")
        if recommendation["source"]["id"] not in sources:
            problems.append(f"{recommendation['id']}: cites an unlisted source")
    assert problems == []


def test_the_bundled_evidence_reaches_2026_from_many_sources():
    catalog, changes = bundled()
    # At least 15 dated changes from mid-2024 on: status changes, and the reviews that record
    # continuing evidence, each in effect and carrying a source and a quote.
    recent = [c for c in in_effect(changes) if c["kind"] in ("status", "review") and c["happened"] >= "2024-07"
              and c.get("source") and c.get("quote")]
    assert len(recent) >= 15
    assert any(c["happened"] >= "2026" for c in in_effect(changes))
    urls = {source["where"] for source in catalog["sources"] if is_url(source["where"])}
    assert len(urls) >= 15


def test_ptrack_check_finds_no_error_in_the_bundled_agenda(ptrack, tmp_path):
    data = str(tmp_path / "fresh")
    code, out, err = ptrack("check", "--json", data=data, env=ptrack.env(**NOW))
    result = json.loads(out)
    assert code == 0, [f["message"] for f in result["findings"] if f["severity"] == "error"]
    assert result["errors"] == 0


def test_the_bundled_log_only_grows_between_editions():
    previous = (PREVIOUS / "changes.jsonl").read_bytes()
    assert (BUNDLED / "changes.jsonl").read_bytes().startswith(previous)
    old = json.loads((PREVIOUS / "catalog.json").read_text(encoding="utf-8"))
    new, _ = bundled()
    assert {r["id"] for r in old["recommendations"]} <= {r["id"] for r in new["recommendations"]}
    assert {s["id"] for s in old["sources"]} <= {s["id"] for s in new["sources"]}


def test_docs_sources_lists_every_bundled_source():
    catalog, _ = bundled()
    text = SOURCES_DOC.read_text(encoding="utf-8")
    missing = [s["id"] for s in catalog["sources"] if s["id"] not in text or (is_url(s["where"]) and s["where"] not in text)]
    assert missing == []


def previous_edition_tracker(tmp_path, name="old"):
    data = tmp_path / name
    data.mkdir()
    for file in ("catalog.json", "changes.jsonl"):
        shutil.copy(PREVIOUS / file, data / file)
    return str(data)


def statuses(ptrack, data):
    return {item["id"]: (item["status"], item.get("since")) for item in ptrack.json("list", "--json", data=data, env=ptrack.env(**NOW))}


def test_agenda_update_brings_a_previous_edition_tracker_up_to_date(ptrack, tmp_path):
    env = ptrack.env(**NOW)
    data = previous_edition_tracker(tmp_path)
    # The user's own work in the old tracker: a mark, a review, a watch and an item of their own.
    ptrack.ok("mark", "dtt", "stalled", "--date", "2026-11", "--note", "A made-up test event.",
              "--source", "https://example.org/made-up", data=data, env=env)
    ptrack.ok("review", "222-dialogue", "--note", "Made-up test review.", data=data, env=env)
    ptrack.ok("watch", "gsomia", data=data, env=env)
    ptrack.ok("add", "made-up-item", "--title", "A made-up item", "--catalog", "ncafp-2021", "--note", "Made up.", data=data, env=env)
    touched = {"dtt", "222-dialogue", "gsomia", "made-up-item"}
    own = [c["changeId"] for c in log_changes(data)[len(open(PREVIOUS / "changes.jsonl").readlines()):]]
    assert len(own) == 4

    status = ptrack.ok("agenda", data=data, env=env)
    assert "A newer edition of the bundled agenda is available" in status
    before = file_hashes(data)
    preview = ptrack.json("agenda", "update", "--dry-run", "--json", data=data, env=env)
    assert preview["written"] is False and preview["upToDate"] is False and preview["withdrawn"]
    assert file_hashes(data) == before

    report = ptrack.ok("agenda", "update", data=data, env=env)
    assert report.startswith("Updated the bundled agenda:") and "Your own changes are untouched." in report
    fresh = statuses(ptrack, str(tmp_path / "fresh"))
    updated = statuses(ptrack, data)
    for item, expected in fresh.items():
        if item not in touched:
            assert updated[item] == expected, item
    assert set(fresh) <= set(updated)
    log = log_changes(data)
    assert all(change_id in {c["changeId"] for c in log} for change_id in own)
    assert updated["dtt"][0] == "stalled" and "made-up-item" in updated
    assert ptrack.json("show", "gsomia", "--json", data=data, env=env)["watched"] is True
    assert ptrack("check", data=data, env=env)[0] in (0, 1)  # runs over the merged tracker

    # Again: nothing to do, nothing written.
    settled = file_hashes(data)
    assert ptrack.ok("agenda", "update", data=data, env=env).startswith("Already up to date")
    assert file_hashes(data) == settled
    assert "current edition" in ptrack.ok("agenda", data=data, env=env)


def test_agenda_update_refuses_a_tracker_not_made_from_the_agenda(ptrack, tmp_path):
    data = tmp_path / "foreign"
    data.mkdir()
    catalog = {"schemaVersion": 1, "catalogs": [{"default": True, "description": "", "id": "made-up", "source": "", "title": "Made up",
                                                  "version": "1"}], "sources": [], "recommendations": []}
    (data / "catalog.json").write_text(json.dumps(catalog, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    (data / "changes.jsonl").write_text("", encoding="utf-8")
    before = file_hashes(str(data))
    code, out, err = ptrack("agenda", "update", data=str(data))
    assert code == 64 and out == "" and "not made from the bundled agenda" in err
    assert file_hashes(str(data)) == before
