"""Any agenda: a tracker started from a realistic spreadsheet of two made-up catalogs of its
own (a G7 communiqué with eight actors, the EU among them, and an EU action plan), with
twelve categories, names with spaces and Korean and Japanese names. It is imported, listed,
filtered, reported in every format (each read with a real parser), browsed in tmux at
80×24 and 140×40 (the actor picker and the dashboard compared with golden screens),
exported and round-tripped; its vocabulary is edited, undone and refused where a term is in
use; hostile text in a term stays safe; and a tracker of the previous schema version is read
unchanged, then migrated by its next write.

PTRACK_RECORD_SNAPSHOTS=1 rewrites the golden screens in Tests/Fixtures/vocabulary (and
fails, so a re-recording is never mistaken for a pass).
"""

import csv
import io
import json
import os
import pathlib
import shutil
import time
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from conftest import CATALOG, CHANGES, REPO, STATUSES
from terminal import assert_restored

GOLDEN = REPO / "Tests" / "Fixtures" / "vocabulary"
PREVIOUS = REPO / "Tests" / "Fixtures" / "tracker-v1"
RECORDING = os.environ.get("PTRACK_RECORD_SNAPSHOTS") == "1"
CLOCK = {"PTRACK_NOW": "1767225600"}  # 2026-01-01T00:00:00Z

# The ids the G7 catalog's actors get: Japan and United States are the bundled agenda's
# Japan and US (whose name is United States), the others new.
G7_ACTORS = ["Canada", "France", "Germany", "Italy", "Japan", "United Kingdom", "US", "European Union"]
CATEGORIES = {
    "g7-2023": ["Climate and energy", "Digital and AI", "Food security", "Global health", "Nuclear disarmament",
                "Economic resilience", "エネルギー安全保障"],
    "eu-action-2024": ["Research and innovation", "Migration", "인적 교류", "Trade", "Defence industry"],
}
SHEET = """record,id,catalog,title,category,horizon,actors,status,happened,note,evidence
catalog,g7-2023,,G7 Hiroshima communiqué (made-up extract),,,,,,,
catalog,eu-action-2024,,EU action plan on partnerships (made-up),,,,,,,
,climate-finance,g7-2023,Mobilise climate finance for developing countries,Climate and energy,Medium term,"Canada, France, Germany, Italy, Japan, United Kingdom, United States, European Union",in progress,2024-06,Pledges announced at the summit,Leaders' communiqué
,ai-code,g7-2023,Agree a code of conduct for advanced AI developers,Digital and AI,Short term,United States;European Union;japan,implemented,2023-10,The code was published,Leaders' statement
,food-crisis,g7-2023,Respond to the global food crisis,Food security,Short term,"France, Italy, Canada",,,,
,pandemic-fund,g7-2023,Strengthen the pandemic fund,Global health,long term,"united kingdom, Germany",stalled,2025-02,No new money,Made-up news report
,nuclear-transparency,g7-2023,Report nuclear arsenals transparently,Nuclear disarmament,Long term,"United States, France, United Kingdom",,,,
,supply-chains,g7-2023,Diversify critical mineral supply chains,Economic resilience,Medium term,"Japan, Canada, European Union",partial,2025-05,Partnership launched,Made-up press release
,energy-security,g7-2023,エネルギー安全保障を強化する,エネルギー安全保障,Medium term,Japan;Germany,,,,
,horizon-association,eu-action-2024,Associate partners to the research programme,Research and innovation,Short term,European Union;Japan;대한민국,implemented,2024-07,Agreement signed,Made-up joint statement
,talent-partnerships,eu-action-2024,Open talent partnerships,Migration,Medium term,European Union,,,,
,youth-exchange,eu-action-2024,청년 교류를 넓힌다,인적 교류,Long term,대한민국;European Union,in progress,2025-03,First exchanges held,Made-up ministry notice
,trade-dialogue,eu-action-2024,Hold a high-level trade dialogue,Trade,Short term,European Union;대한민국,,,,
,defence-industry,eu-action-2024,Coordinate defence industrial programmes,Defence industry,Long term,European Union,reversed,2025-09,Programme cancelled,Made-up report
"""


