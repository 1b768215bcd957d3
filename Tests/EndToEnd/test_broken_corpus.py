"""The broken-file corpus, Tests/Fixtures/broken/cases.json: every case puts one broken file
into a small valid tracker and runs a reading and a writing command on it.

A refused case must exit with its status, name `path:line:column` and show the offending
line, print nothing unsafe for a terminal, and leave every byte of the directory as it was.
A recovered or accepted case must load the rest, warn where the manifest says so, and let a
writer record a change that keeps what the manifest says it keeps."""

import json
import os
import pathlib
import re
import resource
import shutil
import time

import pytest

from conftest import CATALOG, CHANGES, NOBODY, REPO, SNAPSHOT, file_hashes, privilege_drop

CORPUS = REPO / "Tests" / "Fixtures" / "broken"
MANIFEST = json.loads((CORPUS / "cases.json").read_text(encoding="utf-8"))
CASES = {case["name"]: case for case in MANIFEST["cases"]}
READ_COMMANDS = MANIFEST["commands"]["read"]
WRITE_COMMAND = MANIFEST["commands"]["write"]
WRITE_NOTE = WRITE_COMMAND[WRITE_COMMAND.index("--note") + 1]
# Files of the corpus that no case names.
OWN_FILES = {"cases.json", ".gitattributes"}

# What the run saw, printed at the end.
FIGURES = {"cases": 0, "refused": 0, "refused-to-write": 0, "recovered": 0, "accepted": 0, "commands": 0, "seconds": 0.0}

FIFTY_MEGABYTES = 50 * 1024 * 1024


# ---------------------------------------------------------------- generators


def generate_directory(path):
    path.mkdir()
    (path / "inside.txt").write_text("a file inside\n")


def generate_dangling_symlink(path):
    path.symlink_to("missing-target")


def generate_unreadable(path):
    path.chmod(0)


def generate_deep_nesting(path):
    """A member whose value opens 100,000 arrays (and never closes them)."""
    if path.name == CATALOG:
        path.write_bytes(b'{"schemaVersion": 1, "catalogs": ' + b"[" * 100_000 + b"\n")
    else:
        with path.open("ab") as log:
            log.write(b'{"changeId":"deep","note":' + b"[" * 100_000 + b"\n")


def generate_string_50mb(path):
    """A 50 MB string: as a horizon in the catalog (refused); as a note in the log (accepted)."""
    text = b"x" * FIFTY_MEGABYTES
    if path.name == CATALOG:
        data = path.read_bytes()
        path.write_bytes(data.replace(b'"horizon": "ongoing"', b'"horizon": "' + text + b'"', 1))
    else:
        with path.open("ab") as log:
            log.write(b'{"changeId":"base-long-1","happened":"2024-02","id":"gsomia","kind":"review","note":"' + text
                      + b'","recorded":"2024-02-01T00:00:00Z","schemaVersion":1}\n')


def generate_stale(path):
    """The snapshot with every status changed and a catalog size that no longer matches."""
    lines = path.read_bytes().split(b"\n")
    header = json.loads(lines[0])
    header["catalogFile"]["size"] += 1
    lines[0] = json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    path.write_bytes(re.sub(rb'"status":"[a-z-]+"', b'"status":"reversed"', b"\n".join(lines)))


GENERATORS = {
    "directory": generate_directory,
    "dangling-symlink": generate_dangling_symlink,
    "unreadable": generate_unreadable,
    "deep-nesting": generate_deep_nesting,
    "string-50mb": generate_string_50mb,
    "stale": generate_stale,
}

# Generators that need the file as the tracker had it; the others replace it.
KEEPS_FILE = {"unreadable", "deep-nesting", "string-50mb", "stale"}


# ---------------------------------------------------------------- setting a case up


def valid_tracker(ptrack, base):
    """The corpus's base tracker with one change recorded, so a snapshot and a seal exist."""
    directory = pathlib.Path(base, "data")
    directory.mkdir()
    for name in (CATALOG, CHANGES):
        shutil.copyfile(CORPUS / MANIFEST["base"] / name, directory / name)
    ptrack.ok("mark", "dtt", "in-progress", "--note", "before the damage", data=directory)
    assert (directory / SNAPSHOT).exists()
    return directory


