"""What a power cut can leave on disk: the file-system calls of a workload, recorded with
strace, replayed onto a model of the files under two persistence models.

A killed process leaves the kernel's page cache whole; a power cut does not. What reaches the
disk before the cut depends on the file system, so each model says which of the calls issued
before the cut may be missing, cut short or there:

- `ordered`, ext4's default (data=ordered): the metadata (new names, renames, unlinks, sizes)
  reaches the disk in the order it was issued, as a prefix, and a file's appended data before
  the size that shows it; data written over a file's existing bytes may land at any time, a
  sector at a time. An `fsync` of anything commits every metadata operation issued before it.
- `weak`, what POSIX promises: every call not yet covered by an `fsync` may or may not have
  reached the disk, independently of the others; a write may have reached it a sector at a
  time, and a file's new size without its data (which then reads as zeros). `fsync` of a file
  covers its data and size; `fsync` of a directory covers the names created, renamed and
  removed in it, and nothing else does.

Each state is a set of the calls' pieces that reached the disk, applied in the order they were
issued to the files as they were before the workload. `states()` yields them, every one when
there are few and a seeded sample when there are many, without repeats.
"""

import hashlib
import os
import random
import re
import subprocess

# A disk writes a 512-byte sector whole or not at all; anything longer may be cut short
# between sectors (a 4 KiB page is eight of them).
BLOCK = 512
TRACED = ("open,openat,creat,write,pwrite64,writev,pwritev,pwritev2,ftruncate,truncate,fsync,fdatasync,"
          "sync_file_range,syncfs,sync,rename,renameat,renameat2,unlink,unlinkat,mkdir,mkdirat,rmdir,lseek,"
          "link,linkat,symlink,symlinkat,fallocate,copy_file_range,sendfile,mmap,msync")
CALL = re.compile(r"^(\d+)\s+(\w+)\((.*)\)\s+=\s+(-?\d+|0x[0-9a-f]+)(<[^>]*>)?")
UNFINISHED = re.compile(r"^(\d+)\s+(.*) <unfinished \.\.\.>$")
RESUMED = re.compile(r"^(\d+)\s+<\.\.\. (\w+) resumed>(.*)$")
HEX = re.compile(r"\\x([0-9a-f]{2})")


def unhex(text):
    """The bytes strace -xx wrote as `\\xNN` escapes."""
    return bytes(int(pair, 16) for pair in HEX.findall(text))


def arguments(text):
    """A call's arguments, split at the commas between them (not those in braces or brackets)."""
    parts, depth, quoted, start = [], 0, False, 0
    for position, character in enumerate(text):
        if character == '"':
            quoted = not quoted
        elif not quoted and character in "[{":
            depth += 1
        elif not quoted and character in "]}":
            depth -= 1
        elif not quoted and depth == 0 and character == ",":
            parts.append(text[start:position].strip())
            start = position + 1
    parts.append(text[start:].strip())
    return parts


def descriptor(argument):
    """(number, path) of an argument strace -y printed as `3</path>`."""
    number, _, rest = argument.partition("<")
    return int(number) if number.lstrip("-").isdigit() else None, os.fsdecode(unhex(rest))


def string(argument):
    return unhex(argument) if argument.startswith('"') else None


def record(argv, env, cwd=None, trace_path=None):
    """Runs `argv` under strace; returns (exit status, stdout, stderr, the calls as (pid, name,
    arguments, result, result's path)), unfinished calls joined with their ends."""
    trace_path = trace_path or "/tmp/powercut.strace"
    result = subprocess.run(["strace", "-f", "-qq", "-y", "-xx", "-s", str(1 << 26), "-e", f"trace={TRACED}",
                             "-o", trace_path, *argv], env=env, cwd=cwd, capture_output=True, timeout=300,
                            stdin=subprocess.DEVNULL)
    calls, pending = [], {}
    with open(trace_path, encoding="latin-1") as handle:
        for line in handle:
            line = line.rstrip("\n")
            unfinished = UNFINISHED.match(line)
            if unfinished:
                pending[unfinished.group(1)] = unfinished.group(2)
                continue
            resumed = RESUMED.match(line)
            if resumed:
                line = f"{resumed.group(1)} {pending.pop(resumed.group(1))}{resumed.group(3)}"
            match = CALL.match(line)
            if match:
                value = match.group(4)
                calls.append((int(match.group(1)), match.group(2), arguments(match.group(3)),
                              int(value, 0), os.fsdecode(unhex(match.group(5) or ""))))
    os.unlink(trace_path)
    return result.returncode, result.stdout.decode(), result.stderr.decode(), calls


