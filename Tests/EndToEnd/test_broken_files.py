"""Broken data directories: ptrack must refuse them with the exact place of the problem
(`path:line:column: message`) and change nothing, not even its snapshot cache."""

import json
import os
import pathlib

import pytest

from conftest import CATALOG, CHANGES, SNAPSHOT, file_hashes, initialise, log_changes, log_lines

COMMANDS = [["list"], ["show", "gsomia"], ["mark", "gsomia", "stalled"]]
COMMAND_IDS = ["list", "show", "mark"]


def position(data, offset):
    """1-based line and column (counted in Unicode scalars: bytes that do not continue a
    UTF-8 sequence) of a byte offset."""
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    column = 1 + sum(1 for byte in data[start:offset] if byte & 0xC0 != 0x80)
    return line, column


class Expect:
    """What ptrack must say about a broken directory: a message at the place of a byte offset."""

    def __init__(self, name, message, offset, data):
        self.name = name
        self.message = message
        self.line, self.column = position(data, offset)

    def location(self, directory):
        return f"{directory}/{self.name}:{self.line}:{self.column}"


def replace_once(data, old, new, start=0):
    index = data.index(old, start)
    return data[:index] + new + data[index + len(old):], index




def set_log_line(directory, number, transform):
    """Replaces line `number` (1-based) of changes.jsonl with transform(line); returns the
    new file bytes and the offset where that line starts."""
    path = pathlib.Path(directory, CHANGES)
    lines = path.read_bytes().split(b"\n")
    new_line = transform(lines[number - 1])
    assert len(new_line) != len(lines[number - 1]), "keep the snapshot from covering the change"
    lines[number - 1] = new_line
    data = b"\n".join(lines)
    path.write_bytes(data)
    return data, sum(len(line) + 1 for line in lines[: number - 1])


# ------------------------------------ beyond the corpus (Tests/Fixtures/broken)
# Columns counted in characters on a full-size file, and a duplicate past the snapshot.


def catalog_invalid_utf8(directory):
    data = pathlib.Path(directory, CATALOG).read_bytes()
    # After a multi-byte character on the same line, so the column counts characters, not bytes.
    new, index = replace_once(data, "Navy–MSDF".encode(), "Navy–".encode() + b"\xffSDF")
    pathlib.Path(directory, CATALOG).write_bytes(new)
    bad = index + len("Navy–".encode())
    return Expect(CATALOG, "invalid UTF-8 in a string", bad, new)








def change_invalid_utf8(directory):
    new, start = set_log_line(directory, 7, lambda line: line.replace(b'"note":"', "\"note\":\"é–".encode() + b"\xc3\x28"))
    bad = new.index(b"\xc3\x28", start)
    return Expect(CHANGES, "invalid UTF-8 in a string", bad, new)








def duplicate_change_id_appended(directory):
    """A line repeated at the end (as a careless merge leaves it): past the snapshot."""
    path = pathlib.Path(directory, CHANGES)
    data = path.read_bytes()
    repeated = log_lines(directory)[9]
    new = data + repeated + b"\n"
    path.write_bytes(new)
    earlier = json.loads(repeated)["changeId"]
    return Expect(CHANGES, f'duplicate changeId "{earlier}"', len(data) + len(b'{"changeId":'), new)






def catalog_link_to_an_unknown_item(directory):
    """A misspelt link target: the file reads, the whole tracker then refuses it."""
    data = pathlib.Path(directory, CATALOG).read_bytes()
    new, index = replace_once(data, b'"id": "multilevel-engagement"', b'"id": "multilevel-engagment"', data.index(b'"links": ['))
    pathlib.Path(directory, CATALOG).write_bytes(new)
    return Expect(CATALOG, 'advances "multilevel-engagment", which the tracker does not have', index + len(b'"id": '), new)


def catalog_link_to_itself(directory):
    data = pathlib.Path(directory, CATALOG).read_bytes()
    first = data.index(b'"links": [')
    owner = data[data.rindex(b'"id": "', 0, first):first].split(b'"')[3]
    new, index = replace_once(data, b'"id": "multilevel-engagement"', b'"id": "' + owner + b'"', first)
    pathlib.Path(directory, CATALOG).write_bytes(new)
    return Expect(CATALOG, f'"{owner.decode()}" advances itself', index + len(b'"id": '), new)


def change_link_to_an_unknown_item_appended(directory):
    """An edit appended by another tool, whose second link names no recommendation."""
    path = pathlib.Path(directory, CHANGES)
    data = path.read_bytes()
    edit = {"changeId": "20240301T000000Z-0123456789ab", "happened": "2024-03-01", "id": "dtt", "kind": "edit",
            "fields": {"links": [{"kind": "advances", "id": "gsomia"}, {"kind": "supersedes", "id": "nowhere"}]},
            "previous": {"links": []}, "recorded": "2024-03-01T00:00:00Z", "schemaVersion": 1}
    line = json.dumps(edit, sort_keys=True, separators=(",", ":")).encode()
    new = data + line + b"\n"
    path.write_bytes(new)
    return Expect(CHANGES, 'supersedes "nowhere", which the tracker does not have', len(data) + line.index(b'"nowhere"'), new)


