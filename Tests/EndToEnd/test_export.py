"""`ptrack export`: the JSON form rebuilds the tracker exactly; the Taskwarrior form is
accepted by the real `task import` (Debian's taskwarrior, installed by `make test`)."""

import json
import os
import pathlib
import subprocess

from conftest import BUNDLED_COUNT, CATALOG, CHANGES


def test_json_rebuilds_the_tracker(ptrack, data_dir, tmp_path):
    """catalog.json from the export's catalog members and changes.jsonl from its `changes`
    make a tracker whose every item, status and change is the original's."""
    ptrack.ok("mark", "gsomia", "implemented", "--note", "Agreed: \"real-time\" 共有", "--source", "https://example.org/a?b=1", data=data_dir)
    ptrack.ok("edit", "dtt", "--title", "Revamp the DTT", data=data_dir)
    ptrack.ok("undo", data=data_dir)
    exported = json.loads(ptrack.ok("export", "--format", "json", data=data_dir))
    changes = exported.pop("changes")
    rebuilt = tmp_path / "rebuilt"
    rebuilt.mkdir()
    (rebuilt / CATALOG).write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    (rebuilt / CHANGES).write_text("".join(json.dumps(change, ensure_ascii=False) + "\n" for change in changes), encoding="utf-8")
    for command in (["list", "--json"], ["history", "--json"], ["show", "gsomia", "--json"], ["show", "dtt", "--json"]):
        assert ptrack.json(*command, data=rebuilt) == ptrack.json(*command, data=data_dir), command
    # Each line as ptrack writes it now: the bundled lines of schema version 1 in version 2.
    original = [dict(json.loads(line), schemaVersion=2) for line in pathlib.Path(data_dir, CHANGES).read_text(encoding="utf-8").splitlines()]
    assert changes == original


def taskwarrior(tmp_path):
    """The environment of a private Taskwarrior: its own rc file and data folder."""
    (tmp_path / "task").mkdir(exist_ok=True)
    rc = tmp_path / "taskrc"
    rc.write_text(f"data.location={tmp_path / 'task'}\nconfirmation=off\nverbose=nothing\n")
    return {**os.environ, "TASKRC": str(rc), "HOME": str(tmp_path)}


def task(env, *args):
    result = subprocess.run(["task", *args], capture_output=True, text=True, env=env)
    assert result.returncode == 0, (args, result.stderr)
    return result.stdout


def test_taskwarrior_imports_the_export(ptrack, data_dir, tmp_path):
    ptrack.ok("mark", "dtt", "implemented", "--note", "Talks revamped; \"2+2\" & more", "--source", "kwon-2021", data=data_dir)
    path = tmp_path / "tasks.json"
    ptrack.ok("export", "--format", "taskwarrior", "--output", path, data=data_dir)
    env = taskwarrior(tmp_path)
    task(env, "import", str(path))
    task(env, "import", str(path))                           # the same uuids: updated, not added
    tasks = {entry["description"]: entry for entry in json.loads(task(env, "export"))}
    items = ptrack.json("list", "--json", data=data_dir)
    assert len(tasks) == len(items) == BUNDLED_COUNT
    implemented = {item["title"] for item in items if item["status"] == "implemented"}
    assert {title for title, entry in tasks.items() if entry["status"] == "completed"} == implemented
    dtt = tasks["Revamp the Defence Trilateral Talks (DTT)"]
    assert dtt["project"] == "ncafp-2021" and {"implemented", "US", "Japan", "ROK"} <= set(dtt["tags"])
    # One annotation per status change in effect (a reverted one is not annotated).
    history = [change for change in ptrack.json("show", "dtt", "--json", data=data_dir)["history"]
               if change["kind"] == "status" and not change["reverted"]]
    assert len(dtt["annotations"]) == len(history)
    assert sorted(a["description"].split(" ", 1)[0] for a in dtt["annotations"]) == sorted(c["happened"] for c in history)
    assert dtt["annotations"][-1]["description"].endswith("Talks revamped; \"2+2\" & more Source: kwon-2021")
    assert all(entry["status"] == "pending" for title, entry in tasks.items() if title not in implemented)