def damage(directory, case):
    """Puts the case's broken file in place; returns the bytes it holds (None for no file)."""
    path = directory / case["file"]
    generator = case.get("generate")
    if generator not in KEEPS_FILE:
        path.unlink()
    if generator:
        GENERATORS[generator](path)
    else:
        path.write_bytes((CORPUS / case["fixture"]).read_bytes())
    return path.read_bytes() if path.is_file() and generator != "unreadable" else None


def hand_to_nobody(directory):
    """As root, gives the directory to the unprivileged user the commands then run as."""
    if os.geteuid() == 0:
        for name in [*os.listdir(directory), ""]:
            os.chown(directory / name, NOBODY, NOBODY, follow_symlinks=False)


# ---------------------------------------------------------------- what the output must be


def assert_safe(stream):
    """Valid UTF-8 with no control characters but the line break (so no escape sequence, no
    carriage return, no NUL) and no C1 controls."""
    text = stream.decode("utf-8")
    unsafe = [c for c in text if (ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) <= 0x9F]
    assert not unsafe, f"unsafe characters {unsafe!r} in {stream[:300]!r}"
    return text


def location(directory, case):
    at = case.get("at")
    return f"{directory}/{case['file']}" + (f":{at}" if at else "")


def assert_excerpt(err, case):
    """The line a message is about, shown under it as `LINE | text`, with a caret under the
    column when there is one."""
    at = case.get("at")
    if not at or "shows" not in case:
        return
    line, _, column = at.partition(":")
    lines = err.split("\n")
    shown = [i for i, text in enumerate(lines) if re.match(rf"^ *{line} \| ", text)]
    assert shown, f"the offending line is not shown: {err!r}"
    text = lines[shown[0]]
    assert case["shows"] in text, (case["shows"], text)
    if column:
        caret = lines[shown[0] + 1]
        assert re.match(r"^ *\| *\^$", caret), caret
        assert len(text) <= 120 + len(line) + 3


def assert_refused(ptrack, directory, case, prefix, commands):
    before = file_hashes(directory)
    for args in commands:
        code, out, err = ptrack(*args, data=directory, raw=True, prefix=prefix)
        FIGURES["commands"] += 1
        assert code == case["exit"], (args, err[:2000])
        assert out == b""
        text = assert_safe(err)
        assert text.startswith(f"ptrack: {location(directory, case)}: "), (args, text[:2000])
        assert case["message"] in text.split("\n")[0], (args, text[:2000])
        assert_excerpt(text, case)
        assert file_hashes(directory) == before, args


def assert_loads(ptrack, directory, case, prefix):
    """The reading commands succeed, say what the manifest says, see what a replay of the
    log sees and change nothing."""
    replayed = directory.parent / "replayed"
    shutil.copytree(directory, replayed, symlinks=True)
    snapshot = replayed / SNAPSHOT
    if snapshot.is_dir():
        shutil.rmtree(snapshot)
    else:
        snapshot.unlink(missing_ok=True)
    if case.get("unprivileged"):
        hand_to_nobody(replayed)
    expected = ptrack.json("list", "--json", data=replayed, prefix=prefix)
    assert ptrack.json("list", "--json", data=directory, prefix=prefix) == expected
    before = file_hashes(directory)
    for args in READ_COMMANDS:
        code, out, err = ptrack(*args, data=directory, raw=True, prefix=prefix)
        FIGURES["commands"] += 1
        assert code == 0, (args, err[:2000])
        assert out
        assert_safe(out)
        text = assert_safe(err)
        if "warning" in case:
            assert text.startswith(f"ptrack: {location(directory, case)}: {case['warning']}"), (args, text)
            assert_excerpt(text, case)
        else:
            assert "ptrack:" not in text, (args, text)
        assert file_hashes(directory) == before, args


