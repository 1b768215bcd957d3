"""A tracker shared through git, as two analysts share it: `ptrack init --git`, real clones,
commits, pulls and merges. The change log merges as a union of lines, so changes to
different items and to the same item both arrive, nothing conflicts, every clone agrees
on each item's status (by date happened, then date recorded, then change id), and an item
both changed is flagged for review until someone who has both looks at it."""

import hashlib
import json
import subprocess

import pytest

from conftest import BUNDLED_COUNT

WHO = {"GIT_AUTHOR_NAME": "Analyst", "GIT_AUTHOR_EMAIL": "analyst@example.org",
       "GIT_COMMITTER_NAME": "Analyst", "GIT_COMMITTER_EMAIL": "analyst@example.org"}
MONDAY = "1709510400"        # 2024-03-04
NEXT_MONDAY = "1710115200"   # 2024-03-11


def git(directory, *args, env=None, check=True):
    result = subprocess.run(["git", "-C", str(directory), *args], capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(directory), **WHO, **(env or {})})
    if check:
        assert result.returncode == 0, (args, result.stderr)
    return result


@pytest.fixture
def shared(ptrack, tmp_path):
    """The first analyst's tracker, made with `ptrack init --git`, and a bare repository they
    push it to: returns (origin, first clone)."""
    first = tmp_path / "first"
    code, out, err = ptrack("init", "--git", first, env=WHO)
    assert code == 0 and "a tracker in a git repository; committed" in out, err
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "clone", "--quiet", "--bare", str(first), str(origin)], check=True, capture_output=True)
    git(first, "remote", "add", "origin", str(origin))
    git(first, "fetch", "--quiet", "origin")
    git(first, "branch", "--quiet", "--set-upstream-to", f"origin/{branch(first)}")
    return origin, first


def branch(directory):
    return git(directory, "rev-parse", "--abbrev-ref", "HEAD").stdout.strip()


def clone(origin, directory):
    subprocess.run(["git", "clone", "--quiet", str(origin), str(directory)], check=True, capture_output=True)
    return directory


def commit_and_push(directory, message):
    git(directory, "add", "changes.jsonl")
    git(directory, "commit", "--quiet", "-m", message)
    git(directory, "push", "--quiet", "origin", "HEAD")


def status(ptrack, directory, item):
    return ptrack.json("show", item, "--json", data=directory)


def test_init_makes_a_repository_that_keeps_local_files_out(ptrack, shared):
    _, first = shared
    assert (first / ".gitattributes").read_text() == "changes.jsonl merge=union\n"
    ignored = (first / ".gitignore").read_text().splitlines()
    assert {"snapshot.jsonl", ".lock"} <= set(ignored)
    assert git(first, "ls-files").stdout.split() == [".gitattributes", ".gitignore", "catalog.json", "changes.jsonl"]
    ptrack.ok("mark", "dtt", "partial", data=first)
    assert git(first, "status", "--porcelain").stdout == " M changes.jsonl\n"   # snapshot and lock ignored
    assert git(first, "check-attr", "merge", "changes.jsonl").stdout.strip() == "changes.jsonl: merge: union"


def test_init_keeps_an_existing_tracker_and_runs_twice_alike(ptrack, tmp_path):
    directory = tmp_path / "kept"
    ptrack.ok("mark", "gsomia", "implemented", "--note", "kept", data=directory)
    before = {name: hashlib.sha256((directory / name).read_bytes()).hexdigest() for name in ("catalog.json", "changes.jsonl")}
    for _ in range(2):
        code, out, err = ptrack("init", "--git", directory, env=WHO)
        assert code == 0, err
    assert "nothing new to commit" in out
    assert before == {name: hashlib.sha256((directory / name).read_bytes()).hexdigest() for name in before}
    assert (directory / ".gitattributes").read_text().count("merge=union") == 1
    assert git(directory, "log", "--oneline").stdout.count("\n") == 1
    assert status(ptrack, directory, "gsomia")["status"] == "implemented"


