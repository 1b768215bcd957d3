"""Screens that scroll or open where they should, in a real terminal under tmux: the help
and the dashboard scroll at 80×24, the timeline opens at its newest change, and the detail
beside the list starts at a newly selected item's header."""

import shutil
import time

import pytest

from terminal import assert_restored

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="never: make test installs tmux")


def test_help_and_dashboard_scroll_at_80_by_24(browser):
    b = browser(width=80, height=24)
    b.wait_for("222-dialogue")
    b.keys("?")
    b.wait_for("more below")
    b.keys("G")
    screen = b.wait_for("↑ end")
    assert "Delete the last character" in screen
    b.keys("g")
    b.wait_for("more below")
    b.keys("Escape")
    b.wait_gone("Keys  (? or Esc")
    b.keys("3")
    b.wait_for("more below")
    b.keys("G")
    screen = b.wait_for("↑ end")
    assert "Not reviewed in" in screen
    b.keys("C-c")
    assert_restored(b.exit_report())


def test_the_timeline_opens_at_its_newest_change(browser, ptrack, data_dir):
    b = browser(width=80, height=24)
    b.wait_for("222-dialogue")
    b.keys("4")
    b.wait_for("DATE")
    # The header can be on screen before the rows under it are all drawn: read until they are.
    deadline = time.monotonic() + 5
    while True:
        screen = b.screen()
        dates = [line.split()[0] for line in screen.splitlines()[2:-1] if line.strip()]
        if (dates == sorted(dates) and dates[-1].startswith("2026")) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert dates == sorted(dates) and dates[-1].startswith("2026"), screen


def test_the_detail_beside_the_list_starts_at_the_new_items_header(browser):
    b = browser(width=80, height=24)
    b.wait_for("222-dialogue")
    b.select("multilevel-engagement")
    b.keys("Enter")
    b.wait_for("multilevel-engagement —")
    b.keys("G")
    b.wait_gone("multilevel-engagement —")
    b.resize(140, 40)
    b.wait_for("│")
    b.keys("f")
    b.wait_for("Filter by status")
    b.keys("4")
    screen = b.wait_for("status: implemented")
    detail_top = screen.splitlines()[1].split("│", 1)[1].strip()
    assert " — " in detail_top, screen
