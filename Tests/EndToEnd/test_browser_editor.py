"""Notes written in $VISUAL or $EDITOR from the browser: `e`, and Ctrl-G in the change form.
The browser runs in tmux; the editor is a script that records the template it was given
and writes a note. The terminal must be the editor's while it runs, and the browser's,
whole and at its new size, after."""

import pathlib
import shutil

import pytest

from conftest import CHANGES, STATUSES, editor
from terminal import assert_restored

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="never: make test installs tmux")

WRITES_A_NOTE = "printf 'Agreed at the summit\\n\\nwith a second line\\n' > \"$1\""


def history(ptrack, data_dir, item):
    return ptrack.json("history", item, "--json", data=data_dir)


def open_with_editor(browser, script, item="gsomia", where="list", term="xterm-256color"):
    """The browser with `script` as $EDITOR, `item` selected, in the list or its detail."""
    b = browser(extra_env={"EDITOR": script}, term=term)
    b.wait_for("222-dialogue")
    b.keys("/")
    b.type(item)
    b.keys("Enter")
    b.wait_for(f"search: /{item}")
    if where == "detail":
        b.keys("Enter")
        b.wait_for(f"{item} —")
    return b


def terminal_state(b):
    """(cursor visible, alternate screen on) as tmux sees the pane."""
    return b.tmux("display", "-p", "-t", b.session, "#{cursor_flag} #{alternate_on}").stdout.split()


@pytest.mark.parametrize("where", ["list", "detail"])
def test_e_picks_a_status_then_records_the_note_written_in_the_editor(browser, ptrack, data_dir, tmp_path, where):
    shown = ptrack.json("show", "gsomia", "--json", data=data_dir)
    assert shown["status"] != "implemented"
    b = open_with_editor(browser, editor(tmp_path, WRITES_A_NOTE), where=where)
    b.keys("e")
    b.wait_for("Mark gsomia, note in the editor")
    b.keys("4")                                          # implemented
    after = b.wait_for("Saved: gsomia → implemented").splitlines()
    change = history(ptrack, data_dir, "gsomia")[0]
    assert (change["status"], change["note"]) == ("implemented", "Agreed at the summit\n\nwith a second line")
    template = (tmp_path / "seen.txt").read_text()
    assert template.startswith(f"\n# Note for gsomia: {shown['status']} → implemented\n# {shown['title']}")
    b.keys("C-c")
    assert_restored(b.exit_report())
    # The screen after the editor is the browser's, whole: what a browser opened afresh on
    # the same data shows, but for the status line.
    fresh = open_with_editor(browser, "false", where=where).screen().splitlines()
    assert after[:-1] == fresh[:-1], "\n".join(after) + "\n---\n" + "\n".join(fresh)
    print(f"e from the {where}: note recorded; the {len(after) - 1} lines over the status line as drawn afresh")


@pytest.mark.parametrize("term", ["xterm-256color", "linux"])
def test_the_screen_is_whole_again_after_an_editor_that_drew_all_over_it(browser, data_dir, tmp_path, term):
    """An editor on the alternate screen, as vim is, and one drawing on the normal screen
    (the only one of a terminal with no alternate screen, as the linux console)."""
    scribble = "i=0; while [ $i -lt 40 ]; do echo SCRIBBLE $i; i=$((i+1)); done"
    body = f"printf '\\033[?1049h'; {scribble}; printf '\\033[?1049l'; {scribble}; {WRITES_A_NOTE}"
    b = open_with_editor(browser, editor(tmp_path, body), term=term)
    b.keys("e", "4")
    after = b.wait_for("Saved: gsomia → implemented").splitlines()
    b.keys("q")
    assert_restored(b.exit_report())
    fresh = open_with_editor(browser, "false", term=term).screen().splitlines()
    assert after[:-1] == fresh[:-1], "\n".join(after) + "\n---\n" + "\n".join(fresh)


