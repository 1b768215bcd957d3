"""`ptrack report --format html`: one self-contained page, checked by an HTML5 parser with
strict error checking, against its golden file, and as a browser draws and prints it."""

import json
import hashlib
import os
import pathlib
import re
import shutil
import struct
import subprocess
import time
import zlib

import html5lib
import pytest

from conftest import initialise

FIXED = {"PTRACK_NOW": "1796558400"}            # 2026-12-06T12:00:00Z, after the bundled agenda's last change
GOLDEN = os.path.join(os.path.dirname(__file__), "..", "Fixtures", "reports", "report.html")
SOURCE_URL = "https://example.org/evidence?a=1&b=2"
STATUSES = ["not-started", "in-progress", "partial", "implemented", "stalled", "reversed"]
# The light palette of the status colors (HTMLStyle.swift), as the overall chart draws them.
PALETTE = {"not-started": (0x9A, 0xA0, 0xA6), "in-progress": (0x3B, 0x6F, 0xB6), "partial": (0xC9, 0x95, 0x1C),
           "implemented": (0x2E, 0x7D, 0x4F), "stalled": (0xC2, 0x57, 0x1A), "reversed": (0xA4, 0x26, 0x2C)}


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The page over the bundled agenda with a stalled and a reversed item (one with a web
    address as its evidence, one with markup in its note), written with --output."""
    from conftest import Ptrack
    root = tmp_path_factory.mktemp("html")
    (root / "home").mkdir()
    ptrack = Ptrack(root / "home")
    data = initialise(ptrack, root / "data")
    ptrack.ok("mark", "gsomia", "stalled", "--date", "2026-11-10", "--source", SOURCE_URL,
              "--note", "Made-up test note: talks paused <b>again</b> & \"indefinitely\"", "--author", "A. Made-Up Analyst", data=data, env=FIXED)
    ptrack.ok("mark", "222-dialogue", "reversed", "--date", "2026-11-20", "--note", "Made-up test note: suspended.",
              "--author", "A. Made-Up Analyst", data=data, env=FIXED)
    path = root / "report.html"
    code, _, err = ptrack("report", "--format", "html", "--output", str(path), data=data, env=FIXED)
    assert code == 0 and "wrote" in err, err
    return path, path.read_text(encoding="utf-8"), data


def parsed(text):
    """The document as html5lib's strict parser reads it: any parse error fails."""
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)


def local(tag):
    return tag.rsplit("}", 1)[-1]


def source_locations(data):
    with open(os.path.join(data, "catalog.json"), encoding="utf-8") as file:
        return {source["where"] for source in json.load(file)["sources"]}


def test_page_parses_without_errors_and_is_self_contained(page):
    """No parse error; no script, style sheet link, frame, image or external reference; the
    only addresses are the sources' own http(s) links."""
    _, text, data = page
    document = parsed(text)
    tags = {local(element.tag) for element in document.iter() if isinstance(element.tag, str)}
    assert not tags & {"script", "link", "iframe", "img", "object", "embed", "base", "form", "image", "use"}
    allowed = source_locations(data) | {SOURCE_URL}
    links = 0
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue
        assert "src" not in element.attrib and not any(name.startswith("on") for name in element.attrib)
        if "href" in element.attrib or any(name.endswith("}href") for name in element.attrib):
            assert local(element.tag) == "a", element.attrib
            href = element.attrib["href"]
            if href.startswith("#"):                         # a link within the page
                assert document.find(f".//*[@id='{href[1:]}']") is not None, href
                continue
            assert href in allowed and re.match(r"https?://", href)
            links += 1
    assert links >= 1
    style = "".join(element.text or "" for element in document.iter("style"))
    assert "@import" not in style and "url(" not in style and "http" not in style
    assert "@media print" in style and "prefers-color-scheme: dark" in style and "break-inside: avoid" in style


def test_tables_charts_and_badges_are_accessible(page):
    """Real tables with header cells that say what they head; every chart an image with a
    title and a label; every badge says its status in a word."""
    _, text, data = page
    document = parsed(text)
    tables = list(document.iter("table"))
    assert len(tables) >= 6
    for table in tables:
        assert table.find("caption") is not None and table.find("thead") is not None
        assert all(th.get("scope") == "col" for th in table.find("thead").iter("th"))
        assert all(th.get("scope") == "row" for th in table.find("tbody").iter("th"))
    charts = [element for element in document.iter() if isinstance(element.tag, str) and local(element.tag) == "svg"]
    assert len(charts) >= 3 + 8                              # overall, timeline, one per category and actor
    for chart in charts:
        assert chart.get("role") == "img" and chart.get("aria-label", "").strip()
        titles = [child for child in chart if local(child.tag) == "title"]
        assert titles and titles[0].text.strip()
    badges = [span for span in document.iter("span") if "badge" in span.get("class", "").split()]
    with open(os.path.join(data, "catalog.json"), encoding="utf-8") as file:
        assert len(badges) > len(json.load(file)["recommendations"])     # every item's, and more
    for badge in badges:
        assert badge.text in STATUSES and f"s-{badge.text}" in badge.get("class").split()
    assert "talks paused &lt;b&gt;again&lt;/b&gt; &amp; &quot;indefinitely&quot;" in text
    assert f'<a href="{SOURCE_URL.replace("&", "&amp;")}">' in text
    sections = [section.get("id") for section in document.iter("section")]
    assert sections == ["overall", "by-category", "by-actor", "timeline", "recent", "attention", "recommendations", "stale",
                        "evidence", "sources", "provenance"]


