"""Checks ptrack's data files against the JSON Schemas in docs/schema.

Run with `python3 -m pytest -q Tests/EndToEnd/test_schemas.py`. Needs Python 3.11 and the
`jsonschema` package. The last test runs a built ptrack binary named by $PTRACK_BIN and
fails (rather than skips) when the variable is not set.
"""

import base64
import copy
import hashlib
import json
import os
import pathlib
import re
import struct
import subprocess

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

HERE = pathlib.Path(__file__).resolve().parent
BUNDLED = HERE / ".." / ".." / "Sources" / "PolicyTrackerCore" / "Bundled"
SCHEMA_DIR = HERE / ".." / ".." / "docs" / "schema"
DATA_FORMAT_DOC = HERE / ".." / ".." / "docs" / "data-format.md"

SCHEMA_NAMES = ["catalog.schema.json", "change.schema.json", "snapshot.schema.json", "import.schema.json",
                "write.schema.json", "verify.schema.json", "check.schema.json"]
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
KINDS = ["status", "watch", "review", "edit", "add", "revert", "vocabulary"]
ACTOR_ORDER = ["US", "Japan", "ROK"]
LINK_KINDS = ["advances", "supersedes"]


@pytest.fixture(scope="session", autouse=True)
def _require_binary():
    """Overrides conftest.py's fixture of the same name for this module only: the schema
    tests need no binary, and the one test that runs ptrack fails on its own, with a clear
    message, when $PTRACK_BIN is not set."""


# ---------------------------------------------------------------- helpers


def strict_loads(text):
    """json.loads that, like ptrack's parser, refuses duplicate keys and NaN/Infinity."""

    def pairs(members):
        seen = set()
        for key, _ in members:
            if key in seen:
                raise ValueError(f"duplicate key {key!r}")
            seen.add(key)
        return dict(members)

    def constant(name):
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, object_pairs_hook=pairs, parse_constant=constant)


def pretty(value):
    """How ptrack writes catalog.json."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, indent=2) + "\n"


def compact(value):
    """How ptrack writes one line of changes.jsonl or snapshot.jsonl (without its newline)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def load_schemas():
    return {name: json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8")) for name in SCHEMA_NAMES}


SCHEMAS = load_schemas()
REGISTRY = Registry().with_resources(
    [(schema["$id"], Resource.from_contents(schema)) for schema in SCHEMAS.values()]
)
VALIDATORS = {
    name.split(".")[0]: Draft202012Validator(schema, registry=REGISTRY) for name, schema in SCHEMAS.items()
}
VALIDATORS["snapshot-line"] = Draft202012Validator({"$ref": "snapshot.schema.json#/$defs/itemLine"}, registry=REGISTRY)


def schema_errors(which, instance):
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
        for error in VALIDATORS[which].iter_errors(instance)
    ]


def assert_valid(which, instance, where=""):
    errors = schema_errors(which, instance)
    assert not errors, f"{where} does not match {which}.schema.json:\n" + "\n".join(errors)


def read_bundled_catalog():
    return strict_loads((BUNDLED / "catalog.json").read_text(encoding="utf-8"))


def read_log_lines(path):
    """The lines of a changes.jsonl file as (line number, text without newline)."""
    text = path.read_bytes().decode("utf-8")
    return [(number, line) for number, line in enumerate(text.split("\n"), start=1) if line.strip(" \t\r")]


def read_bundled_changes():
    return [strict_loads(line) for _, line in read_log_lines(BUNDLED / "changes.jsonl")]


def doc_example_lines():
    """Every line of the ```jsonl blocks in docs/data-format.md."""
    text = DATA_FORMAT_DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"^```jsonl\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def doc_example(kind):
    for line in doc_example_lines():
        change = strict_loads(line)
        if change["kind"] == kind:
            return change
    raise AssertionError(f"docs/data-format.md has no example of a {kind} change")


# ---------------------------------------------------------------- replay (mirrors Replay.swift)


def encode_catalog(catalog):
    result = {
        "id": catalog["id"],
        "title": catalog["title"],
        "description": catalog.get("description") or "",
        "version": catalog.get("version") or "",
        "source": catalog.get("source") or "",
        "default": bool(catalog.get("default") or False),
    }
    if any(catalog.get("vocabulary", {}).get(kind) for kind in VOCABULARY_LISTS):
        result["vocabulary"] = {kind: [encode_term(term) for term in catalog["vocabulary"].get(kind) or []] for kind in VOCABULARY_LISTS}
    return result


VOCABULARY_LISTS = ["actors", "categories", "horizons"]


def encode_term(term):
    result = {"id": term["id"], "name": term.get("name") or term["id"]}
    if term.get("short"):
        result["short"] = term["short"]
    if [alias for alias in term.get("aliases") or [] if alias]:
        result["aliases"] = [alias for alias in term["aliases"] if alias]
    return result