class Files:
    """Files and directories under one root: names to inodes, inodes to bytes and sizes."""

    def __init__(self):
        self.names = {}          # path relative to the root ("" is the root) → inode
        self.kinds = {}          # inode → "dir" or "file"
        self.data = {}           # inode → bytearray (bytes written, perhaps past the size)
        self.sizes = {}          # inode → size
        self.next_inode = 1

    @classmethod
    def read(cls, root):
        files = cls()
        files.add("", "dir")
        for directory, dirs, names in os.walk(root):
            for name in sorted(dirs):
                files.add(os.path.relpath(os.path.join(directory, name), root), "dir")
            for name in sorted(names):
                path = os.path.join(directory, name)
                with open(path, "rb") as handle:
                    content = handle.read()
                inode = files.add(os.path.relpath(path, root), "file")
                files.data[inode] = bytearray(content)
                files.sizes[inode] = len(content)
        return files

    def add(self, path, kind):
        inode = self.next_inode
        self.next_inode += 1
        self.names[path] = inode
        self.kinds[inode] = kind
        self.data[inode] = bytearray()
        self.sizes[inode] = 0
        return inode

    def copy(self):
        other = Files()
        other.names = dict(self.names)
        other.kinds = dict(self.kinds)
        other.data = {inode: bytearray(data) for inode, data in self.data.items()}
        other.sizes = dict(self.sizes)
        other.next_inode = self.next_inode
        return other

    def content(self, inode):
        data = bytes(self.data[inode][:self.sizes[inode]])
        return data + bytes(self.sizes[inode] - len(data))

    def reachable(self):
        """path → bytes for files, None for directories, of every name whose parents all exist."""
        result = {}
        for path, inode in self.names.items():
            parent = os.path.dirname(path)
            while parent and parent in self.names:
                parent = os.path.dirname(parent)
            if parent == "" and path != "":
                result[path] = None if self.kinds[inode] == "dir" else self.content(inode)
        return result

    def materialise(self, target):
        os.makedirs(target)
        for path, content in sorted(self.reachable().items()):
            full = os.path.join(target, path)
            if content is None:
                os.makedirs(full, exist_ok=True)
            else:
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "wb") as handle:
                    handle.write(content)


def digest(files):
    hasher = hashlib.sha256()
    for path, content in sorted(files.reachable().items()):
        hasher.update(path.encode() + b"\0" + (b"d" if content is None else b"f" + hashlib.sha256(content).digest()))
    return hasher.hexdigest()


class State:
    """One state a power cut could leave: which pieces reached the disk (the files are built
    again when needed: thousands of copies of a tracker would not fit in memory)."""

    def __init__(self, workload, model, chosen, digest, acknowledged, cut):
        self.workload = workload
        self.model = model
        self.chosen = chosen
        self.digest = digest
        self.acknowledged = acknowledged      # how many commands had acknowledged their work
        self.cut = cut                        # how many events were issued before the cut

    def files(self):
        return self.workload.build(self.chosen)

    def __str__(self):
        return f"{self.model} cut {self.cut}/{len(self.workload.pieces)} (state {self.digest[:12]})"


# ---------------------------------------------------------------- the calls as operations

class Piece:
    """One part of an operation that reaches the disk whole or not at all."""

    def __init__(self, kind, op, **fields):
        self.kind = kind        # name, rename, unlink, truncate, size, data, or flush (an fsync)
        self.op = op            # the index of the operation it is part of
        self.__dict__.update(fields)

    def apply(self, files):
        """Applies the piece to `files`."""
        if self.kind == "name":
            files.names.setdefault(self.path, self.inode)
            if self.inode not in files.kinds:
                files.kinds[self.inode] = self.node
                files.data[self.inode] = bytearray()
                files.sizes[self.inode] = 0
        elif self.kind == "rename":
            if files.names.get(self.source) == self.inode:
                del files.names[self.source]
                files.names[self.target] = self.inode
        elif self.kind == "unlink":
            if files.names.get(self.path) == self.inode:
                del files.names[self.path]
        elif self.inode in files.kinds:
            if self.kind == "truncate":
                files.sizes[self.inode] = self.size
                del files.data[self.inode][self.size:]
            elif self.kind == "size":
                files.sizes[self.inode] = max(files.sizes[self.inode], self.size)
            elif self.kind == "data":
                buffer = files.data[self.inode]
                if len(buffer) < self.offset:
                    buffer.extend(bytes(self.offset - len(buffer)))
                buffer[self.offset:self.offset + len(self.bytes)] = self.bytes


