"""`ptrack themes`: the bundled themes, the user's own in $XDG_CONFIG_HOME/ptrack/themes, which
one is in use, and broken theme files reported as `path:line:column` with exit status 65."""

import json
import pathlib

import pytest

from conftest import REPO, STATUSES

BUNDLED = ["default", "light", "high-contrast", "mono"]
ROLES = ["normal", "muted", "header", "border", "selection", "accent", "search-match", "status-line", "error",
         "watched"] + [f"status.{status}" for status in STATUSES]

BROKEN = """{
  "schemaVersion": 1,
  "name": "broken",
  "roles": {
    "normal": {},
    "selection": {"reverse": true, "bg": "#12345"}
  }
}
"""


@pytest.fixture
def config(tmp_path):
    """An empty $XDG_CONFIG_HOME; its themes folder is config / "ptrack" / "themes"."""
    path = tmp_path / "config"
    (path / "ptrack" / "themes").mkdir(parents=True)
    return path


def themes_env(config, **extra):
    env = {"XDG_CONFIG_HOME": config, "PTRACK_THEME": None, "NO_COLOR": None}
    env.update(extra)
    return env


def write_theme(config, file_name, text):
    path = config / "ptrack" / "themes" / file_name
    path.write_text(text, encoding="utf-8")
    return path


def user_theme(name, description, implemented="bright-red"):
    return json.dumps({
        "schemaVersion": 1,
        "name": name,
        "description": description,
        "roles": {"normal": {}, "status.implemented": {"fg": implemented, "bold": True}},
    }, indent=2, sort_keys=True) + "\n"


def listed(ptrack, config, *args, **extra):
    return ptrack.json("themes", "--json", *args, env=themes_env(config, **extra))


def test_lists_the_four_bundled_themes(ptrack, config):
    code, out, err = ptrack("themes", env=themes_env(config))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "ORIGIN", "DESCRIPTION"]
    names = [line[2:].split()[0] for line in lines[1:] if line[:2] in ("  ", "* ") and line[2] != " "]
    assert names == BUNDLED
    # default is in use, and each theme shows its statuses in words.
    assert lines[1].startswith("* default ")
    assert "implemented bright-green bold" in lines[2]
    assert "reversed bold reverse" in out
    assert "marks the theme in use: default" in err


def test_json_lists_every_theme_with_its_roles(ptrack, config):
    themes = listed(ptrack, config)
    assert [theme["name"] for theme in themes] == BUNDLED
    for theme in themes:
        assert theme["origin"] == "bundled"
        assert theme["error"] is None
        assert theme["description"]
        assert sorted(theme["roles"]) == sorted(ROLES)
        assert sorted(theme["statuses"]) == sorted(STATUSES)
    assert [theme["active"] for theme in themes] == [True, False, False, False]
    mono = themes[3]
    assert all("fg" not in paint and "bg" not in paint for paint in mono["roles"].values())
    assert mono["statuses"]["implemented"] == "bold"


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_files_are_canonical(name):
    path = REPO / "Themes" / f"{name}.json"
    text = path.read_text(encoding="utf-8")
    document = json.loads(text)
    assert text == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert document["name"] == name and document["schemaVersion"] == 1
    assert sorted(document["roles"]) == sorted(ROLES)


def test_the_theme_in_use_follows_the_precedence(ptrack, config):
    def active(*args, **extra):
        return [theme["name"] for theme in listed(ptrack, config, *args, **extra) if theme["active"]]

    assert active() == ["default"]
    assert active(NO_COLOR="1") == ["mono"]
    assert active(PTRACK_THEME="light", NO_COLOR="1") == ["light"]
    assert active("--theme", "high-contrast", PTRACK_THEME="light", NO_COLOR="1") == ["high-contrast"]


def test_a_theme_given_by_its_path_is_listed_and_marked(ptrack, config, tmp_path):
    path = tmp_path / "elsewhere.json"
    path.write_text(user_theme("elsewhere", "Not in the themes folder."), encoding="utf-8")
    themes = listed(ptrack, config, "--theme", str(path))
    assert themes[-1]["origin"] == str(path)
    assert themes[-1]["name"] == "elsewhere"
    assert themes[-1]["active"] is True
    assert [theme["name"] for theme in themes if theme["active"]] == ["elsewhere"]


def test_a_broken_user_theme_gives_exit_65_and_its_position(ptrack, config):
    path = write_theme(config, "broken.json", BROKEN)
    write_theme(config, "mine.json", user_theme("mine", "Mine."))
    code, out, err = ptrack("themes", env=themes_env(config))
    assert code == 65
    expected = (f'ptrack: {path}:6:42: invalid color "#12345" for "bg" '
                f'(expected a color name such as red or bright-blue, default, 0–255 or "#rrggbb")')
    assert expected in err.splitlines()
    # The rest are still listed, the broken one marked as broken.
    for name in BUNDLED + ["mine"]:
        assert f" {name} " in out
    assert "broken: not usable" in out

    code, out, err = ptrack("themes", "--json", env=themes_env(config))
    assert code == 65
    assert expected in err.splitlines()
    themes = json.loads(out)
    assert [theme["name"] for theme in themes] == BUNDLED + ["broken", "mine"]
    broken = themes[4]
    assert broken["error"] == expected.removeprefix("ptrack: ")
    assert broken["roles"] is None and broken["active"] is False