def catalogs_in_effect(catalog, changes):
    """The catalogs of the state: each with its declared vocabulary (or, without one, the
    bundled catalog's, else the bundled default's actors and horizons with the categories
    its recommendations have), then the vocabulary changes in effect applied in log order."""
    bundled = {entry["id"]: entry["vocabulary"] for entry in strict_loads((BUNDLED / "catalog.json").read_text(encoding="utf-8"))["catalogs"]}
    fallback = bundled["ncafp-2021"]
    result = []
    for entry in catalog.get("catalogs") or []:
        entry = dict(entry)
        if "vocabulary" not in entry:
            base = bundled.get(entry["id"]) or {"actors": fallback["actors"], "categories": [], "horizons": fallback["horizons"]}
            vocabulary = {kind: list(base.get(kind) or []) for kind in VOCABULARY_LISTS}
            for recommendation in catalog.get("recommendations") or []:
                ids = [term["id"] for term in vocabulary["categories"]]
                if recommendation["catalog"] == entry["id"] and recommendation["category"] not in ids:
                    vocabulary["categories"].append({"id": recommendation["category"]})
            entry["vocabulary"] = vocabulary
        result.append(entry)
    cancelled = cancelled_ids(changes)
    for change in changes:
        if change["kind"] != "vocabulary" or change["changeId"] in cancelled:
            continue
        for entry in result:
            if entry["id"] != change["catalog"]:
                continue
            terms = entry["vocabulary"][change["list"]]
            term_id = (change.get("term") or change.get("replaces"))["id"]
            index = next((i for i, term in enumerate(terms) if term["id"] == term_id), None)
            if index is None and change.get("term"):
                terms.append(change["term"])
            elif index is not None:
                terms[index:index + 1] = [change["term"]] if change.get("term") else []
    return result


def encode_source(source):
    return {
        "id": source["id"],
        "title": source["title"],
        "author": source.get("author") or "",
        "publisher": source.get("publisher") or "",
        "date": source.get("date"),
        "where": source.get("where") or "",
    }


def encode_citation(citation):
    result = {"id": citation["id"]}
    if citation.get("quote") is not None:
        result["quote"] = citation["quote"]
    return result


def sorted_links(links):
    """Links as ptrack writes them: by kind (in LINK_KINDS order), then by id."""
    return sorted(links or [], key=lambda link: (LINK_KINDS.index(link["kind"]), link["id"]))


def encode_recommendation(recommendation):
    result = {
        "id": recommendation["id"],
        "catalog": recommendation["catalog"],
        "title": recommendation["title"],
        "summary": recommendation.get("summary") or "",
        "category": recommendation["category"],
        "horizon": recommendation["horizon"],
        "actors": list(recommendation.get("actors") or []),
        "source": encode_citation(recommendation["source"]),
        "watched": bool(recommendation.get("watched") or False),
    }
    if recommendation.get("lastReviewed") is not None:
        result["lastReviewed"] = recommendation["lastReviewed"]
    if recommendation.get("links"):
        result["links"] = sorted_links(recommendation["links"])
    return result


def link_problems(where, owner, links, known):
    """A link to the recommendation itself or to one the tracker does not have."""
    return [
        f"{where}: {owner!r} links to itself" if link["id"] == owner else f"{where}: links to unknown {link['id']!r}"
        for link in links or []
        if link["id"] == owner or link["id"] not in known
    ]


def check_log_rules(catalog, changes):
    """The rules over the whole log (and the links of catalog.json) ptrack checks and a
    schema cannot: returns a list of problems."""
    problems = []
    known = {recommendation["id"] for recommendation in catalog.get("recommendations") or []}
    catalogs = {entry["id"] for entry in catalog.get("catalogs") or []}
    seen = set()
    for number, change in enumerate(changes, start=1):
        if change["changeId"] in seen:
            problems.append(f"change {number}: duplicate changeId {change['changeId']!r}")
        seen.add(change["changeId"])
        if change["kind"] == "add":
            added = change["recommendation"]
            if added["id"] in known:
                problems.append(f"change {number}: adds {added['id']!r}, which already exists")
            known.add(added["id"])
            if added["catalog"] not in catalogs:
                problems.append(f"change {number}: adds to unknown catalog {added['catalog']!r}")
        elif change["kind"] == "revert":
            if change["reverts"] not in seen:
                problems.append(f"change {number}: reverts {change['reverts']!r}, which no earlier line records")
        elif change["kind"] == "vocabulary":
            if change["catalog"] not in catalogs:
                problems.append(f"change {number}: changes the vocabulary of unknown catalog {change['catalog']!r}")
        elif change["id"] not in known:
            problems.append(f"change {number}: names unknown recommendation {change['id']!r}")
    # Links are checked once every addition is known.
    for recommendation in catalog.get("recommendations") or []:
        problems += link_problems(f"catalog {recommendation['id']}", recommendation["id"], recommendation.get("links"), known)
    for number, change in enumerate(changes, start=1):
        links = (change.get("recommendation") or change.get("fields") or {}).get("links")
        problems += link_problems(f"change {number}", change.get("id"), links, known)
    return problems


def cancelled_ids(changes):
    """The ids of the changes a revert in effect cancels (read from the end)."""
    cancelled = set()
    for change in reversed(changes):
        if change["changeId"] not in cancelled and change["kind"] == "revert":
            cancelled.add(change["reverts"])
    return cancelled


def precedence(change):
    """The order in which status changes take effect: happened, recorded, sequence, id."""
    return (change["happened"], change["recorded"], change.get("sequence") or 0, change["changeId"])


