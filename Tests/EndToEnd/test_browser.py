"""The interactive browser in a real terminal: tmux runs ptrack, send-keys types, and
capture-pane reads the screen. Results are checked with `ptrack show --json`."""

import calendar
import datetime
import os
import re
import shutil
import signal
import time

import pytest

from conftest import items_by_id
from terminal import Browser, assert_restored


def status_of(ptrack, data_dir, item):
    return ptrack.json("show", item, "--json", data=data_dir)


def clock(day):
    """PTRACK_NOW for midnight UTC of the datetime.date `day`."""
    return {"PTRACK_NOW": str(calendar.timegm(day.timetuple()))}


def day_of(text):
    return datetime.date.fromisoformat(text)


def wait_for_text(b, text, timeout=5.0):
    """Waits until `text` is on the screen with runs of spaces and line breaks counted as
    one space (a line the detail wraps reads as one); returns the screen."""
    wanted = " ".join(text.split())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        screen = b.screen()
        if wanted in " ".join(screen.split()):
            return screen
        time.sleep(0.05)
    raise AssertionError(f"{text!r} did not appear on the screen:\n{b.screen()}")


pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="never: make test installs tmux")


def test_start_shows_the_list_and_status_line(browser, ptrack, data_dir):
    count = len(items_by_id(ptrack, data_dir))
    b = browser()
    screen = b.wait_for("222-dialogue")
    assert "1 List" in screen and "4 Timeline" in screen
    assert "gsomia" in screen
    assert f"{count}/{count}" in screen
    b.keys("q")
    assert_restored(b.exit_report())
    print("terminal after q: exit 0, stty -a as before")


def test_find_gsomia_mark_it_implemented_see_it_undo_it_and_quit(browser, ptrack, data_dir):
    before = status_of(ptrack, data_dir, "gsomia")["status"]
    assert before != "implemented"
    # g takes the timeline to the oldest status change in effect.
    changes = ptrack.json("history", "--json", data=data_dir)
    oldest = min(c["happened"] for c in changes if c["kind"] == "status" and not c["reverted"])
    b = browser()
    b.wait_for("222-dialogue")
    b.keys("/")
    b.type("gsomia")
    b.wait_for("/gsomia")
    b.keys("Enter")
    b.keys("x")
    b.wait_for("Mark gsomia")
    b.type("Agreed at the summit")
    b.keys("Enter")
    b.wait_for("Saved: gsomia")
    shown = status_of(ptrack, data_dir, "gsomia")
    assert shown["status"] == "implemented"
    assert shown["history"][0]["note"] == "Agreed at the summit"

    b.keys("3")
    dashboard = b.wait_for("Dashboard")
    assert "implemented" in dashboard
    b.keys("4")
    b.wait_for("gsomia")  # the timeline opens at its newest change: the mark just made
    b.keys("g")
    timeline = b.wait_for(f" {oldest} ")
    assert timeline.splitlines()[2].startswith(f" {oldest} "), timeline

    b.keys("1", "u")
    b.wait_for("Undone: gsomia")
    assert status_of(ptrack, data_dir, "gsomia")["status"] == before
    b.keys("q")
    assert_restored(b.exit_report())


def test_navigation_and_detail(browser):
    b = browser(width=100)
    b.wait_for("222-dialogue")
    b.keys("g", "j", "Enter")
    b.wait_for("acceptable-functional-cooperation —")
    b.keys("Escape")
    b.wait_for("STATUS")
    b.keys("G", "Enter")
    b.wait_for("working-level-tracks —")
    b.escape()
    b.keys("q")
    assert_restored(b.exit_report())


def test_wide_terminal_shows_detail_beside_the_list(browser):
    b = browser(width=140, height=40)
    b.wait_for("222-dialogue")
    b.keys("/")
    b.type("dtt")
    b.keys("Enter")
    screen = b.wait_for("dtt —")
    assert "222-dialogue" in screen          # the list is still there
    b.keys("q")
    assert_restored(b.exit_report())


