"""New since you last looked: the browser remembers, per user and outside the shared data,
the changes it showed; `ptrack news` lists the others — here a change another analyst made in
a clone, pulled back with git — and `--mark-seen` counts them as seen."""

import shutil
import subprocess

import pytest

from conftest import file_hashes
from terminal import Browser

WHO = {"GIT_AUTHOR_NAME": "Analyst", "GIT_AUTHOR_EMAIL": "analyst@example.org",
       "GIT_COMMITTER_NAME": "Analyst", "GIT_COMMITTER_EMAIL": "analyst@example.org"}
NOTE = "A made-up test event in the clone."


def git(directory, *args):
    result = subprocess.run(["git", "-C", str(directory), *args], capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(directory), **WHO})
    assert result.returncode == 0, (args, result.stderr)
    return result


def seen_files(home):
    return sorted((home / ".local" / "state" / "ptrack" / "seen").glob("*"))


@pytest.fixture(params=["fast-forward", "merge", "rebase"])
def pulled(request, ptrack, tmp_path):
    """A tracker made with `ptrack init --git` whose user has looked (`news --mark-seen`),
    then a clone's mark pulled back into it — by a fast-forward, or, after a change of its
    own, by a merge (the log's union merge) or a rebase: returns the first tracker."""
    first = tmp_path / "first"
    ptrack.ok("init", "--git", first, env=WHO)
    assert ptrack.ok("news", data=first) == "Nothing new since you last looked\n"
    second = tmp_path / "second"
    subprocess.run(["git", "clone", "--quiet", str(first), str(second)], check=True, capture_output=True)
    ptrack.ok("mark", "dtt", "partial", "--note", NOTE, "--author", "Second Analyst", data=second)
    git(second, "commit", "--quiet", "-am", "dtt partial")
    if request.param != "fast-forward":
        ptrack.ok("mark", "gsomia", "stalled", "--note", "A made-up test event in the first copy.", data=first)
        git(first, "commit", "--quiet", "-am", "gsomia stalled")
    ptrack.ok("news", "--mark-seen", data=first)
    how = {"fast-forward": "--ff-only", "merge": "--no-rebase", "rebase": "--rebase"}[request.param]
    git(first, "pull", "--quiet", how, str(second), git(second, "rev-parse", "--abbrev-ref", "HEAD").stdout.strip())
    return first


def test_news_lists_a_change_pulled_from_a_clone(ptrack, pulled):
    out = ptrack.ok("news", data=pulled, env={"COLUMNS": "200"})
    assert out.startswith("1 new since you last looked\n")
    assert "dtt" in out and "partial" in out and NOTE in out and "by Second Analyst" in out
    [entry] = ptrack.json("news", "--json", data=pulled)
    assert entry["id"] == "dtt" and entry["status"] == "partial" and entry["author"] == "Second Analyst"
    assert entry["note"] == NOTE and entry["happened"]


def test_news_reads_only_unless_mark_seen_then_nothing_is_new(ptrack, home, pulled):
    before = file_hashes(home / ".local" / "state")
    ptrack.ok("news", data=pulled)
    assert file_hashes(home / ".local" / "state") == before
    assert ptrack.ok("news", "--mark-seen", data=pulled).startswith("1 new")
    assert ptrack.ok("news", data=pulled) == "Nothing new since you last looked\n"
    assert ptrack.json("news", "--json", data=pulled) == []


def test_the_seen_file_is_per_tracker_outside_the_data(ptrack, home, tmp_path, data_dir):
    assert seen_files(home) == []
    ptrack.ok("news", "--mark-seen", data=data_dir)
    other = tmp_path / "other"
    ptrack.ok("news", "--mark-seen", data=other)
    files = seen_files(home)
    assert len(files) == 2
    assert all(str(tmp_path) in f.read_text().splitlines()[0] for f in files)
    ptrack.ok("news", "--mark-seen", data=data_dir, env={"XDG_STATE_HOME": tmp_path / "state"})
    assert len(list((tmp_path / "state" / "ptrack" / "seen").glob("*"))) == 1


def test_a_damaged_seen_file_is_an_error_with_its_place(ptrack, home, data_dir):
    ptrack.ok("news", "--mark-seen", data=data_dir)
    [seen] = seen_files(home)
    seen.write_text(seen.read_text() + "not a change id\n")
    code, out, err = ptrack("news", data=data_dir)
    assert code == 65 and out == ""
    assert f"{seen}:" in err and "expected a change id" in err


@pytest.mark.skipif(shutil.which("tmux") is None, reason="never: make test installs tmux")
def test_the_browser_says_what_is_new_then_remembers_it(ptrack, home, pulled, tmp_path):
    b = Browser(ptrack, str(pulled), tmp_path)
    try:
        screen = b.wait_for("1 new since you last looked")
        assert "+ dtt" in screen
        b.keys("+")
        screen = b.wait_for("new only")
        assert "1/47 shown" in screen
        b.keys("q")
        b.exit_report()
    finally:
        b.close()
    assert ptrack.ok("news", data=pulled) == "Nothing new since you last looked\n"


@pytest.mark.skipif(shutil.which("tmux") is None, reason="never: make test installs tmux")
def test_the_first_look_finds_nothing_new_and_records_everything(ptrack, home, data_dir, tmp_path):
    b = Browser(ptrack, data_dir, tmp_path)
    try:
        b.wait_for("shown")
        assert "new since you last looked" not in b.screen()
        b.keys("q")
        b.exit_report()
    finally:
        b.close()
    assert len(seen_files(home)) == 1
    ptrack.ok("review", "gsomia", data=data_dir)                 # your own: not news to you
    ptrack.ok("review", "dtt", "--author", "Another Analyst", data=data_dir)
    out = ptrack.ok("news", data=data_dir)
    assert out.startswith("1 new since you last looked") and "dtt" in out and "gsomia" not in out
    assert ptrack.ok("news", "--author", "Another Analyst", data=data_dir).startswith("1 new"), "news for them: gsomia"