def test_choosing_a_broken_theme_falls_back_to_default_with_a_warning(ptrack, config):
    path = write_theme(config, "broken.json", BROKEN)
    code, out, err = ptrack("themes", "--json", env=themes_env(config, PTRACK_THEME="broken"))
    assert code == 65
    assert [theme["name"] for theme in json.loads(out) if theme["active"]] == ["default"]
    assert f"ptrack: cannot use theme {path}:6:42: invalid color" in err
    assert err.rstrip().endswith("; using the default theme")


def test_an_unknown_theme_name(ptrack, config):
    code, out, err = ptrack("themes", "--theme", "solarized", env=themes_env(config))
    assert code == 64
    assert 'no theme named "solarized" (themes: default, high-contrast, light, mono); using the default theme' in err
    code, out, err = ptrack("themes", env=themes_env(config, PTRACK_THEME="solarized"))
    assert code == 0
    assert 'no theme named "solarized"' in err


def test_a_user_theme_overrides_a_bundled_name(ptrack, config):
    path = write_theme(config, "light.json", user_theme("light", "My own light."))
    themes = listed(ptrack, config)
    assert [theme["name"] for theme in themes] == BUNDLED
    light = themes[1]
    assert light["origin"] == str(path)
    assert light["overridesBundled"] is True
    assert light["description"] == "My own light."
    assert light["roles"]["status.implemented"] == {"fg": "bright-red", "bold": True}
    # Roles the file leaves out look like normal.
    assert light["roles"]["selection"] == {}

    out = ptrack.ok("themes", env=themes_env(config))
    row = next(line for line in out.splitlines() if line[2:].startswith("light "))
    assert str(path) in row and "My own light. (replaces the bundled theme)" in row

    chosen = listed(ptrack, config, PTRACK_THEME="light")
    assert [(theme["origin"], theme["active"]) for theme in chosen if theme["name"] == "light"] == [(str(path), True)]


def test_a_theme_named_differently_from_its_file_is_broken(ptrack, config):
    path = write_theme(config, "ours.json", user_theme("theirs", "Copied."))
    code, out, err = ptrack("themes", env=themes_env(config))
    assert code == 65
    assert (f'ptrack: {path}:3:11: the theme is called "theirs" but its file is ours.json; '
            f'the two names must match') in err.splitlines()


def test_xdg_config_home_must_be_absolute(ptrack, home, config):
    themes = home / ".config" / "ptrack" / "themes"
    themes.mkdir(parents=True)
    (themes / "homely.json").write_text(user_theme("homely", "From HOME."), encoding="utf-8")
    names = [theme["name"] for theme in ptrack.json("themes", "--json", env={"XDG_CONFIG_HOME": "relative/dir"})]
    assert names == BUNDLED + ["homely"]
    names = [theme["name"] for theme in ptrack.json("themes", "--json", env={"XDG_CONFIG_HOME": None})]
    assert names == BUNDLED + ["homely"]


def test_hostile_descriptions_are_not_sent_to_the_terminal(ptrack, config):
    write_theme(config, "evil.json", user_theme("evil", "Evil \u001b[2J\u202e text"))
    out = ptrack.ok("themes", env=themes_env(config))
    assert "\u001b" not in out and "\u202e" not in out
    assert "Evil ^[[2J<U+202E> text" in out


DOCS = REPO / "docs" / "themes.md"


def test_the_documented_example_is_a_valid_theme(ptrack, config, tmp_path):
    text = DOCS.read_text(encoding="utf-8")
    example = text.split("## A complete example", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    document = json.loads(example)
    assert sorted(document["roles"]) == sorted(ROLES)
    path = tmp_path / "dusk.json"
    path.write_text(example, encoding="utf-8")
    themes = listed(ptrack, config, "--theme", str(path))
    dusk = themes[-1]
    assert (dusk["name"], dusk["origin"], dusk["active"], dusk["error"]) == ("dusk", str(path), True, None)
    assert dusk["roles"]["status.not-started"] == {"dim": True}
    assert dusk["roles"]["selection"] == {"bg": "#005f87", "bold": True, "fg": "bright-white"}


def test_the_documentation_lists_every_role(ptrack, config):
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Roles", 1)[1].split("\n## ", 1)[0]
    documented = [line.split("`")[1] for line in section.splitlines() if line.startswith("| `")]
    assert documented == ROLES