def test_status_picker_and_watch(browser, ptrack, data_dir):
    b = browser()
    b.wait_for("222-dialogue")
    b.keys("m")
    b.wait_for("Mark 222-dialogue")
    b.keys("5")                               # stalled
    b.wait_for("Enter saves")
    b.keys("Enter")
    b.wait_for("Saved: 222-dialogue")
    b.keys("*")
    b.wait_for("watched")
    shown = status_of(ptrack, data_dir, "222-dialogue")
    assert shown["status"] == "stalled" and shown["watched"] is True
    b.keys("x")
    b.wait_for("Enter saves")
    b.keys("Escape")
    b.wait_for("Cancelled")
    assert status_of(ptrack, data_dir, "222-dialogue")["status"] == "stalled"
    b.keys("q")
    assert_restored(b.exit_report())


def test_resize_and_too_small(browser):
    b = browser(width=100, height=30)
    b.wait_for("222-dialogue")
    b.resize(30, 8)
    b.wait_for("too small")
    b.resize(60, 20)
    screen = b.wait_for("222-dialogue")
    assert all(len(line) <= 60 for line in screen.splitlines())
    b.keys("q")
    assert_restored(b.exit_report())


def test_another_process_marking_while_the_browser_is_open(browser, ptrack, data_dir):
    b = browser()
    b.wait_for("222-dialogue")
    ptrack.ok("mark", "dtt", "stalled", "--note", "from another window", data=data_dir)
    b.wait_for("Changed by another process", timeout=3)
    b.keys("/")
    b.type("gsomia")
    b.keys("Enter", "x")
    b.wait_for("Mark gsomia")
    b.keys("Enter")
    b.wait_for("Saved: gsomia")
    assert status_of(ptrack, data_dir, "dtt")["status"] == "stalled"
    assert status_of(ptrack, data_dir, "gsomia")["status"] == "implemented"
    b.keys("q")
    assert_restored(b.exit_report())


@pytest.mark.parametrize("where", ["list", "detail", "search"])
def test_ctrl_c_quits_from_anywhere(browser, where):
    b = browser()
    b.wait_for("222-dialogue")
    if where == "detail":
        b.keys("Enter")
        b.wait_for("222-dialogue —")
    if where == "search":
        b.keys("/")
        b.type("abc")
        b.wait_for("/abc")
    b.keys("C-c")
    assert_restored(b.exit_report())
    print(f"terminal after Ctrl-C from the {where}: exit 0, stty -a as before")


@pytest.mark.parametrize("sent, status", [(signal.SIGTERM, 143), (signal.SIGHUP, 129), (signal.SIGINT, 130),
                                          (signal.SIGQUIT, 131), (signal.SIGSEGV, 139), (signal.SIGABRT, 134)],
                         ids=["TERM", "HUP", "INT", "QUIT", "SEGV", "ABRT"])
def test_signals_restore_the_terminal(browser, sent, status):
    """SIGTERM, SIGHUP and SIGINT end the loop; a crash signal or SIGQUIT restores the
    terminal and dies of it."""
    b = browser()
    b.wait_for("222-dialogue")
    pids = b.pid()
    assert pids, "ptrack is not running"
    for pid in pids:
        os.kill(pid, sent)
    assert_restored(b.exit_report(), status)
    print(f"terminal after {sent.name}: exit {status}, stty -a as before")


def test_a_crash_restores_the_terminal(browser):
    """PTRACK_TEST_CRASH=1 makes the browser trap after its first frame, as a bug would: it
    restores the terminal and dies of the trap's signal (SIGILL on x86-64, SIGTRAP on ARM)."""
    b = browser(extra_env={"PTRACK_TEST_CRASH": "1"})
    report = b.exit_report()
    status = int(report.split("\n", 1)[0].removeprefix("EXIT="))
    assert status in (128 + signal.SIGILL, 128 + signal.SIGTRAP), report
    assert_restored(report, status)
    print(f"terminal after a forced crash: exit {status} ({signal.Signals(status - 128).name}), stty -a as before")


