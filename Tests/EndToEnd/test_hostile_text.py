"""Hostile text end to end: titles, notes, sources and categories holding terminal escapes,
C1 controls, carriage returns, backspaces, bidirectional and zero-width characters reach
the browser's screen and every output format visibly escaped, never raw, and the files
exactly as given."""

import csv
import fcntl
import html
import io
import json
import os
import re
import select
import shutil
import struct
import subprocess
import termios
import time

import pytest

from conftest import HOSTILE, INVISIBLE, Ptrack, initialise, log_changes, raw_escapes, shown
from terminal import Browser, assert_restored

ITEMS = {f"hostile-{name}": HOSTILE[name] for name in sorted(HOSTILE)}


def texts(item):
    """The untrusted fields of `item` (an id of ITEMS), each holding its payload inside
    ordinary text (notes and sources are stored trimmed, so the payload is not at an end)."""
    name, payload = item.removeprefix("hostile-"), ITEMS[item]
    return {
        "title": f"title {name}:{payload}:end",
        "summary": f"summary {name}:{payload}:end",
        "quote": f"quote {name}:{payload}:end",
        "category": f"cat-{name}:{payload}:end",
        "added": f"added {name}:{payload}:end",
        "note": f"note {name}:{payload}:end",
        "source": f"https://example.org/{name}?{payload}#end",
    }


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A tracker with one item per hostile string: it is in every field of the item, of its
    addition and of a status change to stalled (so it is in the report's lists too). Each
    item advances the next (an edit appended to the log), so its links show the titles of
    two others."""
    root = tmp_path_factory.mktemp("hostile")
    (root / "home").mkdir()
    ptrack = Ptrack(root / "home")
    data = initialise(ptrack, root / "data")
    ptrack.ok("news", "--mark-seen", data=data)               # so every hostile change is news
    for item in ITEMS:
        text = texts(item)
        # By someone else, so every hostile change is news to this user. The category is
        # given after `--`, as it may begin with a hyphen, so `--data` comes before it.
        by = ["--author", "Another Analyst", "--data", data]
        for args in (["vocabulary", "add", *by, "--catalog", "ncafp-2021", "categories", "--", text["category"]],
                     ["add", item, *by, "--title", text["title"], "--summary", text["summary"], "--quote", text["quote"],
                      "--category", text["category"], "--note", text["added"]],
                     ["mark", item, "stalled", *by, "--note", text["note"], "--source", text["source"]]):
            code, out, err = ptrack(*args, raw=True)
            assert code == 0, err
            assert raw_escapes(out) == [] and raw_escapes(err) == []
    items = list(ITEMS)
    with open(os.path.join(data, "changes.jsonl"), "a", encoding="utf-8") as log:
        for number, (item, target) in enumerate(zip(items, items[1:] + items[:1]), start=1):
            edit = {"changeId": f"hostile-link-{number}", "fields": {"links": [{"id": target, "kind": "advances"}]},
                    "happened": "2024-03-01", "id": item, "kind": "edit", "previous": {"links": []},
                    "recorded": "2024-03-01T00:00:00Z", "schemaVersion": 1}
            log.write(json.dumps(edit, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n")
    return ptrack, data


# ---------------------------------------------------------------- every output format


def help_text(ptrack, *command):
    return ptrack.ok(*command, "--help")


def report_formats(ptrack, command="report"):
    """The formats `report --help` (or `diff --help`) offers: a new one is checked without being listed here."""
    values = re.search(r"--format <format>.*?\(values: ([^;)]*)", help_text(ptrack, command), re.S)
    assert values, f"{command} --help names no formats"
    return [value.strip() for value in values.group(1).split(",")]


def subcommands(ptrack):
    section = help_text(ptrack).split("SUBCOMMANDS:", 1)[1].split("\n\n", 1)[0]
    return set(re.findall(r"^  ([a-z][a-z-]*) ", section, re.M))


# Commands that print recorded text, and those that print none (write commands print ids;
# verify prints the report's path, sanitised, and digests; init the directory and git's
# reason, sanitised). `check` quotes the sources its findings are about; `agenda` prints
# the catalogs' ids and editions; `news` prints changes as `history` does.
PRINTING = {"list", "show", "history", "news", "report", "diff", "export", "check", "agenda", "vocabulary"}
NOT_PRINTING = {"themes", "mark", "review", "watch", "unwatch", "add", "edit", "undo", "verify", "init", "import", "help"}


def outputs(ptrack):
    """The arguments of every way ptrack prints recorded text."""
    unknown = subcommands(ptrack) - PRINTING - NOT_PRINTING
    assert not unknown, f"new commands: check how they print untrusted text: {unknown}"
    item = next(iter(ITEMS))
    commands = [["list"], ["show", item], ["history"], ["history", item], ["news"]]
    commands += [command + ["--json"] for command in commands]
    return (commands + [["report", "--recent", "100", "--format", name] for name in report_formats(ptrack)]
            + [["diff", "2000", "--format", name] for name in report_formats(ptrack, "diff")]
            + [["export", "--format", name] for name in ("json", "csv", "taskwarrior")]
            + [["check"], ["check", "--json"], ["agenda"], ["agenda", "update", "--dry-run"],
               ["agenda", "update", "--dry-run", "--json"], ["vocabulary"], ["vocabulary", "list", "--json"]])


# The fields each output holds whole (the list and the text report cut categories).
SHOWN_FIELDS = {"list": ["title"], "show": ["title", "category", "summary", "quote", "note", "added", "source"],
                "history": ["note", "added", "source"], "news": ["note", "added", "source"], "text": ["title", "note"],
                "markdown": ["title", "note", "category"], "html": ["title", "note", "category", "source"],
                "diff-text": ["title", "note", "source"], "diff-markdown": ["title", "note", "source"],
                "diff-html": ["title", "note", "source"]}
EXACT_FIELDS = {"list": ["title", "category"], "show": SHOWN_FIELDS["show"], "history": ["title", "note", "added", "source"],
                "news": ["title", "note", "added", "source"],
                "json": ["title", "note", "category", "source"], "diff-json": ["note", "source"],
                "export-json": ["title", "note", "category", "source"], "export-csv": ["title", "note", "category", "source"],
                "export-taskwarrior": ["title"]}


def json_values(value):
    """Every string in a parsed JSON document."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for element in value:
            yield from json_values(element)
    elif isinstance(value, dict):
        for key, element in value.items():
            yield key
            yield from json_values(element)


def html_text(text):
    """`text` as the HTML report shows it: as on a terminal, then HTML-escaped."""
    return html.escape(shown(text), quote=True)


def markdown(text):
    """`text` as the Markdown report shows it (the texts here start no list item)."""
    return "".join("\\" + c if c in "\\`*_~[]<>#|&" else c for c in shown(text))


def test_every_output_format_escapes_every_hostile_string(hostile):
    """No output holds a raw control, bidirectional or invisible character; text and
    Markdown show each piece escaped, JSON parses to it exactly, CSV parses and shows it."""
    ptrack, data = hostile
    commands = outputs(ptrack)
    checked = 0
    for args in commands:
        code, out, err = ptrack(*args, data=data, raw=True)
        assert code == 0, (args, err)
        assert raw_escapes(out, b"\r\n" if args[-1] == "csv" else b"\n") == [], args
        assert raw_escapes(err) == [], args
        checked += expect_fields(args, out.decode("utf-8"))
    print(f"\nhostile text: {len(HOSTILE)} strings in {len(texts(next(iter(ITEMS))))} fields × {len(commands)} outputs "
          f"(list, show, history, news, each also --json; reports in {', '.join(report_formats(ptrack))}; "
          f"diffs in {', '.join(report_formats(ptrack, 'diff'))}; exports; check; agenda): none raw, "
          f"{checked} fields found escaped or exact")


def expect_fields(args, out):
    """Checks that the hostile fields `args` prints are there, escaped as the format escapes
    them or exact; returns how many were checked."""
    kind = {"report": args[-1], "diff": f"diff-{args[-1]}", "export": f"export-{args[-1]}"}.get(args[0], args[0])
    items = [args[1]] if args[0] in ("show", "history") and len(args) > 1 and args[1] in ITEMS else list(ITEMS)
    if kind == "agenda":                             # the bundled catalogs' ids and editions: nothing of the items
        return 0
    if kind == "vocabulary":                         # the categories, each the id of a term
        wanted = [(item, texts(item)["category"] if "--json" in args else shown(texts(item)["category"])) for item in items]
        found = set(json_values(json.loads(out))) if "--json" in args else out
        return count_found(wanted, found, args)
    if kind == "check":                              # each web source with no date is named in a finding
        if "--json" in args:
            messages = "\n".join(finding["message"] for finding in json.loads(out)["findings"])
            return count_found([(item, f'cites "{texts(item)["source"]}"') for item in items], messages, args)
        return count_found([(item, f'cites "{shown(texts(item)["source"])}"') for item in items], out, args)
    if kind == "csv":
        groups = {csv_cell_text(row[1]) for row in csv.reader(io.StringIO(out, newline="")) if row[0] == "category"}
        wanted = [(item, texts(item)["category"]) for item in items]
        return count_found(wanted, groups, args)
    if kind == "export-csv":
        cells = {csv_cell_text(value) for row in csv.reader(io.StringIO(out, newline="")) for value in row}
        return count_found([(item, texts(item)[name]) for item in items for name in EXACT_FIELDS[kind]], cells, args)
    if kind == "diff-csv":
        fields = {csv_cell_text(value) for row in csv.DictReader(io.StringIO(out, newline="")) for value in (row["note"], row["source"])}
        return count_found([(item, texts(item)[name]) for item in items for name in ("note", "source")], fields, args)
    if "--json" in args or kind in ("json", "diff-json", "export-json", "export-taskwarrior"):
        wanted = [(item, texts(item)[name]) for item in items for name in EXACT_FIELDS[kind]]
        return count_found(wanted, set(json_values(json.loads(out))), args)
    is_html = kind.endswith("html")
    escape = html_text if is_html else markdown if kind.endswith("markdown") else shown
    wanted = [(item, ("Source: " if name == "source" and not is_html else "") + escape(texts(item)[name]))
              for item in items for name in SHOWN_FIELDS[kind]]
    return count_found(wanted, out, args)


def csv_cell_text(cell):
    """The text of a cell of any CSV ptrack writes: each `\\u{HEX}` read as its character."""
    return re.sub(r"\\u\{([0-9A-Fa-f]{1,6})\}", lambda match: chr(int(match.group(1), 16)), cell)


def count_found(wanted, found, args):
    for item, text in wanted:
        assert text in found, (args, item, text)
    return len(wanted)


def test_links_show_the_other_items_titles_escaped(hostile):
    """`show` lists an item's links both ways with the other items' titles, escaped as
    every title is."""
    ptrack, data = hostile
    items = list(ITEMS)
    for item, following, preceding in zip(items, items[1:] + items[:1], items[-1:] + items[:-1]):
        code, out, err = ptrack("show", item, data=data, raw=True)
        assert code == 0 and raw_escapes(out) == [], (item, err)
        links = out.decode("utf-8").split("\nLinks\n", 1)[1].split("\n\n", 1)[0]
        assert f"Advances       {following}  stalled" in links and f"Advanced by    {preceding}  stalled" in links
        assert shown(texts(following)["title"]) in links and shown(texts(preceding)["title"]) in links, links


def test_files_keep_the_text_exactly(hostile):
    """changes.jsonl holds every field exactly as given; its raw bytes hold the text as
    JSON writes it (controls escaped, everything else as is)."""
    _, data = hostile
    changes = [c for c in log_changes(data) if c.get("id") in ITEMS and c["kind"] != "edit"]
    assert len(changes) == 2 * len(ITEMS)
    for change in changes:
        text = texts(change["id"])
        if change["kind"] == "add":
            recommendation = change["recommendation"]
            assert (recommendation["title"], recommendation["summary"], recommendation["category"],
                    recommendation["source"]["quote"], change["note"]) == (
                text["title"], text["summary"], text["category"], text["quote"], text["added"])
        else:
            assert (change["note"], change["source"]) == (text["note"], text["source"])
    raw = open(os.path.join(data, "changes.jsonl"), "rb").read()
    for item in ITEMS:
        assert json.dumps(texts(item)["title"], ensure_ascii=False).encode() in raw
    print(f"\nhostile text: {len(changes)} changes with {len(ITEMS) * len(texts(next(iter(ITEMS))))} fields stored exactly")


# ---------------------------------------------------------------- the browser


ROWS, COLUMNS = 50, 200


def run_browser_on_a_pty(ptrack, data, keys):
    """Runs the browser on a pseudo-terminal of ROWS × COLUMNS, types `keys` (each after the
    screen has been quiet a moment), and returns every byte it wrote and the terminal's
    settings before and after."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    before = termios.tcgetattr(slave)
    proc = subprocess.Popen(ptrack.argv(data=data), env=ptrack.env(TERM="xterm-256color", LANG="C.UTF-8"),
                            stdin=slave, stdout=slave, stderr=slave, start_new_session=True)
    written = bytearray()
    try:
        for key in [None, *keys]:
            if key is not None:
                os.write(master, key.encode())
            written += read_until_quiet(master)
        assert proc.wait(timeout=10) == 0, written[-2000:]
        written += read_until_quiet(master, quiet=0.1)
        after = termios.tcgetattr(slave)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(slave)
        os.close(master)
    return bytes(written), before, after


def read_until_quiet(master, quiet=0.15, limit=10.0):
    """What the terminal receives until it has been quiet for `quiet` seconds."""
    received = bytearray()
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], quiet)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        received += chunk
    return received


def browse_every_item():
    """Keys that show every hostile item's title in the list and its whole record in the
    detail beside it, then the dashboard and the timeline, then quit."""
    keys = ["/", "hostile", "\r"]
    for _ in ITEMS:
        keys += ["\r", "\x1b", "n"]
    return keys + ["3", "4", "1", "q"]


# Payloads a terminal would act on, as ncurses never writes them: an OSC, a DCS, the
# 8-bit controls, and the bidirectional and invisible characters in UTF-8.
RAW_PAYLOADS = [b"\x1b]", b"\x1bP", b"\x7f", b"\x07", *[chr(code).encode() for code in range(0x80, 0xA0)],
                *[chr(code).encode() for code in sorted(INVISIBLE)]]


def test_browser_writes_no_hostile_bytes(hostile):
    """The bytes the browser writes to a real pseudo-terminal hold none of the payloads,
    and the terminal's settings are as before."""
    ptrack, data = hostile
    written, before, after = run_browser_on_a_pty(ptrack, data, browse_every_item())
    assert b"hostile-osc-0-title" in written and b"^[]0;pwned^G" in written
    found = [payload for payload in RAW_PAYLOADS if payload in written]
    assert found == []
    assert after == before
    print(f"\nhostile text: the browser wrote {len(written)} bytes for {len(ITEMS)} items; "
          f"{len(RAW_PAYLOADS)} raw payloads checked absent")


needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="never: make test installs tmux")


