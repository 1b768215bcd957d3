"""The browser's forms in a real terminal: the change form of `x` and `m` (Date, Source,
Quote, Note), a review with `v`, an addition with `A` and an edit with `E`. What they save
is read back with `ptrack show --json` and `ptrack history --json`, so the browser records
what the command line records."""

import shutil

import pytest

from terminal import assert_restored

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="never: make test installs tmux")

SIZES = [(80, 24), (140, 40)]


def select(b, item):
    b.wait_for("222-dialogue")
    b.select(item)


def cursor(b):
    """(shown, column, row) of the terminal's cursor as tmux sees it."""
    flag, x, y = b.tmux("display", "-p", "-t", b.session, "#{cursor_flag} #{cursor_x} #{cursor_y}").stdout.split()
    return flag == "1", int(x), int(y)


def line_with(screen, text):
    return next(index for index, line in enumerate(screen.splitlines()) if text in line)


def change_with_note(ptrack, data_dir, item, note):
    """The change of `item` with `note`, as `ptrack show --json` reports it."""
    return next(change for change in ptrack.json("show", item, "--json", data=data_dir)["history"] if change.get("note") == note)


@pytest.mark.parametrize("width,height", SIZES)
def test_the_change_form_saves_a_dated_sourced_quoted_change(browser, ptrack, data_dir, width, height):
    b = browser(width=width, height=height)
    select(b, "gsomia")
    b.keys("x")
    screen = b.wait_for("Mark gsomia")
    shown, _, row = cursor(b)
    assert shown and row == line_with(screen, "│ Note "), "the cursor stands in Note, where the form opens"
    b.type("A made-up test event")
    b.keys("BTab")
    b.type("A made-up quote")
    b.keys("BTab")
    b.type("https://example.org/made-up-report")
    b.keys("BTab")
    b.type("2023-03")
    screen = b.wait_for("│ Date      2023-03")
    assert cursor(b)[2] == line_with(screen, "│ Date "), "the cursor follows the field being edited"
    b.keys("Enter")
    b.wait_for("Saved: gsomia → implemented")
    change = change_with_note(ptrack, data_dir, "gsomia", "A made-up test event")
    assert (change["status"], change["happened"], change["source"], change["quote"]) == (
        "implemented", "2023-03", "https://example.org/made-up-report", "A made-up quote")
    b.keys("q")
    assert_restored(b.exit_report())


def test_tab_wraps_and_a_bad_date_is_refused_as_it_is_typed(browser, ptrack, data_dir):
    before = ptrack.json("history", "dtt", "--json", data=data_dir)
    b = browser()
    select(b, "dtt")
    b.keys("m", "5")                                     # stalled
    b.wait_for("Enter saves")
    b.keys("Tab")                                        # from Note round to Status
    b.keys("Tab")
    b.type("2023-13")
    b.wait_for('invalid date "2023-13" (expected YYYY, YYYY-MM or YYYY-MM-DD')
    b.keys("Enter")
    b.wait_for("invalid date")                           # still open: nothing saved
    assert ptrack.json("history", "dtt", "--json", data=data_dir) == before
    b.keys("C-u")
    b.type("2999")
    b.wait_for("the date 2999 is in the future")
    b.keys("C-u")
    b.type("2024-02")
    b.wait_gone("in the future")
    b.keys("Enter")
    b.wait_for("Saved: dtt")
    change = next(c for c in ptrack.json("history", "dtt", "--json", data=data_dir) if c.get("happened") == "2024-02")
    assert change["status"] == "stalled" and change["note"] is None
    b.keys("q")
    assert_restored(b.exit_report())


def test_a_source_is_completed_from_the_catalog(browser, ptrack, data_dir):
    b = browser(width=140, height=40)
    select(b, "dtt")
    b.keys("v")
    b.wait_for("Review dtt")
    b.keys("BTab", "BTab")                               # Note → Quote → Source
    b.type("kwon")
    b.wait_for("▸ kwon-2021")
    b.keys("Right", "Enter")
    b.wait_for("Saved: dtt reviewed")
    change = ptrack.json("history", "dtt", "--json", data=data_dir)[0]
    assert (change["kind"], change["source"]) == ("review", "kwon-2021")
    b.keys("q")
    assert_restored(b.exit_report())