def test_help_lists_every_key(browser):
    b = browser(height=40)
    b.wait_for("222-dialogue")
    b.keys("?")
    screen = b.wait_for("Mark implemented")
    assert "Move down" in screen
    b.keys("G")                                    # the help scrolls to its end
    screen = b.wait_for("Undo this session's last change")
    assert "Add a recommendation" in screen and "Move down" not in screen
    b.keys("?")
    b.wait_gone("Undo this session's last change")
    b.keys("q")
    assert_restored(b.exit_report())


@pytest.mark.parametrize("term", ["xterm-256color", "screen-256color", "tmux-256color", "xterm", "linux", "vt100"])
def test_terminal_types(browser, term):
    b = browser(term=term)
    b.wait_for("222-dialogue")
    b.keys("j", "q")
    assert_restored(b.exit_report())


def test_unknown_terminal_type_is_a_clear_error(browser):
    b = browser(term="no-such-terminal")
    screen = b.wait_for("unknown terminal type")
    assert "no-such-terminal" in screen
    report = b.exit_report()
    assert not report.startswith("EXIT=0")


def test_not_a_terminal(ptrack, data_dir):
    code, out, err = ptrack(data=data_dir)
    assert code != 0
    assert "needs a terminal" in err


def test_a_large_tracker_shows_its_list_first_and_its_history_when_read(browser, ptrack, tmp_path):
    """A log over 1 MB is read after the first frame: the list comes first, and the timeline
    and the detail fill in once the history is there; a mark made meanwhile is kept."""
    from test_generator import generate
    data = tmp_path / "large"
    generate(tmp_path, data, count=1000, changes=10)
    assert (data / "changes.jsonl").stat().st_size > 1 << 20
    b = Browser(ptrack, str(data), tmp_path)
    try:
        b.wait_for("1000/1000")
        b.keys("4")
        b.wait_for("DATE")
        screen = b.wait_gone("Reading the history", timeout=30)
        assert "No status changes recorded yet" not in screen
        b.keys("1", "g", "Enter")
        b.wait_for(" — ")
        # The item's check findings may push its history below the screen: scroll down to it.
        for _ in range(200):
            screen = b.screen()
            if "History" in screen and "change " in screen.split("History", 1)[1]:
                break
            b.keys("j")
            time.sleep(0.05)
        assert "History" in screen and "change " in screen.split("History", 1)[1], screen
        assert "reading the history" not in screen and "  none" not in screen
        b.escape()
        b.keys("m")
        b.wait_for("Mark ")
        b.keys("5")                           # stalled
        b.wait_for("Enter saves")
        b.keys("Enter")
        b.wait_for("Saved: ", timeout=20)
        b.keys("q")
        assert_restored(b.exit_report())
    finally:
        b.close()
    first = sorted(ptrack.json("list", "--json", data=str(data)), key=lambda item: item["id"])[0]
    assert first["status"] == "stalled"


def test_dashboard_lists_items_not_reviewed(ptrack, data_dir, browser):
    """With the clock 181 days after the bundled agenda's last review, every bundled item is
    due for a review but the one just reviewed; all are listed by id, G going to the last."""
    items = items_by_id(ptrack, data_dir)
    today = max(day_of(item["lastReviewed"]) for item in items.values()) + datetime.timedelta(days=181)
    later = clock(today)
    ptrack.ok("review", "gsomia", data=data_dir, env=ptrack.env(**later))
    items = items_by_id(ptrack, data_dir)
    due = sorted(item["id"] for item in items.values()
                 if item["lastReviewed"] is None or (today - day_of(item["lastReviewed"])).days >= 180)
    assert due == sorted(set(items) - {"gsomia"}) and len(due) > 10
    b = browser(width=150, height=50, extra_env=later)
    b.wait_for("222-dialogue")
    b.keys("3")
    b.wait_for(f"Not reviewed in 180 days ({len(due)})")
    b.keys("G")                                   # the last item due, the dashboard scrolled to it
    # The hint is drawn last: curses draws top down, so a screen with it has the whole list.
    screen = b.wait_for("↑ end ·")
    section = screen.split("Recent changes")[-1]
    rows = re.findall(r"(\d{4}-\d{2}-\d{2})  (\S+)  ", section)
    listed = [item for _, item in rows]
    assert listed and listed == due[-len(listed):], section
    assert all(date == items[item]["lastReviewed"] for date, item in rows), section
    assert "more (ptrack report" not in screen and "gsomia" not in section
    b.keys("1")
    b.wait_for("STATUS")
    b.keys("q")
    assert_restored(b.exit_report())


