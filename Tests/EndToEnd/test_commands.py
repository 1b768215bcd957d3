"""Every subcommand, run as a user runs it, on a fresh tracker filled with the bundled agenda."""

import csv
import datetime
import io
import json
import pathlib
import re

import pytest

from conftest import (
    BUNDLED_COUNT,
    CHANGES,
    REPO,
    STATUSES,
    bundled_catalog,
    bundled_changes,
    file_hashes,
    items_by_id,
    log_changes,
    log_lines,
)

SUBCOMMANDS = ["list", "show", "mark", "watch", "unwatch", "add", "edit", "history", "undo", "report"]
LIST_FIELDS = {"id", "title", "status", "category", "horizon", "actors", "watched", "since", "lastChange"}
HISTORY_FIELDS = {"changeId", "status", "happened", "recorded", "note", "source"}
CHANGE_ID = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{12}$")
ALL_IDS = sorted(r["id"] for r in bundled_catalog()["recommendations"])


def today():
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def utc_now_text():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- a reference replay


def on_or_before(happened, limit):
    """A partial date counts from its first day; a date inside `limit` is on or before it."""
    return happened <= limit or happened.startswith(limit)


def cancelled_ids(changes):
    cancelled = set()
    for change in reversed(changes):
        if change["changeId"] in cancelled:
            continue
        if change["kind"] == "revert":
            cancelled.add(change["reverts"])
    return cancelled


def replay(catalog, changes, as_of=None):
    """id → (status, category, actors, precedence, since): the latest status change in effect
    with happened ≤ as_of, ties broken by recorded, then sequence, then changeId; and when the
    status began, the first of the last run of those changes that set it."""
    items = {
        r["id"]: {"status": "not-started", "category": r["category"], "actors": list(r["actors"]), "key": None, "keys": []}
        for r in catalog["recommendations"]
    }
    cancelled = cancelled_ids(changes)
    for change in changes:
        if change["changeId"] in cancelled:
            continue
        if change["kind"] == "add":
            rec = change["recommendation"]
            items[rec["id"]] = {"status": "not-started", "category": rec["category"], "actors": list(rec["actors"]), "key": None,
                                "keys": []}
        if change["kind"] != "status":
            continue
        if as_of is not None and not on_or_before(change["happened"], as_of):
            continue
        item = items[change["id"]]
        key = (change["happened"], change["recorded"], change.get("sequence") or 0, change["changeId"])
        item["keys"].append((key, change["status"]))
        if item["key"] is None or item["key"] < key:
            item["status"] = change["status"]
            item["key"] = key
    for item in items.values():
        run = sorted(item.pop("keys"))
        first = len(run) - 1
        while first > 0 and run[first - 1][1] == run[-1][1]:
            first -= 1
        item["since"] = run[first][0][0] if run else None
    return items


def tally(items):
    counts = {status: 0 for status in STATUSES}
    for item in items.values():
        counts[item["status"]] += 1
    return counts


def expected_report(items):
    by_category = {}
    for item in items.values():
        by_category.setdefault(item["category"], {s: 0 for s in STATUSES})[item["status"]] += 1
    by_actor = {}
    for actor in ["US", "Japan", "ROK"]:
        by_actor[actor] = tally({k: v for k, v in items.items() if actor in v["actors"]})
    return tally(items), by_category, by_actor


def precedence(change):
    return (change["happened"], change["recorded"], change["changeId"])


def bundled_in_effect(item_id):
    """(status, lastChange, change) of the bundled agenda's status change in effect for
    `item_id` (lastChange and change None when it has none), from the reference replay."""
    key = replay(bundled_catalog(), bundled_changes())[item_id]["key"]
    if key is None:
        return "not-started", None, None
    change = next(c for c in bundled_changes() if c["changeId"] == key[3])
    return change["status"], change["happened"], change


def bundled_recommendation(item_id):
    return next(r for r in bundled_catalog()["recommendations"] if r["id"] == item_id)


def tips(changes, item_id):
    """The item's tips after `changes`: its status changes and reviews in effect that no
    later one follows (a line without `follows` follows all the tips before it)."""
    cancelled = cancelled_ids(changes)
    result = []
    for change in changes:
        if change["id"] != item_id or change["kind"] not in ("status", "review") or change["changeId"] in cancelled:
            continue
        follows = change.get("follows")
        result = [tip for tip in result if follows is not None and tip not in follows] + [change["changeId"]]
    return result


def heading(change, with_id=True):
    """The words that open a change's block in `history` text: when it happened, the item
    (unless the history is of one item) and what the change did."""
    words = [change["happened"]] + ([change["id"]] if with_id else [])
    if change["kind"] == "status":
        return words + ["status", change["status"]]
    if change["kind"] == "review":
        return words + ["reviewed"]
    if change["kind"] == "revert":
        return words + ["reverted", "change", change["reverts"]]
    raise AssertionError(f"no heading for a {change['kind']} change")


def other_status(status):
    """A status to mark an item with that differs from `status`."""
    return "stalled" if status != "stalled" else "partial"


# ---------------------------------------------------------------- list


def table_rows(out):
    lines = out.splitlines()
    assert lines, "no table"
    return lines[0], lines[1:]


def shown_id(item_id):
    return item_id if len(item_id) <= 30 else item_id[:29] + "…"


def test_list_table(ptrack, data_dir):
    code, out, err = ptrack("list", data=data_dir)
    assert code == 0
    assert err == f"{BUNDLED_COUNT} of {BUNDLED_COUNT} recommendations\n"
    header, rows = table_rows(out)
    assert header.split() == ["ID", "STATUS", "SINCE", "CATEGORY", "HORIZON", "TITLE"]
    assert len(rows) == BUNDLED_COUNT
    assert [row[2:].split()[0] for row in rows] == [shown_id(i) for i in ALL_IDS]
    gsomia = next(row for row in rows if row[2:].startswith("gsomia "))
    rec = bundled_recommendation("gsomia")
    status, changed, _ = bundled_in_effect("gsomia")
    assert changed is not None
    assert gsomia.split()[:5] == ["gsomia", status, changed, rec["category"], rec["horizon"]]
    assert gsomia.endswith(rec["title"])
    assert not any(row.startswith("★") for row in rows)


def test_list_json_fields_and_statuses(ptrack, data_dir):
    items = ptrack.json("list", "--json", data=data_dir)
    assert isinstance(items, list) and len(items) == BUNDLED_COUNT
    assert [item["id"] for item in items] == ALL_IDS
    for item in items:
        assert LIST_FIELDS <= set(item), item
        assert item["status"] in STATUSES
        assert isinstance(item["actors"], list) and set(item["actors"]) <= {"US", "Japan", "ROK"}
        assert isinstance(item["watched"], bool) and item["watched"] is False
    by_id = {item["id"]: item for item in items}
    rec = bundled_recommendation("gsomia")
    status, changed, _ = bundled_in_effect("gsomia")
    assert by_id["gsomia"] == {
        **by_id["gsomia"],
        "title": rec["title"], "status": status, "category": rec["category"], "horizon": rec["horizon"],
        "actors": ["US", "Japan", "ROK"], "watched": False, "lastChange": changed,
        "since": replay(bundled_catalog(), bundled_changes())["gsomia"]["since"],
    }
    assert by_id["cptpp-entry"]["actors"] == ["US", "ROK"]
    # Every status and date agrees with a replay of the bundled history.
    expected = replay(bundled_catalog(), bundled_changes())
    for item_id, item in by_id.items():
        assert item["status"] == expected[item_id]["status"], item_id
        assert item["lastChange"] == (expected[item_id]["key"][0] if expected[item_id]["key"] else None), item_id
        assert item["since"] == expected[item_id]["since"], item_id


def reference_list(catalog, changes, statuses=(), category=None, actor=None, search=None, watched=False):
    """The ids `list` keeps, sorted: the status in effect among `statuses`, the category and
    the actor the catalog gives, and `search` (lower case) in the id, title, summary,
    category or quote of the recommendation, or in a note of one of its changes in effect."""
    items = replay(catalog, changes)
    cancelled = cancelled_ids(changes)
    notes = {}
    for change in changes:
        if change["changeId"] not in cancelled and change.get("note"):
            notes.setdefault(change["id"], []).append(change["note"])
    kept = []
    for rec in catalog["recommendations"]:
        item_id = rec["id"]
        if statuses and items[item_id]["status"] not in statuses:
            continue
        if category is not None and rec["category"] != category:
            continue
        if actor is not None and actor not in rec["actors"]:
            continue
        if watched and not rec.get("watched"):
            continue
        if search is not None:
            texts = [item_id, rec["title"], rec.get("summary", ""), rec["category"],
                     (rec.get("source") or {}).get("quote") or "", *notes.get(item_id, [])]
            if not any(search in text.lower() for text in texts):
                continue
        kept.append(item_id)
    return sorted(kept)


