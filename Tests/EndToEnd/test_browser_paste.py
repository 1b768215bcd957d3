"""Bracketed paste into the browser's prompts, and Alt keys, in a real terminal under tmux."""

import shutil

import pytest

from terminal import assert_restored

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="never: make test installs tmux")


PASTED = "https://example.org/made-up\nA made-up\x1b[31m test\tevent\n"
SAFE = "https://example.org/made-up A made-up[31m test event"


def test_a_paste_reaches_the_search_prompt_whole(browser):
    b = browser()
    b.wait_for("222-dialogue")
    b.keys("/")
    b.paste(PASTED)
    screen = b.wait_for("/https://example.org/made-up A made-up")
    assert "No match" not in screen, "nothing in the paste submitted the search"
    b.keys("Escape")
    b.wait_gone("/https://example.org")
    b.keys("q")
    assert_restored(b.exit_report())


def test_a_paste_into_the_note_is_recorded_whole_and_safe(browser, ptrack, data_dir):
    b = browser()
    b.wait_for("222-dialogue")
    b.select("gsomia")
    b.keys("x")
    b.wait_for("Note")
    b.paste(PASTED)
    b.wait_for("made-up[31m test event ")
    b.keys("Enter")
    b.wait_for("Saved: gsomia")
    latest = ptrack.json("show", "gsomia", "--json", data=data_dir)["history"][0]
    assert latest["status"] == "implemented"
    assert latest["note"] == SAFE
    b.keys("q")
    assert_restored(b.exit_report())


def test_alt_backspace_deletes_a_word_and_never_cancels_the_note(browser, ptrack, data_dir):
    b = browser()
    b.wait_for("222-dialogue")
    b.select("gsomia")
    b.keys("x")
    b.wait_for("Note")
    b.type("A made-up test event extra")
    b.keys("M-BSpace")
    b.keys("M-b")
    b.wait_gone("event extra")
    b.keys("Enter")
    b.wait_for("Saved: gsomia")
    assert ptrack.json("show", "gsomia", "--json", data=data_dir)["history"][0]["note"] == "A made-up test event"
    b.keys("q")
    assert_restored(b.exit_report())