def recent_transitions(changes, limit=64):
    """The snapshot's "recent" member: the latest status transitions in effect."""
    cancelled = cancelled_ids(changes)
    in_effect = [c for c in changes if c["kind"] == "status" and c["changeId"] not in cancelled]
    in_effect.sort(key=precedence)
    current, transitions = {}, []
    for change in in_effect:
        # ptrack writes each change as it writes a line now, in the current schema version.
        transitions.append({"change": dict(change, schemaVersion=2), "from": current.get(change["id"], "not-started")})
        current[change["id"]] = change["status"]
    return {"total": len(transitions), "transitions": transitions[-limit:]}


def status_run(applied):
    """An item's "statusRun" from its status changes in effect: the last run of them, in
    precedence order, that set the status the last one set, and the change before the run."""
    applied = sorted(applied, key=precedence)
    first = len(applied) - 1
    while first > 0 and applied[first - 1]["status"] == applied[-1]["status"]:
        first -= 1
    encode = lambda change: {
        "changeId": change["changeId"],
        "happened": change["happened"],
        "recorded": change["recorded"],
        "sequence": change.get("sequence") or 0,
    }
    run = {"changes": [encode(change) for change in applied[first:]]}
    if first > 0:
        run["predecessor"] = encode(applied[first - 1])
    return run


def replay(catalog, changes):
    """The items of the state ptrack derives, in snapshot form, sorted by id."""
    items = {
        recommendation["id"]: {
            "recommendation": encode_recommendation(recommendation),
            "status": "not-started",
            "changeCount": 0,
            "tips": [],
            "sequence": 0,
        }
        for recommendation in catalog.get("recommendations") or []
    }
    cancelled = cancelled_ids(changes)
    # Each item's status changes in effect (since it was added, for an added item).
    applied = {key: [] for key in items}
    for change in changes:
        if change["kind"] in ("status", "review") and change.get("id") in items:
            # The item's clock counts every status change and review, reverted ones too.
            item = items[change["id"]]
            item["sequence"] = max(item["sequence"], change.get("sequence") or 0)
        if change["changeId"] in cancelled:
            continue
        kind = change["kind"]
        if kind == "add":
            added = change["recommendation"]
            items[added["id"]] = {
                "recommendation": encode_recommendation(added), "status": "not-started", "changeCount": 0, "tips": [], "sequence": 0,
            }
            applied[added["id"]] = []
        item = items.get(change.get("id"))
        if item is None:
            continue
        recommendation = item["recommendation"]
        if kind == "status":
            applied[change["id"]].append(change)
        elif kind == "watch":
            recommendation["watched"] = change["watched"]
        elif kind == "edit":
            for field, value in change["fields"].items():
                if value is None:
                    continue
                if field == "links":
                    recommendation.pop("links", None)
                    if value:
                        recommendation["links"] = sorted_links(value)
                    continue
                elif field == "source":
                    value = encode_citation(value)
                recommendation[field] = value
        if kind in ("status", "review"):
            # What the change follows is no longer a tip; without `follows`, it follows them all.
            followed = change["follows"] if change.get("follows") is not None else item["tips"]
            item["tips"] = [tip for tip in item["tips"] if tip not in followed] + [change["changeId"]]
        if kind != "revert":
            item["changeCount"] += 1
        reviewed = change["recorded"][:10]
        if recommendation.get("lastReviewed") is None or recommendation["lastReviewed"] < reviewed:
            recommendation["lastReviewed"] = reviewed
    for key, item in items.items():
        if applied[key]:
            item["statusRun"] = status_run(applied[key])
            item["status"] = max(applied[key], key=precedence)["status"]
    return [items[key] for key in sorted(items)]


def fnv1a64(data):
    value = 0xCBF29CE484222325
    for byte in data:
        value ^= byte
        value = (value * 0x100000001B3) % (1 << 64)
    return format(value, "x")


def log_coverage(log_bytes, inode=0):
    """The snapshot's "log" member for a log whose every line is complete."""
    last_line_start = log_bytes.rstrip(b"\n").rfind(b"\n") + 1 if log_bytes else 0
    return {
        "inode": inode if inode < (1 << 63) else inode - (1 << 64),
        "bytes": len(log_bytes),
        "lines": log_bytes.count(b"\n"),
        "lastLineOffset": last_line_start,
        "lastLineHash": fnv1a64(log_bytes[last_line_start:]),
    }


def catalog_fingerprint(path):
    info = os.stat(path)
    inode = info.st_ino if info.st_ino < (1 << 63) else info.st_ino - (1 << 64)
    return {"size": info.st_size, "modifiedNanoseconds": info.st_mtime_ns, "changedNanoseconds": info.st_ctime_ns,
            "inode": inode}