def import_sheet(ptrack, data_dir, tmp_path, *extra):
    sheet = tmp_path / "agenda.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    return ptrack("import", str(sheet), "--source", "Made-up spreadsheet", *extra, data=data_dir, env=CLOCK)


@pytest.fixture
def agenda(ptrack, data_dir, tmp_path):
    """The bundled agenda plus the two catalogs of the spreadsheet."""
    code, out, err = import_sheet(ptrack, data_dir, tmp_path)
    assert code == 0, err
    return data_dir


def vocabulary(ptrack, data, catalog):
    document = ptrack.json("vocabulary", "list", "--catalog", catalog, "--json", data=data)
    return document["catalogs"][0]["vocabulary"]


def test_the_import_creates_each_catalogs_vocabulary(ptrack, data_dir, tmp_path):
    code, out, err = import_sheet(ptrack, data_dir, tmp_path, "--dry-run")
    assert code == 0, err
    assert "vocabulary:      " in out and 'g7-2023: actor "European Union"' not in out.split("…")[-1], out
    assert ptrack.json("vocabulary", "list", "--json", data=data_dir)["catalogs"][0]["id"] == "camp-david-2023"
    code, out, err = import_sheet(ptrack, data_dir, tmp_path, "--json")
    assert code == 0, err
    added = json.loads(out)["import"]["vocabulary"]["added"]
    assert len(added) == (8 + 7 + 3) + (3 + 5 + 3), added
    g7 = vocabulary(ptrack, data_dir, "g7-2023")
    assert [term["id"] for term in g7["actors"]] == G7_ACTORS
    assert [term["id"] for term in g7["categories"]] == CATEGORIES["g7-2023"]
    assert [term["id"] for term in g7["horizons"]] == ["medium-term", "short-term", "long-term"]
    terms = {term["id"]: term for term in g7["actors"]}
    assert terms["United Kingdom"]["short"] == "UK" and terms["European Union"]["short"] == "EU" and "short" not in terms["Canada"]
    assert terms["US"]["name"] == "United States" and "USA" in terms["US"]["aliases"]
    eu = vocabulary(ptrack, data_dir, "eu-action-2024")
    assert [term["id"] for term in eu["actors"]] == ["European Union", "Japan", "대한민국"]
    assert len(CATEGORIES["g7-2023"] + CATEGORIES["eu-action-2024"]) == 12
    # Importing it again adds nothing, and the bundled catalogs keep their vocabulary.
    code, out, err = import_sheet(ptrack, data_dir, tmp_path)
    assert code == 0 and "vocabulary:" not in out, out
    assert [term["id"] for term in vocabulary(ptrack, data_dir, "ncafp-2021")["actors"]] == ["US", "Japan", "ROK"]


def test_listing_and_filtering_by_any_spelling(ptrack, agenda):
    items = {item["id"]: item for item in ptrack.json("list", "--json", data=agenda)}
    assert items["ai-code"]["actors"] == ["Japan", "US", "European Union"]
    assert items["pandemic-fund"]["horizon"] == "long-term" and items["pandemic-fund"]["status"] == "stalled"
    def listed(*args):
        return sorted(item["id"] for item in ptrack.json("list", "--json", *args, data=agenda))
    # By id, name, short label and prefix, in any letter case.
    with_eu = ["ai-code", "climate-finance", "defence-industry", "horizon-association", "supply-chains",
               "talent-partnerships", "trade-dialogue", "youth-exchange"]
    assert listed("--actor", "European Union") == with_eu
    assert listed("--actor", "eu") == with_eu
    assert listed("--actor", "united k") == ["climate-finance", "nuclear-transparency", "pandemic-fund"]
    # One actor across catalogs: the bundled agenda's US and the G7's United States.
    with_us = listed("--actor", "United States")
    assert "gsomia" in with_us and "ai-code" in with_us and "pandemic-fund" not in with_us
    assert listed("--actor", "대한") == ["horizon-association", "trade-dialogue", "youth-exchange"]
    assert listed("--category", "エネルギー") == ["energy-security"]
    assert listed("--category", "인적 교류", "--status", "in-progress") == ["youth-exchange"]
    # A name that could be two terms is refused, saying which.
    code, _, err = ptrack("list", "--actor", "united", data=agenda)
    assert code == 64 and "ambiguous" in err and "United Kingdom" in err and "US" in err, err
    table = ptrack.ok("list", "--catalog", "eu-action", data=agenda)
    assert "인적 교류" in table and "청년 교류를 넓힌다" in table