def test_dashboard_takes_stale_days_from_the_configuration(ptrack, home, data_dir, browser):
    """`staleDays` in config.json moves the dashboard's cut: 200 days after the bundled
    agenda's oldest review, some items are due at the default 180 days, none at 365."""
    reviewed = [day_of(item["lastReviewed"]) for item in items_by_id(ptrack, data_dir).values()]
    later = clock(min(reviewed) + datetime.timedelta(days=200))
    assert ptrack.json("report", "--format", "json", "--stale-days", "180", data=data_dir, env=later)["stale"]
    (home / ".config" / "ptrack").mkdir(parents=True)
    (home / ".config" / "ptrack" / "config.json").write_text('{"staleDays": 365}\n')
    b = browser(width=150, height=50, extra_env=later)
    b.wait_for("222-dialogue")
    b.keys("3")
    assert "none" in b.wait_for("Not reviewed in 365 days (0)").split("Not reviewed")[1]
    b.keys("1")
    b.wait_for("STATUS")
    b.keys("q")
    assert_restored(b.exit_report())


def test_catalog_filter_from_the_configuration_and_the_picker(ptrack, home, data_dir, browser):
    """The configuration's `catalog` (a unique prefix) is the browser's first filter; `C`
    picks another (the picker numbers the catalogs in order of id) or any."""
    items = items_by_id(ptrack, data_dir)
    total = len(items)
    catalogs = sorted({item["catalog"] for item in items.values()})
    assert len(catalogs) >= 2
    count = {catalog: sum(1 for item in items.values() if item["catalog"] == catalog) for catalog in catalogs}
    assert ptrack.json("list", "--json", "--catalog", "ncafp", data=data_dir) == \
        [item for item in ptrack.json("list", "--json", data=data_dir) if item["catalog"] == "ncafp-2021"]
    (home / ".config" / "ptrack").mkdir(parents=True)
    (home / ".config" / "ptrack" / "config.json").write_text('{"catalog": "ncafp"}\n')
    b = browser(width=120, height=30)
    assert f"{count['ncafp-2021']}/{total} shown" in b.wait_for("catalog: ncafp-2021")
    other = "camp-david-2023"
    b.keys("C")
    b.wait_for("Filter by catalog")
    b.keys(str(catalogs.index(other) + 1))
    assert f"{count[other]}/{total} shown" in b.wait_for(f"catalog: {other}")
    b.keys("C")
    b.wait_for("Filter by catalog")
    b.keys("0")
    b.wait_for(f"{total}/{total} shown")
    b.keys("q")
    assert_restored(b.exit_report())


