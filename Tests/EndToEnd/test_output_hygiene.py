"""What ptrack prints is safe to pipe and to show: no color codes unless on a terminal, no
control or reordering characters from untrusted text, and notices on standard error only."""

import json
import os
import subprocess
import tty

import pytest

from conftest import BUNDLED_COUNT, bundled_catalog, log_changes, raw_escapes
from terminal import drain_pty

ESC = b"\x1b"
CR = b"\r"
RLO = "\u202e".encode()

HOSTILE_TITLE = "Evil \x1b[31mred\x1b[0m title\rOVERWRITTEN \u202egnp.exe"
HOSTILE_NOTE = "note \x1b]0;pwned\x07 with\rcarriage \u202ereturn\x1b[2J"
HOSTILE_SOURCE = "https://example.org/\x1b[5m\u202eblink\r"
HOSTILE_CATEGORY = "cat\x1b[2Jegory"

READ_COMMANDS = [
    ["list"],
    ["list", "--json"],
    ["show", "gsomia"],
    ["show", "gsomia", "--json"],
    ["history"],
    ["history", "--json"],
    ["report"],
    ["report", "--format", "markdown"],
    ["report", "--format", "json"],
    ["report", "--format", "csv"],
]


def run_on_tty(ptrack, args, data, **env):
    """Runs ptrack with standard output on a pseudo-terminal (raw mode, so bytes arrive as
    written); returns (code, stdout bytes, stderr bytes)."""
    master, slave = os.openpty()
    tty.setraw(slave)
    try:
        proc = subprocess.Popen(
            ptrack.argv(*args, data=data), env=ptrack.env(**env), stdin=subprocess.DEVNULL,
            stdout=slave, stderr=subprocess.PIPE)
    finally:
        os.close(slave)
    out, _ = drain_pty(master)
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=30) is not None
    return proc.returncode, out, err


@pytest.mark.parametrize("args", READ_COMMANDS, ids=[" ".join(a) for a in READ_COMMANDS])
def test_piped_output_has_no_escapes_without_no_color(ptrack, data_dir, args):
    ptrack.ok("mark", "gsomia", "stalled", "--note", "paused", data=data_dir)
    ptrack.ok("watch", "gsomia", data=data_dir)
    code, out, err = ptrack(*args, data=data_dir, raw=True)
    assert code == 0
    assert out
    assert ESC not in out
    assert ESC not in err


@pytest.mark.parametrize("args", READ_COMMANDS, ids=[" ".join(a) for a in READ_COMMANDS])
def test_no_color_piped(ptrack, data_dir, args):
    code, out, err = ptrack(*args, data=data_dir, raw=True, env={"NO_COLOR": "1"})
    assert code == 0
    assert ESC not in out and ESC not in err


def test_color_on_a_terminal_unless_no_color(ptrack, data_dir):
    # The positive control: on a terminal ptrack does color, so the checks above mean something.
    code, out, err = run_on_tty(ptrack, ["list"], data_dir)
    assert code == 0
    assert b"\x1b[1m" in out and b"\x1b[0m" in out
    code, out, _ = run_on_tty(ptrack, ["report"], data_dir)
    assert code == 0 and ESC in out
    # An empty NO_COLOR does not count as set (no-color.org).
    code, out, _ = run_on_tty(ptrack, ["list"], data_dir, NO_COLOR="")
    assert code == 0 and ESC in out
    for env in ({"NO_COLOR": "1"}, {"NO_COLOR": "yes"}, {"TERM": "dumb"}):
        for args in (["list"], ["show", "gsomia"], ["history"], ["report"]):
            code, out, err = run_on_tty(ptrack, args, data_dir, **env)
            assert code == 0, (env, args)
            assert out and ESC not in out, (env, args)
            assert ESC not in err


@pytest.fixture
def hostile(ptrack, data_dir):
    """A tracker with an item whose title, category, note and source hold terminal escapes,
    a carriage return and a right-to-left override."""
    ptrack.ok("vocabulary", "add", "--data", data_dir, "--catalog", "ncafp-2021", "categories", "--", HOSTILE_CATEGORY)
    ptrack.ok("add", "hostile", "--title", HOSTILE_TITLE, "--category", HOSTILE_CATEGORY, "--summary", HOSTILE_NOTE,
              "--quote", HOSTILE_NOTE, "--note", HOSTILE_NOTE, data=data_dir)
    ptrack.ok("mark", "hostile", "stalled", "--note", HOSTILE_NOTE, "--source", HOSTILE_SOURCE, data=data_dir)
    return data_dir


def assert_clean(out):
    assert raw_escapes(out) == [], out


@pytest.mark.parametrize("args", [["list"], ["show", "hostile"], ["history"], ["history", "hostile"], ["report"],
                                  ["report", "--format", "markdown"], ["list", "--search", "evil"]])
def test_hostile_text_is_neutralised(ptrack, hostile, args):
    code, out, err = ptrack(*args, data=hostile, raw=True)
    assert code == 0
    assert_clean(out)
    assert_clean(err)
    # The text is still there, visibly escaped.
    if args[0] in ("list", "show") or args == ["report"]:
        assert b"Evil ^[[31mred^[[0m title^MOVERWRITTEN <U+202E>gnp.exe" in out


def test_hostile_text_shown_escaped_in_show(ptrack, hostile):
    out = ptrack.ok("show", "hostile", data=hostile)
    lines = out.splitlines()
    assert lines[0] == "hostile — Evil ^[[31mred^[[0m title^MOVERWRITTEN <U+202E>gnp.exe"
    assert "  Category  cat^[[2Jegory   Horizon  medium-term   Actors  US, Japan, ROK" in lines
    assert "              note ^[]0;pwned^G with^Mcarriage <U+202E>return^[[2J" in lines