def test_reports_in_every_format_show_every_actor_and_category(ptrack, agenda):
    args = ("report", "--catalog", "g7-2023")
    text = ptrack.ok(*args, "--format", "text", data=agenda, env=CLOCK)
    table = text[text.index("By actor"):text.index("Recent changes")]
    assert [line.split()[0] for line in table.splitlines()[1:] if line.strip()] == [
        "Canada", "France", "Germany", "Italy", "Japan", "United", "US", "European"]
    markdown = ptrack.ok(*args, "--format", "markdown", data=agenda, env=CLOCK)
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    cells = [token.content for token in tokens if token.type == "inline"]
    assert all(name in cells for name in G7_ACTORS + CATEGORIES["g7-2023"]), cells
    rows = list(csv.DictReader(io.StringIO(ptrack.ok(*args, "--format", "csv", data=agenda, env=CLOCK))))
    assert {row["group"] for row in rows if row["dimension"] == "actor"} == set(G7_ACTORS)
    assert {row["group"] for row in rows if row["dimension"] == "category"} == set(CATEGORIES["g7-2023"])
    report = json.loads(ptrack.ok(*args, "--format", "json", data=agenda, env=CLOCK))
    assert [group["actor"] for group in report["byActor"]] == G7_ACTORS
    assert sorted(group["category"] for group in report["byCategory"]) == sorted(CATEGORIES["g7-2023"])
    assert sum(group["total"] for group in report["byActor"] if group["actor"] == "European Union") == 3
    html = ptrack.ok(*args, "--format", "html", data=agenda, env=CLOCK)
    parser = TextCollector()
    parser.feed(html)
    parser.close()
    assert all(name in parser.text for name in G7_ACTORS + CATEGORIES["g7-2023"])


class TextCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text = ""

    def handle_data(self, data):
        self.text += data + "\n"


@pytest.mark.parametrize("form", ["csv", "json"])
def test_export_and_import_round_trip(ptrack, agenda, tmp_path, form):
    exported = tmp_path / f"all.{form}"
    ptrack.ok("export", "--format", form, "--output", str(exported), data=agenda)
    elsewhere = tmp_path / "elsewhere"
    ptrack.ok("import", str(exported), data=elsewhere)
    for catalog in ("g7-2023", "eu-action-2024", "ncafp-2021"):
        assert vocabulary(ptrack, elsewhere, catalog) == vocabulary(ptrack, agenda, catalog)
    assert ptrack.json("list", "--json", data=elsewhere) == ptrack.json("list", "--json", data=agenda)
    again = ptrack.json("import", str(exported), "--json", data=elsewhere)
    assert again["import"]["vocabulary"]["added"] == [] and again["changes"] == []


def test_vocabulary_changes_are_recorded_undone_and_kept_whole(ptrack, agenda):
    out = ptrack.ok("vocabulary", "add", "actors", "Australia", "--catalog", "g7", "--short", "AU", data=agenda)
    assert out.startswith('added actor "Australia" to g7-2023 (change ')
    assert ptrack.json("list", "--json", "--actor", "AU", data=agenda) == []
    ptrack.ok("edit", "food-crisis", "--actor", "australia", "--actor", "france", data=agenda)
    assert ptrack.json("show", "food-crisis", "--json", data=agenda)["actors"] == ["France", "Australia"]
    # A term in use stays: neither remove nor the undo of its addition takes it away.
    code, _, err = ptrack("vocabulary", "remove", "actors", "Australia", "--catalog", "g7", data=agenda)
    assert code == 64 and "still used by 1 recommendation" in err and "food-crisis" in err, err
    ptrack.ok("vocabulary", "rename", "actors", "AU", "--catalog", "g7", "--name", "Commonwealth of Australia", data=agenda)
    names = {term["id"]: term["name"] for term in vocabulary(ptrack, agenda, "g7-2023")["actors"]}
    assert names["Australia"] == "Commonwealth of Australia"
    ptrack.ok("undo", data=agenda)
    assert {term["id"]: term["name"] for term in vocabulary(ptrack, agenda, "g7-2023")["actors"]}["Australia"] == "Australia"
    # An actor the catalog lacks is refused, naming the catalog's actors; another catalog's
    # vocabulary is its own.
    code, _, err = ptrack("edit", "food-crisis", "--actor", "ROK", data=agenda)
    assert code == 64 and "no actor matches" in err, err
    code, _, err = ptrack("edit", "gsomia", "--actor", "Canada", data=agenda)
    assert code == 64 and "no actor matches" in err, err
    code, _, err = ptrack("vocabulary", "add", "categories", "climate AND energy", "--catalog", "g7", data=agenda)
    assert code == 64 and "names both" in err or "already" in err or "listed twice" in err, err


