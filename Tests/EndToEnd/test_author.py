"""Who recorded a change: every new change keeps its author — `--author`, else the
configuration's `author`, else git's `user.name` for the data directory, else the login
name — and history, show and the reports say it. Lines written before carry none."""

import json
import pwd
import os
import subprocess

from conftest import log_changes

NOTE = "A made-up test event."


def write_config(home, **keys):
    path = home / ".config" / "ptrack"
    path.mkdir(parents=True, exist_ok=True)
    (path / "config.json").write_text(json.dumps(keys))


def last_author(data_dir):
    return log_changes(data_dir)[-1].get("author")


def test_the_configuration_names_the_author(ptrack, home, data_dir):
    write_config(home, author="A. Made-Up Analyst")
    ptrack.ok("mark", "dtt", "partial", "--note", NOTE, data=data_dir)
    assert last_author(data_dir) == "A. Made-Up Analyst"


def test_git_user_name_of_the_data_directory(ptrack, tmp_path):
    tracker = tmp_path / "shared"
    who = {"GIT_AUTHOR_NAME": "Committer", "GIT_AUTHOR_EMAIL": "c@example.org",
           "GIT_COMMITTER_NAME": "Committer", "GIT_COMMITTER_EMAIL": "c@example.org"}
    ptrack.ok("init", "--git", tracker, env=who)
    subprocess.run(["git", "-C", str(tracker), "config", "user.name", "Made-Up Git User"], check=True)
    ptrack.ok("review", "dtt", "--note", NOTE, data=tracker)
    assert last_author(tracker) == "Made-Up Git User"


def test_the_login_name_without_configuration_or_git(ptrack, data_dir):
    ptrack.ok("watch", "dtt", data=data_dir, env={"PATH": "/nonexistent"})
    assert last_author(data_dir) == pwd.getpwuid(os.getuid()).pw_name


def test_git_is_asked_only_for_a_data_directory_in_a_repository(ptrack, home, data_dir):
    """A global user.name does not name the author of a tracker git does not share: no child
    process is started for it, and the login name is used."""
    (home / ".gitconfig").write_text("[user]\n\tname = Made-Up Global Name\n")
    ptrack.ok("watch", "dtt", data=data_dir)
    assert last_author(data_dir) == pwd.getpwuid(os.getuid()).pw_name


def test_author_option_overrides_everything(ptrack, home, data_dir):
    write_config(home, author="Configured")
    for args in (["mark", "dtt", "implemented"], ["review", "gsomia"], ["unwatch", "dtt"], ["watch", "dtt"],
                 ["edit", "dtt", "--title", "A made-up title"], ["undo"]):
        ptrack.ok(*args, "--author", "Given Name", data=data_dir)
        assert last_author(data_dir) == "Given Name", args


def test_history_show_and_reports_say_who(ptrack, data_dir):
    ptrack.ok("mark", "dtt", "implemented", "--date", "2024-03", "--note", NOTE,
              "--source", "https://example.org/made-up", "--author", "A. Made-Up Analyst", data=data_dir)
    history = ptrack.json("history", "dtt", "--json", data=data_dir)
    assert [entry["author"] for entry in history if entry["note"] == NOTE] == ["A. Made-Up Analyst"]
    assert all(entry["author"] is None for entry in history if entry["note"] != NOTE)   # the bundled lines have none
    assert "by A. Made-Up Analyst" in ptrack.ok("history", "dtt", data=data_dir)
    shown = ptrack.json("show", "dtt", "--json", data=data_dir)["history"]
    assert [entry["author"] for entry in shown if entry["note"] == NOTE] == ["A. Made-Up Analyst"]
    assert "by A. Made-Up Analyst" in ptrack.ok("show", "dtt", data=data_dir, env={"COLUMNS": "200"})
    for fmt, expected in (("text", "by A. Made-Up Analyst"), ("markdown", "Recorded by A. Made-Up Analyst."),
                          ("html", "<small>by A. Made-Up Analyst</small>")):
        report = ptrack.ok("report", "--evidence", "--format", fmt, data=data_dir, env={"COLUMNS": "200"})
        assert expected in report, fmt
    report = ptrack.json("report", "--evidence", "--format", "json", data=data_dir)
    assert [entry["author"] for entry in report["evidence"]["dtt"] if entry["note"] == NOTE] == ["A. Made-Up Analyst"]


def test_an_author_with_control_characters_is_shown_safely(ptrack, data_dir):
    ptrack.ok("review", "dtt", "--author", "Evil\x1b[2JName", data=data_dir)
    shown = ptrack.ok("history", "dtt", data=data_dir)
    assert "\x1b" not in shown and "by Evil^[[2JName" in shown


def test_lines_without_an_author_read_as_before(ptrack, data_dir):
    assert all("author" not in line for line in log_changes(data_dir))
    history = ptrack.json("history", "--json", data=data_dir)
    assert history and all(entry["author"] is None for entry in history)
    recorded = [line for line in ptrack.ok("history", "gsomia", data=data_dir).splitlines() if ", recorded " in line]
    assert recorded and all(line.endswith("Z") for line in recorded)