# The options as typed, what they mean (prefixes, case and the actors' other names resolved),
# and how much of the agenda they must keep for the case to prove anything: "some" (at least
# one item, not all), "all", "none", or None where that depends on the evidence of the day.
FILTERS = [
    (["--status", "stalled"], {"statuses": {"stalled"}}, None),
    (["--status", "impl"], {"statuses": {"implemented"}}, "some"),
    (["--status", "partial", "--status", "implemented"], {"statuses": {"partial", "implemented"}}, "some"),
    (["--status", "reversed"], {"statuses": {"reversed"}}, None),
    (["--category", "deterrence"], {"category": "deterrence"}, "some"),
    (["--category", "DETER"], {"category": "deterrence"}, "some"),
    (["--category", "security", "--status", "not-started"], {"category": "security", "statuses": {"not-started"}},
     None),
    (["--actor", "Japan"], {"actor": "Japan"}, "some"),
    (["--actor", "us"], {"actor": "US"}, "some"),
    (["--actor", "Korea"], {"actor": "ROK"}, "all"),
    (["--actor", "Japan", "--category", "global-and-regional"], {"actor": "Japan", "category": "global-and-regional"},
     "some"),
    (["--search", "tabletop"], {"search": "tabletop"}, "some"),
    (["--search", "PIRACY"], {"search": "piracy"}, "some"),
    (["--search", "camp david"], {"search": "camp david"}, "some"),
    (["--search", "no-such-text-anywhere"], {"search": "no-such-text-anywhere"}, "none"),
    (["--watched"], {"watched": True}, "none"),
]


@pytest.mark.parametrize("args,criteria,extent", FILTERS, ids=[" ".join(a) for a, _, _ in FILTERS])
def test_list_filters(ptrack, data_dir, args, criteria, extent):
    expected = reference_list(bundled_catalog(), bundled_changes(), **criteria)
    if extent == "some":
        assert 0 < len(expected) < BUNDLED_COUNT, f"{args} should keep some items but not all: {expected}"
    elif extent == "all":
        assert expected == ALL_IDS
    elif extent == "none":
        assert expected == []
    items = ptrack.json("list", "--json", *args, data=data_dir)
    assert [item["id"] for item in items] == expected
    code, out, err = ptrack("list", *args, data=data_dir)
    assert code == 0
    assert err == f"{len(expected)} of {BUNDLED_COUNT} recommendations\n"
    _, rows = table_rows(out)
    assert [row[2:].split()[0] for row in rows] == [shown_id(i) for i in expected]


def test_list_search_finds_notes_of_changes(ptrack, data_dir):
    ptrack.ok("mark", "dtt", "in-progress", "--note", "Talks resumed at the Zebrafish Hotel", data=data_dir)
    assert [i["id"] for i in ptrack.json("list", "--json", "--search", "zebrafish", data=data_dir)] == ["dtt"]


def test_list_watched_filter_and_star(ptrack, data_dir):
    ptrack.ok("watch", "gsomia", data=data_dir)
    ptrack.ok("watch", "dtt", data=data_dir)
    assert [i["id"] for i in ptrack.json("list", "--json", "--watched", data=data_dir)] == ["dtt", "gsomia"]
    code, out, err = ptrack("list", "--watched", data=data_dir)
    assert code == 0 and err == f"2 of {BUNDLED_COUNT} recommendations\n"
    _, rows = table_rows(out)
    assert [row.split()[:2] for row in rows] == [["★", "dtt"], ["★", "gsomia"]]
    _, all_rows = table_rows(ptrack.ok("list", data=data_dir))
    assert sorted(row.split()[1] for row in all_rows if row.startswith("★")) == ["dtt", "gsomia"]


@pytest.mark.parametrize("args", [["--status", "bogus"], ["--status", "i"], ["--category", "nope"], ["--actor", "France"]])
def test_list_bad_filter_is_a_usage_error(ptrack, data_dir, args):
    code, out, err = ptrack("list", *args, data=data_dir)
    assert code == 64
    assert out == ""
    assert err.startswith("ptrack: ")


# ---------------------------------------------------------------- show


def test_show_text(ptrack, data_dir):
    code, out, err = ptrack("show", "gsomia", data=data_dir)
    assert code == 0 and err == ""
    lines = out.splitlines()
    status, changed, change = bundled_in_effect("gsomia")
    assert change is not None
    assert lines[0] == "gsomia — Build public support for sustained intelligence sharing via GSOMIA"
    assert lines[1] == f"  Status    {status} since {changed}"
    assert lines[2] == "  Catalog   NCAFP Practical Trilateral Agenda (2021) [ncafp-2021]"
    assert lines[3] == "  Category  security   Horizon  ongoing   Actors  US, Japan, ROK"
    assert "Summary" in lines and "Source" in lines and "History (newest first)" in lines
    assert f"  {changed:<10}  status {status}" in lines
    assert f"              change {change['changeId']}, recorded {change['recorded']}" in lines
    assert any(line.startswith("  Bo Ram Kwon, ") and line.endswith("[kwon-2021]") for line in lines)


def test_show_json(ptrack, data_dir):
    detail = ptrack.json("show", "multilevel-engagement", "--json", data=data_dir)
    rec = bundled_recommendation("multilevel-engagement")
    status, changed, _ = bundled_in_effect("multilevel-engagement")
    assert LIST_FIELDS <= set(detail)
    assert detail["id"] == "multilevel-engagement"
    assert detail["status"] == status and detail["lastChange"] == changed
    assert detail["summary"] == rec["summary"]
    assert detail["source"]["id"] == rec["source"]["id"]
    assert detail["source"]["quote"] == rec["source"].get("quote")
    assert isinstance(detail["source"]["citation"], str) and detail["source"]["citation"]
    expected = sorted((c for c in bundled_changes() if c["id"] == "multilevel-engagement"), key=precedence, reverse=True)
    assert len(expected) > 1 and len(detail["history"]) == len(expected)
    assert [h["changeId"] for h in detail["history"]] == [c["changeId"] for c in expected]
    for shown, original in zip(detail["history"], expected):
        assert HISTORY_FIELDS <= set(shown)
        for field in ("status", "happened", "recorded", "note", "source"):
            assert shown[field] == original.get(field), field


def bundled_links():
    """(item, kind, target) for every link of the bundled catalog, in the order ptrack lists them."""
    return sorted(
        ((r["id"], link["kind"], link["id"]) for r in bundled_catalog()["recommendations"] for link in r.get("links", [])),
        key=lambda link: (link[1], link[0], link[2]),
    )


def section(lines, heading):
    """The lines of a `show` section, from under its heading to the next blank line."""
    start = lines.index(heading) + 1
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


def test_show_text_lists_links_both_ways(ptrack, data_dir):
    statuses = {item["id"]: item for item in ptrack.json("list", "--json", data=data_dir)}
    assert [link[1:] for link in bundled_links() if link[0] == "nsa-meetings"] == [("advances", "multilevel-engagement")]
    lines = ptrack.ok("show", "nsa-meetings", data=data_dir, env={"COLUMNS": "100"}).splitlines()
    assert lines.index("Source") < lines.index("Links") < lines.index("History (newest first)")
    assert section(lines, "Links") == [
        f"  Advances       multilevel-engagement  {statuses['multilevel-engagement']['status']}",
        "                 Restore and maintain diplomatic engagement at multiple levels (ncafp-2021)",
    ]
    lines = ptrack.ok("show", "multilevel-engagement", data=data_dir, env={"COLUMNS": "200"}).splitlines()
    expected = []
    for item, _, _ in (link for link in bundled_links() if link[2] == "multilevel-engagement"):
        shown = statuses[item]
        catalog = bundled_recommendation(item)["catalog"]
        expected += [f"  Advanced by    {item}  {shown['status']}", f"                 {shown['title']} ({catalog})"]
    assert section(lines, "Links") == expected and len(expected) >= 4      # advanced by two items at least
    # An item with no links either way has no Links section.
    ptrack.ok("add", "unlinked", "--title", "A made-up item with no links", data=data_dir)
    lines = ptrack.ok("show", "unlinked", data=data_dir).splitlines()
    assert "History (newest first)" in lines and "Links" not in lines


def test_show_json_lists_links_both_ways(ptrack, data_dir):
    links = bundled_links()
    assert len(links) >= 10
    linked = {item for item, _, _ in links} | {target for _, _, target in links}
    # Every bundled item, linked or not, and one made here with no links.
    ptrack.ok("add", "unlinked", "--title", "A made-up item with no links", data=data_dir)
    for item_id in ALL_IDS + ["unlinked"]:
        detail = ptrack.json("show", item_id, "--json", data=data_dir)
        assert detail["links"] == [{"kind": kind, "id": target} for item, kind, target in links if item == item_id]
        assert detail["linkedFrom"] == [{"kind": kind, "id": item} for item, kind, target in links if target == item_id]


# ---------------------------------------------------------------- id prefixes


@pytest.mark.parametrize("query", ["gso", "GSOM", "gsomia", "GSOMIA"])
def test_unique_prefix_and_case(ptrack, data_dir, query):
    assert ptrack.json("show", query, "--json", data=data_dir)["id"] == "gsomia"