def test_an_unknown_value_for_an_existing_catalog_is_an_error_unless_added(ptrack, agenda, tmp_path):
    sheet = tmp_path / "more.csv"
    sheet.write_text("id,title,category,horizon,actors\nspace-debris,Limit space debris,Space,Short term,Canada;India\n",
                     encoding="utf-8")
    agenda = pathlib.Path(agenda)
    before = (agenda / CATALOG).read_bytes(), (agenda / CHANGES).read_bytes()
    code, _, err = ptrack("import", str(sheet), "--catalog", "g7-2023", "--source", "s", data=agenda)
    assert code == 65 and "more.csv:2:1: row 2" in err and 'category "Space" is not in the vocabulary of catalog "g7-2023"' in err, err
    assert ((agenda / CATALOG).read_bytes(), (agenda / CHANGES).read_bytes()) == before
    report = ptrack.json("import", str(sheet), "--catalog", "g7-2023", "--source", "s", "--add-vocabulary", "--json", data=agenda)
    assert report["import"]["vocabulary"]["added"] == ['g7-2023: category "Space"', 'g7-2023: actor "India"']
    assert ptrack.json("show", "space-debris", "--json", data=agenda)["actors"] == ["Canada", "India"]


HOSTILE = "\x1b[31mRed\x1b]8;;http://x.test\x07link\u202eevil\u0000"


def test_hostile_text_in_a_term_stays_safe_everywhere(ptrack, agenda, tmp_path):
    ptrack.ok("vocabulary", "add", "categories", "unsafe", "--catalog", "g7", "--name", HOSTILE.replace("\u0000", ""),
              "--alias", "\x1b[2J", data=agenda)
    ptrack.ok("edit", "food-crisis", "--category", "unsafe", data=agenda)
    outputs = [
        ptrack.ok("vocabulary", "list", data=agenda),
        ptrack.ok("vocabulary", "list", "--json", data=agenda),
        ptrack.ok("list", data=agenda),
        ptrack.ok("show", "food-crisis", data=agenda),
        ptrack.ok("history", "--json", data=agenda),
    ] + [ptrack.ok("report", "--format", form, data=agenda) for form in ("text", "markdown", "json", "csv", "html")]
    for output in outputs:
        assert "\x1b" not in output and "\u202e" not in output and "\x07" not in output, output[:200]
    assert "&lt;" not in HOSTILE and "<script" not in outputs[-1]


@pytest.mark.skipif(shutil.which("tmux") is None, reason="never: make test installs tmux")
@pytest.mark.parametrize("size", [(80, 24), (140, 40)])
def test_the_browser_shows_the_agendas_vocabulary(browser, agenda, size):
    width, height = size
    b = browser(width=width, height=height, extra_env={"PTRACK_NOW": "1798761600"})  # 2027-01-01
    b.wait_for("222-dialogue")
    b.keys("a")
    b.wait_for("Filter by actor")
    b.type("uni")
    b.wait_for("2 of 11")
    golden_screen(f"actor-picker-{width}x{height}.txt", b)
    # The matches in the vocabularies' order: European Union, United Kingdom.
    b.keys("Down", "Enter")
    screen = b.wait_for("actor: United Kingdom")
    assert "pandemic-fund" in screen and "nuclear-transparen" in screen and "gsomia" not in screen, screen
    b.keys("3")
    b.wait_for("By actor")
    golden_screen(f"dashboard-{width}x{height}.txt", b)
    b.keys("C-c")
    assert_restored(b.exit_report())
    if RECORDING:
        pytest.fail(f"recorded the screens in {GOLDEN}; check them, then run again without PTRACK_RECORD_SNAPSHOTS")


