"""Text from the tracker, as a reader meets it: every report and diff rendered by a real
CommonMark renderer (markdown-it-py, with tables and strikethrough as GitHub-flavoured
viewers have them) or parsed as HTML by html5lib shows each hostile note, title, category
and source as exactly its own characters, and none of them becomes markup; every CSV, read
as a spreadsheet reads it (Python's csv module), starts no cell with a formula character."""

import csv
import io
import re

import html5lib
import pytest
from markdown_it import MarkdownIt

from conftest import Ptrack, initialise

# Each is a whole title, category, note and source, so it starts a line where the format
# puts one at the start (the diff's title paragraph, a checklist heading, a table cell).
HOSTILE = [
    "&#x202E;evil", "&amp;", "&lt;i&gt;", "<b>x</b>", "<script>alert(1)</script>", "<!-- hidden -->",
    "[link](javascript:alert(1))", "<http://x.test>", "*em*", "_u_", "`code`", "# heading", "- item", "+ item",
    "1. item", "2) item", "> quote", "---", "|pipe|", "a | b", "\\back\\slash", "~~strike~~", "![img](x)",
    "=HYPERLINK(\"http://x.test\",\"y\")", "+1", "-1", "@SUM(A1)", "C# & F#", "end \\",
]
FORMULA = ("=", "+", "-", "@", "\t", "\r")
# What ptrack's own Markdown and HTML are made of; anything else came from the text.
MARKDOWN_TAGS = {"html", "head", "body", "h1", "h2", "h3", "p", "ul", "li", "strong", "code",
                 "table", "thead", "tbody", "tr", "th", "td"}
FORBIDDEN_HTML = {"script", "b", "i", "img", "iframe", "object", "embed", "em", "del", "s", "blockquote", "hr", "h4"}


@pytest.fixture(scope="module")
def tracker(tmp_path_factory):
    """The bundled agenda plus one item per hostile string, the string being its title,
    its category, and the note and source of a status change to stalled."""
    root = tmp_path_factory.mktemp("escaping")
    (root / "home").mkdir()
    ptrack = Ptrack(root / "home")
    data = initialise(ptrack, root / "data")
    for number, text in enumerate(HOSTILE):
        item = f"escape-{number}"
        ptrack.ok("vocabulary", "add", "--data", data, "--catalog", "ncafp-2021", "categories", "--", text)
        ptrack.ok("add", item, f"--title={text}", f"--category={text}", data=data)
        ptrack.ok("mark", item, "stalled", f"--note={text}", f"--source={text}", data=data)
    return ptrack, data


def render(markdown):
    """The page a CommonMark viewer with tables and strikethrough makes of `markdown`."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


def elements(page):
    """Each element of `page` (as html5lib parses it) with its text."""
    root = html5lib.parse(page, namespaceHTMLElements=False)
    return [(element.tag, "".join(element.itertext())) for element in root.iter() if isinstance(element.tag, str)]


def texts(found, tag):
    return {text.strip() for name, text in found if name == tag}


def check_markdown(page, whole_in):
    """Each hostile string is the whole text of an element of one of the tags `whole_in`,
    and, after ` — `, a note in a list item; no element came from the text."""
    found = elements(render(page))
    unexpected = {tag for tag, _ in found} - MARKDOWN_TAGS
    assert not unexpected, unexpected
    text = "".join(text for tag, text in found if tag == "body")
    assert "\u202e" not in text
    items = texts(found, "li")
    for hostile in HOSTILE:
        for tag in whole_in:
            assert hostile in texts(found, tag), (hostile, tag)
        assert any(f"— {hostile}" in item for item in items), hostile
    return len(found)


def test_markdown_report_shows_the_text_as_written(tracker):
    ptrack, data = tracker
    page = ptrack.ok("report", "--recent", "100", "--format", "markdown", data=data)
    check_markdown(page, whole_in=["td", "h3"])


def test_markdown_diff_shows_the_text_as_written(tracker):
    ptrack, data = tracker
    page = ptrack.ok("diff", "2000", "--format", "markdown", data=data)
    found = elements(render(page))
    check_markdown(page, whole_in=["p"])
    items = texts(found, "li")
    for hostile in HOSTILE:
        assert any(f"Source: {hostile}" in item for item in items), hostile


@pytest.mark.parametrize("command", [["report", "--recent", "100"], ["diff", "2000"]])
def test_html_shows_the_text_as_written(tracker, command):
    ptrack, data = tracker
    page = ptrack.ok(*command, "--format", "html", data=data)
    root = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)
    tags = {element.tag for element in root.iter() if isinstance(element.tag, str)}
    assert not tags & FORBIDDEN_HTML, tags & FORBIDDEN_HTML
    for link in root.iter("a"):
        assert re.match(r"https?://|#", link.get("href", "")), link.get("href")
    cells = {"".join(cell.itertext()).strip() for cell in root.iter() if cell.tag in ("td", "th", "p", "dd")}
    for hostile in HOSTILE:
        assert hostile in cells, hostile
    assert "\u202e" not in "".join(root.itertext())


def unguarded(cell):
    """The text of a cell ptrack wrote: each `\\u{HEX}` read as its character."""
    return re.sub(r"\\u\{([0-9A-Fa-f]{1,6})\}", lambda match: chr(int(match.group(1), 16)), cell)


@pytest.mark.parametrize("command,columns", [
    (["report", "--format", "csv"], ["group"]),
    (["diff", "2000", "--format", "csv"], ["note", "source", "citation"]),
    (["export", "--format", "csv"], None),
])
def test_csv_cells_start_no_formula(tracker, command, columns):
    ptrack, data = tracker
    rows = list(csv.DictReader(io.StringIO(ptrack.ok(*command, data=data), newline="")))
    assert rows
    for row in rows:
        for name, cell in row.items():
            assert not (cell or "").startswith(FORMULA), (name, cell)
    # The export names a change's source in a column of its own kind: any cell will do.
    for name in columns or [None]:
        shown = {unguarded(cell or "") for row in rows for key, cell in row.items() if name in (None, key)}
        for hostile in HOSTILE:
            assert hostile in shown, (name, hostile)