def test_exact_id_wins_over_longer_ids(ptrack, data_dir):
    ptrack.ok("add", "dtt-review", "--title", "Review the DTT", data=data_dir)
    assert ptrack.json("show", "dtt", "--json", data=data_dir)["id"] == "dtt"
    assert ptrack.json("show", "dtt-", "--json", data=data_dir)["id"] == "dtt-review"
    code, out, err = ptrack("show", "dt", data=data_dir)
    assert code == 64 and out == ""
    assert "dtt, dtt-review" in err
    # Marking by the exact id touches dtt only.
    ptrack.ok("mark", "dtt", "stalled", data=data_dir)
    items = items_by_id(ptrack, data_dir)
    assert items["dtt"]["status"] == "stalled" and items["dtt-review"]["status"] == "not-started"


def test_ambiguous_prefix_lists_candidates(ptrack, data_dir):
    before = file_hashes(data_dir)
    for args in (["show", "low"], ["mark", "low", "stalled"], ["history", "low"]):
        code, out, err = ptrack(*args, data=data_dir)
        assert code == 64, args
        assert out == ""
        assert err == 'ptrack: "low" is ambiguous: it could be low-hanging-fruit, low-profile-diplomacy\n'
    assert file_hashes(data_dir) == before


def test_unknown_id(ptrack, data_dir):
    before = file_hashes(data_dir)
    for args in (["show", "zzz"], ["mark", "zzz", "stalled"], ["watch", "zzz"], ["edit", "zzz", "--title", "x"]):
        code, out, err = ptrack(*args, data=data_dir)
        assert code == 64, args
        assert out == ""
        assert err.startswith('ptrack: no recommendation matches "zzz"'), err
    assert file_hashes(data_dir) == before


# ---------------------------------------------------------------- mark


def test_mark_records_one_line(ptrack, data_dir):
    before_lines = log_lines(data_dir)
    before = ptrack.json("show", "gsomia", "--json", data=data_dir)
    assert before["status"] != "stalled"
    started = utc_now_text()
    code, out, err = ptrack(
        "mark", "gsom", "st", "--note", "Made-up test event", "--date", "2024-02-03",
        "--source", "https://example.org/gsomia", data=data_dir)
    finished = utc_now_text()
    assert code == 0, err
    assert err == ""
    match = re.fullmatch(rf"gsomia: {before['status']} → stalled \(change (\S+)\)\n", out)
    assert match, out
    change_id = match.group(1)
    assert CHANGE_ID.match(change_id)

    after_lines = log_lines(data_dir)
    assert after_lines[: len(before_lines)] == before_lines
    assert len(after_lines) == len(before_lines) + 1
    line = json.loads(after_lines[-1])
    assert line == {
        "schemaVersion": 2, "changeId": change_id, "id": "gsomia", "kind": "status", "status": "stalled",
        "happened": "2024-02-03", "recorded": line["recorded"], "note": "Made-up test event",
        "source": "https://example.org/gsomia", "follows": tips(log_changes(data_dir)[:-1], "gsomia"), "sequence": 1,
        "author": line["author"],
    }
    assert line["author"], "a new change says who recorded it"
    assert line["follows"], "gsomia has bundled status changes and reviews, so the mark follows one"
    assert started <= line["recorded"] <= finished

    detail = ptrack.json("show", "gsomia", "--json", data=data_dir)
    assert detail["status"] == "stalled"
    assert detail["lastChange"] == "2024-02-03"
    shown = next(h for h in detail["history"] if h["changeId"] == change_id)
    assert {k: shown[k] for k in ("changeId", "status", "happened", "recorded", "note", "source", "kind")} == {
        "changeId": change_id, "status": "stalled", "happened": "2024-02-03", "recorded": line["recorded"],
        "note": "Made-up test event", "source": "https://example.org/gsomia", "kind": "status",
    }
    # The history is the one before with the mark in its place by date, newest first.
    expected = sorted(before["history"] + [line], key=precedence, reverse=True)
    assert [h["changeId"] for h in detail["history"]] == [c["changeId"] for c in expected]


def test_mark_defaults_to_today(ptrack, data_dir):
    before = items_by_id(ptrack, data_dir)["dtt"]["status"]
    status = other_status(before)
    out = ptrack.ok("mark", "dtt", status, data=data_dir)
    assert out.startswith(f"dtt: {before} → {status} (change ")
    line = log_changes(data_dir)[-1]
    assert line["happened"] == line["recorded"][:10] == today()
    assert "note" not in line and "source" not in line
    assert items_by_id(ptrack, data_dir)["dtt"]["lastChange"] == today()


def test_mark_older_date_keeps_newer_status(ptrack, data_dir):
    before = items_by_id(ptrack, data_dir)["gsomia"]
    history_before = ptrack.json("history", "gsomia", "--json", data=data_dir)
    assert before["status"] != "stalled" and before["lastChange"] > "2022", before
    out = ptrack.ok("mark", "gsomia", "stalled", "--date", "2022", data=data_dir)
    assert re.fullmatch(
        rf"gsomia: recorded stalled as of 2022; a later change keeps it {before['status']} \(change \S+\)\n", out), out
    item = items_by_id(ptrack, data_dir)["gsomia"]
    assert item["status"] == before["status"] and item["lastChange"] == before["lastChange"]
    history = ptrack.json("history", "gsomia", "--json", data=data_dir)
    mark = log_changes(data_dir)[-1]
    assert (mark["happened"], mark["status"]) == ("2022", "stalled")
    expected = sorted(history_before + [mark], key=precedence, reverse=True)
    assert [h["changeId"] for h in history] == [c["changeId"] for c in expected]


@pytest.mark.parametrize("date", ["tomorrow", "2099", "2099-01", "9999-12-31"])
def test_mark_future_date_is_refused(ptrack, data_dir, date):
    if date == "tomorrow":
        date = (datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=1)).isoformat()
    before = file_hashes(data_dir)
    code, out, err = ptrack("mark", "gsomia", "stalled", "--date", date, data=data_dir)
    assert code == 64
    assert out == ""
    assert err == f"ptrack: the date {date} is in the future (today is {today()})\n"
    assert file_hashes(data_dir) == before


@pytest.mark.parametrize("date", ["2024-02-30", "2023-13", "24", "2024/01/01", "yesterday", "2024-1-5"])
def test_mark_invalid_date_is_refused(ptrack, data_dir, date):
    before = file_hashes(data_dir)
    code, out, err = ptrack("mark", "gsomia", "stalled", "--date", date, data=data_dir)
    assert code == 64 and out == ""
    assert err.startswith(f'ptrack: invalid date "{date}"')
    assert file_hashes(data_dir) == before


def test_mark_today_and_this_month_are_accepted(ptrack, data_dir):
    ptrack.ok("mark", "dtt", "partial", "--date", today(), data=data_dir)
    ptrack.ok("mark", "gsomia", "partial", "--date", today()[:7], data=data_dir)
    ptrack.ok("mark", "cptpp", "partial", "--date", today()[:4], data=data_dir)
    assert [c["happened"] for c in log_changes(data_dir)[-3:]] == [today(), today()[:7], today()[:4]]


def test_mark_unknown_status_lists_statuses(ptrack, data_dir):
    before = file_hashes(data_dir)
    code, out, err = ptrack("mark", "gsomia", "finished", data=data_dir)
    assert code == 64 and out == ""
    assert err == ('ptrack: no status matches "finished" '
                   "(choices: implemented, in-progress, not-started, partial, reversed, stalled)\n")
    assert file_hashes(data_dir) == before


def test_mark_ambiguous_status_prefix(ptrack, data_dir):
    before = file_hashes(data_dir)
    code, out, err = ptrack("mark", "gsomia", "i", data=data_dir)
    assert code == 64 and out == ""
    assert err == 'ptrack: "i" is ambiguous: it could be implemented, in-progress\n'
    assert file_hashes(data_dir) == before


@pytest.mark.parametrize("typed,status", [("IMPL", "implemented"), ("rev", "reversed"), ("not", "not-started"),
                                          ("Partial", "partial"), ("in-", "in-progress")])
def test_mark_status_prefixes(ptrack, data_dir, typed, status):
    ptrack.ok("mark", "dtt", typed, "--date", "2024-02", data=data_dir)
    assert log_changes(data_dir)[-1]["status"] == status
    assert items_by_id(ptrack, data_dir)["dtt"]["status"] == status


def test_mark_missing_arguments(ptrack, data_dir):
    before = file_hashes(data_dir)
    code, out, err = ptrack("mark", "gsomia", data=data_dir)
    assert code == 64 and out == ""
    assert "Missing expected argument '<status>'" in err
    assert file_hashes(data_dir) == before


# ---------------------------------------------------------------- watch / unwatch