def golden_screen(name, b, timeout=5.0):
    """Compares the screen, but its status line (which names the test's data directory),
    with the golden file, once the browser has drawn what it fills in after a key (an
    item's history): the screen is read again until it matches or stops changing."""
    path = GOLDEN / name
    expected = None if RECORDING else path.read_text(encoding="utf-8") if path.exists() else ""
    screen, deadline = None, time.monotonic() + timeout
    while time.monotonic() < deadline:
        previous, screen = screen, "\n".join(b.screen().splitlines()[:-1]) + "\n"
        if screen == expected or (RECORDING and screen == previous):
            break
        time.sleep(0.25)
    if RECORDING:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(screen, encoding="utf-8")
        return
    assert expected, f"no {path}: record it with PTRACK_RECORD_SNAPSHOTS=1"
    assert screen == expected, f"{name} differs:\n{screen}"


def test_a_tracker_of_the_previous_version_is_read_then_migrated(ptrack, tmp_path):
    tracker = tmp_path / "previous"
    shutil.copytree(PREVIOUS, tracker)
    for name in ("list.json", "report.json"):
        (tracker / name).unlink()
    listed = ptrack.ok("list", "--json", data=tracker, env=CLOCK)
    assert listed == (PREVIOUS / "list.json").read_text(encoding="utf-8")
    assert json.loads((tracker / CATALOG).read_text(encoding="utf-8"))["schemaVersion"] == 1
    report = json.loads(ptrack.ok("report", "--format", "json", data=tracker, env=CLOCK))
    expected = json.loads((PREVIOUS / "report.json").read_text(encoding="utf-8"))
    assert {key: value for key, value in report.items() if key != "schemaVersion"} == {
        key: value for key, value in expected.items() if key != "schemaVersion"}
    # The next write declares the vocabulary it was read with; nothing else changes.
    ptrack.ok("review", "youth", data=tracker, env=CLOCK)
    catalog = json.loads((tracker / CATALOG).read_text(encoding="utf-8"))
    assert catalog["schemaVersion"] == 2
    summit = next(entry for entry in catalog["catalogs"] if entry["id"] == "summit-2024")
    assert [term["id"] for term in summit["vocabulary"]["categories"]] == ["crisis-management", "people"]
    assert [term["id"] for term in summit["vocabulary"]["actors"]] == ["US", "Japan", "ROK"]
    after = {item["id"]: item for item in ptrack.json("list", "--json", data=tracker, env=CLOCK)}
    before = {item["id"]: item for item in json.loads((PREVIOUS / "list.json").read_text(encoding="utf-8"))}
    assert {key: item for key, item in after.items() if key != "youth"} == {key: item for key, item in before.items() if key != "youth"}
    assert after["youth"]["status"] == before["youth"]["status"]


def test_a_newer_tracker_is_refused_with_a_clear_message(ptrack, data_dir):
    data_dir = pathlib.Path(data_dir)
    catalog = json.loads((data_dir / CATALOG).read_text(encoding="utf-8"))
    catalog["schemaVersion"] = 3
    (data_dir / CATALOG).write_text(json.dumps(catalog, indent=2), encoding="utf-8")
    before = (data_dir / CATALOG).read_bytes()
    for args in (("list",), ("mark", "gsomia", "stalled")):
        code, _, err = ptrack(*args, data=data_dir)
        assert code == 65 and "schemaVersion 3 is newer than this ptrack understands (2); upgrade ptrack" in err, err
    assert (data_dir / CATALOG).read_bytes() == before


def test_statuses_stay_the_six(ptrack, agenda):
    report = json.loads(ptrack.ok("report", "--format", "json", data=agenda))
    assert sorted(report["byStatus"]) == sorted(STATUSES)
