"""Power cuts: every on-disk state a save can leave, under two persistence models.

Each workload is a few real ptrack commands, run under strace; `powercut.py` turns their
file-system calls into the states a power cut at any moment could leave on disk, under ext4's
default ordered mode and under the weaker POSIX model (see docs/reliability.md). Each state is
written out to a directory and checked as a person would meet it after the reboot:

- the reading commands answer, and exactly as a plain replay of the files would;
- every change whose command had printed its acknowledgement before the cut is in the log;
- every file parses, or is recovered as documented: the log's unacknowledged end (a fragment,
  zeros, zeros then a fragment ending in a line break) left out by readers and cut away by the
  next writer; a damaged snapshot ignored and rebuilt;
- the next writer succeeds, leaves the log whole, no temporary file and no lock held.

`PTRACK_POWERCUT_STATES` sets how many distinct states to explore in all (`make test` 600,
`make stress` 5,000); `PTRACK_POWERCUT_SEED` repeats a run's sample.
"""

import concurrent.futures
import json
import os
import pathlib
import random
import shutil
import tempfile
import time

import pytest

import powercut
from conftest import CATALOG, CHANGES, REPO, SNAPSHOT, Ptrack, binary, clean_env

needs_strace = pytest.mark.skipif(shutil.which("strace") is None, reason="never: make test installs strace")

STATES = int(os.environ.get("PTRACK_POWERCUT_STATES", "600"))
SEED = int(os.environ.get("PTRACK_POWERCUT_SEED", str(random.randrange(1_000_000))))
MODELS = ("ordered", "weak")
LONG_NOTE = "A note long enough to span sectors: " + "evidence " * 700


# ---------------------------------------------------------------- workloads

class Run:
    """One workload: a root directory (the tracker in `data`, the user's state in `state`),
    prepared, then its commands recorded one after another."""

    def __init__(self, name, scratch):
        self.name = name
        self.root = scratch / name / "root"
        self.data = self.root / "data"
        self.home = scratch / name / "home"
        self.root.mkdir(parents=True)
        self.home.mkdir()
        gitconfig = self.home / "gitconfig"
        gitconfig.write_text("[user]\n\tname = Analyst\n\temail = analyst@example.org\n")
        self.env = clean_env(self.home, XDG_STATE_HOME=self.root / "state", GIT_CONFIG_GLOBAL=gitconfig,
                             GIT_CONFIG_NOSYSTEM=1)
        self.ptrack = Ptrack(self.home)

    def prepare(self, *args):
        code, out, err = self.ptrack(*args, data=self.data, env={"XDG_STATE_HOME": self.root / "state"})
        assert code == 0, f"{self.name}: preparing with {args}: {err}"

    def record(self, commands):
        """Records `commands` (argument lists; `{data}` stands for the data directory) and
        returns the workload with what each left behind."""
        workload = powercut.Workload(self.root)
        workload.logs = [log_ids(self.data)]
        for command in commands:
            argv = [binary(), *[str(arg).replace("{data}", str(self.data)) for arg in command]]
            if "{data}" not in " ".join(map(str, command)):
                argv += ["--data", str(self.data)]
            code, out, err, calls = powercut.record(argv, self.env, trace_path=str(self.root.parent / "trace"))
            assert code == 0, f"{self.name}: {command} exited {code}: {err}"
            workload.add_command(calls)
            workload.logs.append(log_ids(self.data))
        workload.name = self.name
        workload.home = self.home
        return workload


def log_ids(data):
    """The change ids of the log's whole lines."""
    path = pathlib.Path(data, CHANGES)
    if not path.exists():
        return set()
    return {json.loads(line)["changeId"] for line in path.read_bytes().split(b"\n")[:-1] if line.strip()}


def fresh(run):
    """A tracker with a current snapshot (a first write brings one)."""
    run.prepare("watch", "dtt")