def change_id_filter(ids):
    """The snapshot's "changeIds" Bloom filter, computed as docs/data-format.md describes."""
    mask = (1 << 64) - 1
    capacity = max(1024, 2 * len(ids))
    words = [0] * ((capacity * 10 + 63) // 64)
    size = len(words) * 64
    for change_id in ids:
        first = int(fnv1a64(change_id.encode("utf-8")), 16)
        second = ((first ^ (first >> 31)) * 0x7FB5D329728EA185) & mask
        second = (second ^ (second >> 27)) | 1
        for index in range(7):
            bit = ((first + index * second) & mask) % size
            words[bit // 64] |= 1 << (bit % 64)
    encoded = base64.b64encode(b"".join(word.to_bytes(8, "little") for word in words)).decode("ascii")
    return {"capacity": capacity, "count": len(ids), "bloomFilter": encoded}


SHA256_K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
    0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
    0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
    0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]


def sha256_words(data, state=None):
    """SHA-256's eight state words after `data` (whole 64-byte blocks, no padding), from
    FIPS 180-4: hashlib does not expose them, and the snapshot's `digest` records them."""
    assert len(data) % 64 == 0
    rotr = lambda x, n: (x >> n | x << (32 - n)) & 0xFFFFFFFF
    h = list(state or [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19])
    for start in range(0, len(data), 64):
        w = list(struct.unpack(">16I", data[start:start + 64]))
        for i in range(16, 64):
            s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
            s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
            w.append((w[i - 16] + s0 + w[i - 7] + s1) & 0xFFFFFFFF)
        a, b, c, d, e, f, g, hh = h
        for i in range(64):
            t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + SHA256_K[i] + w[i]) & 0xFFFFFFFF
            t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) & 0xFFFFFFFF
            hh, g, f, e, d, c, b, a = g, f, e, (d + t1) & 0xFFFFFFFF, c, b, a, (t1 + t2) & 0xFFFFFFFF
        h = [(x + y) & 0xFFFFFFFF for x, y in zip(h, (a, b, c, d, e, f, g, hh))]
    return h


def data_digest(catalog, log):
    """The snapshot's `digest`: the hash of catalog.json and the log up to the last whole
    block, as documented; checked by finishing it into the digest hashlib gives."""
    prefix = len(log) - (len(catalog) + len(log)) % 64
    words = sha256_words(catalog + log[:prefix])
    rest = log[prefix:]
    padded = rest + b"\x80" + b"\0" * ((55 - len(rest)) % 64) + struct.pack(">Q", (len(catalog) + len(log)) * 8)
    finished = "".join(f"{word:08x}" for word in sha256_words(padded, words))
    assert finished == hashlib.sha256(catalog + log).hexdigest()
    return {"catalogSha256": hashlib.sha256(catalog).hexdigest(), "logPrefix": prefix,
            "midstate": "".join(f"{word:08x}" for word in words)}


def build_snapshot(catalog_path, log_path):
    """The snapshot ptrack writes for these files: its header and its item lines."""
    catalog = strict_loads(catalog_path.read_text(encoding="utf-8"))
    changes = [strict_loads(line) for _, line in read_log_lines(log_path)]
    items = replay(catalog, changes)
    header = {
        "schemaVersion": 2,
        "format": 4,
        "catalogFile": catalog_fingerprint(catalog_path),
        "log": log_coverage(log_path.read_bytes()),
        "changeIds": change_id_filter([change["changeId"] for change in changes]),
        "catalogs": [encode_catalog(entry) for entry in catalogs_in_effect(catalog, changes)],
        "sources": [encode_source(entry) for entry in catalog.get("sources") or []],
        "itemCount": len(items),
        "recent": recent_transitions(changes),
        "digest": data_digest(catalog_path.read_bytes(), log_path.read_bytes()),
    }
    return header, [{"id": item["recommendation"]["id"], "item": item} for item in items]


# ---------------------------------------------------------------- the schemas themselves


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_is_a_valid_draft_2020_12_schema(name):
    schema = SCHEMAS[name]
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DRAFT_2020_12
    assert schema["$id"] == name, "the $id is the file name, relative, with no host"