class Workload:
    """The operations a recorded run made on the files under `root`, as pieces, with where
    each command acknowledged its work and where each flush was."""

    def __init__(self, root):
        self.root = os.path.realpath(root)
        self.initial = Files.read(self.root)
        self.files = self.initial.copy()           # as the recorded calls left them so far
        self.pieces = []                            # every piece, in the order issued
        self.acks = []                              # index into pieces where command i was acknowledged
        self.offsets = {}                           # descriptor → (path, offset, appending)
        self.operations = 0

    def relative(self, path):
        path = os.path.normpath(path)
        if path == self.root:
            return ""
        if path.startswith(self.root + "/"):
            return path[len(self.root) + 1:]
        return None

    def resolve(self, base, name):
        return os.path.normpath(name if name.startswith("/") else os.path.join(base, name))

    @staticmethod
    def path(args, index):
        """The path argument `index` (absolute: ptrack names its files so)."""
        return os.path.abspath(os.fsdecode(string(args[index])))

    def at(self, args, index):
        """The path a directory descriptor (argument `index`) and a name after it make."""
        return self.resolve(descriptor(args[index])[1], os.fsdecode(string(args[index + 1])))

    def add_command(self, calls):
        """Adds one command's calls; the command is acknowledged at its first write to its
        standard output or error (what the user reads), else when it ends."""
        main = calls[0][0] if calls else None
        acked = False
        for pid, name, args, result, result_path in calls:
            if result < 0:
                continue
            if pid == main and name == "write" and not acked and descriptor(args[0])[0] in (1, 2):
                self.acks.append(len(self.pieces))
                acked = True
                continue
            handler = getattr(self, f"on_{name}", None)
            if handler:
                handler(pid, args, result, result_path)
        if not acked:
            self.acks.append(len(self.pieces))

    def inode(self, path):
        relative = self.relative(path)
        return None if relative is None else self.files.names.get(relative)

    def emit(self, piece):
        piece.apply(self.files)
        self.pieces.append(piece)

    def operation(self):
        self.operations += 1
        return self.operations

    # -- opening and positions

    def on_openat(self, pid, args, result, result_path):
        self.opened(pid, self.at(args, 0), args[2], result, result_path)

    def on_open(self, pid, args, result, result_path):
        self.opened(pid, self.path(args, 0), args[1], result, result_path)

    def on_creat(self, pid, args, result, result_path):
        self.opened(pid, self.path(args, 0), "O_WRONLY|O_CREAT|O_TRUNC", result, result_path)

    def opened(self, pid, path, flags, result, result_path):
        path = result_path or path
        relative = self.relative(path)
        if relative is None:
            return
        op = self.operation()
        if "O_CREAT" in flags and relative not in self.files.names and "O_DIRECTORY" not in flags:
            self.emit(Piece("name", op, path=relative, inode=self.files.next_inode, node="file"))
            self.files.next_inode += 1
        inode = self.files.names.get(relative)
        if "O_TRUNC" in flags and inode is not None and self.files.sizes[inode]:
            self.emit(Piece("truncate", op, inode=inode, size=0))
        offset = self.files.sizes.get(inode, 0) if "O_APPEND" in flags else 0
        self.offsets[result] = (path, offset, "O_APPEND" in flags)

    def position(self, pid, number, path):
        found = self.offsets.get(number)
        if found and found[0] == path:
            return found
        inode = self.inode(path)
        return path, self.files.sizes.get(inode, 0), True

    def on_lseek(self, pid, args, result, result_path):
        number, path = descriptor(args[0])
        if self.relative(path) is not None:
            self.offsets[number] = (path, result, self.position(pid, number, path)[2])

    # -- writing

    def on_write(self, pid, args, result, result_path):
        number, path = descriptor(args[0])
        if self.relative(path) is None:
            return
        _, offset, appending = self.position(pid, number, path)
        if appending:
            offset = self.files.sizes[self.inode(path)]
        self.written(path, offset, string(args[1])[:result], result)
        self.offsets[number] = (path, offset + result, appending)

    def on_pwrite64(self, pid, args, result, result_path):
        number, path = descriptor(args[0])
        if self.relative(path) is not None:
            self.written(path, int(args[3]), string(args[1])[:result], result)

    def written(self, path, offset, data, count):
        assert len(data) == count, f"strace kept {len(data)} of the {count} bytes written to {path}"
        inode = self.inode(path)
        op = self.operation()
        end = offset + len(data)
        old_size = self.files.sizes[inode]
        # Sector by sector: a sector either reached the disk with this write's bytes or did not.
        # Each sector past the old end also brings its own new size, which may reach the disk
        # with or without it (the ordered model keeps them in order: data, then size).
        start = offset
        while start < end:
            stop = min(end, (start // BLOCK + 1) * BLOCK)
            self.emit(Piece("data", op, inode=inode, offset=start, bytes=data[start - offset:stop - offset],
                            appended=stop > old_size))
            if stop > old_size:
                self.emit(Piece("size", op, inode=inode, size=stop))
            start = stop

    def on_ftruncate(self, pid, args, result, result_path):
        _, path = descriptor(args[0])
        self.truncated(path, int(args[1]))

    def on_truncate(self, pid, args, result, result_path):
        self.truncated(self.path(args, 0), int(args[1]))

    def truncated(self, path, size):
        inode = self.inode(path)
        if inode is None:
            return
        op = self.operation()
        if size < self.files.sizes[inode]:
            self.emit(Piece("truncate", op, inode=inode, size=size))
        elif size > self.files.sizes[inode]:
            self.emit(Piece("size", op, inode=inode, size=size))

    # -- flushing

    def on_fsync(self, pid, args, result, result_path):
        _, path = descriptor(args[0])
        inode = self.inode(path)
        if inode is not None:
            self.pieces.append(Piece("flush", self.operation(), inode=inode, directory=self.files.kinds[inode] == "dir"))

    on_fdatasync = on_fsync

    # -- names

    def named(self, path, kind):
        relative = self.relative(path)
        if relative is not None and relative not in self.files.names:
            self.emit(Piece("name", self.operation(), path=relative, inode=self.files.next_inode, node=kind))
            self.files.next_inode += 1

    def on_mkdir(self, pid, args, result, result_path):
        self.named(self.path(args, 0), "dir")

    def on_mkdirat(self, pid, args, result, result_path):
        self.named(self.at(args, 0), "dir")

    def renamed(self, source, target):
        source, target = self.relative(source), self.relative(target)
        if source is None or target is None or source not in self.files.names:
            return
        self.emit(Piece("rename", self.operation(), source=source, target=target, inode=self.files.names[source]))

    def on_rename(self, pid, args, result, result_path):
        self.renamed(self.path(args, 0), self.path(args, 1))

    def on_renameat(self, pid, args, result, result_path):
        self.renamed(self.at(args, 0), self.at(args, 2))

    on_renameat2 = on_renameat

    def removed(self, path):
        relative = self.relative(path)
        if relative in self.files.names:
            self.emit(Piece("unlink", self.operation(), path=relative, inode=self.files.names[relative]))

    def on_unlink(self, pid, args, result, result_path):
        self.removed(self.path(args, 0))

    def on_unlinkat(self, pid, args, result, result_path):
        self.removed(self.at(args, 0))

    on_rmdir = on_unlink

    def linked(self, source, target):
        source, target = self.relative(source), self.relative(target)
        if source in self.files.names and target is not None:
            inode = self.files.names[source]
            self.emit(Piece("name", self.operation(), path=target, inode=inode, node=self.files.kinds[inode]))

    def on_link(self, pid, args, result, result_path):
        self.linked(self.path(args, 0), self.path(args, 1))

    def on_linkat(self, pid, args, result, result_path):
        self.linked(self.at(args, 0), self.at(args, 2))

    def unfollowed(self, pid, args, result, result_path):
        """A call the model does not follow: refused when it writes under the root."""
        paths = [descriptor(arg)[1] for arg in args if "<" in arg]
        assert not any(self.relative(path) is not None for path in paths), f"unmodelled call on {paths}"

    on_writev = on_pwritev = on_pwritev2 = on_fallocate = on_copy_file_range = on_sendfile = unfollowed
    on_symlink = on_symlinkat = on_msync = unfollowed

    # ---------------------------------------------------------------- the states

    def parent_inodes(self, piece, names):
        """The inodes of the directories a name piece changes (as names stood when issued)."""
        paths = [piece.source, piece.target] if piece.kind == "rename" else [piece.path]
        return {names.get(os.path.dirname(path)) for path in paths}

    def covered(self, cut, model):
        """For the cut after `cut` pieces: which of them a flush issued before the cut forces to
        disk under `model` (True) and which are free to be there or not."""
        forced = [False] * cut
        names_then = []
        files = self.initial.copy()
        for piece in self.pieces[:cut]:
            names_then.append(dict(files.names))
            piece.apply(files)
        for position in range(cut):
            flush = self.pieces[position]
            if flush.kind != "flush":
                continue
            for index in range(position):
                piece = self.pieces[index]
                if model == "ordered" and self.journaled(piece):
                    forced[index] = True           # an fsync commits the journal and the data it orders
                elif piece.kind in ("name", "rename", "unlink"):
                    forced[index] |= flush.directory and flush.inode in self.parent_inodes(piece, names_then[index])
                else:
                    forced[index] |= piece.inode == flush.inode
        return forced

    def build(self, chosen):
        """The files after the pieces `chosen` (indices, in order) reached the disk."""
        files = self.initial.copy()
        for index in chosen:
            self.pieces[index].apply(files)
        return files

    def states(self, model, budget, seed):
        """Up to `budget` distinct ``State``s a power cut could leave under `model`."""
        rng = random.Random(seed)
        seen = {}
        # The moments that matter most first (each acknowledgement, just before each flush,
        # the end), then every other cut in a random order; round after round while the
        # budget lasts, every choice of a cut when they are few, a random one when many.
        first = sorted({*self.acks, *self.flush_positions(), len(self.pieces)})
        rest = [cut for cut in self.between_calls() if cut not in first]
        rng.shuffle(rest)
        cuts = first + rest
        choices = {cut: self.choices(cut, model) for cut in cuts}
        exhaustive = sum(count for count, _ in choices.values()) <= budget
        attempts = 0
        while len(seen) < budget and attempts < budget * 20:
            for cut in cuts:
                count, chooser = choices[cut]
                for pick in (range(count) if exhaustive else [None]):
                    attempts += 1
                    chosen = chooser(pick, rng)
                    # The same files are another state when more had been acknowledged by then.
                    acknowledged = sum(1 for ack in self.acks if ack <= cut)
                    key = (digest(self.build(chosen)), acknowledged)
                    if key not in seen:
                        seen[key] = State(self, model, chosen, key[0], acknowledged, cut)
                if len(seen) >= budget:
                    break
            if exhaustive:
                break
        return list(seen.values())

    def choices(self, cut, model):
        """(how many choices, a function from a choice to the pieces that reached the disk)."""
        forced = self.covered(cut, model)
        changes = [index for index in range(cut) if self.pieces[index].kind != "flush"]
        if model == "weak":
            free = [index for index in changes if not forced[index]]
            always = [index for index in changes if forced[index]]

            def weak(pick, rng):
                bits = pick if pick is not None else rng.getrandbits(max(1, len(free)))
                return sorted(always + [index for bit, index in enumerate(free) if bits >> bit & 1])
            return 1 << len(free), weak
        # Ordered: the journal (names, sizes, appended sectors) reaches the disk as a prefix at
        # least as long as the last flush forced; data over existing bytes comes on its own.
        journal = [index for index in changes if self.journaled(self.pieces[index])]
        least = sum(1 for index in journal if forced[index])
        free = [index for index in changes if not self.journaled(self.pieces[index]) and not forced[index]]
        always = [index for index in changes if not self.journaled(self.pieces[index]) and forced[index]]
        prefixes = len(journal) - least + 1

        def ordered(pick, rng):
            if pick is None:
                pick = rng.randrange(prefixes) + (rng.getrandbits(max(1, len(free))) * prefixes)
            length = least + pick % prefixes
            bits = pick // prefixes
            return sorted(journal[:length] + always + [index for bit, index in enumerate(free) if bits >> bit & 1])
        return prefixes << len(free), ordered

    def between_calls(self):
        """The cuts that fall between two calls (a call is issued whole: what a cut leaves of it
        is which of its pieces reached the disk)."""
        return [0] + [index for index in range(1, len(self.pieces) + 1)
                      if index == len(self.pieces) or self.pieces[index].op != self.pieces[index - 1].op]

    def flush_positions(self):
        """Where each flush was issued (a cut there falls just before it)."""
        return [index for index, piece in enumerate(self.pieces) if piece.kind == "flush"]

    @staticmethod
    def journaled(piece):
        """Whether ext4's journal orders the piece: names, sizes and appended sectors, not data
        written over existing bytes (nor a flush, which changes nothing itself)."""
        return piece.kind in ("name", "rename", "unlink", "truncate", "size") or (piece.kind == "data" and piece.appended)