def test_hostile_text_on_a_terminal(ptrack, hostile):
    """On a terminal ptrack adds its own color codes, but none of the stored ones."""
    for args in (["list"], ["show", "hostile"], ["history", "hostile"], ["report"]):
        code, out, err = run_on_tty(ptrack, args, hostile)
        assert code == 0
        assert b"\x1b[31mred" not in out
        assert b"\x1b[2J" not in out and b"\x1b]0;" not in out and b"\x1b[5m" not in out
        assert RLO not in out and CR not in out and b"\x07" not in out


def test_json_keeps_hostile_text_exact(ptrack, hostile):
    items = {i["id"]: i for i in ptrack.json("list", "--json", data=hostile)}
    assert items["hostile"]["title"] == HOSTILE_TITLE
    assert items["hostile"]["category"] == HOSTILE_CATEGORY
    detail = ptrack.json("show", "hostile", "--json", data=hostile)
    assert detail["title"] == HOSTILE_TITLE
    assert detail["summary"] == HOSTILE_NOTE
    assert detail["source"]["quote"] == HOSTILE_NOTE
    # (Both recorded today, maybe in the same second: their order is not fixed.)
    assert sorted((h["kind"], h["note"], h["source"] or "") for h in detail["history"]) == [
        ("add", HOSTILE_NOTE.strip(), ""), ("status", HOSTILE_NOTE.strip(), HOSTILE_SOURCE.strip())]
    history = ptrack.json("history", "hostile", "--json", data=hostile)
    assert [h["note"] for h in history] == [HOSTILE_NOTE.strip()] * 2
    report = ptrack.json("report", "--format", "json", data=hostile)
    assert [(i["id"], i["title"]) for i in report["stalledOrReversed"] if i["id"] == "hostile"] == [
        ("hostile", HOSTILE_TITLE)]
    # The JSON is plain, valid JSON: the control characters are escaped, not raw.
    code, raw, _ = ptrack("list", "--json", data=hostile, raw=True)
    assert ESC not in raw and CR not in raw
    assert json.loads(raw)[[i["id"] for i in json.loads(raw)].index("hostile")]["title"] == HOSTILE_TITLE
    # And the log keeps the exact text.
    add = next(c for c in log_changes(hostile) if c["kind"] == "add")
    assert add["recommendation"]["title"] == HOSTILE_TITLE


def test_hostile_arguments_in_error_messages(ptrack, data_dir):
    for args in (["show", "\x1b[2Jgso\u202e"], ["mark", "gsomia", "\x1b[31mdone\r"], ["history", "--since", "\x1b[1m"],
                 ["undo", "\x1b[2Jnope"], ["add", "Bad\x1bId", "--title", "x"]):
        code, out, err = ptrack(*args, data=data_dir, raw=True)
        assert code == 64, args
        assert out == b""
        assert err.startswith(b"ptrack: ")
        assert_clean(err)
        assert b"^[" in err, err


def test_init_notice_on_stderr_only(ptrack, tmp_path):
    count = len(bundled_catalog()["recommendations"])
    data = tmp_path / "new"
    code, out, err = ptrack("list", "--json", data=data)
    assert code == 0
    assert len(json.loads(out)) == BUNDLED_COUNT == count
    assert err == f"ptrack: created a new tracker in {data} with the bundled trilateral agenda ({count} recommendations)\n"
    # Only once.
    code, out2, err2 = ptrack("list", "--json", data=data)
    assert (code, out2, err2) == (0, out, "")

    other = tmp_path / "other"
    code, out, err = ptrack("report", "--format", "csv", data=other)
    assert code == 0
    assert out.startswith("dimension,group,status,count,share,asOf\r\n")
    assert "created a new tracker" not in out
    assert err.startswith(f"ptrack: created a new tracker in {other} ")

    third = tmp_path / "third"
    third.mkdir()  # an empty directory is initialised too
    code, out, err = ptrack("mark", "gsomia", "stalled", data=third)
    assert code == 0
    status = ptrack.json("show", "gsomia", "--json", data=data)["status"]      # as a new tracker has it
    assert status != "stalled" and out.startswith(f"gsomia: {status} → stalled (change ")
    assert out.count("\n") == 1
    assert err == f"ptrack: created a new tracker in {third} with the bundled trilateral agenda ({count} recommendations)\n"


@pytest.mark.parametrize("columns", [80, 100, 132])
def test_list_fits_columns(ptrack, data_dir, columns):
    code, out, err = ptrack("list", data=data_dir, env={"COLUMNS": columns})
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == BUNDLED_COUNT + 1
    assert max(len(line) for line in lines) == columns
    titles = {i["id"]: i["title"] for i in ptrack.json("list", "--json", data=data_dir)}
    for line in lines[1:]:
        shown = line[2:].split()[0]
        item = next(i for i in titles if i == shown or (shown.endswith("…") and i.startswith(shown[:-1])))
        title = titles[item]
        # The title is whole, or cut with an ellipsis.
        assert line.endswith(title) or (line.endswith("…") and title.startswith(line.rsplit("  ", 1)[-1][:-1]))


def test_piped_list_is_not_cut(ptrack, data_dir):
    out = ptrack.ok("list", data=data_dir)
    titles = [i["title"] for i in ptrack.json("list", "--json", data=data_dir)]
    assert [line for line in out.splitlines()[1:]] and all(
        line.endswith(title) for line, title in zip(out.splitlines()[1:], titles))
