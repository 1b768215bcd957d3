"""Notes written in $VISUAL or $EDITOR (`mark --edit`, `review --edit`), with the editor
replaced by a script that records the file it was given and writes a note into it."""

import pathlib
import shutil

import pytest

from conftest import CHANGES, editor


def last_note(ptrack, data, item):
    return ptrack.json("show", item, "--json", data=data)["history"][0]["note"]


def test_mark_edit_opens_a_template_and_records_the_note(ptrack, data_dir, tmp_path):
    script = editor(tmp_path, "printf '  Agreed at the summit  \\n\\nwith a second line\\n# a comment\\n\\n' > \"$1\"")
    shown = ptrack.json("show", "gsomia", "--json", data=data_dir)
    assert shown["status"] != "implemented"
    out = ptrack.ok("mark", "gsomia", "impl", "--edit", data=data_dir, env={"EDITOR": script})
    assert out.startswith(f"gsomia: {shown['status']} → implemented")
    assert last_note(ptrack, data_dir, "gsomia") == "Agreed at the summit\n\nwith a second line"
    template = (tmp_path / "seen.txt").read_text()
    assert template.startswith(f"\n# Note for gsomia: {shown['status']} → implemented\n# {shown['title']}\n")
    assert "an empty note cancels" in template


def test_the_template_starts_from_note_and_visual_wins(ptrack, data_dir, tmp_path):
    visual = editor(tmp_path, "", name="visual.sh")                    # keeps the text as it is
    other = editor(tmp_path, "printf 'not this\\n' > \"$1\"", name="other.sh")
    status = ptrack.json("show", "dtt", "--json", data=data_dir)["status"]
    ptrack.ok("review", "dtt", "--edit", "--note", "Checked the 2024 statements", data=data_dir,
              env={"VISUAL": visual, "EDITOR": other})
    assert (tmp_path / "seen.txt").read_text().startswith(f"Checked the 2024 statements\n# Note for dtt: reviewed, still {status}\n")
    assert last_note(ptrack, data_dir, "dtt") == "Checked the 2024 statements"


def test_an_editor_with_arguments_runs_through_the_shell(ptrack, data_dir, tmp_path):
    script = tmp_path / "editor.sh"
    # EDITOR="script --flag" as in git: the file comes after the words of the variable.
    script.write_text(f'#!/bin/sh\n[ "$1" = --wait ] || exit 9\nprintf "with a flag\\n" > "$2"\n')
    script.chmod(0o755)
    ptrack.ok("mark", "dtt", "partial", "--edit", data=data_dir, env={"EDITOR": f"{script} --wait"})
    assert last_note(ptrack, data_dir, "dtt") == "with a flag"


@pytest.mark.parametrize("body,status,code,message", [
    ("", 0, 1, "empty note; nothing was recorded"),                              # the template untouched
    ("printf '# only comments\\n\\n' > \"$1\"", 0, 1, "empty note; nothing was recorded"),
    ("printf 'a note\\n' > \"$1\"", 3, 69, "failed (status 3); nothing was recorded"),
])
def test_an_empty_note_or_a_failing_editor_records_nothing(ptrack, data_dir, tmp_path, body, status, code, message):
    script = editor(tmp_path, body, status=status)
    log = pathlib.Path(data_dir) / CHANGES
    before = log.read_bytes()
    result, out, err = ptrack("mark", "dtt", "partial", "--edit", data=data_dir, env={"EDITOR": script})
    assert (result, out) == (code, "") and message in err, err
    assert log.read_bytes() == before


def test_a_bad_id_is_refused_before_the_editor_opens(ptrack, data_dir, tmp_path):
    script = editor(tmp_path, "printf 'a note\\n' > \"$1\"")
    code, _, err = ptrack("mark", "nonexistent", "partial", "--edit", data=data_dir, env={"EDITOR": script})
    assert code == 64 and "nonexistent" in err
    assert not (tmp_path / "seen.txt").exists()


@pytest.mark.skipif(shutil.which("tmux") is None, reason="never: make test installs tmux")
def test_the_editor_reads_the_terminal(browser, ptrack, data_dir, tmp_path):
    """In a terminal the editor is in the terminal's foreground, as vi must be to read keys."""
    script = editor(tmp_path, "printf 'your note> '; read line; printf '%s\\n' \"$line\" > \"$1\"")
    b = browser(extra_env={"EDITOR": script}, args=("mark", "dtt", "partial", "--edit"))
    b.wait_for("your note>")
    b.type("typed at the terminal")
    b.keys("Enter")
    assert b.exit_report().startswith("EXIT=0\n")
    assert last_note(ptrack, data_dir, "dtt") == "typed at the terminal"
