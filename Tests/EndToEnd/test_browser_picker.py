"""A picker of more than nine choices in a real terminal under tmux: a catalog brought in
from a spreadsheet adds categories, and the category filter's picker narrows them as a
query is typed (Korean too), Enter choosing the highlighted one and the list following."""

import shutil

import pytest

from terminal import assert_restored

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="never: make test installs tmux")

# Twelve made-up categories beside the bundled agenda's eight, one item each.
CATEGORIES = ["agriculture", "arctic-affairs", "biodiversity", "climate-finance", "critical-minerals",
              "disaster-relief", "fisheries", "food-security", "ocean-plastics", "space-debris",
              "trade-facilitation", "기후 협력"]


@pytest.fixture
def many_categories(ptrack, data_dir, tmp_path):
    """The bundled agenda plus a catalog whose items are in twelve more categories."""
    rows = ["id,title,category,horizon,actors"] + [
        f"made-up-{index},A made-up recommendation on {category},{category},short-term,Japan;ROK"
        for index, category in enumerate(CATEGORIES, 1)]
    sheet = tmp_path / "summit.csv"
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    ptrack.ok("import", str(sheet), "--catalog", "made-up-summit", "--source", "Made-up statement", data=data_dir)
    return data_dir


def test_typing_narrows_the_category_picker_and_enter_filters(browser, many_categories):
    b = browser(width=80, height=24)
    b.wait_for("222-dialogue")
    b.keys("c")
    b.wait_for("of 21")
    b.type("FISH")
    b.wait_for("/ FISH")
    screen = b.wait_for("1 of 21")
    assert "fisheries" in screen and "agriculture" not in screen, screen
    b.keys("Enter")
    screen = b.wait_for("category: fisheries")
    listed = [line.split()[0] for line in screen.splitlines()[2:-1] if line.strip()]
    assert listed == ["made-up-7"], screen
    b.keys("C-c")
    assert_restored(b.exit_report())


def test_a_korean_query_finds_its_category_and_esc_clears_then_cancels(browser, many_categories):
    b = browser(width=80, height=24)
    b.wait_for("222-dialogue")
    b.keys("c")
    b.wait_for("of 21")
    b.type("space")
    b.wait_for("1 of 21")
    b.escape()
    b.wait_for("21 of 21")
    b.escape()
    b.wait_gone("Filter by category")
    b.keys("c")
    b.wait_for("of 21")
    b.type("협력")
    b.wait_for("1 of 21")
    b.keys("Enter")
    screen = b.wait_for("category: 기후 협력")
    assert "made-up-12" in screen and "222-dialogue" not in screen, screen
    b.keys("C-c")
    assert_restored(b.exit_report())
