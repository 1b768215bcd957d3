"""The configuration file, $XDG_CONFIG_HOME/ptrack/config.json (else ~/.config/ptrack):
each key takes effect, options and environment variables win over it, and a file ptrack
cannot accept is refused with its line and column, exit 78 (EX_CONFIG), nothing changed."""

import json

import pytest

from conftest import BUNDLED_COUNT, bundled_catalog, initialise


@pytest.fixture
def config(home):
    """Writes the configuration file under HOME/.config; returns its path."""
    path = home / ".config" / "ptrack" / "config.json"
    path.parent.mkdir(parents=True)

    def write(text):
        path.write_text(text if isinstance(text, str) else json.dumps(text, indent=2) + "\n", encoding="utf-8")
        return path

    return write


def test_data_directory_from_the_configuration(ptrack, home, config, tmp_path):
    config({"data": "~/trackers/trilateral"})
    code, out, err = ptrack("list", "--json")
    assert code == 0 and len(json.loads(out)) == BUNDLED_COUNT
    assert f"created a new tracker in {home}/trackers/trilateral" in err
    other = tmp_path / "other"
    assert "created a new tracker in " + str(other) in ptrack("list", env={"PTRACK_DATA": other})[2]
    explicit = tmp_path / "explicit"
    assert "created a new tracker in " + str(explicit) in ptrack("list", data=explicit)[2]


def test_xdg_config_home_is_where_the_file_is(ptrack, tmp_path, data_dir):
    (tmp_path / "xdg" / "ptrack").mkdir(parents=True)
    (tmp_path / "xdg" / "ptrack" / "config.json").write_text('{"staleDays": 7}\n')
    report = ptrack.json("report", "--format", "json", data=data_dir, env={"XDG_CONFIG_HOME": tmp_path / "xdg"})
    assert report["staleDays"] == 7


def test_stale_days_and_catalog_are_defaults_options_override(ptrack, config, data_dir):
    recommendations = bundled_catalog()["recommendations"]
    in_catalog = lambda catalog: sum(1 for r in recommendations if r["catalog"] == catalog)  # noqa: E731
    config({"staleDays": 30, "catalog": "camp-david-2"})                 # a unique prefix of the id
    report = ptrack.json("report", "--format", "json", data=data_dir)
    assert (report["staleDays"], report["provenance"]["filters"]) == (30, "catalog camp-david-2023")
    assert report["total"] == len(ptrack.json("list", "--json", data=data_dir)) == in_catalog("camp-david-2023")
    assert 0 < report["total"] < BUNDLED_COUNT
    overridden = ptrack.json("report", "--format", "json", "--stale-days", "5", "--catalog", "ncafp", data=data_dir)
    assert (overridden["staleDays"], overridden["provenance"]["filters"]) == (5, "catalog ncafp-2021")
    assert overridden["total"] == in_catalog("ncafp-2021") > 0
    diff = ptrack.json("diff", "2021", "2024", "--format", "json", data=data_dir)
    assert diff and all(change["id"] in {item["id"] for item in ptrack.json("list", "--json", data=data_dir)} for change in diff)


def test_theme_from_the_configuration_after_no_color(ptrack, config, data_dir):
    path = config({"theme": "light"})

    def in_use(*args, **kwargs):
        code, out, err = ptrack(*args, "themes", data=data_dir, **kwargs)
        assert code == 0, err
        return (out + err).split("marks the theme in use: ")[1].strip()

    assert in_use() == f"light (chosen in {path})"
    assert in_use(env={"NO_COLOR": "1"}) == "mono (NO_COLOR is set)"
    assert in_use("--theme", "high-contrast").startswith("high-contrast (chosen with --theme")


BAD = [
    ('{\n  "theme": "light",\n  "staleDay": 30\n}\n', 3, 3, 'unknown field "staleDay"'),
    ('{\n  "staleDays": "thirty"\n}\n', 2, 16, '"staleDays" must be a whole number'),
    ('{\n  "staleDays": -1\n}\n', 2, 16, '"staleDays" must not be negative'),
    ('{\n  "theme": 3\n}\n', 2, 12, '"theme" must be a string'),
    ('{\n  "data": "  "\n}\n', 2, 11, '"data" must not be empty'),
    ('{\n  "catalog": "camp",\n}\n', 2, 20, "trailing comma"),
    ('["theme"]\n', 1, 1, "as an object, found an array"),
]


@pytest.mark.parametrize("text,line,column,message", BAD, ids=[case[3] for case in BAD])
def test_a_bad_file_is_refused_with_its_place(ptrack, config, tmp_path, text, line, column, message):
    path = config(text)
    data = tmp_path / "never-created"
    for command in (["list"], ["report"], ["mark", "dtt", "partial"], ["themes"]):
        code, out, err = ptrack(*command, data=data)
        assert code == 78, (command, err)
        assert out == "" and err.startswith(f"ptrack: {path}:{line}:{column}: ") and message in err, err
        assert f"\n{line:>5} | " in err and "^" in err             # the line, and a caret under the place
    assert not data.exists()


def test_unknown_catalog_in_the_configuration_is_a_usage_error(ptrack, config, data_dir):
    config({"catalog": "nato"})
    code, _, err = ptrack("list", data=data_dir)
    assert code == 64 and "catalog" in err and "nato" in err