def test_watch_and_unwatch(ptrack, data_dir):
    n = len(log_lines(data_dir))
    out = ptrack.ok("watch", "gsom", data=data_dir)
    assert re.fullmatch(r"gsomia: watched \(change \S+\)\n", out)
    assert len(log_lines(data_dir)) == n + 1
    line = log_changes(data_dir)[-1]
    assert (line["id"], line["kind"], line["watched"]) == ("gsomia", "watch", True)
    assert items_by_id(ptrack, data_dir)["gsomia"]["watched"] is True
    assert ptrack.json("show", "gsomia", "--json", data=data_dir)["watched"] is True

    before = file_hashes(data_dir)
    code, out, err = ptrack("watch", "gsomia", data=data_dir)
    assert code == 0 and out == ""
    assert err == "ptrack: gsomia is already watched; nothing recorded\n"
    assert file_hashes(data_dir) == before

    out = ptrack.ok("unwatch", "gsomia", data=data_dir)
    assert re.fullmatch(r"gsomia: no longer watched \(change \S+\)\n", out)
    line = log_changes(data_dir)[-1]
    assert (line["kind"], line["watched"]) == ("watch", False)
    assert items_by_id(ptrack, data_dir)["gsomia"]["watched"] is False

    before = file_hashes(data_dir)
    code, out, err = ptrack("unwatch", "gsomia", data=data_dir)
    assert code == 0 and out == ""
    assert err == "ptrack: gsomia is not watched; nothing recorded\n"
    assert file_hashes(data_dir) == before
    assert len(log_lines(data_dir)) == n + 2


# ---------------------------------------------------------------- add / edit


def test_add_then_show(ptrack, data_dir):
    out = ptrack.ok(
        "add", "space-dialogue", "--title", "Open a trilateral space dialogue", "--summary", "Talk about space.",
        "--category", "global-and-regional", "--horizon", "long", "--actor", "US", "--actor", "korea",
        "--source", "https://example.org/space", "--quote", "space is next", "--catalog", "camp-david-2", "--note", "From the 2024 review",
        data=data_dir)
    assert re.fullmatch(r"space-dialogue: added \(change \S+\)\n", out)
    detail = ptrack.json("show", "space-dialogue", "--json", data=data_dir)
    assert {k: detail[k] for k in ("id", "catalog", "title", "summary", "category", "horizon", "actors", "status",
                                   "watched", "lastChange")} == {
        "id": "space-dialogue", "catalog": "camp-david-2023", "title": "Open a trilateral space dialogue",
        "summary": "Talk about space.", "category": "global-and-regional", "horizon": "long-term",
        "actors": ["US", "ROK"], "status": "not-started", "watched": False, "lastChange": None,
    }
    assert detail["source"]["id"] == "https://example.org/space"
    assert detail["source"]["quote"] == "space is next"
    assert [(h["kind"], h["note"]) for h in detail["history"]] == [("add", "From the 2024 review")]
    items = ptrack.json("list", "--json", data=data_dir)
    assert len(items) == BUNDLED_COUNT + 1
    assert "space-dialogue" in [i["id"] for i in items]
    line = log_changes(data_dir)[-1]
    assert line["kind"] == "add" and line["recommendation"]["id"] == "space-dialogue"


def test_add_defaults(ptrack, data_dir):
    # The catalog's first category, its medium-term horizon and all of its actors.
    ptrack.ok("add", "plain", "--title", "A plain item", data=data_dir)
    item = items_by_id(ptrack, data_dir)["plain"]
    assert (item["catalog"], item["category"], item["horizon"], item["actors"]) == (
        "ncafp-2021", "diplomacy", "medium-term", ["US", "Japan", "ROK"])


@pytest.mark.parametrize("args", [
    ["gsomia", "--title", "Again"],            # exists
    ["Bad Id", "--title", "x"],                # not a slug
    ["bad--id", "--title", "x"],
    ["ok-id"],                                  # no title
    ["ok-id", "--title", "   "],               # empty title
    ["ok-id", "--title", "x", "--horizon", "someday"],
    ["ok-id", "--title", "x", "--catalog", "nope"],
])
def test_add_refused(ptrack, data_dir, args):
    before = file_hashes(data_dir)
    code, out, err = ptrack("add", *args, data=data_dir)
    assert code == 64, err
    assert out == ""
    assert err
    assert file_hashes(data_dir) == before


def test_edit_recorded_in_history(ptrack, data_dir):
    before = ptrack.json("show", "gsomia", "--json", data=data_dir)
    old_title = "Build public support for sustained intelligence sharing via GSOMIA"
    assert (before["title"], before["horizon"]) == (old_title, "ongoing")
    out = ptrack.ok("edit", "gsomia", "--title", "Sustain GSOMIA", "--horizon", "short-term", "--note", "typo",
                    data=data_dir)
    assert re.fullmatch(r"gsomia: edited title, horizon \(change (\S+)\)\n", out), out
    change_id = re.search(r"\(change (\S+)\)", out).group(1)
    detail = ptrack.json("show", "gsomia", "--json", data=data_dir)
    assert detail["title"] == "Sustain GSOMIA" and detail["horizon"] == "short-term"
    assert (detail["status"], detail["lastChange"]) == (before["status"], before["lastChange"])
    edit = detail["history"][0]
    assert edit["changeId"] == change_id
    assert edit["kind"] == "edit"
    assert edit["fields"] == {"title": "Sustain GSOMIA", "horizon": "short-term"}
    assert edit["previous"] == {"title": old_title, "horizon": "ongoing"}
    assert edit["note"] == "typo"
    history = ptrack.json("history", "--json", data=data_dir)
    assert history[0]["changeId"] == change_id and history[0]["kind"] == "edit"
    assert ptrack.ok("show", "gsomia", data=data_dir).splitlines()[0] == "gsomia — Sustain GSOMIA"

    # Editing to the same values records nothing; editing nothing is a usage error.
    before = file_hashes(data_dir)
    code, out, err = ptrack("edit", "gsomia", "--title", "Sustain GSOMIA", data=data_dir)
    assert code == 0 and out == ""
    assert file_hashes(data_dir) == before
    code, out, err = ptrack("edit", "gsomia", data=data_dir)
    assert code == 64 and out == "" and err.startswith("ptrack: nothing to edit")
    assert file_hashes(data_dir) == before

    # Undo restores the old values.
    ptrack.ok("undo", data=data_dir)
    detail = ptrack.json("show", "gsomia", "--json", data=data_dir)
    assert detail["title"] == old_title and detail["horizon"] == "ongoing"


def test_edit_actors_and_category(ptrack, data_dir):
    deterrence = [r["id"] for r in bundled_catalog()["recommendations"] if r["category"] == "deterrence"]
    assert deterrence and "dtt" not in deterrence
    ptrack.ok("edit", "dtt", "--actor", "Japan", "--actor", "ROK", "--category", "deterrence", data=data_dir)
    assert [i["id"] for i in ptrack.json("list", "--json", "--category", "deterrence", data=data_dir)] == sorted(
        deterrence + ["dtt"])
    assert "dtt" not in [i["id"] for i in ptrack.json("list", "--json", "--actor", "US", data=data_dir)]
    assert items_by_id(ptrack, data_dir)["dtt"]["actors"] == ["Japan", "ROK"]


# ---------------------------------------------------------------- history


def test_history_newest_first(ptrack, data_dir):
    history = ptrack.json("history", "--json", data=data_dir)
    expected = sorted(bundled_changes(), key=precedence, reverse=True)
    assert len(history) == len(expected) == len(log_lines(data_dir))
    assert [h["changeId"] for h in history] == [c["changeId"] for c in expected]
    cancelled = cancelled_ids(bundled_changes())
    for item in history:
        assert {"id", "changeId", "kind", "happened", "recorded", "note", "source", "status", "reverted"} <= set(item)
        assert item["reverted"] is (item["changeId"] in cancelled), item["changeId"]
    text = ptrack.ok("history", data=data_dir)
    blocks = [line for line in text.splitlines() if line.startswith("  ") and not line.startswith("   ")]
    assert len(blocks) == len(expected)
    for block, change in zip(blocks, expected):
        words = heading(change)
        assert block.split()[:len(words)] == words, block
        assert block.endswith("(reverted)") is (change["changeId"] in cancelled), block


def test_history_after_marks(ptrack, data_dir):
    first = ptrack.ok("mark", "dtt", "stalled", "--date", "2024-03", data=data_dir)
    second = ptrack.ok("mark", "gsomia", "stalled", "--date", "2024-02", data=data_dir)
    ids = [re.search(r"\(change (\S+)\)", out).group(1) for out in (first, second)]
    history = ptrack.json("history", "--json", data=data_dir)
    # Ordered by when they happened, not when they were recorded: the later mark comes after.
    assert [h["changeId"] for h in history] == [c["changeId"] for c in sorted(log_changes(data_dir), key=precedence,
                                                                               reverse=True)]
    positions = {h["changeId"]: index for index, h in enumerate(history)}
    assert positions[ids[0]] < positions[ids[1]]
    assert [(history[positions[i]]["id"], history[positions[i]]["happened"]) for i in ids] == [
        ("dtt", "2024-03"), ("gsomia", "2024-02")]