def subschemas(node, path="#"):
    """Every schema object inside `node`, with a JSON-pointer-like path."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            if key in ("properties", "$defs"):
                for name, child in value.items():
                    yield from subschemas(child, f"{path}/{key}/{name}")
            elif key in ("items", "if", "then", "else", "not", "propertyNames"):
                yield from subschemas(value, f"{path}/{key}")
            elif key in ("allOf", "anyOf", "oneOf"):
                for index, child in enumerate(value):
                    yield from subschemas(child, f"{path}/{key}/{index}")


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_property_has_a_description(name):
    missing = [
        f"{path}/properties/{property_name}"
        for path, node in subschemas(SCHEMAS[name])
        for property_name, child in node.get("properties", {}).items()
        if not path.endswith("/if") and not child.get("description")
    ]
    assert not missing, "properties without a description: " + ", ".join(missing)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_object_schema_refuses_unknown_fields(name):
    open_objects = [
        path
        for path, node in subschemas(SCHEMAS[name])
        if "properties" in node and "/if" not in path and node.get("additionalProperties") is not False
    ]
    assert not open_objects, "object schemas without additionalProperties false: " + ", ".join(open_objects)


def test_change_schema_lists_each_kind_with_its_own_fields():
    rules = SCHEMAS["change.schema.json"]["allOf"]
    kinds = [rule["if"]["properties"]["kind"]["const"] for rule in rules]
    assert kinds == KINDS
    assert SCHEMAS["change.schema.json"]["properties"]["kind"]["enum"] == KINDS


# ---------------------------------------------------------------- the bundled agenda


def test_bundled_catalog_matches_the_schema():
    assert_valid("catalog", read_bundled_catalog(), "Bundled/catalog.json")


def test_every_bundled_change_matches_the_schema():
    lines = read_log_lines(BUNDLED / "changes.jsonl")
    assert lines, "Bundled/changes.jsonl is empty"
    problems = []
    for number, line in lines:
        for error in schema_errors("change", strict_loads(line)):
            problems.append(f"Bundled/changes.jsonl:{number}: {error}")
    assert not problems, "\n".join(problems)


def test_bundled_catalog_is_in_canonical_form():
    raw = (BUNDLED / "catalog.json").read_bytes()
    assert raw == pretty(strict_loads(raw.decode("utf-8"))).encode("utf-8")


def test_bundled_changes_are_in_canonical_form():
    raw = (BUNDLED / "changes.jsonl").read_bytes()
    assert raw.endswith(b"\n"), "the last line has no newline"
    canonical = "".join(compact(strict_loads(line)) + "\n" for line in raw.decode("utf-8").splitlines())
    assert raw == canonical.encode("utf-8")


def test_bundled_catalog_is_sorted_and_consistent():
    catalog = read_bundled_catalog()
    for member in ("catalogs", "sources", "recommendations"):
        ids = [entry["id"] for entry in catalog[member]]
        assert ids == sorted(set(ids)), f"{member} are not sorted by id, or an id repeats"
    catalog_ids = {entry["id"] for entry in catalog["catalogs"]}
    for recommendation in catalog["recommendations"]:
        assert recommendation["catalog"] in catalog_ids, recommendation["id"]
        assert recommendation["actors"] == sorted(recommendation["actors"], key=ACTOR_ORDER.index), recommendation["id"]
        if "links" in recommendation:
            assert recommendation["links"] and recommendation["links"] == sorted_links(recommendation["links"]), recommendation["id"]


def test_bundled_changes_follow_the_log_rules():
    assert check_log_rules(read_bundled_catalog(), read_bundled_changes()) == []


def test_the_log_rules_catch_bad_links():
    catalog = read_bundled_catalog()
    catalog["recommendations"][0]["links"] = [{"kind": "advances", "id": catalog["recommendations"][0]["id"]}]
    edit = dict(doc_example("edit"), fields={"links": [{"kind": "supersedes", "id": "nowhere"}]}, previous={"links": []})
    assert len(check_log_rules(catalog, read_bundled_changes() + [edit])) == 2


def test_snapshot_built_from_the_bundled_agenda_matches_the_schema():
    header, lines = build_snapshot(BUNDLED / "catalog.json", BUNDLED / "changes.jsonl")
    assert_valid("snapshot", header, "the header of a snapshot of the bundled agenda")
    for line in lines:
        assert_valid("snapshot-line", line, f"the item line of {line['id']}")
    assert [line["id"] for line in lines] == sorted(
        recommendation["id"] for recommendation in read_bundled_catalog()["recommendations"]
    )


# ---------------------------------------------------------------- the examples in docs/data-format.md


def test_documentation_has_an_example_of_every_kind():
    kinds = [strict_loads(line)["kind"] for line in doc_example_lines()]
    assert sorted(set(kinds)) == sorted(KINDS)


def test_documentation_examples_match_the_schema_and_the_encoder():
    for line in doc_example_lines():
        change = strict_loads(line)
        assert_valid("change", change, f"the example {line}")
        assert line == compact(change), "the example is not written as ptrack writes it"


def test_documentation_status_example_is_a_bundled_line():
    bundled = {line for _, line in read_log_lines(BUNDLED / "changes.jsonl")}
    examples = [line for line in doc_example_lines() if strict_loads(line)["kind"] == "status"]
    assert examples and all(line in bundled for line in examples)


def test_documentation_examples_follow_the_log_rules_after_the_bundled_log():
    # The status example is itself a bundled line, so only the others are appended.
    examples = [strict_loads(line) for line in doc_example_lines()]
    changes = read_bundled_changes() + [change for change in examples if change["kind"] != "status"]
    assert check_log_rules(read_bundled_catalog(), changes) == []


# ---------------------------------------------------------------- documents that must be accepted


def test_null_counts_as_absent_in_optional_members():
    catalog = read_bundled_catalog()
    catalog["sources"][0]["date"] = None
    catalog["sources"][0]["author"] = None
    catalog["catalogs"][0]["default"] = None
    recommendation = catalog["recommendations"][0]
    recommendation.update(summary=None, actors=None, links=None, watched=None, lastReviewed=None)
    recommendation["source"]["quote"] = None
    assert_valid("catalog", catalog, "a catalog with null optional members")
    change = dict(read_bundled_changes()[0], note=None, source=None)
    assert_valid("change", change, "a change with null note and source")


def test_minimal_documents_are_accepted():
    assert_valid("catalog", {"schemaVersion": 1}, "an empty catalog")
    minimal = {
        "schemaVersion": 1,
        "catalogs": [{"id": "c", "title": "C"}],
        "sources": [{"id": "Some report", "title": "T"}],
        "recommendations": [
            {"id": "r-1", "catalog": "c", "title": "T", "category": "x", "horizon": "ongoing", "source": {"id": "s"}}
        ],
    }
    assert_valid("catalog", minimal, "a catalog with only required members")
    review = {
        "schemaVersion": 1,
        "changeId": "x",
        "id": "r-1",
        "kind": "review",
        "happened": "2024",
        "recorded": "2024-02-29T23:59:60Z",
    }
    assert_valid("change", review, "a review with only required members")
    edit = dict(review, kind="edit", fields={}, previous={})
    assert_valid("change", edit, "an edit of no fields")


@pytest.mark.parametrize("date", ["0001", "2023-12", "2024-02-29", "2000-02-29", "1999-12-31", "2023-04-30"])
def test_valid_dates_are_accepted(date):
    assert_valid("change", dict(doc_example("review"), happened=date), f"happened {date}")


# ---------------------------------------------------------------- documents that must be refused


def change_of(kind):
    if kind == "status":
        return read_bundled_changes()[0]
    return doc_example(kind)


def with_path(document, path, value):
    """A copy of `document` with the member at `path` set to `value` (or deleted when value is DELETE)."""
    result = copy.deepcopy(document)
    target = result
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return result


DELETE = object()

INVALID_CATALOGS = [
    ("unknown top-level field", ["comment"], "hand-written"),
    ("unknown field in a recommendation", ["recommendations", 0, "status"], "implemented"),
    ("unknown field in a catalog", ["catalogs", 0, "owner"], "me"),
    ("unknown field in a source", ["sources", 0, "url"], "https://www.rsis.edu.sg/"),
    ("unknown field in a citation", ["recommendations", 0, "source", "page"], 3),
    ("blank horizon", ["recommendations", 0, "horizon"], " "),
    ("actor with a comma", ["recommendations", 0, "actors"], ["US, Japan"]),
    ("vocabulary term without an id", ["catalogs", 0, "vocabulary", "actors", 0], {"name": "United States"}),
    ("vocabulary list unknown", ["catalogs", 0, "vocabulary", "parties"], []),
    ("actor listed twice", ["recommendations", 0, "actors"], ["US", "US"]),
    ("id with capitals", ["recommendations", 0, "id"], "GSOMIA"),
    ("id with underscore", ["recommendations", 0, "id"], "bad_id"),
    ("id with double hyphen", ["recommendations", 0, "id"], "a--b"),
    ("id with trailing hyphen", ["catalogs", 0, "id"], "camp-david-"),
    ("month 13", ["sources", 0, "date"], "2023-13"),
    ("29 February in a common year", ["sources", 0, "date"], "2023-02-29"),
    ("29 February 1900", ["sources", 0, "date"], "1900-02-29"),
    ("31 April", ["sources", 0, "date"], "2023-04-31"),
    ("year 0000", ["sources", 0, "date"], "0000"),
    ("unpadded date", ["recommendations", 0, "lastReviewed"], "2024-1-5"),
    ("timestamp as a date", ["recommendations", 0, "lastReviewed"], "2024-01-31T00:00:00Z"),
    ("blank title", ["recommendations", 0, "title"], "   "),
    ("empty source id", ["sources", 0, "id"], ""),
    ("missing category", ["recommendations", 0, "category"], DELETE),
    ("missing citation", ["recommendations", 0, "source"], DELETE),
    ("null citation", ["recommendations", 0, "source"], None),
    ("missing schemaVersion", ["schemaVersion"], DELETE),
    ("wrong type: schemaVersion as a string", ["schemaVersion"], "1"),
    ("schemaVersion 0", ["schemaVersion"], 0),
    ("wrong type: watched as a string", ["recommendations", 0, "watched"], "false"),
    ("wrong type: actors as a string", ["recommendations", 0, "actors"], "US"),
    ("wrong type: catalogs as an object", ["catalogs"], {"ncafp-2021": {}}),
    ("wrong type: default as a number", ["catalogs", 0, "default"], 1),
    ("wrong type: quote as an array", ["recommendations", 0, "source", "quote"], ["a"]),
    ("bad link kind", ["recommendations", 0, "links"], [{"kind": "follows", "id": "dtt"}]),
    ("link kind in capitals", ["recommendations", 0, "links"], [{"kind": "Advances", "id": "dtt"}]),
    ("link to a non-slug", ["recommendations", 0, "links"], [{"kind": "advances", "id": "DTT"}]),
    ("link listed twice", ["recommendations", 0, "links"], [{"kind": "advances", "id": "dtt"}, {"id": "dtt", "kind": "advances"}]),
    ("link without id", ["recommendations", 0, "links"], [{"kind": "advances"}]),
    ("unknown field in a link", ["recommendations", 0, "links"], [{"kind": "advances", "id": "dtt", "why": "x"}]),
    ("wrong type: links as a string", ["recommendations", 0, "links"], "dtt"),
]


@pytest.mark.parametrize("what,path,value", INVALID_CATALOGS, ids=[case[0] for case in INVALID_CATALOGS])
def test_invalid_catalog_is_refused(what, path, value):
    document = with_path(read_bundled_catalog(), path, value)
    assert schema_errors("catalog", document), f"a catalog with {what} was accepted"


INVALID_CHANGES = [
    ("bad status", "status", ["status"], "done"),
    ("status in capitals", "status", ["status"], "Implemented"),
    ("status change carrying watched", "status", ["watched"], True),
    ("status change carrying watched null", "status", ["watched"], None),
    ("status change carrying reverts", "status", ["reverts"], "agenda-gsomia-1"),
    ("review carrying status", "review", ["status"], "implemented"),
    ("watch carrying fields", "watch", ["fields"], {}),
    ("edit carrying recommendation", "edit", ["recommendation"], {}),
    ("missing changeId", "status", ["changeId"], DELETE),
    ("null changeId", "status", ["changeId"], None),
    ("changeId with a space", "status", ["changeId"], "agenda gsomia 1"),
    ("changeId with a tab", "status", ["changeId"], "agenda\tgsomia"),
    ("empty changeId", "status", ["changeId"], ""),
    ("missing status", "status", ["status"], DELETE),
    ("missing watched", "watch", ["watched"], DELETE),
    ("missing previous", "edit", ["previous"], DELETE),
    ("missing recommendation", "add", ["recommendation"], DELETE),
    ("missing reverts", "revert", ["reverts"], DELETE),
    ("missing kind", "review", ["kind"], DELETE),
    ("missing happened", "review", ["happened"], DELETE),
    ("missing recorded", "review", ["recorded"], DELETE),
    ("missing id", "review", ["id"], DELETE),
    ("missing schemaVersion", "review", ["schemaVersion"], DELETE),
    ("unknown kind", "review", ["kind"], "delete"),
    ("unknown field", "status", ["editor"], "me"),
    ("month 13", "status", ["happened"], "2023-13"),
    ("30 February", "status", ["happened"], "2024-02-30"),
    ("recorded with a space", "status", ["recorded"], "2024-01-31 00:00:00Z"),
    ("recorded at hour 24", "status", ["recorded"], "2024-01-31T24:00:00Z"),
    ("recorded with an offset", "status", ["recorded"], "2024-01-31T00:00:00+00:00"),
    ("recorded with fractions", "status", ["recorded"], "2024-01-31T00:00:00.5Z"),
    ("recorded as a date", "status", ["recorded"], "2024-01-31"),
    ("recommendation id with capitals", "status", ["id"], "Gsomia"),
    ("wrong type: watched as a string", "watch", ["watched"], "true"),
    ("wrong type: watched null", "watch", ["watched"], None),
    ("wrong type: note as a number", "status", ["note"], 5),
    ("wrong type: schemaVersion 1.5", "status", ["schemaVersion"], 1.5),
    ("wrong type: fields as an array", "edit", ["fields"], ["horizon"]),
    ("wrong type: reverts as a number", "revert", ["reverts"], 3),
    ("empty reverts", "revert", ["reverts"], ""),
    ("edit of a field that cannot be edited", "edit", ["fields", "watched"], True),
    ("edit to a blank horizon", "edit", ["fields", "horizon"], ""),
    ("edit to an actor with a semicolon", "edit", ["fields", "actors"], ["US;ROK"]),
    ("edit to a link of an unknown kind", "edit", ["fields", "links"], [{"kind": "follows", "id": "dtt"}]),
    ("added recommendation with a link listed twice", "add", ["recommendation", "links"], [{"kind": "advances", "id": "dtt"}] * 2),
    ("added recommendation without horizon", "add", ["recommendation", "horizon"], DELETE),
    ("added recommendation with unknown field", "add", ["recommendation", "status"], "implemented"),
    ("added recommendation with bad id", "add", ["recommendation", "id"], "Commitment"),
]


@pytest.mark.parametrize("what,kind,path,value", INVALID_CHANGES, ids=[case[0] for case in INVALID_CHANGES])
def test_invalid_change_is_refused(what, kind, path, value):
    document = with_path(change_of(kind), path, value)
    assert schema_errors("change", document), f"a change with {what} was accepted"


INVALID_SNAPSHOTS = [
    ("missing log", ["log"], DELETE),
    ("missing catalogFile", ["catalogFile"], DELETE),
    ("missing itemCount", ["itemCount"], DELETE),
    ("unknown field", ["built"], "2024-01-31"),
    ("unknown field in catalogFile", ["catalogFile", "path"], "catalog.json"),
    ("unknown field in log", ["log", "path"], "changes.jsonl"),
    ("wrong type: size as a string", ["catalogFile", "size"], "27472"),
    ("wrong type: lastLineHash as a number", ["log", "lastLineHash"], 12),
    ("missing lastLineOffset", ["log", "lastLineOffset"], DELETE),
    ("recent without total", ["recent", "total"], DELETE),
    ("transition with a bad from", ["recent", "transitions", 0, "from"], "done"),
    ("transition of a change without kind", ["recent", "transitions", 0, "change", "kind"], DELETE),
    ("digest with a short midstate", ["digest", "midstate"], "6a09e667"),
    ("digest without logPrefix", ["digest", "logPrefix"], DELETE),
    ("bad item status", ["items", 0, "status"], "done"),
    ("unknown field in an item", ["items", 0, "lastChange"], "2023"),
    ("wrong type: changeCount as a string", ["items", 0, "changeCount"], "3"),
    ("missing changeCount", ["items", 0, "changeCount"], DELETE),
    ("statusChange left from the earlier layout", ["items", 0, "statusChange"], {"changeId": "x", "happened": "2023", "recorded": "2024-01-31T00:00:00Z", "sequence": 0}),
    ("statusRun without changes", ["items", 0, "statusRun"], {"predecessor": None}),
    ("statusRun with no change", ["items", 0, "statusRun"], {"changes": []}),
    ("statusRun change without recorded", ["items", 0, "statusRun"], {"changes": [{"changeId": "x", "happened": "2023", "sequence": 0}]}),
    ("statusRun change with bad happened", ["items", 0, "statusRun"], {"changes": [{"changeId": "x", "happened": "2023-13", "recorded": "2024-01-31T00:00:00Z", "sequence": 0}]}),
    ("statusRun predecessor without changeId", ["items", 1, "statusRun", "predecessor"], {"happened": "2023", "recorded": "2024-01-31T00:00:00Z", "sequence": 0}),
    ("item recommendation without title", ["items", 0, "recommendation", "title"], DELETE),
    ("item line without id", ["line", "id"], DELETE),
    ("item line with an unknown field", ["line", "status"], "partial"),
]


@pytest.mark.parametrize("what,path,value", INVALID_SNAPSHOTS, ids=[case[0] for case in INVALID_SNAPSHOTS])
def test_invalid_snapshot_is_refused(what, path, value):
    header, lines = build_snapshot(BUNDLED / "catalog.json", BUNDLED / "changes.jsonl")
    if path[0] == "items":
        # An item with a status run, so its members can be broken too.
        line = next(line for line in lines if "statusRun" in line["item"])
        errors = schema_errors("snapshot-line", with_path(line, ["item"] + path[2:], value))
    elif path[0] == "line":
        errors = schema_errors("snapshot-line", with_path(lines[0], path[1:], value))
    else:
        errors = schema_errors("snapshot", with_path(header, path, value))
    assert errors, f"a snapshot with {what} was accepted"


# ---------------------------------------------------------------- a data directory made by ptrack


def built_binary():
    """The ptrack binary $PTRACK_BIN names, or the test fails saying how to set it."""
    binary = os.environ.get("PTRACK_BIN")
    if not binary:
        pytest.fail(
            "PTRACK_BIN is not set: set it to the path of a built ptrack binary "
            "(for example PTRACK_BIN=.build/release/ptrack); `make e2e-test` sets it",
            pytrace=False,
        )
    binary = os.path.abspath(binary)
    assert os.path.isfile(binary) and os.access(binary, os.X_OK), f"PTRACK_BIN={binary} is not an executable file"
    return binary


def test_the_json_export_matches_the_import_schema(tmp_path):
    environment = {key: value for key, value in os.environ.items() if key != "PTRACK_DATA"}
    environment["HOME"] = str(tmp_path)
    result = subprocess.run([built_binary(), "--data", str(tmp_path / "data"), "export"], capture_output=True, env=environment, timeout=120)
    assert result.returncode == 0, result.stderr
    exported = strict_loads(result.stdout.decode("utf-8"))
    assert_valid("import", exported, "ptrack export --format json")
    assert len(exported["changes"]) == len(list(read_log_lines(BUNDLED / "changes.jsonl")))
    for broken in ({**exported, "extra": 1}, {**exported, "changes": [{"kind": "status"}]}):
        assert schema_errors("import", broken), "a broken import document was accepted"


def test_ptrack_initialises_a_data_directory_that_matches_the_schemas(tmp_path):
    binary = built_binary()
    data = tmp_path / "data"
    data.mkdir()
    environment = {key: value for key, value in os.environ.items() if key != "PTRACK_DATA"}
    environment["HOME"] = str(tmp_path)
    result = subprocess.run(
        [binary, "--data", str(data), "list"],
        capture_output=True,
        env=environment,
        timeout=120,
    )
    assert result.returncode == 0, (
        f"ptrack --data {data} list exited with {result.returncode}\n"
        f"stdout:\n{result.stdout.decode(errors='replace')}\nstderr:\n{result.stderr.decode(errors='replace')}"
    )

    names = sorted(os.listdir(data))
    assert {"catalog.json", "changes.jsonl", "snapshot.jsonl"} <= set(names), names
    assert set(names) <= {"catalog.json", "changes.jsonl", "snapshot.jsonl", ".lock"}, names

    catalog_path, log_path, snapshot_path = data / "catalog.json", data / "changes.jsonl", data / "snapshot.jsonl"
    assert catalog_path.read_bytes() == (BUNDLED / "catalog.json").read_bytes(), "catalog.json is not the bundled one"
    assert log_path.read_bytes() == (BUNDLED / "changes.jsonl").read_bytes(), "changes.jsonl is not the bundled one"

    assert_valid("catalog", strict_loads(catalog_path.read_text(encoding="utf-8")), str(catalog_path))
    for number, line in read_log_lines(log_path):
        assert_valid("change", strict_loads(line), f"{log_path}:{number}")

    snapshot_text = snapshot_path.read_text(encoding="utf-8")
    assert snapshot_text.endswith("\n"), "snapshot.jsonl does not end with a newline"
    made = [strict_loads(line) for line in snapshot_text.splitlines()]
    assert snapshot_text == "".join(compact(line) + "\n" for line in made), "snapshot.jsonl is not in canonical form"
    header, lines = made[0], made[1:]
    assert_valid("snapshot", header, f"{snapshot_path}:1")
    for number, line in enumerate(lines, start=2):
        assert_valid("snapshot-line", line, f"{snapshot_path}:{number}")
        assert snapshot_text.splitlines()[number - 1].startswith('{"id":"'), "an item line does not start with its id"

    assert header["catalogFile"] == catalog_fingerprint(catalog_path), "the snapshot does not fingerprint catalog.json"
    assert header["log"] == log_coverage(log_path.read_bytes(), os.stat(log_path).st_ino), "the snapshot does not cover the whole log"
    expected_header, expected_lines = build_snapshot(catalog_path, log_path)
    for member in ("changeIds", "catalogs", "sources", "itemCount", "recent", "digest"):
        assert header[member] == expected_header[member], f"{member} differs from the documented derivation"
    assert set(header) == set(expected_header)
    for made_line, derived in zip(lines, expected_lines):
        assert made_line == derived, f"item {derived['id']} differs from the documented replay"
    assert len(lines) == len(expected_lines) == header["itemCount"]