def test_init_without_a_git_identity_stages_and_says_so(ptrack, tmp_path):
    directory = tmp_path / "anonymous"
    code, out, err = ptrack("init", "--git", directory, env={"GIT_CONFIG_NOSYSTEM": "1"})
    assert code == 0, err
    assert "staged but not committed" in out
    assert git(directory, "diff", "--cached", "--name-only").stdout.split() == [
        ".gitattributes", ".gitignore", "catalog.json", "changes.jsonl"]


def test_two_analysts_changing_different_items_merge_cleanly(ptrack, shared, tmp_path):
    origin, first = shared
    second = clone(origin, tmp_path / "second")
    ptrack.ok("mark", "gsomia", "implemented", "--note", "Analyst one", data=first, env={"PTRACK_NOW": MONDAY})
    commit_and_push(first, "gsomia")
    ptrack.ok("mark", "dtt", "partial", "--note", "Analyst two", data=second, env={"PTRACK_NOW": MONDAY})
    git(second, "add", "changes.jsonl")
    git(second, "commit", "--quiet", "-m", "dtt")
    pulled = git(second, "pull", "--quiet", "--no-rebase", "origin", branch(second))
    assert "CONFLICT" not in pulled.stdout + pulled.stderr
    assert status(ptrack, second, "gsomia")["status"] == "implemented"
    assert status(ptrack, second, "dtt")["status"] == "partial"
    assert len(ptrack.json("history", "--json", data=second)) == len(ptrack.json("history", "--json", data=first)) + 1
    ptrack.ok("mark", "222", "in-progress", data=second)                # the merged tracker takes new changes
    assert len(ptrack.json("list", "--json", data=second)) == BUNDLED_COUNT


def test_the_same_new_id_added_in_two_clones_is_refused_where_it_is_then_mended(ptrack, shared, tmp_path):
    origin, first = shared
    second = clone(origin, tmp_path / "second")
    ptrack.ok("add", "joint-drills", "--title", "Joint drills (one)", data=first)
    commit_and_push(first, "joint-drills, one")
    ptrack.ok("add", "joint-drills", "--title", "Joint drills (two)", data=second)
    git(second, "add", "changes.jsonl")
    git(second, "commit", "--quiet", "-m", "joint-drills, two")
    pulled = git(second, "pull", "--quiet", "--no-rebase", "origin", branch(second))
    assert "CONFLICT" not in pulled.stdout + pulled.stderr
    code, out, err = ptrack("list", data=second)
    lines = (second / "changes.jsonl").read_text().splitlines()
    adds = [number for number, line in enumerate(lines, 1) if '"kind":"add"' in line and '"joint-drills"' in line]
    assert code == 65 and out == "" and len(adds) == 2
    assert f"changes.jsonl:{adds[1]}:" in err and '"joint-drills", which already exists' in err, err
    # Mended as docs/sharing.md says: one of the two lines deleted, and committed.
    (second / "changes.jsonl").write_text("".join(line + "\n" for number, line in enumerate(lines, 1) if number != adds[1]))
    git(second, "commit", "--quiet", "-am", "one joint-drills")
    kept = json.loads(lines[adds[0] - 1])["recommendation"]["title"]
    assert status(ptrack, second, "joint-drills")["title"] == kept
    assert len(ptrack.json("list", "--json", data=second)) == BUNDLED_COUNT + 1