def import_file(run, rows=90):
    path = run.root.parent / "extra.csv"
    lines = ["id,title,category,horizon,actors,status,happened,note"]
    for number in range(rows):
        lines.append(f"extra-{number},Recommendation {number},Alliance,short-term,US;Japan,in-progress,2024-03-01,"
                     f"Evidence for item {number}: {'detail ' * 12}")
    path.write_text("\n".join(lines) + "\n")
    return path


def copy_fixture(run, name):
    shutil.copytree(REPO / "Tests" / "Fixtures" / name, run.data)


WORKLOADS = {
    # A mark that only appends (one line over two blocks), then a short one.
    "mark": (fresh, [["mark", "gsomia", "stalled", "--note", LONG_NOTE], ["mark", "gsomia", "partial"]]),
    # A mark that also writes a new snapshot (there is none), then a review.
    "mark-snapshot": (lambda run: (fresh(run), (run.data / SNAPSHOT).unlink()),
                      [["mark", "gsomia", "stalled", "--note", "snapshot"], ["review", "dtt", "--note", "read"]]),
    "undo": (lambda run: (fresh(run), run.prepare("mark", "gsomia", "stalled")), [["undo"], ["undo"]]),
    "edit": (fresh, [["edit", "dtt", "--title", "Revamped Defence Trilateral Talks"], ["watch", "gsomia"]]),
    "import": (fresh, [["import", "{csv}", "--catalog", "extra", "--title", "Extra", "--source", "Sheet",
                        "--data", "{data}"], ["mark", "extra-3", "stalled"]]),
    "init": (lambda run: None, [["init", "{data}"], ["mark", "gsomia", "stalled", "--data", "{data}"]]),
    "init-git": (lambda run: None, [["init", "--git", "{data}"], ["mark", "gsomia", "stalled", "--data", "{data}"]]),
    "vocabulary": (fresh, [["vocabulary", "add", "actors", "European Union"], ["mark", "gsomia", "stalled"]]),
    "migration": (lambda run: copy_fixture(run, "tracker-v1"), [["mark", "gsomia", "stalled"]]),
    "agenda-update": (lambda run: copy_fixture(run, "agenda-2024.01"), [["agenda", "update"]]),
    "check-silence": (fresh, [["check", "silence", "future-date", "gsomia", "--reason", "dated ahead on purpose"],
                              ["mark", "gsomia", "stalled"]]),
    "news-seen": (lambda run: (fresh(run), run.prepare("mark", "gsomia", "stalled")),
                  [["news", "--mark-seen"], ["mark", "gsomia", "partial"]]),
}


