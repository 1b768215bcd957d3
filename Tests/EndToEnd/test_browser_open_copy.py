"""The browser's `O` (a source's web address opened by $BROWSER) and `y` (copied to the
terminal's clipboard with OSC 52, read back from tmux), in a real terminal under tmux."""

import shutil
import time

import pytest

from terminal import assert_restored

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="never: make test installs tmux")

GSOMIA_LATEST = "https://pubt.io/view/C593E4BA6E9BFF91BEF3B900FB3F32EB136987F3"
RSIS = "https://www.rsis.edu.sg/rsis-publication/rsis/us-japan-korea-can-they-reverse-the-backsliding/"


def stub_browser(tmp_path):
    """A $BROWSER that clears the terminal and draws on it, then writes each of its
    arguments on a line of a file; and that file."""
    opened = tmp_path / "opened.txt"
    script = tmp_path / "made-up-browser"
    script.write_text("#!/bin/sh\nprintf '\\033[2J\\033[HMADE-UP BROWSER OUTPUT\\n'\nsleep 0.3\n"
                      f"printf '%s\\n' \"$@\" > '{opened}'\n")
    script.chmod(0o755)
    return script, opened


def wait_for_file(path, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_text().endswith("\n"):
            return path.read_text()
        time.sleep(0.05)
    raise AssertionError(f"{path} was not written")


def test_O_hands_the_one_address_to_browser_as_an_argument_and_takes_the_terminal_back(browser, tmp_path):
    script, opened = stub_browser(tmp_path)
    b = browser(extra_env={"BROWSER": f"{script} --made-up-flag"})
    b.wait_for("222-dialogue")
    b.select("222-dialogue")
    b.keys("O")
    assert wait_for_file(opened).splitlines() == ["--made-up-flag", RSIS]
    screen = b.wait_for("Opening https://www.rsis.edu.sg")
    assert "1 List" in screen and "222-dialogue" in screen, "the browser drew its screen again"
    assert "MADE-UP BROWSER OUTPUT" not in screen, screen
    b.keys("q")
    assert_restored(b.exit_report())


def test_O_offers_a_chooser_the_latest_evidence_first(browser, tmp_path):
    script, opened = stub_browser(tmp_path)
    b = browser(extra_env={"BROWSER": str(script)})
    b.wait_for("222-dialogue")
    b.select("gsomia")
    b.keys("O")
    screen = b.wait_for("Open a source of gsomia")
    assert screen.index(GSOMIA_LATEST[:60]) < screen.index("koreaherald.com") < screen.index("rsis.edu.sg")
    b.keys("1")
    assert wait_for_file(opened).splitlines() == [GSOMIA_LATEST]
    b.wait_for("Opening " + GSOMIA_LATEST[:40])
    b.keys("q")
    assert_restored(b.exit_report())


def test_y_copies_through_osc_52_into_tmuxs_buffer(browser):
    b = browser()
    b.tmux("set", "-g", "set-clipboard", "on")
    b.wait_for("222-dialogue")
    b.select("gsomia")
    b.keys("y")
    b.wait_for("Copy from gsomia")
    b.keys("1")
    b.wait_for("Copied the id gsomia")
    b.clipboard("gsomia")
    b.keys("y", "3")
    b.wait_for("Copied the address")
    b.clipboard(GSOMIA_LATEST)
    b.keys("q")
    assert_restored(b.exit_report())