@pytest.mark.parametrize("since", ["2024-01-05", "2024", "2024-01", "2023-08-18", "2021-02-04", "2024-01-06", "1998"])
def test_history_since(ptrack, data_dir, since):
    history = ptrack.json("history", "--since", since, "--json", data=data_dir)
    expected = sorted((c for c in bundled_changes() if c["happened"] >= since), key=precedence, reverse=True)
    assert [h["changeId"] for h in history] == [c["changeId"] for c in expected]


def test_history_since_exact_counts(ptrack, data_dir):
    """--since keeps the changes on and after its date, counted here from the log itself:
    the newest day's, none from the day after, every one from the oldest date."""
    happened = [c["happened"] for c in bundled_changes()]
    newest = max(happened)
    assert len(newest) == 10, newest
    after = (datetime.date.fromisoformat(newest) + datetime.timedelta(days=1)).isoformat()
    on_newest = happened.count(newest)
    assert 0 < on_newest < len(happened)
    assert len(ptrack.json("history", "--since", newest, "--json", data=data_dir)) == on_newest
    assert len(ptrack.json("history", "--since", after, "--json", data=data_dir)) == 0
    assert len(ptrack.json("history", "--since", min(happened), "--json", data=data_dir)) == len(happened)


def bundled_history(item_id, since=None):
    """The bundled changes of one item, newest first, those on or after `since` only."""
    return sorted((c for c in bundled_changes() if c["id"] == item_id and (since is None or c["happened"] >= since)),
                  key=precedence, reverse=True)


def test_history_for_one_item(ptrack, data_dir):
    gsomia = bundled_history("gsomia")
    assert [h["changeId"] for h in ptrack.json("history", "gsomia", "--json", data=data_dir)] == [
        c["changeId"] for c in gsomia]
    history = ptrack.json("history", "multilevel", "--json", data=data_dir)
    assert len(history) == len(bundled_history("multilevel-engagement")) > 1
    assert {h["id"] for h in history} == {"multilevel-engagement"}
    assert [h["happened"] for h in history] == sorted((h["happened"] for h in history), reverse=True)
    combined = ptrack.json("history", "multilevel", "--since", "2022", "--json", data=data_dir)
    since = bundled_history("multilevel-engagement", "2022")
    assert 0 < len(since) < len(history)
    assert [h["happened"] for h in combined] == [c["happened"] for c in since]
    assert [h["changeId"] for h in combined] == [c["changeId"] for c in since]
    # Text for one item leaves the id out of each line.
    first = ptrack.ok("history", "gsomia", data=data_dir).splitlines()[0]
    words = heading(gsomia[0], with_id=False)
    assert first.startswith(f"  {gsomia[0]['happened']:<10}  ") and first.split()[:len(words)] == words, first
    assert "gsomia" not in first.split()


@pytest.mark.parametrize("args", [["--since", "2024-13"], ["--since", "soon"], ["nope"]])
def test_history_usage_errors(ptrack, data_dir, args):
    code, out, err = ptrack("history", *args, data=data_dir)
    assert code == 64 and out == "" and err.startswith("ptrack: ")


# ---------------------------------------------------------------- undo


def change_id_of(out):
    return re.search(r"\(change (\S+)\)", out).group(1)


def test_undo_reverts_last_mark(ptrack, data_dir):
    before = items_by_id(ptrack, data_dir)["gsomia"]
    assert before["status"] != "stalled"
    mark_id = change_id_of(ptrack.ok("mark", "gsomia", "stalled", "--note", "paused", data=data_dir))
    assert items_by_id(ptrack, data_dir)["gsomia"]["status"] == "stalled"
    n = len(log_lines(data_dir))
    out = ptrack.ok("undo", data=data_dir)
    match = re.fullmatch(
        rf"gsomia: reverted status change {re.escape(mark_id)} \(now {before['status']}\); undo recorded as (\S+)\n", out)
    assert match, out
    revert_id = match.group(1)
    assert len(log_lines(data_dir)) == n + 1
    line = log_changes(data_dir)[-1]
    assert (line["changeId"], line["kind"], line["id"], line["reverts"]) == (revert_id, "revert", "gsomia", mark_id)
    item = items_by_id(ptrack, data_dir)["gsomia"]
    assert item["status"] == before["status"] and item["lastChange"] == before["lastChange"]
    history = {h["changeId"]: h for h in ptrack.json("history", "--json", data=data_dir)}
    assert history[mark_id]["reverted"] is True
    assert history[revert_id]["reverts"] == mark_id and history[revert_id]["reverted"] is False


def test_repeated_undo_walks_back(ptrack, data_dir):
    before = items_by_id(ptrack, data_dir)
    assert before["dtt"]["status"] != "implemented" and before["gsomia"]["status"] != "reversed"
    first = change_id_of(ptrack.ok("mark", "dtt", "implemented", data=data_dir))
    second = change_id_of(ptrack.ok("mark", "gsomia", "reversed", data=data_dir))
    third = change_id_of(ptrack.ok("watch", "cptpp-entry", data=data_dir))
    assert f"reverted watch change {third}" in ptrack.ok("undo", data=data_dir)
    assert f"reverted status change {second}" in ptrack.ok("undo", data=data_dir)
    items = items_by_id(ptrack, data_dir)
    assert (items["dtt"]["status"], items["gsomia"]["status"], items["cptpp-entry"]["watched"]) == (
        "implemented", before["gsomia"]["status"], False)
    assert f"reverted status change {first}" in ptrack.ok("undo", data=data_dir)
    assert items_by_id(ptrack, data_dir) == before
    kinds = [c["kind"] for c in log_changes(data_dir)[-6:]]
    assert kinds == ["status", "status", "watch", "revert", "revert", "revert"]


def test_undo_named_change(ptrack, data_dir):
    before = items_by_id(ptrack, data_dir)
    assert before["dtt"]["status"] != "implemented" and before["gsomia"]["status"] != "reversed"
    first = change_id_of(ptrack.ok("mark", "dtt", "implemented", data=data_dir))
    second = change_id_of(ptrack.ok("mark", "gsomia", "reversed", data=data_dir))
    out = ptrack.ok("undo", first, data=data_dir)
    revert = re.search(r"undo recorded as (\S+)\n", out).group(1)
    assert out.startswith(f"dtt: reverted status change {first} (now {before['dtt']['status']})")
    items = items_by_id(ptrack, data_dir)
    assert (items["dtt"]["status"], items["gsomia"]["status"]) == (before["dtt"]["status"], "reversed")

    before = file_hashes(data_dir)
    code, out, err = ptrack("undo", first, data=data_dir)
    assert code == 64 and out == "" and err == f"ptrack: change {first} is already reverted\n"
    code, out, err = ptrack("undo", "no-such-change", data=data_dir)
    assert code == 64 and out == "" and err.startswith('ptrack: no change "no-such-change"')
    assert file_hashes(data_dir) == before

    # Undoing the revert restores the change.
    ptrack.ok("undo", revert, data=data_dir)
    assert items_by_id(ptrack, data_dir)["dtt"]["status"] == "implemented"
    assert second in [h["changeId"] for h in ptrack.json("history", "gsomia", "--json", data=data_dir)]


def test_undo_an_addition(ptrack, data_dir):
    ptrack.ok("add", "extra", "--title", "Extra", data=data_dir)
    assert len(ptrack.json("list", "--json", data=data_dir)) == BUNDLED_COUNT + 1
    assert ptrack.ok("undo", data=data_dir).startswith("extra: reverted add change ")
    assert [i["id"] for i in ptrack.json("list", "--json", data=data_dir)] == ALL_IDS


# ---------------------------------------------------------------- report


def stalled_or_reversed(items):
    """(status, since, id) of the items stalled or reversed, oldest first, as reports list them."""
    return sorted(((v["key"][0], k, v["status"]) for k, v in items.items() if v["status"] in ("stalled", "reversed")))


def percent(count, total):
    return f"{count / total * 100:.0f}%"


def test_report_text(ptrack, data_dir):
    code, out, err = ptrack("report", data=data_dir)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == f"Status report as of {today()} — {BUNDLED_COUNT} recommendations"
    for title in ("Overall", "Recent changes", "Stalled or reversed"):
        assert title in lines
    # The tables by group head their count columns with the statuses' glyphs.
    for title in ("By category", "By actor"):
        assert any(line.startswith(title + " ") and line.rstrip().endswith("×") for line in lines), title
    overall = {}
    for line in lines[lines.index("Overall") + 1: lines.index("Overall") + 7]:
        words = line.split()
        overall[words[0]] = int(words[-2])
        assert words[-1] == percent(int(words[-2]), BUNDLED_COUNT), line
    items = replay(bundled_catalog(), bundled_changes())
    assert overall == tally(items)
    expected = [[status, "since", since, f"{item_id}:"] for since, item_id, status in stalled_or_reversed(items)]
    stalled = section(lines, "Stalled or reversed")
    assert [line.split()[:4] for line in stalled] == expected or (expected == [] and stalled == ["  none"])


