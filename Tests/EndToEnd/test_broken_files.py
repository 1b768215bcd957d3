"""Broken data directories: ptrack must refuse them with the exact place of the problem
(`path:line:column: message`) and change nothing, not even its snapshot cache."""

import json
import os
import pathlib
import shutil
import tempfile

import pytest

from conftest import CATALOG, CHANGES, SNAPSHOT, file_hashes, initialise, log_changes, log_lines, privilege_drop, NOBODY

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
    """What ptrack must say about a broken directory."""

    def __init__(self, name, message, offset=None, data=None, line=None, column=None, code=65):
        self.name = name
        self.message = message
        self.code = code
        if offset is not None:
            line, column = position(data, offset)
        self.line = line
        self.column = column

    def location(self, directory):
        path = f"{directory}/{self.name}"
        if self.line is None:
            return path
        if self.column is None:
            return f"{path}:{self.line}"
        return f"{path}:{self.line}:{self.column}"


def rewrite(directory, name, transform):
    path = pathlib.Path(directory, name)
    data = path.read_bytes()
    new = transform(data)
    assert new != data
    path.write_bytes(new)
    return new


def replace_once(data, old, new, start=0):
    index = data.index(old, start)
    return data[:index] + new + data[index + len(old):], index


def nth(data, needle, n):
    index = -1
    for _ in range(n):
        index = data.index(needle, index + 1)
    return index


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


# ---------------------------------------------------------------- the corpus


def truncated_catalog(directory):
    path = pathlib.Path(directory, CATALOG)
    data = path.read_bytes()
    cut = nth(data, b"\n", 40) + 1        # the first 40 whole lines
    path.write_bytes(data[:cut])
    return Expect(CATALOG, "found the end of the input", line=41, column=1)


def truncated_catalog_mid_string(directory):
    path = pathlib.Path(directory, CATALOG)
    data = path.read_bytes()
    quote = data.index(b'"Launch a trilateral')
    path.write_bytes(data[: quote + 10])
    return Expect(CATALOG, "unterminated string", quote, data[: quote + 10])


def trailing_comma(directory):
    data = pathlib.Path(directory, CATALOG).read_bytes()
    # "version" is the last member of the first catalog object.
    new, index = replace_once(data, b'"version": "2024.01"\n', b'"version": "2024.01",\n')
    pathlib.Path(directory, CATALOG).write_bytes(new)
    comma = index + len(b'"version": "2024.01"')
    return Expect(CATALOG, "trailing comma before '}'", comma, new)


def duplicate_key(directory):
    data = pathlib.Path(directory, CATALOG).read_bytes()
    title = data.index(b'      "title": "Launch a trilateral')
    line_end = data.index(b"\n", title) + 1
    inserted = b'      "title": "Second title",\n'
    new = data[:line_end] + inserted + data[line_end:]
    pathlib.Path(directory, CATALOG).write_bytes(new)
    return Expect(CATALOG, 'duplicate key "title"', line_end + 6, new)


def wrong_type(directory):
    data = pathlib.Path(directory, CATALOG).read_bytes()
    old = b'"title": "Launch a trilateral 2+2+2 dialogue of diplomats and defence officials"'
    new, index = replace_once(data, old, b'"title": 5')
    pathlib.Path(directory, CATALOG).write_bytes(new)
    return Expect(CATALOG, '"title" must be a string', index + len(b'"title": '), new)


def unknown_field_in_catalog(directory):
    data = pathlib.Path(directory, CATALOG).read_bytes()
    anchor = data.index(b'      "catalog": "ncafp-2021",\n')
    inserted = b'      "colour": "red",\n'
    new = data[:anchor] + inserted + data[anchor:]
    pathlib.Path(directory, CATALOG).write_bytes(new)
    return Expect(CATALOG, 'unknown field "colour" in a recommendation', anchor + 6, new)


def duplicate_recommendation_id(directory):
    data = pathlib.Path(directory, CATALOG).read_bytes()
    new, _ = replace_once(data, b'"id": "acceptable-functional-cooperation"', b'"id": "222-dialogue"')
    pathlib.Path(directory, CATALOG).write_bytes(new)
    # Located at the second recommendation object's opening brace.
    recommendations = new.index(b'"recommendations": [')
    second = nth(new[recommendations:], b"\n    {\n", 2) + recommendations + 5
    assert new[second:second + 1] == b"{"
    return Expect(CATALOG, 'duplicate id "222-dialogue"', second, new)


def catalog_schema_version_99(directory):
    data = pathlib.Path(directory, CATALOG).read_bytes()
    new, index = replace_once(data, b'"schemaVersion": 1,', b'"schemaVersion": 99,')
    pathlib.Path(directory, CATALOG).write_bytes(new)
    return Expect(CATALOG, "schemaVersion 99 is newer than this ptrack understands", index + len(b'"schemaVersion": '), new)