def assert_writes(ptrack, directory, case, broken, prefix):
    """The writing command records its change on top of what the case keeps."""
    catalog = (directory / CATALOG).read_bytes()
    log = (directory / CHANGES).read_bytes()
    code, out, err = ptrack(*WRITE_COMMAND, data=directory, raw=True, prefix=prefix)
    FIGURES["commands"] += 1
    assert code == 0, err[:2000]
    text = assert_safe(err)
    if "repair" in case:
        assert text == f"ptrack: {directory}/{case['file']}: {case['repair']}\n"
    else:
        assert text == ""
    assert (directory / CATALOG).read_bytes() == catalog
    kept = broken[: case.get("keeps", len(broken))] if case["file"] == CHANGES else log
    after = (directory / CHANGES).read_bytes()
    assert after.startswith(kept)
    added = after[len(kept):]
    if kept and not kept.endswith(b"\n"):
        assert added.startswith(b"\n")
        added = added[1:]
    assert added.count(b"\n") == 1 and added.endswith(b"\n")
    assert json.loads(added)["note"] == WRITE_NOTE
    listed = {item["id"]: item["status"] for item in ptrack.json("list", "--json", data=directory, prefix=prefix)}
    assert listed["gsomia"] == "stalled"


def test_corpus_is_complete():
    """At least 40 cases, each with a unique name and a known generator, and no fixture file
    that no case names."""
    cases = MANIFEST["cases"]
    assert len(cases) >= 40
    assert len(CASES) == len(cases)
    assert {case["file"] for case in cases} == {CATALOG, CHANGES, SNAPSHOT}
    assert set(MANIFEST["generators"]) == set(GENERATORS)
    named = {case["fixture"] for case in cases if "fixture" in case}
    for case in cases:
        assert ("fixture" in case) != ("generate" in case), case["name"]
        assert case.get("generate", "directory") in GENERATORS, case["name"]
        assert case["outcome"] in ("refused", "refused-to-write", "recovered", "accepted"), case["name"]
        assert not case["outcome"].startswith("refused") or {"exit", "message"} <= set(case), case["name"]
    on_disk = {str(path.relative_to(CORPUS)) for path in CORPUS.rglob("*") if path.is_file()}
    base = {f"{MANIFEST['base']}/{name}" for name in (CATALOG, CHANGES)}
    assert on_disk - named - base - OWN_FILES == set(), "fixtures no case names"
    assert named - on_disk == set(), "cases whose fixture is missing"


@pytest.mark.parametrize("name", list(CASES))
def test_case(ptrack, shared_base, name):
    case = CASES[name]
    started = time.monotonic()
    directory = valid_tracker(ptrack, shared_base)
    if case.get("snapshot") is False:
        (directory / SNAPSHOT).unlink()
    broken = damage(directory, case)
    prefix = ()
    if case.get("unprivileged"):
        hand_to_nobody(directory)
        prefix = privilege_drop()
    if case["outcome"] == "refused":
        assert_refused(ptrack, directory, case, prefix, [*READ_COMMANDS, WRITE_COMMAND])
    elif case["outcome"] == "refused-to-write":
        assert_loads(ptrack, directory, case, prefix)
        assert_refused(ptrack, directory, case, prefix, [WRITE_COMMAND])
    else:
        assert_loads(ptrack, directory, case, prefix)
        assert_writes(ptrack, directory, case, broken, prefix)
    FIGURES["cases"] += 1
    FIGURES[case["outcome"]] += 1
    FIGURES["seconds"] += time.monotonic() - started


def test_memory_stays_bounded():
    """The 50 MB strings cost a few times their size, not gigabytes (the largest resident
    size of any command the corpus ran)."""
    if FIGURES["cases"] < len(CASES):
        pytest.skip("runs after the whole corpus")
    FIGURES["peak"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    assert FIGURES["peak"] < 12 * FIFTY_MEGABYTES, f"a command used {FIGURES['peak'] / 2**20:.0f} MB"


def test_figures(capsys):
    with capsys.disabled():
        print(f"\nbroken-file corpus: {FIGURES['cases']} cases ({FIGURES['refused']} refused, "
              f"{FIGURES['refused-to-write']} refused to writers, {FIGURES['recovered']} recovered, "
              f"{FIGURES['accepted']} accepted), "
              f"{FIGURES['commands']} commands, {FIGURES['seconds']:.1f} s, "
              f"largest command {FIGURES.get('peak', 0) / 2**20:.0f} MB")