def test_report_markdown(ptrack, data_dir):
    out = ptrack.ok("report", "--format", "markdown", data=data_dir)
    lines = out.splitlines()
    assert lines[0] == f"# Status report as of {today()}"
    overall, by_category, by_actor = expected_report(replay(bundled_catalog(), bundled_changes()))
    table = [line for line in lines if line.startswith("|")]
    assert len(table) >= 8 + 3 + 6
    assert all(line.endswith("|") for line in table)
    rows = [f"| {status} | {overall[status]} | {percent(overall[status], BUNDLED_COUNT)} |" for status in STATUSES]
    for group in (by_category, by_actor):
        rows += [" | ".join(["", name, str(sum(counts.values())), *(str(counts[s]) for s in STATUSES), ""]).strip()
                 for name, counts in group.items()]
    for row in rows:
        assert row in lines, row
    assert "## By category" in lines and "## By actor" in lines


def test_report_json(ptrack, data_dir):
    report = ptrack.json("report", "--format", "json", data=data_dir)
    assert report["asOf"] == today()
    assert report["total"] == BUNDLED_COUNT
    assert set(report["byStatus"]) == set(STATUSES)
    assert sum(report["byStatus"].values()) == report["total"]
    items = replay(bundled_catalog(), bundled_changes())
    overall, by_category, by_actor = expected_report(items)
    assert report["byStatus"] == overall
    assert {g["category"]: g["byStatus"] for g in report["byCategory"]} == by_category
    assert sum(g["total"] for g in report["byCategory"]) == BUNDLED_COUNT
    assert {g["actor"]: g["byStatus"] for g in report["byActor"]} == by_actor
    assert [g["actor"] for g in report["byActor"]] == ["US", "Japan", "ROK"]
    recommendations = bundled_catalog()["recommendations"]
    assert [g["total"] for g in report["byActor"]] == [
        sum(1 for r in recommendations if actor in r["actors"]) for actor in ("US", "Japan", "ROK")]
    assert report["shareByStatus"] == {s: round(n / BUNDLED_COUNT, 4) for s, n in overall.items()}
    assert [(i["id"], i["status"], i["lastChange"]) for i in report["stalledOrReversed"]] == [
        (item_id, status, since) for since, item_id, status in stalled_or_reversed(items)]
    assert len(report["recent"]) == 10
    listed = tally({i["id"]: i for i in ptrack.json("list", "--json", data=data_dir)})
    assert report["byStatus"] == listed


def test_report_csv(ptrack, data_dir):
    code, raw, err = ptrack("report", "--format", "csv", data=data_dir, raw=True)
    assert code == 0
    text = raw.decode("utf-8")
    assert text.startswith("dimension,group,status,count,share,asOf\r\n")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0]) == ["dimension", "group", "status", "count", "share", "asOf"]
    # The table, then one row per provenance field.
    assert [r["group"] for r in rows if r["dimension"] == "provenance"] == [
        "catalogs", "as-of", "generated", "filters", "data-sha256", "catalog-sha256", "log-bytes"]
    rows = [r for r in rows if r["dimension"] != "provenance"]
    overall = {r["status"]: int(r["count"]) for r in rows if r["dimension"] == "overall"}
    assert overall == tally(replay(bundled_catalog(), bundled_changes()))
    assert {r["group"] for r in rows if r["dimension"] == "overall"} == {"all"}
    assert {r["asOf"] for r in rows} == {today()}
    categories = {r["group"] for r in rows if r["dimension"] == "category"}
    assert categories == {r["category"] for r in bundled_catalog()["recommendations"]}
    assert [r["group"] for r in rows if r["dimension"] == "actor"][::6] == ["US", "Japan", "ROK"]
    assert len(rows) == 6 * (1 + len(categories) + 3)
    for row in rows:
        assert re.fullmatch(r"\d\.\d{4}", row["share"])
    for row in (r for r in rows if r["dimension"] == "overall"):
        assert row["share"] == f"{overall[row['status']] / BUNDLED_COUNT:.4f}", row


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "csv"])
def test_report_output_file(ptrack, data_dir, tmp_path, fmt):
    target = tmp_path / f"report.{fmt}"
    code, out, err = ptrack("report", "--format", fmt, "--output", target, data=data_dir)
    assert code == 0
    assert out == ""
    assert err == f"ptrack: wrote {target}\n"
    written = target.read_bytes().decode("utf-8")
    printed = ptrack.ok("report", "--format", fmt, data=data_dir)
    scrub = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")  # the generation time
    assert scrub.sub("T", written) == scrub.sub("T", printed)
    assert "\x1b" not in written
    # Replacing an existing file works too.
    target.write_text("old contents\n")
    code, out, err = ptrack("report", "--format", fmt, "--output", target, data=data_dir)
    assert code == 0 and out == ""
    assert scrub.sub("T", target.read_bytes().decode("utf-8")) == scrub.sub("T", printed)


def test_report_as_of_2020(ptrack, data_dir):
    """A report as of a past date counts the statuses then, lists what was stalled or
    reversed then, with the date it became so, and the changes up to then. No status of the
    bundled agenda predates its recommendations (the earliest of 2021), so the statuses of
    2020 are marked here, with made-up dates."""
    for item_id, status, date in [("gsomia", "in-progress", "2015"), ("gsomia", "reversed", "2018"),
                                  ("dtt", "stalled", "2019")]:
        ptrack.ok("mark", item_id, status, "--date", date, "--note", "A made-up test event", data=data_dir)
    now = ptrack.json("report", "--format", "json", data=data_dir)
    then = ptrack.json("report", "--as-of", "2020", "--format", "json", data=data_dir)
    assert then["asOf"] == "2020"
    assert then["total"] == BUNDLED_COUNT
    catalog = json.loads(pathlib.Path(data_dir, "catalog.json").read_text(encoding="utf-8"))
    assert then["byStatus"] == tally(replay(catalog, log_changes(data_dir), "2020")) == {
        "not-started": BUNDLED_COUNT - 2, "in-progress": 0, "partial": 0, "implemented": 0, "stalled": 1, "reversed": 1}
    assert then["byStatus"] != now["byStatus"]
    assert [(i["id"], i["status"], i["lastChange"]) for i in then["stalledOrReversed"]] == [
        ("gsomia", "reversed", "2018"), ("dtt", "stalled", "2019")]
    # Both have a later status change now: the report is of then.
    present = items_by_id(ptrack, data_dir)
    assert present["gsomia"]["lastChange"] > "2020" and present["dtt"]["lastChange"] > "2020"
    # The changes up to then, newest first; the bundled changes dated before 2020 were all reverted.
    assert [(r["id"], r["happened"]) for r in then["recent"]] == [("dtt", "2019"), ("gsomia", "2018"),
                                                                  ("gsomia", "2015")]
    # The report does not change the tracker's present.
    assert ptrack.json("report", "--format", "json", data=data_dir)["byStatus"] == now["byStatus"]


def test_report_as_of_partial_dates_count_from_first_day(ptrack, data_dir):
    """A change dated only "2021" counts on 2021-01-01 and not on 2020-12-31; one dated
    "2021-02-04" not yet on 2021-02-03. Marked here with made-up dates, so that the items
    become stalled and reversed, which the reports name."""
    ptrack.ok("mark", "dtt", "stalled", "--date", "2021", "--note", "A made-up test event", data=data_dir)
    ptrack.ok("mark", "gsomia", "reversed", "--date", "2021-02-04", "--note", "A made-up test event", data=data_dir)
    catalog = json.loads(pathlib.Path(data_dir, "catalog.json").read_text(encoding="utf-8"))
    changes = log_changes(data_dir)
    reports = {}
    for as_of in ["2020-12-31", "2021-01-01", "2021-02-03", "2021-02-04"]:
        reports[as_of] = ptrack.json("report", "--as-of", as_of, "--format", "json", data=data_dir)
        assert reports[as_of]["byStatus"] == tally(replay(catalog, changes, as_of)), as_of

    def named(as_of):
        return {i["id"]: (i["status"], i["lastChange"]) for i in reports[as_of]["stalledOrReversed"]}

    assert "dtt" not in named("2020-12-31") and named("2021-01-01")["dtt"] == ("stalled", "2021")
    assert reports["2021-01-01"]["byStatus"]["stalled"] == reports["2020-12-31"]["byStatus"]["stalled"] + 1
    assert "gsomia" not in named("2021-02-03") and named("2021-02-04")["gsomia"] == ("reversed", "2021-02-04")
    assert reports["2021-02-04"]["byStatus"]["reversed"] == reports["2021-02-03"]["byStatus"]["reversed"] + 1


AS_OF_DATES = ["1997", "1998", "2018", "2019", "2020-12-31", "2021", "2021-02-03", "2021-02-04", "2021-11",
               "2022-04", "2022-05", "2022-05-31", "2023-01", "2023-08-17", "2023-08-18", "2023-12",
               "2024-01", "2024-01-04", "2024-01-05", "2024", "2024-11-20", "2025-10-27", "2025-10-28", "2026-01",
               "2026"]