def catalog_invalid_utf8(directory):
    data = pathlib.Path(directory, CATALOG).read_bytes()
    # After a multi-byte character on the same line, so the column counts characters, not bytes.
    new, index = replace_once(data, "Navy–MSDF".encode(), "Navy–".encode() + b"\xffSDF")
    pathlib.Path(directory, CATALOG).write_bytes(new)
    bad = index + len("Navy–".encode())
    return Expect(CATALOG, "invalid UTF-8 in a string", bad, new)


def change_unknown_status(directory):
    new, start = set_log_line(directory, 30, lambda line: line.replace(b'"status":"in-progress"', b'"status":"done"'))
    value = new.index(b'"status":"done"', start) + len(b'"status":')
    return Expect(CHANGES, 'invalid "status" "done"', value, new)


def change_unknown_field(directory):
    new, start = set_log_line(directory, 12, lambda line: line.replace(b'"kind":', b'"mood":"grim","kind":'))
    return Expect(CHANGES, 'unknown field "mood" in a change', new.index(b'"mood"', start), new)


def change_schema_version_99(directory):
    new, start = set_log_line(directory, 25, lambda line: line.replace(b'"schemaVersion":1', b'"schemaVersion":99'))
    value = new.index(b'"schemaVersion":99', start) + len(b'"schemaVersion":')
    return Expect(CHANGES, "schemaVersion 99 is newer than this ptrack understands", value, new)


def change_invalid_utf8(directory):
    new, start = set_log_line(directory, 7, lambda line: line.replace(b'"note":"', "\"note\":\"é–".encode() + b"\xc3\x28"))
    bad = new.index(b"\xc3\x28", start)
    return Expect(CHANGES, "invalid UTF-8 in a string", bad, new)


def change_line_not_json(directory):
    new, start = set_log_line(directory, 20, lambda line: b"# this line is not JSON")
    return Expect(CHANGES, "expected a JSON value, found '#'", line=20, column=1)


def change_line_broken_json(directory):
    new, start = set_log_line(directory, 33, lambda line: line[:40] + b"}")
    return Expect(CHANGES, "expected ':' after the member name, found '}'", start + 40, new)


def duplicate_change_id(directory):
    lines = log_lines(directory)
    earlier = json.loads(lines[9])["changeId"]
    new, start = set_log_line(
        directory, 40, lambda line: json.dumps({**json.loads(line), "changeId": earlier}, sort_keys=True,
                                               separators=(",", ":"), ensure_ascii=False).encode())
    value = new.index(b'"changeId":', start) + len(b'"changeId":')
    return Expect(CHANGES, f'duplicate changeId "{earlier}"', value, new)


def duplicate_change_id_appended(directory):
    """A line repeated at the end (as a careless merge leaves it): past the snapshot."""
    path = pathlib.Path(directory, CHANGES)
    data = path.read_bytes()
    repeated = log_lines(directory)[9]
    new = data + repeated + b"\n"
    path.write_bytes(new)
    earlier = json.loads(repeated)["changeId"]
    return Expect(CHANGES, f'duplicate changeId "{earlier}"', len(data) + len(b'{"changeId":'), new)


def change_names_unknown_recommendation(directory):
    new, start = set_log_line(directory, 15, lambda line: line.replace(b'"id":"economic-security"', b'"id":"no-such-item"'))
    value = new.index(b'"id":"no-such-item"', start) + len(b'"id":')
    return Expect(CHANGES, 'names recommendation "no-such-item", which the catalog does not have', value, new)


def catalog_is_a_directory(directory):
    path = pathlib.Path(directory, CATALOG)
    path.unlink()
    path.mkdir()
    (path / "inside.txt").write_text("a file inside\n")
    return Expect(CATALOG, "is a directory, not a file", code=74)


CASES = {
    "truncated catalog": truncated_catalog,
    "truncated catalog mid-string": truncated_catalog_mid_string,
    "trailing comma": trailing_comma,
    "duplicate key": duplicate_key,
    "wrong type": wrong_type,
    "unknown field in catalog": unknown_field_in_catalog,
    "duplicate recommendation id": duplicate_recommendation_id,
    "catalog schemaVersion 99": catalog_schema_version_99,
    "catalog invalid UTF-8": catalog_invalid_utf8,
    "change with unknown status": change_unknown_status,
    "change with unknown field": change_unknown_field,
    "change schemaVersion 99": change_schema_version_99,
    "change invalid UTF-8": change_invalid_utf8,
    "change line not JSON": change_line_not_json,
    "change line cut short": change_line_broken_json,
    "duplicate changeId": duplicate_change_id,
    "duplicate changeId appended": duplicate_change_id_appended,
    "change names unknown recommendation": change_names_unknown_recommendation,
    "catalog is a directory": catalog_is_a_directory,
}