@pytest.mark.parametrize("puller", ["first", "second"])
def test_two_analysts_changing_the_same_item_agree(ptrack, shared, tmp_path, puller):
    """Both changes are kept; whichever side merges, the later evidence wins (here the one
    that happened later, though it was recorded earlier)."""
    origin, first = shared
    second = clone(origin, tmp_path / "second")
    ptrack.ok("mark", "dtt", "implemented", "--date", "2024-02", "--note", "Talks revamped",
              data=second, env={"PTRACK_NOW": MONDAY})
    ptrack.ok("mark", "dtt", "stalled", "--date", "2024-01", "--note", "Talks paused",
              data=first, env={"PTRACK_NOW": NEXT_MONDAY})
    pusher, merger = (second, first) if puller == "first" else (first, second)
    commit_and_push(pusher, "one side")
    git(merger, "add", "changes.jsonl")
    git(merger, "commit", "--quiet", "-m", "other side")
    pulled = git(merger, "pull", "--quiet", "--no-rebase", "origin", branch(merger))
    assert "CONFLICT" not in pulled.stdout + pulled.stderr
    shown = status(ptrack, merger, "dtt")
    assert shown["status"] == "implemented"
    notes = [change["note"] for change in shown["history"]]
    assert "Talks revamped" in notes and "Talks paused" in notes
    lines = (merger / "changes.jsonl").read_text().splitlines()
    assert len(lines) == len(set(lines)) and all(json.loads(line) for line in lines)


def changed_side_by_side(ptrack, shared, tmp_path):
    """Two analysts mark dtt a week apart, each without the other's change, then the second
    merges the first's: returns the merged clone and the two change ids."""
    origin, first = shared
    second = clone(origin, tmp_path / "second")
    ptrack.ok("mark", "dtt", "stalled", "--date", "2024-01", "--note", "Talks paused", data=first, env={"PTRACK_NOW": MONDAY})
    commit_and_push(first, "one side")
    ptrack.ok("mark", "dtt", "implemented", "--date", "2024-02", "--note", "Talks revamped",
              data=second, env={"PTRACK_NOW": NEXT_MONDAY})
    git(second, "add", "changes.jsonl")
    git(second, "commit", "--quiet", "-m", "other side")
    git(second, "fetch", "--quiet", "origin")
    merged = git(second, "merge", "--no-edit", f"origin/{branch(second)}")
    assert "CONFLICT" not in merged.stdout + merged.stderr
    ids = [change["changeId"] for change in ptrack.json("history", "dtt", "--json", data=second) if change["kind"] == "status"
           and change["note"] in ("Talks paused", "Talks revamped")]
    return second, sorted(ids)


def test_an_item_both_changed_is_flagged_until_reviewed(ptrack, shared, tmp_path):
    merged, ids = changed_side_by_side(ptrack, shared, tmp_path)
    shown = status(ptrack, merged, "dtt")
    assert shown["status"] == "implemented" and sorted(shown["changedSideBySide"]) == ids
    assert status(ptrack, merged, "gsomia")["changedSideBySide"] == []
    text = ptrack.ok("show", "dtt", data=merged, env={"COLUMNS": "200"})
    assert "Changed side by side" in text and "stalled as of 2024-01" in text and "implemented as of 2024-02" in text
    ptrack.ok("review", "dtt", "--note", "Revamped: the pause was before the February talks", data=merged)
    assert status(ptrack, merged, "dtt")["changedSideBySide"] == []
    assert "Changed side by side" not in ptrack.ok("show", "dtt", data=merged)


def test_the_browser_flags_an_item_both_changed_and_a_mark_clears_it(ptrack, shared, tmp_path):
    from terminal import Browser
    merged, _ = changed_side_by_side(ptrack, shared, tmp_path)
    b = Browser(ptrack, merged, tmp_path, width=120, height=40)
    try:
        screen = b.wait_for("dtt")
        row = next(line for line in screen.splitlines() if " dtt " in line)
        assert row.lstrip().startswith("!"), row
        b.keys("3")                               # the dashboard names it first
        b.wait_for("! Changed side by side (1)")
        b.keys("1")
        b.keys("/")
        b.type("dtt")
        b.keys("Enter")
        screen = b.wait_for("Changed side by side")
        assert "Talks paused" in screen and "Talks revamped" in screen
        b.keys("m")
        b.wait_for("Mark dtt")
        b.keys("4")                               # implemented: the analyst settles it
        b.wait_for("Mark dtt")
        b.keys("Enter")
        b.wait_for("Saved: dtt")
        b.wait_gone("Changed side by side")
    finally:
        b.close()
    assert status(ptrack, merged, "dtt")["changedSideBySide"] == []