@needs_tmux
def test_browser_shows_each_hostile_piece(hostile, tmp_path):
    """What the user sees: each item's title, category, summary, quote, notes and source in
    the detail beside the list, every piece escaped and in place (nothing overwritten,
    reversed or hidden), and the list's frame line unmoved."""
    ptrack, data = hostile
    b = Browser(ptrack, data, tmp_path, width=COLUMNS, height=ROWS)
    checked = 0
    try:
        b.wait_for("222-dialogue")
        b.keys("/")
        b.type("hostile")
        b.wait_for(f"({len(ITEMS)} matches)")
        b.keys("Enter")
        for item in ITEMS:
            pieces = [f" {item} — "] + [shown(text) for text in texts(item).values()]
            screen = wait_for_all(b, pieces)
            checked += len(pieces) - 1
            frame = {len(line.split("│")[0]) for line in screen.splitlines()[1:-1] if "│" in line}
            assert len(frame) == 1, screen
            b.keys("n")
        b.keys("q")
        report = b.exit_report()
    finally:
        b.close()
    assert_restored(report)
    print(f"\nhostile text: {checked} fields of {len(ITEMS)} items seen escaped in the browser")


def wait_for_all(browser, pieces, timeout=5.0):
    """The screen once it shows every one of `pieces` (a frame may be caught half drawn)."""
    deadline = time.monotonic() + timeout
    while True:
        screen = browser.screen()
        missing = [piece for piece in pieces if piece not in screen]
        if not missing:
            return screen
        assert time.monotonic() < deadline, f"{missing} not on the screen:\n{screen}"
        time.sleep(0.05)


def test_hostile_text_survives_a_round_trip_through_each_lossless_export(hostile, tmp_path):
    """JSON and CSV exports of hostile text, imported into another tracker, give it back
    exactly."""
    ptrack, data = hostile
    for form in ("json", "csv"):
        exported = tmp_path / f"export.{form}"
        ptrack.ok("export", "--format", form, "--output", exported, data=data)
        other = tmp_path / f"other-{form}"
        code, out, err = ptrack("import", exported, data=other, raw=True)
        assert code == 0, err
        assert raw_escapes(out) == [] and raw_escapes(err) == []
        assert ptrack.ok("export", "--format", "json", data=other) == ptrack.ok("export", "--format", "json", data=data), form