@pytest.mark.parametrize("where", ["list", "detail"])
def test_v_records_a_review_its_note_optional(browser, ptrack, data_dir, where):
    b = browser()
    select(b, "gsomia")
    if where == "detail":
        b.keys("Enter")
        b.wait_for("gsomia —")
    status = ptrack.json("show", "gsomia", "--json", data=data_dir)["status"]
    b.keys("v")
    b.wait_for(f"Review gsomia, still {status}")
    b.keys("Enter")
    b.wait_for(f"Saved: gsomia reviewed, still {status}")
    reviews = [c for c in ptrack.json("history", "gsomia", "--json", data=data_dir) if c["kind"] == "review"]
    assert any(c["note"] is None and c["recorded"].startswith(c["happened"]) and not c["reverted"] for c in reviews)
    b.keys("C-c")
    assert_restored(b.exit_report())


@pytest.mark.parametrize("width,height", SIZES)
def test_A_adds_and_E_edits_a_recommendation(browser, ptrack, data_dir, width, height):
    b = browser(width=width, height=height)
    b.wait_for("222-dialogue")
    b.keys("A")
    b.wait_for("Add a recommendation")
    fields = [("made-up-item", "Id"), ("A made-up recommendation", "Title"), (None, "Catalog"),
              ("Made up for a test.", "Summary"), ("security", "Category"), (None, "Horizon"),
              (None, "Actors"), ("kwon-2021", "Source"), ("A made-up quote", "Quote"), ("advances:gsomia", "Links"),
              ("Added in a test", "Note")]
    for text, _ in fields:
        if text is not None:
            b.keys("C-u")
            b.type(text)
        b.keys("Tab")
    b.keys("BTab")                                       # back from the wrap, to Note
    b.keys("Enter")
    b.wait_for("Saved: made-up-item added")
    item = ptrack.json("show", "made-up-item", "--json", data=data_dir)
    assert (item["title"], item["summary"], item["category"]) == ("A made-up recommendation", "Made up for a test.", "security")
    assert item["links"] == [{"kind": "advances", "id": "gsomia"}]
    b.keys("E")
    b.wait_for("Edit made-up-item")
    b.keys("Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab")   # Title → … → Note, 8 fields on
    b.keys("BTab")                                       # Links
    b.keys("C-u")
    b.keys("BTab", "BTab", "BTab", "BTab", "BTab", "BTab", "BTab")   # back to Title
    b.keys("C-u")
    b.type("A made-up corrected title")
    b.keys("Enter")
    b.wait_for("Saved: made-up-item edited (title, links)")
    item = ptrack.json("show", "made-up-item", "--json", data=data_dir)
    assert item["title"] == "A made-up corrected title" and item["links"] == []
    kinds = [c["kind"] for c in ptrack.json("history", "made-up-item", "--json", data=data_dir)]
    assert sorted(kinds) == ["add", "edit"]
    b.keys("q")
    assert_restored(b.exit_report())


def test_an_addition_the_command_line_would_refuse_stays_open_with_its_words(browser, ptrack, data_dir):
    b = browser()
    b.wait_for("222-dialogue")
    b.keys("A")
    b.wait_for("Add a recommendation")
    b.type("Not A Slug")
    b.keys("Tab")
    b.type("A made-up recommendation")
    b.keys("Enter")
    b.wait_for('invalid id "Not A Slug"')
    code, _, err = ptrack("add", "Not A Slug", "--title", "A made-up recommendation", data=data_dir)
    assert code == 64 and 'invalid id "Not A Slug"' in err
    b.keys("Escape")
    b.wait_for("Cancelled: nothing recorded")
    b.keys("q")
    assert_restored(b.exit_report())


def test_the_dashboards_items_not_reviewed_scroll_and_v_reviews_one(browser, ptrack, data_dir):
    """Years after the bundled evidence every item is due: j walks the list (the dashboard
    scrolls along), v reviews the selected one, Enter goes to the next one due."""
    future = {"PTRACK_NOW": "1938000000"}                # 2031-05-31
    stale = sorted(ptrack.json("list", "--json", data=data_dir, env=future), key=lambda item: item["id"])
    b = browser(width=80, height=24, extra_env=future)
    b.wait_for("222-dialogue")
    b.keys("3")
    b.wait_for("Status as of 2031-05-31")
    for _ in range(9):
        b.keys("j")
    target = stale[9]["id"]
    screen = b.wait_for(target)                          # scrolled down to the tenth
    assert f"Not reviewed in 180 days ({len(stale)})" in screen or stale[0]["id"] not in screen
    b.keys("v")
    b.wait_for(f"Review {target}")
    b.keys("Enter")
    b.wait_for(f"Saved: {target} reviewed")
    review = ptrack.json("history", target, "--json", data=data_dir)[0]
    assert (review["kind"], review["happened"]) == ("review", "2031-05-31")
    # Reviewed, it leaves the list, and the selection is on the next item due: Enter opens it.
    b.keys("Enter")
    b.wait_for(f"{stale[10]['id']} —")
    b.keys("C-c")
    assert_restored(b.exit_report())