@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_report_as_of_matches_reference_replay(ptrack, data_dir, as_of):
    report = ptrack.json("report", "--as-of", as_of, "--format", "json", data=data_dir)
    items = replay(bundled_catalog(), bundled_changes(), as_of)
    overall, by_category, by_actor = expected_report(items)
    assert report["asOf"] == as_of
    assert report["byStatus"] == overall
    assert {g["category"]: g["byStatus"] for g in report["byCategory"]} == by_category
    assert {g["actor"]: g["byStatus"] for g in report["byActor"]} == by_actor
    # The longest-standing status first: by the date it began, then by id.
    attention = sorted(((v["since"], k) for k, v in items.items() if v["status"] in ("stalled", "reversed")))
    assert [i["id"] for i in report["stalledOrReversed"]] == [k for _, k in attention]
    assert [i["since"] for i in report["stalledOrReversed"]] == [since for since, _ in attention]


def status_line(change_id, item, status, happened, recorded):
    return json.dumps({"schemaVersion": 1, "changeId": change_id, "id": item, "kind": "status", "status": status,
                       "happened": happened, "recorded": recorded}, sort_keys=True, separators=(",", ":")) + "\n"


def test_status_ties_broken_by_recorded_then_change_id(ptrack, data_dir):
    """Hand-merged lines with the same date: the later recorded wins, whatever the log order;
    with the same recorded time too, the larger change id wins. On two items added here, in
    a category of their own, so that the reports count them alone."""
    ptrack.ok("vocabulary", "add", "categories", "made-up-ties", "--catalog", "ncafp-2021", data=data_dir)
    for item_id in ("made-up-one", "made-up-two"):
        ptrack.ok("add", item_id, "--title", "A made-up item", "--category", "made-up-ties", data=data_dir)
    with open(pathlib.Path(data_dir, CHANGES), "a", encoding="utf-8") as log:
        log.write(status_line("tie-b", "made-up-one", "partial", "2024-02", "2024-03-02T00:00:00Z"))
        log.write(status_line("tie-c", "made-up-one", "stalled", "2024-02", "2024-03-01T00:00:00Z"))
        log.write(status_line("same-z", "made-up-two", "reversed", "2024-01-20", "2024-02-01T00:00:00Z"))
        log.write(status_line("same-a", "made-up-two", "implemented", "2024-01-20", "2024-02-01T00:00:00Z"))
    items = items_by_id(ptrack, data_dir)
    assert (items["made-up-one"]["status"], items["made-up-one"]["lastChange"]) == ("partial", "2024-02")
    assert (items["made-up-two"]["status"], items["made-up-two"]["lastChange"]) == ("reversed", "2024-01-20")
    february = ptrack.json("report", "--as-of", "2024-02", "--format", "json", "--category", "made-up", data=data_dir)
    assert february["total"] == 2
    assert february["byStatus"] == {**{s: 0 for s in STATUSES}, "partial": 1, "reversed": 1}
    assert [(i["id"], i["lastChange"]) for i in february["stalledOrReversed"]] == [("made-up-two", "2024-01-20")]
    january = ptrack.json("report", "--as-of", "2024-01-19", "--format", "json", "--category", "made-up", data=data_dir)
    assert january["byStatus"] == {**{s: 0 for s in STATUSES}, "not-started": 2}
    history = ptrack.json("history", "made-up-one", "--json", data=data_dir)
    assert [h["kind"] for h in history] == ["add", "status", "status"]      # added today
    assert [h["changeId"] for h in history[1:]] == ["tie-b", "tie-c"]
    catalog = json.loads(pathlib.Path(data_dir, "catalog.json").read_text(encoding="utf-8"))
    changes = log_changes(data_dir)
    assert tally(replay(catalog, changes)) == ptrack.json("report", "--format", "json", data=data_dir)["byStatus"]
    assert tally(replay(catalog, changes, "2024-02")) == ptrack.json(
        "report", "--as-of", "2024-02", "--format", "json", data=data_dir)["byStatus"]


def test_report_as_of_after_marks_and_reverts(ptrack, data_dir):
    """Marks of all kinds of dates, one reverted: every as-of report agrees with the
    reference replay of the log on disk (a day inside a month counts as of that month)."""
    security = {as_of: ptrack.json("report", "--as-of", as_of, "--format", "json", "--category", "security",
                                   data=data_dir) for as_of in ("2022-05", "2022-05-19")}
    global_2022 = ptrack.json("report", "--as-of", "2022", "--format", "json", "--category", "global", data=data_dir)
    ptrack.ok("mark", "dtt", "stalled", "--date", "2022-05", data=data_dir)
    ptrack.ok("mark", "dtt", "partial", "--date", "2022-05", data=data_dir)
    ptrack.ok("mark", "gsomia", "reversed", "--date", "2022-05-20", data=data_dir)
    ptrack.ok("mark", "cptpp-entry", "implemented", "--date", "2022-05-10", data=data_dir)
    ptrack.ok("undo", data=data_dir)
    ptrack.ok("mark", "pandemic-cooperation", "implemented", "--date", "2021-02-04", data=data_dir)
    changes = log_changes(data_dir)
    catalog = json.loads(pathlib.Path(data_dir, "catalog.json").read_text(encoding="utf-8"))
    for as_of in ["2022-04", "2022-05", "2022-05-19", "2022-05-20", "2022", "2021-02-04", today()]:
        report = ptrack.json("report", "--as-of", as_of, "--format", "json", data=data_dir)
        overall, by_category, by_actor = expected_report(replay(catalog, changes, as_of))
        assert report["byStatus"] == overall, as_of
        assert {g["category"]: g["byStatus"] for g in report["byCategory"]} == by_category, as_of
        assert {g["actor"]: g["byStatus"] for g in report["byActor"]} == by_actor, as_of
    # gsomia is reversed as of May 2022 (its mark is of a day inside it) but not on the 19th;
    # dtt is partial, not stalled: the later of its two marks of the same month wins.
    for as_of, gsomia in (("2022-05", True), ("2022-05-19", False)):
        after = ptrack.json("report", "--as-of", as_of, "--format", "json", "--category", "security", data=data_dir)
        assert after["byStatus"]["reversed"] == security[as_of]["byStatus"]["reversed"] + gsomia, as_of
        assert after["byStatus"]["stalled"] == security[as_of]["byStatus"]["stalled"], as_of
        named = {i["id"] for i in after["stalledOrReversed"]}
        assert ("gsomia" in named) is gsomia and "dtt" not in named, as_of
    # One more implemented: pandemic-cooperation's; the cptpp-entry mark was reverted.
    after = ptrack.json("report", "--as-of", "2022", "--format", "json", "--category", "global", data=data_dir)
    assert after["total"] == global_2022["total"]
    assert after["byStatus"]["implemented"] == global_2022["byStatus"]["implemented"] + 1


def test_report_filters_and_recent(ptrack, data_dir):
    ptrack.ok("mark", "dtt", "stalled", "--note", "A made-up test event", data=data_dir)
    stalled = sum(1 for item in ptrack.json("list", "--json", data=data_dir) if item["status"] == "stalled")
    catalog = json.loads(pathlib.Path(data_dir, "catalog.json").read_text(encoding="utf-8"))
    assert stalled == tally(replay(catalog, log_changes(data_dir)))["stalled"] >= 1
    report = ptrack.json("report", "--format", "json", "--status", "stalled", data=data_dir)
    assert report["total"] == stalled and report["byStatus"] == {**{s: 0 for s in STATUSES}, "stalled": stalled}
    institutions = {r["id"] for r in bundled_catalog()["recommendations"] if r["category"] == "institutions"}
    report = ptrack.json("report", "--format", "json", "--category", "institutions", "--recent", "3", data=data_dir)
    assert report["total"] == len(institutions)
    assert len(report["recent"]) == 3
    assert {r["id"] for r in report["recent"]} <= institutions


@pytest.mark.parametrize("args", [["--format", "pdf"], ["--as-of", "2024-02-31"], ["--as-of", "last-year"]])
def test_report_usage_errors(ptrack, data_dir, args):
    code, out, err = ptrack("report", *args, data=data_dir)
    assert code == 64 and out == "" and err


# ---------------------------------------------------------------- help, version, completion, bare


def test_version(ptrack):
    code, out, err = ptrack("--version")
    assert code == 0
    assert re.fullmatch(r"\d+\.\d+\.\d+\n", out)
    assert out == "0.1.0\n"


def test_top_level_help(ptrack):
    code, out, err = ptrack("--help")
    assert code == 0
    assert "USAGE: ptrack" in out
    for sub in SUBCOMMANDS:
        assert re.search(rf"^  {sub}\s", out, re.M), sub


@pytest.mark.parametrize("sub", SUBCOMMANDS)
def test_subcommand_help(ptrack, tmp_path, sub):
    data = tmp_path / "untouched"
    for args in ([sub, "--help"], [sub, "-h"], ["help", sub]):
        code, out, err = ptrack(*args, env={"PTRACK_DATA": data})
        assert code == 0, (args, err)
        assert f"USAGE: ptrack {sub}" in out
        assert "--data <dir>" in out
    assert not data.exists()