def test_page_matches_its_golden_file(page):
    """Under a fixed clock the page is the same byte for byte but for the digests (the two
    marks get new change ids on every run, so the data differs); PTRACK_RECORD_SNAPSHOTS=1
    records it again."""
    _, text, data = page
    data = pathlib.Path(data)
    digest = hashlib.sha256((data / "catalog.json").read_bytes() + (data / "changes.jsonl").read_bytes()).hexdigest()
    assert text.count(digest) == 2                           # the header and the provenance
    text = re.sub(r"\b[0-9a-f]{64}\b", "<sha256>", text)
    if os.environ.get("PTRACK_RECORD_SNAPSHOTS") == "1":
        with open(GOLDEN, "w", encoding="utf-8", newline="") as file:
            file.write(text)
    with open(GOLDEN, encoding="utf-8", newline="") as file:
        assert text == file.read(), "the page changed: check it, then record it with PTRACK_RECORD_SNAPSHOTS=1"


# Made-up category names: spaces, Korean, Japanese, a long one and markup.
FORTY_CATEGORIES = [name if index < 8 else f"{name} {index}" for index, name in enumerate(
    ["European Union", "United Kingdom", "대한민국", "日本", "Republic of Korea and Japan",
     "An uncommonly long category name that no column could hold", "日本と大한민국の長い協力関係の名前",
     "<b>bold</b> & \"quoted\" 'names'"] * 5)]


def test_forty_categories_give_a_bar_each_with_its_name_escaped(data_dir, ptrack, tmp_path):
    """With the bundled items spread over 40 categories, the page still parses, and the
    table by category has a row and a bar for each, its title naming the category."""
    path = pathlib.Path(data_dir) / "catalog.json"
    catalog = json.loads(path.read_text(encoding="utf-8"))
    for index, recommendation in enumerate(catalog["recommendations"]):
        recommendation["category"] = FORTY_CATEGORIES[index % 40]
    for entry in catalog["catalogs"]:                 # each catalog declares the forty
        entry["vocabulary"]["categories"] = [{"id": name} for name in FORTY_CATEGORIES]
    path.write_text(json.dumps(catalog, ensure_ascii=False), encoding="utf-8")
    text = ptrack.ok("report", "--format", "html", data=data_dir, env=FIXED)
    document = parsed(text)
    section = document.find(".//section[@id='by-category']")
    rows = section.findall("./table/tbody/tr")
    assert sorted("".join(row.find("th").itertext()) for row in rows) == sorted(FORTY_CATEGORIES)
    for row in rows:
        bars = [element for element in row.iter() if isinstance(element.tag, str) and local(element.tag) == "svg"]
        assert len(bars) == 1
        title = next(child for child in bars[0] if local(child.tag) == "title")
        assert title.text.startswith("".join(row.find("th").itertext()) + ": ")
    assert "<b>" not in text and "&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; &#x27;names&#x27;" in text


# ---------------------------------------------------------------- in a browser


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.fail("chromium is missing: run scripts/require-tools.sh test", pytrace=False)


def run_chromium(tmp_path, *args):
    """Runs headless Chromium with its own profile; returns the seconds it took."""
    started = time.monotonic()
    subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                    f"--user-data-dir={tmp_path / 'profile'}", *args], check=True, capture_output=True, timeout=120)
    return time.monotonic() - started


def png_rows(path, limit):
    """The first `limit` rows of an 8-bit RGB or RGBA PNG as lists of (r, g, b)."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, header = 8, b"", None
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        chunk = data[position + 8:position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and interlace == 0, header
    channels = 3 if color == 2 else 4
    raw, stride, previous, rows = zlib.decompress(idat), width * channels, bytearray(width * channels), []
    for row in range(min(limit, height)):
        start = row * (stride + 1)
        line = unfilter(raw[start], bytearray(raw[start + 1:start + 1 + stride]), previous, channels)
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, channels)])
        previous = line
    return width, height, rows


def unfilter(kind, line, previous, bpp):
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up, corner = previous[i], previous[i - bpp] if i >= bpp else 0
        if kind == 1:
            line[i] = (line[i] + left) & 255
        elif kind == 2:
            line[i] = (line[i] + up) & 255
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 255
        elif kind == 4:
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
    return line


def test_browser_draws_the_page_and_prints_it_on_several_pages(page, tmp_path):
    """A 1200×1600 screenshot is far from blank and shows the overall chart in the status
    colors; printed to PDF the page takes several pages."""
    path, _, _ = page
    screenshot, pdf = tmp_path / "report.png", tmp_path / "report.pdf"
    shot_seconds = run_chromium(tmp_path, f"--screenshot={screenshot}", "--window-size=1200,1600", f"file://{path}")
    width, height, rows = png_rows(screenshot, 900)
    assert (width, height) == (1200, 1600)
    counts = {}
    for row in rows:
        for pixel in row:
            counts[pixel] = counts.get(pixel, 0) + 1
    assert len(counts) > 50 and max(counts.values()) < 0.97 * sum(counts.values())
    drawn = [status for status, color in PALETTE.items() if counts.get(color, 0) >= 200]
    assert set(drawn) >= {"not-started", "in-progress", "partial", "implemented", "stalled"}, drawn
    pdf_seconds = run_chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", f"file://{path}")
    document = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", document))
    assert document.startswith(b"%PDF-") and len(document) > 20_000 and pages > 1, (len(document), pages)
    print(f"\nhtml report: {len(path.read_bytes())} bytes; chromium screenshot {shot_seconds:.1f} s "
          f"({len(counts)} colors in the top 900 rows, statuses drawn: {', '.join(drawn)}), "
          f"PDF {pdf_seconds:.1f} s, {pages} pages, {len(document)} bytes")