@pytest.fixture
def shared_base():
    """A directory in /tmp any user may traverse (for the unprivileged cases)."""
    base = tempfile.mkdtemp(prefix="ptrack-broken-", dir="/tmp")
    os.chmod(base, 0o755)
    yield base
    for root, dirs, files in os.walk(base):
        for name in dirs + files:
            os.chmod(os.path.join(root, name), 0o755, follow_symlinks=False)
    shutil.rmtree(base)


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
    assert code == expect.code, err
    assert out == ""
    assert err.startswith(f"ptrack: {directory}/{expect.name}")
    assert expect.message in err
    assert err.count("\n") == 1 and err.endswith("\n")
    assert file_hashes(directory) == before


@pytest.mark.parametrize("case", list(CASES))
def test_location_is_exact(ptrack, shared_base, case):
    directory, expect = broken(ptrack, shared_base, case)
    for args in COMMANDS:
        code, out, err = ptrack(*args, data=directory)
        if expect.code == 74:
            assert err == f"ptrack: {expect.location(directory)}: {expect.message}\n"
        else:
            assert err.startswith(f"ptrack: {expect.location(directory)}: "), (args, err)
            assert expect.message in err


# ---------------------------------------------------------------- unreadable catalog



def unreadable_catalog(ptrack, base, keep_snapshot):
    """A tracker owned by the unprivileged user, whose catalog.json that user cannot read."""
    directory = initialise(ptrack, os.path.join(base, "data"))
    ptrack.ok("mark", "dtt", "in-progress", data=directory)
    if not keep_snapshot:
        os.unlink(os.path.join(directory, SNAPSHOT))
    if os.geteuid() == 0:
        for name in os.listdir(directory) + [""]:
            os.chown(os.path.join(directory, name), NOBODY, NOBODY)
    os.chmod(os.path.join(directory, CATALOG), 0)
    return directory


@pytest.mark.parametrize("keep_snapshot", [False, True], ids=["without snapshot", "with snapshot"])
@pytest.mark.parametrize("args", COMMANDS, ids=COMMAND_IDS)
def test_unreadable_catalog(ptrack, shared_base, args, keep_snapshot):
    directory = unreadable_catalog(ptrack, shared_base, keep_snapshot=keep_snapshot)
    before = file_hashes(directory)
    code, out, err = ptrack(*args, data=directory, prefix=privilege_drop())
    assert code == 74
    assert out == ""
    assert err == f"ptrack: {directory}/{CATALOG}: cannot open: Permission denied\n"
    assert file_hashes(directory) == before


# ---------------------------------------------------------------- interrupted appends


def test_torn_last_line_is_ignored_then_removed(ptrack, data_dir):
    ptrack.ok("mark", "dtt", "in-progress", data=data_dir)
    complete = pathlib.Path(data_dir, CHANGES).read_bytes()
    torn = b'{"changeId":"20240101T000000Z-torntorntorn","happened":"2024-01","id":"gsomia","kind":"status","no'
    pathlib.Path(data_dir, CHANGES).write_bytes(complete + torn)
    before = file_hashes(data_dir)
    listed = {i["id"]: i for i in ptrack.json("list", "--json", data=data_dir)}
    assert len(listed) == 33
    assert listed["gsomia"]["status"] == "in-progress" and listed["dtt"]["status"] == "in-progress"
    code, out, err = ptrack("show", "gsomia", "--json", data=data_dir)
    assert code == 0 and len(json.loads(out)["history"]) == 1
    code, out, err = ptrack("history", "--json", data=data_dir)
    assert code == 0 and len(json.loads(out)) == 69
    assert file_hashes(data_dir) == before      # readers repair nothing

    code, out, err = ptrack("mark", "gsomia", "stalled", "--note", "after the crash", data=data_dir)
    assert code == 0, err
    assert out.startswith("gsomia: in-progress → stalled (change ")
    assert err == (f"ptrack: {data_dir}/{CHANGES}: removed an incomplete last line ({len(torn)} bytes) "
                   "left by an interrupted write\n")
    data = pathlib.Path(data_dir, CHANGES).read_bytes()
    assert data.startswith(complete)
    assert b"torntorntorn" not in data
    changes = log_changes(data_dir)
    assert len(changes) == 70
    assert changes[-1]["note"] == "after the crash"
    assert ptrack.json("show", "gsomia", "--json", data=data_dir)["status"] == "stalled"


def test_last_line_without_newline_is_kept(ptrack, data_dir):
    ptrack.ok("mark", "dtt", "in-progress", "--note", "unterminated but whole", data=data_dir)
    path = pathlib.Path(data_dir, CHANGES)
    complete = path.read_bytes()
    path.write_bytes(complete[:-1])           # a hand edit lost the final newline
    assert ptrack.json("show", "dtt", "--json", data=data_dir)["status"] == "in-progress"
    ptrack.ok("mark", "gsomia", "stalled", data=data_dir)
    assert path.read_bytes().startswith(complete)
    changes = log_changes(data_dir)
    assert [c["note"] for c in changes[-2:-1]] == ["unterminated but whole"]
    assert len(changes) == 70
    items = {i["id"]: i for i in ptrack.json("list", "--json", data=data_dir)}
    assert (items["dtt"]["status"], items["gsomia"]["status"]) == ("in-progress", "stalled")


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