def test_ctrl_g_moves_the_typed_note_into_the_editor(browser, ptrack, data_dir, tmp_path):
    current = ptrack.json("show", "dtt", "--json", data=data_dir)["status"]
    target = "partial" if current != "partial" else "in-progress"   # a status dtt does not have
    b = open_with_editor(browser, editor(tmp_path, "printf 'and what came of it\\n' >> \"$1\""), item="dtt")
    b.keys("m", str(STATUSES.index(target) + 1))         # the picker numbers the statuses from 1
    b.wait_for("Mark dtt")
    b.type("Made-up note from the editor")
    b.keys("C-g")
    b.wait_for(f"Saved: dtt → {target}")
    template = (tmp_path / "seen.txt").read_text()
    assert template.startswith(f"Made-up note from the editor\n# Note for dtt: {current} → {target}\n")
    change = history(ptrack, data_dir, "dtt")[0]
    assert (change["status"], change["note"]) == (target, "Made-up note from the editor\nand what came of it")
    b.keys("q")
    assert_restored(b.exit_report())


@pytest.mark.parametrize("body,status,shown", [
    ("", 0, "Cancelled: the note was empty, nothing recorded"),                 # the template untouched
    ("printf '# only comments\\n\\n' > \"$1\"", 0, "Cancelled: the note was empty, nothing recorded"),
    (WRITES_A_NOTE, 3, "failed (status 3)"),
    (WRITES_A_NOTE + "; kill -KILL $$", 0, "failed (signal 9)"),
])
def test_an_empty_note_or_a_failing_editor_records_nothing(browser, data_dir, tmp_path, body, status, shown):
    log = pathlib.Path(data_dir) / CHANGES
    before = log.read_bytes()
    b = open_with_editor(browser, editor(tmp_path, body, status=status))
    b.keys("e", "4")
    b.wait_for(shown)
    assert log.read_bytes() == before
    b.keys("j")                                          # the browser goes on
    b.wait_gone(shown)
    b.keys("q")
    assert_restored(b.exit_report())


def test_an_editor_that_cannot_run_records_nothing(browser, data_dir, tmp_path):
    log = pathlib.Path(data_dir) / CHANGES
    before = log.read_bytes()
    b = open_with_editor(browser, tmp_path / "no-such-editor")
    b.keys("x")
    b.type("kept out of the log")
    b.keys("C-g")
    b.wait_for("failed (status 127)")
    assert log.read_bytes() == before
    b.keys("q")
    assert_restored(b.exit_report())


def test_the_editor_gets_the_terminal(browser, ptrack, data_dir, tmp_path):
    """The editor reads a line typed at the terminal, in its normal mode and screen, with
    the cursor shown; Ctrl-C in it is the editor's, not the end of the browser."""
    facts = tmp_path / "facts.txt"
    body = (f"[ -t 0 ] && [ -t 1 ] && [ -t 2 ] && tty=yes || tty=no\n"
            f"echo tty=$tty > {facts}\n"
            f"stty -a >> {facts}\n"
            f"trap 'echo interrupted' INT\n"
            f"printf 'your note> '\n"
            f"while ! read line; do printf 'again> '; done\n"
            f"printf '%s\\n' \"$line\" > \"$1\"")
    b = open_with_editor(browser, editor(tmp_path, body))
    assert terminal_state(b) == ["0", "1"]
    b.keys("e", "3")                                     # partial
    b.wait_for("your note>")
    assert terminal_state(b) == ["1", "0"], "cursor shown, normal screen while the editor runs"
    b.keys("C-c")
    b.wait_for("again>")
    b.type("typed at the terminal")
    b.keys("Enter")
    b.wait_for("Saved: gsomia → partial")
    assert terminal_state(b) == ["0", "1"]
    assert history(ptrack, data_dir, "gsomia")[0]["note"] == "typed at the terminal"
    settings = facts.read_text()
    assert settings.startswith("tty=yes\n")
    for flag in (" icanon ", " echo ", " isig ", " icrnl "):
        assert flag in settings.replace("\n", " "), f"{flag.strip()} off while the editor ran:\n{settings}"
    b.keys("q")
    assert_restored(b.exit_report())


def test_a_resize_while_the_editor_runs_is_picked_up(browser, ptrack, data_dir, tmp_path):
    b = open_with_editor(browser, editor(tmp_path, "read line\n" + WRITES_A_NOTE))
    b.keys("e", "4")
    b.wait_gone("222-dialogue")
    b.resize(70, 18)
    b.keys("Enter")
    lines = b.wait_for("Saved: gsomia → implemented").splitlines()
    assert len(lines) == 18 and lines[17].startswith("Saved: gsomia"), "the status line on the new last row"
    assert lines[0].endswith("? help") and len(lines[0]) == 70, lines[0]
    b.keys("q")
    assert_restored(b.exit_report())