CASES = {
    "catalog invalid UTF-8": catalog_invalid_utf8,
    "change invalid UTF-8": change_invalid_utf8,
    "duplicate changeId appended": duplicate_change_id_appended,
    "catalog link to an unknown item": catalog_link_to_an_unknown_item,
    "catalog link to itself": catalog_link_to_itself,
    "change link to an unknown item appended": change_link_to_an_unknown_item_appended,
}


def broken(ptrack, base, case):
    directory = initialise(ptrack, os.path.join(base, "data"))
    # A recorded change, so the snapshot and the log hold more than the bundled agenda.
    ptrack.ok("mark", "dtt", "in-progress", "--note", "before the damage", data=directory)
    assert os.path.exists(os.path.join(directory, SNAPSHOT))
    return directory, CASES[case](directory)


@pytest.mark.parametrize("args", COMMANDS, ids=COMMAND_IDS)
@pytest.mark.parametrize("case", list(CASES))
def test_refused_and_unchanged(ptrack, shared_base, case, args):
    directory, expect = broken(ptrack, shared_base, case)
    before = file_hashes(directory)
    code, out, err = ptrack(*args, data=directory)
    assert code == 65, err
    assert out == ""
    assert err.startswith(f"ptrack: {directory}/{expect.name}")
    assert expect.message in err
    assert err.split("\n")[1].lstrip().startswith(f"{expect.line} | ")    # the offending line
    assert file_hashes(directory) == before


@pytest.mark.parametrize("case", list(CASES))
def test_location_is_exact(ptrack, shared_base, case):
    directory, expect = broken(ptrack, shared_base, case)
    for args in COMMANDS:
        code, out, err = ptrack(*args, data=directory)
        assert err.startswith(f"ptrack: {expect.location(directory)}: "), (args, err)
        assert expect.message in err


# ---------------------------------------------------------------- interrupted appends


def test_torn_last_line_is_ignored_then_removed(ptrack, data_dir):
    ptrack.ok("mark", "dtt", "in-progress", data=data_dir)
    complete = pathlib.Path(data_dir, CHANGES).read_bytes()
    lines = complete.count(b"\n")
    items = len(ptrack.json("list", "--json", data=data_dir))
    gsomia = ptrack.json("show", "gsomia", "--json", data=data_dir)
    assert gsomia["status"] != "stalled"
    torn = b'{"changeId":"20240101T000000Z-torntorntorn","happened":"2024-01","id":"gsomia","kind":"status","no'
    pathlib.Path(data_dir, CHANGES).write_bytes(complete + torn)
    before = file_hashes(data_dir)
    listed = {i["id"]: i for i in ptrack.json("list", "--json", data=data_dir)}
    assert len(listed) == items
    assert listed["gsomia"]["status"] == gsomia["status"] and listed["dtt"]["status"] == "in-progress"
    code, out, err = ptrack("show", "gsomia", "--json", data=data_dir)
    assert code == 0 and json.loads(out)["history"] == gsomia["history"]
    code, out, err = ptrack("history", "--json", data=data_dir)
    assert code == 0 and len(json.loads(out)) == lines
    assert err.startswith(f"ptrack: {data_dir}/{CHANGES}:{lines + 1}: ignoring the incomplete end of the log ({len(torn)} bytes) ")
    # Readers repair nothing; they may only keep the derived snapshot (and its seal).
    after = file_hashes(data_dir)
    assert {name: after[name] for name in (CATALOG, CHANGES)} == {name: before[name] for name in (CATALOG, CHANGES)}

    code, out, err = ptrack("mark", "gsomia", "stalled", "--note", "after the crash", data=data_dir)
    assert code == 0, err
    assert out.startswith(f"gsomia: {gsomia['status']} → stalled (change ")
    assert err == (f"ptrack: {data_dir}/{CHANGES}: removed the incomplete end of the log ({len(torn)} bytes) "
                   "left by an interrupted write\n")
    data = pathlib.Path(data_dir, CHANGES).read_bytes()
    assert data.startswith(complete)
    assert b"torntorntorn" not in data
    changes = log_changes(data_dir)
    assert len(changes) == lines + 1
    assert changes[-1]["note"] == "after the crash"
    assert ptrack.json("show", "gsomia", "--json", data=data_dir)["status"] == "stalled"


# ---------------------------------------------------------------- edits the snapshot covers


@pytest.mark.parametrize("args", COMMANDS, ids=COMMAND_IDS)
def test_same_length_edit_in_place_is_noticed(ptrack, data_dir, args):
    """An earlier line rewritten in place, same length, same inode: the snapshot must not hide it."""
    path = pathlib.Path(data_dir, CHANGES)
    data = path.read_bytes()
    start = sum(len(line) + 1 for line in data.split(b"\n")[:29])
    index = data.index(b'"status":"in-progress"', start)
    inode = os.stat(path).st_ino
    with open(path, "r+b") as handle:          # in place: the inode stays
        handle.seek(index)
        handle.write(b'"status":"in-progres!"')
    assert os.stat(path).st_ino == inode and len(path.read_bytes()) == len(data)
    before = file_hashes(data_dir)
    code, out, err = ptrack(*args, data=data_dir)
    assert code == 65, err
    line = data[:index].count(b"\n") + 1
    column = len(data[data.rindex(b"\n", 0, index) + 1:index + len(b'"status":')].decode()) + 1
    assert err.startswith(f"ptrack: {data_dir}/{CHANGES}:{line}:{column}: invalid \"status\" \"in-progres!\"")
    assert file_hashes(data_dir) == before