def test_detail_shows_links_both_ways_and_l_goes_to_one(browser, ptrack, data_dir):
    """A Camp David item's detail lists the 2021 recommendation it advances; `l` goes to
    it, whose detail lists the later items that advance it. (Each line is waited for:
    the first frames may be drawn before the terminal's size is known.)"""
    items = items_by_id(ptrack, data_dir)
    assert {"id": "multilevel-engagement", "kind": "advances"} in status_of(ptrack, data_dir, "nsa-meetings")["links"]
    advanced_by = [link["id"] for link in status_of(ptrack, data_dir, "multilevel-engagement")["linkedFrom"]
                   if link["kind"] == "advances"]
    assert "nsa-meetings" in advanced_by and len(advanced_by) >= 3
    b = browser(width=100, height=40)
    b.wait_for("222-dialogue")
    b.keys("/")
    b.type("nsa-meetings")
    b.wait_for("/nsa-meetings")
    b.keys("Enter", "Enter")
    b.wait_for("Links (l goes to one)")
    target = items["multilevel-engagement"]
    b.wait_for(f"Advances       multilevel-engagement  {target['status']}")
    wait_for_text(b, f"{target['title']} ({target['catalog']})")
    b.keys("l")
    b.wait_for("Links of nsa-meetings")
    b.keys("1")
    b.wait_for("multilevel-engagement — Restore")
    for item in advanced_by:
        b.wait_for(f"Advanced by    {item}  {items[item]['status']}")
        wait_for_text(b, f"{items[item]['title']} ({items[item]['catalog']})")
    b.escape()
    b.keys("q")
    assert_restored(b.exit_report())


# Titles holding characters the C library (and so ncurses and tmux) draws two columns wide,
# which ptrack once measured as one, with ordinary wide, combining and narrow text around.
WIDE_TITLES = {
    "wide-angle": "angle \u2329x\u232a end",
    "wide-vertical": "vertical \ufe10\ufe11\ufe12\ufe19 end",
    "wide-small": "small \ufe50\ufe51\ufe52\ufe54\ufe6b end",
    "wide-squared": "squared \U0001f200\U0001f201 end",
    "wide-hexagram": "hexagram \u4dc0\u4dff \u3248 end",
    "wide-mixed": "mixed 日本語 e\u0301 \u263a\ufe0f end",
}


def display_columns(text):
    """Columns `text` takes by the C library's wcwidth in C.UTF-8, as tmux measures it."""
    import ctypes
    libc = ctypes.CDLL(None)
    libc.newlocale.restype = ctypes.c_void_p
    libc.newlocale.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p]
    libc.uselocale.restype = ctypes.c_void_p
    libc.uselocale.argtypes = [ctypes.c_void_p]
    libc.wcwidth.argtypes = [ctypes.c_uint32]
    utf8 = libc.newlocale(1 << 0, b"C.UTF-8", None)  # LC_CTYPE_MASK
    previous = libc.uselocale(utf8)
    try:
        return sum(max(0, libc.wcwidth(ord(character))) for character in text)
    finally:
        libc.uselocale(previous)


def test_rows_with_wide_characters_keep_their_columns(browser, ptrack, data_dir):
    """Each title is shown whole, and the frame between the list and the detail stays in
    one column on every row, whatever wide characters the row holds."""
    ptrack.ok("vocabulary", "add", "categories", "widths", "--catalog", "ncafp-2021", data=data_dir)
    for item, title in WIDE_TITLES.items():
        code, _, err = ptrack("add", item, "--title", title, "--category", "widths", data=data_dir, raw=True)
        assert code == 0, err
    count = len(items_by_id(ptrack, data_dir))
    b = browser(width=140, height=count + 10)    # every item of the list on the screen
    b.wait_for("222-dialogue")
    b.keys("/")
    b.type("wide-")
    b.wait_for(f"({len(WIDE_TITLES)} matches)")
    b.keys("Enter")
    try:
        for item, title in sorted(WIDE_TITLES.items()):     # n goes to the next match in the list
            shown_title = title.replace("\ufe0f", "")   # drawn in text presentation
            screen = b.wait_for(f"{item} — {shown_title}")
            frame = {display_columns(line.split("│")[0]) for line in screen.splitlines()[1:-1] if "│" in line}
            assert len(frame) == 1, screen
            rows = [line for line in screen.splitlines() if line.lstrip().startswith("wide-")]
            assert len(rows) == len(WIDE_TITLES) and all("│" in row for row in rows), screen
            b.keys("n")
    finally:
        b.keys("q")
    assert_restored(b.exit_report())