@pytest.fixture(scope="module")
def workloads(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("powercut")
    recorded = {}
    for name, (prepare, commands) in WORKLOADS.items():
        run = Run(name, scratch)
        prepare(run)
        csv = import_file(run) if name == "import" else None
        commands = [[str(csv) if arg == "{csv}" else arg for arg in command] for command in commands]
        recorded[name] = run.record(commands)
    return recorded


# ---------------------------------------------------------------- the checks

def valid_log(raw):
    """The log as readers take it (docs/data-format.md): its lines up to the first holding a NUL
    byte, and without an unterminated last line that is no JSON; and the bytes left out."""
    kept = bytearray()
    for line in raw.splitlines(keepends=True):
        if b"\0" in line:
            break
        if not line.endswith(b"\n"):
            try:
                json.loads(line)
            except ValueError:
                break
        kept += line
    return bytes(kept), len(raw) - len(kept)


def json_lines(raw, context):
    """The lines of a file every line of which must be whole JSON, parsed."""
    assert raw.endswith(b"\n") or raw == b"", f"{context}: ends inside a line"
    assert b"\0" not in raw, f"{context}: holds a NUL byte"
    return [json.loads(line) for line in raw.split(b"\n")[:-1] if line.strip()]


def whole_lines(raw, context):
    """The change ids of a log every line of which must be whole."""
    return [line["changeId"] for line in json_lines(raw, context)]


class Replays:
    """`list --json` of a catalog and a log alone (no snapshot, no lock): a plain replay,
    remembered by the files' bytes."""

    def __init__(self, scratch, home):
        self.scratch = scratch
        self.home = home
        self.known = {}

    def __call__(self, catalog, log):
        key = (catalog, log)
        if key not in self.known:
            directory = pathlib.Path(tempfile.mkdtemp(dir=self.scratch)) / "data"
            directory.mkdir()
            if catalog is not None:
                (directory / CATALOG).write_bytes(catalog)
            if log is not None:
                (directory / CHANGES).write_bytes(log)
            self.known[key] = Ptrack(self.home).json("list", "--json", data=directory)
            shutil.rmtree(directory.parent)
        return self.known[key]


def read_or_none(path):
    return path.read_bytes() if path.exists() else None


def replaced_versions(workload, state_cut, acknowledged):
    """Each file replaced whole by a rename: the contents it may hold after a cut (the version
    the last acknowledged command left, or one renamed in after it)."""
    allowed = {}
    for path, versions in workload.replacements.items():
        last_acknowledged = workload.acks[acknowledged - 1] if acknowledged else -1
        allowed[path] = {content for position, content in versions
                         if position == last_acknowledged or last_acknowledged < position < state_cut}
    return allowed


def check_state(workload, state, scratch, replays):
    """Checks one state; returns what is wrong with it, each line naming the state (none when
    it is sound)."""
    target = pathlib.Path(tempfile.mkdtemp(dir=scratch))
    try:
        state.files().materialise(target / "root")
        problems = problems_of(workload, state, target / "root", replays)
    except Exception as error:      # a check that could not run fails the state, not the run
        problems = [f"{type(error).__name__}: {error}"]
    finally:
        shutil.rmtree(target)
    return [f"{workload.name} {state}: {problem}" for problem in problems]


def problems_of(workload, state, root, replays):
    """What the reading commands, then the next writers, find wrong in the state at `root`."""
    data = root / "data"
    ptrack = Ptrack(workload.home)
    env = {"XDG_STATE_HOME": root / "state"}
    required = workload.logs[state.acknowledged] - workload.logs[0]
    problems = [f"{path} is neither the acknowledged version nor a later one" for path, allowed
                in replaced_versions(workload, state.cut, state.acknowledged).items() if read_or_none(root / path) not in allowed]
    log, catalog = read_or_none(data / CHANGES), read_or_none(data / CATALOG)
    if required and log is None:
        return problems + [f"the tracker is gone, with {len(required)} acknowledged changes"]
    kept, left_out = valid_log(log or b"")
    code, out, err = ptrack("list", "--json", data=data, env=env)
    if code != 0:
        return problems + [f"list exited {code}: {err.strip()}"]
    # The lines readers keep (the last may lack its line break: it is whole JSON).
    missing = required - {json.loads(line)["changeId"] for line in kept.splitlines() if line.strip()}
    if missing:
        problems.append(f"acknowledged changes missing: {sorted(missing)}")
    if json.loads(out) != replays(catalog, kept if log is not None else None):
        problems.append("list --json differs from a plain replay of the files")
    if left_out and "interrupted write" not in err:
        problems.append(f"{left_out} bytes of the log were left out without a word: {err!r}")
    code, _, err = ptrack("report", "--format", "json", data=data, env=env)
    if code != 0:
        problems.append(f"report exited {code}: {err.strip()}")
    snapshot = read_or_none(data / SNAPSHOT)
    if snapshot is None:
        problems.append("no snapshot after a read that could take the lock")
    else:
        json_lines(snapshot, "the snapshot after a read that could take the lock")
    return problems + next_writers(ptrack, data, env, json.loads(out), required, replays)


def next_writers(ptrack, data, env, items, required, replays):
    """`undo` (of the latest change in effect, found from the end of the log), then `mark`:
    each must succeed, and leave a log of whole lines with every acknowledged change, that a
    plain replay agrees with, and no temporary file."""
    item = next((entry for entry in items if entry["id"] == "gsomia"), items[0])
    status = "reversed" if item["status"] != "reversed" else "stalled"
    for command in (["undo"], ["mark", item["id"], status, "--note", "after the cut"]):
        code, _, err = ptrack(*command, data=data, env=env)
        if code != 0:
            return [f"{command[0]} after the cut failed ({code}): {err.strip()}"]
    problems = []
    raw = (data / CHANGES).read_bytes()
    missing = required - set(whole_lines(raw, "the log after the next writers"))
    if missing:
        problems.append(f"after the next writers, acknowledged changes missing: {sorted(missing)}")
    if ptrack.json("list", "--json", data=data, env=env) != replays((data / CATALOG).read_bytes(), raw):
        problems.append("after the next writers, list --json differs from a plain replay")
    left = [name for name in os.listdir(data) if ".tmp-" in name]
    if left:
        problems.append(f"temporary files left after the next writers: {left}")
    return problems


# ---------------------------------------------------------------- the exploration

def sample(workloads):
    """(workload, model) → its states: an even share of STATES each, then what the small
    workloads could not use shared among those with states to spare."""
    pairs = [(name, model) for name in workloads for model in MODELS]
    wanted = {pair: STATES // len(pairs) for pair in pairs}
    states = {pair: workloads[pair[0]].states(pair[1], wanted[pair], SEED) for pair in pairs}
    spare = STATES - sum(len(found) for found in states.values())
    open_pairs = [pair for pair in pairs if len(states[pair]) >= wanted[pair]]
    while spare > 0 and open_pairs:
        extra = max(1, spare // len(open_pairs))
        for pair in list(open_pairs):
            before = len(states[pair])
            states[pair] = workloads[pair[0]].states(pair[1], before + extra, SEED)
            spare -= len(states[pair]) - before
            if len(states[pair]) < before + extra:
                open_pairs.remove(pair)
    return states


def explore(workloads, tmp_path):
    """Checks every sampled state, side by side; returns the states checked per (workload,
    model), the failures, and the seconds taken."""
    scratch = tmp_path / "states"
    scratch.mkdir()
    replays = Replays(scratch, next(iter(workloads.values())).home)
    explored, failures, started = {}, [], time.monotonic()
    states = sample(workloads)
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        futures = {}
        for (name, model), found in states.items():
            for state in found:
                futures[pool.submit(check_state, workloads[name], state, scratch, replays)] = (name, model)
        for future in concurrent.futures.as_completed(futures):
            pair = futures[future]
            explored[pair] = explored.get(pair, 0) + 1
            failures += future.result()
    return explored, failures, time.monotonic() - started


@needs_strace
def test_every_state_a_power_cut_can_leave_is_sound(workloads, tmp_path):
    for workload in workloads.values():
        workload.replacements = replacements(workload)
    explored, failures, seconds = explore(workloads, tmp_path)
    total = sum(explored.values())
    lines = [f"power cut (seed {SEED}): {total} distinct states in {seconds:.0f} s, {len(failures)} unsound"]
    for name in workloads:
        counts = ", ".join(f"{model} {explored.get((name, model), 0)}" for model in MODELS)
        lines.append(f"  {name}: {len(workloads[name].pieces)} events, {len(workloads[name].flush_positions())} flushes; {counts}")
    print("\n".join(lines))
    assert not failures, (f"{len(failures)} unsound states (PTRACK_POWERCUT_SEED={SEED}):\n{kinds_of(failures)}\n"
                          "the first 20:\n" + "\n".join(failures[:20]))
    assert total >= STATES, f"only {total} distinct states explored, {STATES} asked for"


def kinds_of(failures):
    """How many failures of each kind: workload, model and the problem's first words."""
    counts = {}
    for failure in failures:
        words = failure.split(" ")
        problem = failure.split("): ", 1)[1].split(":")[0].split("(")[0][:60]
        kind = f"{words[0]} {words[1]}: {problem}"
        counts[kind] = counts.get(kind, 0) + 1
    return "\n".join(f"  {count} × {kind}" for kind, count in sorted(counts.items()))


WHOLE_CHECKED_ELSEWHERE = (f"data/{CHANGES}", f"data/{SNAPSHOT}")


def replacements(workload):
    """path → [(piece index, content)]: the files a rename replaced, each content they took, and
    the content each had before the workload (index -1) and after each command (its ack)."""
    renamed = {}
    files = workload.initial.copy()
    for index, piece in enumerate(workload.pieces):
        piece.apply(files)
        # Files replaced whole (the log and the snapshot are checked on their own; git's files
        # are git's to keep: see docs/reliability.md).
        if piece.kind == "rename" and piece.target not in WHOLE_CHECKED_ELSEWHERE and not piece.target.split("/")[-1].startswith(".") \
                and "/.git/" not in piece.target:
            renamed.setdefault(piece.target, []).append((index, files.content(piece.inode)))
    result = {}
    for path, versions in renamed.items():
        timeline = [(-1, workload.initial.content(workload.initial.names[path]) if path in workload.initial.names else None)]
        for ack in workload.acks:
            files = workload.initial.copy()
            for piece in workload.pieces[:ack]:
                piece.apply(files)
            inode = files.names.get(path)
            timeline.append((ack, files.content(inode) if inode else None))
        result[path] = timeline + versions
    return result


# ---------------------------------------------------------------- regression states

# What the exploration found, each kept as a state of its own. The log's end after a power cut
# on a file system that made the new size durable before the data: readers refused the log
# (exit 65) where they must leave the end out and the next writer cut it away.
TAILS = {
    "zeros": b"\0" * 700,
    "a fragment": b'{"changeId":"half","happ',
    "zeros then a fragment ending in a line break": b"\0" * 300 + b'idence","recorded":"2026-01-01T00:00:00Z"}\n',
    "zeros inside a line then whole lines": b'{"changeId":"half","note":"a' + b"\0" * 512 + b'b"}\n'
                                             b'{"changeId":"x","happened":"2024-01-01","id":"dtt","kind":"watch",'
                                             b'"recorded":"2026-01-01T00:00:00Z","schemaVersion":1,"watched":true}\n',
}


@pytest.mark.parametrize("tail", TAILS.values(), ids=list(TAILS))
def test_regression_state_the_end_a_power_cut_leaves_in_the_log(ptrack, data_dir, tail):
    before = ptrack.json("list", "--json", data=data_dir)
    log = pathlib.Path(data_dir, CHANGES)
    acknowledged = log.read_bytes()
    log.write_bytes(acknowledged + tail)
    code, out, err = ptrack("list", "--json", data=data_dir)
    assert code == 0, err
    assert json.loads(out) == before
    assert f"ignoring the incomplete end of the log ({len(tail)} bytes) left by an interrupted write" in err
    for command in (["report", "--format", "json"], ["report", "--as-of", "2025-06-01"], ["diff", "2024-01-01"],
                    ["history", "dtt"], ["show", "gsomia"], ["check"], ["export", "--format", "csv"]):
        code, _, err = ptrack(*command, data=data_dir)
        assert code == 0, f"{command}: {err}"
    code, out, err = ptrack("mark", "gsomia", "stalled", data=data_dir)
    assert code == 0, err
    assert f"removed the incomplete end of the log ({len(tail)} bytes) left by an interrupted write" in err
    now = log.read_bytes()
    assert now.startswith(acknowledged) and now.count(b"\n") == acknowledged.count(b"\n") + 1
    whole_lines(now, "after the next writer")
    print(f"regression state ({len(tail)} bytes past the log): left out, then cut away by the next writer")


def test_regression_state_undo_after_a_long_tail_reverts_the_last_acknowledged_change(ptrack, data_dir):
    """An import a power cut cut short can leave zeros, then more than 64 KiB of whole lines
    that reached the disk. `undo` reads the end of the log in pieces of 64 KiB and up: it read
    them from the end of the file, took the last of those unacknowledged lines for the change
    to revert, and the revert it wrote named a line the next writer cut away, so every read
    after it failed."""
    before = next(item for item in ptrack.json("list", "--json", data=data_dir) if item["id"] == "gsomia")["status"]
    out = ptrack.ok("mark", "gsomia", "stalled", data=data_dir)
    acknowledged = out.split("(change ")[1].rstrip(")\n")
    line = ('{{"changeId":"tail-{}","happened":"2024-01-01","id":"dtt","kind":"watch",'
            '"recorded":"2026-01-01T00:00:00Z","schemaVersion":1,"watched":true}}\n')
    tail = b"\0" * 600 + "".join(line.format(number) for number in range(600)).encode()
    assert len(tail) > 1 << 16
    log = pathlib.Path(data_dir, CHANGES)
    log.write_bytes(log.read_bytes() + tail)
    (pathlib.Path(data_dir) / SNAPSHOT).unlink()
    ptrack.ok("undo", data=data_dir)
    last = json.loads(log.read_bytes().splitlines()[-1])
    assert last["kind"] == "revert" and last["reverts"] == acknowledged, last
    status = next(item for item in ptrack.json("list", "--json", data=data_dir) if item["id"] == "gsomia")["status"]
    assert status == before
    print(f"regression state ({len(tail)} bytes past the log): undo reverted the last acknowledged change")


@needs_strace
def test_regression_state_a_new_directory_reaches_the_disk_before_the_acknowledgement(workloads):
    """A tracker made by `init`, and the user's state directory made by `news --mark-seen`,
    were created without flushing their parents: under the weak model a power cut after the
    acknowledgement could lose the whole tracker, and the changes recorded in it since."""
    for name in ("init", "init-git", "news-seen"):
        workload = workloads[name]
        created = [(index, piece.path) for index, piece in enumerate(workload.pieces)
                   if piece.kind == "name" and piece.node == "dir" and ".git" not in piece.path]
        assert created, f"{name}: no directory made"
        for index, path in created:
            for ack in (ack for ack in workload.acks if ack > index):
                assert workload.covered(ack, "weak")[index], f"{name}: {path} may be lost after the acknowledgement"
    print("regression state: new directories flushed into their parents before the acknowledgement (init, init --git, news)")


def test_an_import_a_power_cut_cut_short_is_completed_by_running_it_again(ptrack, tmp_path):
    """A power cut during an import's append may keep its first changes and leave the rest as
    zeros (the weak model's states of the import workload): running the import again appends
    only what is missing, and the tracker ends as if the import had run once."""
    rows = ["id,title,category,horizon,actors,status,happened,note"]
    rows += [f"x-{number},Item {number},Alliance,short-term,US,in-progress,2024-03-01,note {number}" for number in range(20)]
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("\n".join(rows) + "\n")
    arguments = ("import", sheet, "--catalog", "extra", "--title", "Extra", "--source", "Sheet")
    once, cut = tmp_path / "once", tmp_path / "cut"
    clock = {"PTRACK_NOW": 1_780_000_000}         # the lines written again are the same lines
    for data in (once, cut):
        ptrack.ok("list", data=data)
        ptrack.ok(*arguments, data=data, env=clock)
    log = cut / CHANGES
    lines = log.read_bytes().splitlines(keepends=True)
    log.write_bytes(b"".join(lines[:-5]) + b"\0" * 600)
    (cut / SNAPSHOT).unlink()
    out = ptrack.ok(*arguments, data=cut, env=clock)
    assert "changes:         5 added, 15 already in the log" in out
    assert ptrack.json("list", "--json", data=cut) == ptrack.json("list", "--json", data=once)
    assert log.read_bytes() == (once / CHANGES).read_bytes()
    print("an import a power cut cut short: run again, 5 changes added, 15 already there, as if run once")