def test_completion_script(ptrack):
    code, out, err = ptrack("--generate-completion-script", "bash")
    assert code == 0
    assert out.startswith("#!/bin/bash")
    assert "complete " in out
    for sub in SUBCOMMANDS:
        assert sub in out, sub
    for shell in ("zsh", "fish"):
        assert ptrack("--generate-completion-script", shell)[0] == 0


def test_unknown_subcommand(ptrack, data_dir):
    code, out, err = ptrack("frobnicate", data=data_dir)
    assert code == 64 and out == ""
    assert "frobnicate" in err


def test_ptrack_now_fixes_the_clock(ptrack, data_dir):
    """PTRACK_NOW is the time ptrack takes for now: a report made twice is the same byte for
    byte, and a change records that time."""
    fixed = {"PTRACK_NOW": "1706745600"}                   # 2024-02-01T00:00:00Z
    first = ptrack.ok("report", "--format", "json", data=data_dir, env=fixed)
    assert json.loads(first)["generated"] == "2024-02-01T00:00:00Z"
    assert json.loads(first)["asOf"] == "2024-02-01"
    assert ptrack.ok("report", "--format", "json", data=data_dir, env=fixed) == first
    ptrack.ok("mark", "gsomia", "stalled", data=data_dir, env=fixed)
    assert log_changes(data_dir)[-1]["recorded"] == "2024-02-01T00:00:00Z"


def test_source_date_epoch_fixes_only_what_documents_say_of_when_they_were_made(ptrack, data_dir):
    """In a shell that exports SOURCE_DATE_EPOCH, as Nix and devbox shells do (1980-01-01),
    a mark happens and is recorded today by the real clock, a date in 2024 is not "in the
    future", and reports and diffs are still of today; only their "generated" stamp (and
    their provenance's) is the variable's."""
    nix = {"SOURCE_DATE_EPOCH": "315532800"}               # 1980-01-01T00:00:00Z
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    out = ptrack.ok("mark", "dtt", "in-progress", data=data_dir, env=nix)
    assert "a later change keeps it" not in out, out
    line = log_changes(data_dir)[-1]
    assert line["happened"] == today and line["recorded"][:10] in {today, datetime.date.today().isoformat()}
    ptrack.ok("mark", "gsomia", "stalled", "--date", "2024-01", data=data_dir, env=nix)
    assert log_changes(data_dir)[-1]["happened"] == "2024-01"
    report = ptrack.json("report", "--format", "json", data=data_dir, env=nix)
    assert report["generated"] == "1980-01-01T00:00:00Z" and report["asOf"] == today
    assert report["provenance"]["generated"] == "1980-01-01T00:00:00Z"
    diff = ptrack.ok("diff", "2024", "--format", "markdown", data=data_dir, env=nix)
    assert diff.startswith(f"# Status changes from 2024-01-01 to {today}\n") and "generated 1980-01-01T00:00:00Z" in diff


def test_add_and_edit_set_links_that_show_both_ways(ptrack, data_dir):
    out = ptrack.ok("edit", "dtt", "--link", "adv:nsa", "--link", "sup:gsomia", "--note", "Talks feed the NSA meetings", data=data_dir)
    assert out.startswith("dtt: edited links")
    assert ptrack.json("show", "dtt", "--json", data=data_dir)["links"] == [
        {"kind": "advances", "id": "nsa-meetings"}, {"kind": "supersedes", "id": "gsomia"}]
    assert {"kind": "advances", "id": "dtt"} in ptrack.json("show", "nsa-meetings", "--json", data=data_dir)["linkedFrom"]
    ptrack.ok("add", "hotline", "--title", "Crisis hotline", "--catalog", "camp-david-2", "--link", "advances:222", data=data_dir)
    assert {"kind": "advances", "id": "hotline"} in ptrack.json("show", "222-dialogue", "--json", data=data_dir)["linkedFrom"]
    before = log_lines(data_dir)
    for bad, message in ((["--link", "advances:dtt"], "cannot link to itself"), (["--link", "advances:nothing"], "no recommendation matches"),
                         (["--link", "nsa-meetings"], "expected kind:id"), (["--link", "follows:nsa"], "link kind")):
        code, _, err = ptrack("edit", "dtt", *bad, data=data_dir)
        assert code == 64 and message in err, (bad, err)
    assert log_lines(data_dir) == before
    ptrack.ok("edit", "dtt", "--clear-links", data=data_dir)
    assert ptrack.json("show", "dtt", "--json", data=data_dir)["links"] == []
    ptrack.ok("undo", data=data_dir)
    assert len(ptrack.json("show", "dtt", "--json", data=data_dir)["links"]) == 2


# ---------------------------------------------------------------- --json of the commands that write


def schema_validator(name):
    from jsonschema import Draft202012Validator
    return Draft202012Validator(json.loads((REPO / "docs" / "schema" / name).read_text(encoding="utf-8")))


def test_every_command_that_writes_says_what_it_wrote_in_one_json_shape(ptrack, tmp_path):
    """--json on mark, review, watch, unwatch, add, edit, undo, import and init: the change
    ids written, each as the log now holds it, and each item before and after, as `list
    --json` shows it; all in the shape of docs/schema/write.schema.json."""
    validator = schema_validator("write.schema.json")
    data = tmp_path / "data"
    outputs = {}

    def run(*args):
        document = ptrack.json(*args, "--json", data=data)
        errors = sorted(validator.iter_errors(document), key=str)
        assert not errors, f"{args}: {errors[0]}"
        assert document["command"] == args[0]
        written = [change["changeId"] for change in document["changes"]]
        log = [json.loads(line) for line in (data / CHANGES).read_text().splitlines()]
        assert written and [line["changeId"] for line in log[len(log) - len(written):]] == written, args
        listed = {item["id"]: item for item in ptrack.json("list", "--json", data=data)}
        for item in document["items"]:
            assert item["after"] == listed.get(item["id"]), (args, item["id"])
        outputs[args[0]] = document
        return document

    init = run("init", str(data))
    assert init["created"] and init["directory"] == str(data) and init["git"] is None
    assert len(init["items"]) == BUNDLED_COUNT and all(item["before"] is None for item in init["items"])
    gsomia = next(item["after"] for item in init["items"] if item["id"] == "gsomia")
    assert gsomia["status"] != "stalled"
    mark = run("mark", "gsomia", "stalled", "--note", "paused")
    assert mark["items"][0]["before"] == gsomia and mark["items"][0]["after"]["status"] == "stalled"
    assert mark["changes"][0]["status"] == "stalled" and mark["changes"][0]["note"] == "paused"
    assert run("review", "dtt", "--note", "checked")["changes"][0]["kind"] == "review"
    assert run("watch", "dtt")["items"][0]["after"]["watched"] is True
    assert run("unwatch", "dtt")["items"][0]["after"]["watched"] is False
    quiet = ptrack.json("unwatch", "dtt", "--json", data=data)
    assert quiet["changes"] == [] and quiet["items"] == []
    added = run("add", "hotline", "--title", "Crisis hotline", "--catalog", "camp-david-2")
    assert added["items"][0]["before"] is None and added["items"][0]["after"]["title"] == "Crisis hotline"
    edited = run("edit", "hotline", "--title", "Crisis hotline, revived")
    assert edited["items"][0]["before"]["title"] == "Crisis hotline" and edited["changes"][0]["fields"]["title"] == "Crisis hotline, revived"
    undone = run("undo")
    assert undone["changes"][0]["reverts"] == edited["changes"][0]["changeId"]
    assert undone["items"][0]["after"]["title"] == "Crisis hotline"
    export = tmp_path / "other.json"
    other = tmp_path / "other"
    ptrack.ok("mark", "222", "partial", "--note", "elsewhere", data=other)
    export.write_text(ptrack.ok("export", "--format", "json", data=other))
    imported = run("import", str(export))
    assert imported["import"]["written"] is True and imported["import"]["changes"]["added"] == len(imported["changes"]) >= 1
    assert "222-dialogue" in {item["id"] for item in imported["items"]}


def test_verify_json_says_whether_the_report_matches(ptrack, data_dir, tmp_path):
    validator = schema_validator("verify.schema.json")
    report = tmp_path / "report.json"
    report.write_text(ptrack.ok("report", "--format", "json", data=data_dir))
    document = ptrack.json("verify", str(report), "--json", data=data_dir)
    assert not list(validator.iter_errors(document))
    assert document["matches"] is True and document["verdict"] == "matches"
    ptrack.ok("mark", "gsomia", "stalled", data=data_dir)
    code, out, _ = ptrack("verify", str(report), "--json", data=data_dir)
    document = json.loads(out)
    assert code == 1 and not list(validator.iter_errors(document))
    assert document["matches"] is False and document["verdict"] == "appended" and document["appendedChanges"] == 1
