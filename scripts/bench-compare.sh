#!/usr/bin/env bash
# Side-by-side benchmark of ptrack against its peers on the same synthetic data:
# jq and Python on one JSON document, and Taskwarrior 2.6 after `task import`.
#
#   scripts/bench-compare.sh                 (or: make bench-compare)
#
# Settings, from the environment (the Makefile passes its variables of the same names):
#   COUNTS="1000 100000"   tracker sizes, in recommendations
#   CHANGES=10             status changes per recommendation
#   RUNS=5                 measured runs per command (after one warm-up run)
#   SEED=1                 generator seed
#   BENCH_OUT=.build/bench-compare.md   where the Markdown tables go
#   SWIFT=swift            the swift driver; SWIFT_BUILD_FLAGS adds flags to `swift build`
#                          (for example "--scratch-path /tmp/build")
#   KEEP_WORK=1            keep the temporary directory (its path is printed)
#
# What it does:
#   1. installs what is missing (jq, hyperfine, taskwarrior, GNU time) with apt-get when
#      run as root (or through passwordless sudo), else prints the command and stops;
#   2. builds release once (`swift build -c release`);
#   3. for each size, generates the data with `ptrack-gen --peers` into a temporary
#      directory, imports taskwarrior.json into an isolated Taskwarrior (its own TASKRC and
#      TASKDATA, so the user's tasks are never touched), and measures every comparable
#      operation with hyperfine, alternating the tools: each round runs every command of an
#      operation once (`hyperfine --runs 1`, with `--warmup 1` in the first round), so slow
#      drifts of the machine fall on all tools alike; the median is over the RUNS rounds;
#   4. measures the peak memory of each command in one more run with `/usr/bin/time -f %M`;
#   5. prints one table per size (operation, tool, median seconds, peak MiB, and the ratio
#      of ptrack's median to the peer's: below 1 means ptrack is faster) and writes the same
#      tables as Markdown to $BENCH_OUT.
#
# ptrack is measured in the state a user has it in: after its first write, which builds the
# snapshot (the data is "primed" with a watch and an unwatch, which change no status). The
# summary also has a row for the tracker exactly as generated, with no snapshot yet (the
# snapshot its report writes is removed before every run).
set -euo pipefail

COUNTS=${COUNTS:-"1000 100000"}
CHANGES=${CHANGES:-10}
RUNS=${RUNS:-5}
SEED=${SEED:-1}
BENCH_OUT=${BENCH_OUT:-.build/bench-compare.md}
SWIFT=${SWIFT:-swift}
SWIFT_BUILD_FLAGS=${SWIFT_BUILD_FLAGS:-}
KEEP_WORK=${KEEP_WORK:-}

repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

say() { printf '%s\n' "$*" >&2; }
die() { say "bench-compare: $*"; exit 1; }

for value in $COUNTS "$CHANGES" "$RUNS" "$SEED"; do
    [[ $value =~ ^[0-9]+$ ]] || die "COUNTS, CHANGES, RUNS and SEED must be whole numbers (got '$value')"
done
[[ $RUNS -ge 1 ]] || die "RUNS must be at least 1"

# ---------------------------------------------------------------------------------------
# 1. Tools
# ---------------------------------------------------------------------------------------

missing=()
command -v jq >/dev/null 2>&1 || missing+=(jq)
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
command -v task >/dev/null 2>&1 || missing+=(taskwarrior)
[[ -x /usr/bin/time ]] || missing+=(time)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [[ ${#missing[@]} -gt 0 ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        say "Installing: ${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && command -v apt-get >/dev/null 2>&1; then
        say "Installing: ${missing[*]}"
        sudo apt-get update -qq
        sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        say "bench-compare needs: ${missing[*]}. Install them with:"
        say "    sudo apt-get update && sudo apt-get install -y ${missing[*]}"
        exit 69
    fi
fi

# ---------------------------------------------------------------------------------------
# 2. Build
# ---------------------------------------------------------------------------------------

say "Building release…"
# shellcheck disable=SC2086  # SWIFT_BUILD_FLAGS is a list of flags
"$SWIFT" build -c release $SWIFT_BUILD_FLAGS >&2
# shellcheck disable=SC2086
bin=$("$SWIFT" build -c release $SWIFT_BUILD_FLAGS --show-bin-path)
ptrack=$bin/ptrack
gen=$bin/ptrack-gen
[[ -x $ptrack && -x $gen ]] || die "the build did not produce $ptrack and $gen"

# ---------------------------------------------------------------------------------------
# Working directory and helpers
# ---------------------------------------------------------------------------------------

work=$(mktemp -d "${TMPDIR:-/tmp}/ptrack-bench-compare.XXXXXX")
cleanup() {
    if [[ -n $KEEP_WORK ]]; then say "Kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

# Taskwarrior reads an empty configuration: defaults only, no hooks, no user data.
taskrc=$work/taskrc
: >"$taskrc"

# The peers' programs, in files to keep the quoting simple. Each reads the whole document
# with json.load / jq, as a tracker kept in one JSON file must be read.
mkdir -p "$work/programs"
# The current status of a recommendation is the status of its last change (the dates of a
# history only increase); "not-started" when it has none.
cat >"$work/programs/current.jq" <<'EOF'
[.recommendations[] | (.history[-1].status // "not-started")]
| group_by(.) | map({key: .[0], value: length}) | from_entries
EOF
cat >"$work/programs/list.jq" <<'EOF'
[.recommendations[] | {id, catalog, title, category, horizon, actors, watched,
  status: (.history[-1].status // "not-started"), lastChange: .history[-1].happened,
  changeCount: (.history | length)}]
EOF
cat >"$work/programs/current.py" <<'EOF'
import collections, json, sys
with open(sys.argv[1], encoding="utf-8") as handle:
    document = json.load(handle)
counts = collections.Counter(
    r["history"][-1]["status"] if r["history"] else "not-started" for r in document["recommendations"])
print(json.dumps(counts, sort_keys=True))
EOF
# As of a date: the change with the greatest (happened, recorded, changeId) among those that
# happened on or before it; a partial date counts from its first day (as ptrack's --as-of).
cat >"$work/programs/asof.py" <<'EOF'
import collections, json, sys
limit = sys.argv[2]
with open(sys.argv[1], encoding="utf-8") as handle:
    document = json.load(handle)
counts = collections.Counter()
for r in document["recommendations"]:
    effective = [h for h in r["history"] if h["happened"] <= limit or h["happened"].startswith(limit)]
    best = max(effective, key=lambda h: (h["happened"], h["recorded"], h["changeId"]), default=None)
    counts[best["status"] if best else "not-started"] += 1
print(json.dumps(counts, sort_keys=True))
EOF

q() { printf '%q' "$1"; }

# One operation: its commands are registered with `add`, then measured with `measure`.
op_name=""
op_kinds=()
op_labels=()
op_commands=()
op_prepares=()
begin_op() { op_name=$1; op_kinds=(); op_labels=(); op_commands=(); op_prepares=(); }
# add KIND LABEL COMMAND [PREPARE]. KIND is "ref" for ptrack's reference row (add it first:
# the peers' ratios are taken against it), "alt" for another ptrack row, "peer" for a peer.
add() { op_kinds+=("$1"); op_labels+=("$2"); op_commands+=("$3"); op_prepares+=("${4:-true}"); }

# Runs the registered commands in RUNS alternating rounds, then once more each under
# /usr/bin/time for the peak memory, and appends one line per command to $results:
# operation, tool, median seconds, peak MiB and the kind of row.
measure() {
    local dir=$work/results/$size/${op_name//[^a-z0-9]/-}
    mkdir -p "$dir"
    say "  $op_name"
    local round i warmup
    for ((round = 1; round <= RUNS; round++)); do
        for i in "${!op_commands[@]}"; do
            warmup=()
            [[ $round -eq 1 ]] && warmup=(--warmup 1)
            hyperfine --shell=none --style none "${warmup[@]}" --runs 1 \
                --prepare "bash -c $(q "${op_prepares[$i]}")" \
                --export-json "$dir/$i-$round.json" "${op_commands[$i]}" >/dev/null ||
                die "$op_name: '${op_commands[$i]}' failed"
        done
    done
    local median kib
    for i in "${!op_commands[@]}"; do
        median=$(jq -s '[.[].results[0].times[]] | sort
            | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end' \
            "$dir/$i"-*.json)
        bash -c "${op_prepares[$i]}"
        /usr/bin/time -f %M -o "$dir/$i.mem" bash -c "${op_commands[$i]}" >/dev/null 2>&1 ||
            die "$op_name: '${op_commands[$i]}' failed"
        kib=$(tail -n 1 "$dir/$i.mem")
        printf '%s\t%s\t%s\t%s\t%s\n' "$op_name" "${op_labels[$i]}" "$median" "$((kib / 1024))" \
            "${op_kinds[$i]}" >>"$results"
    done
}

# Prints the results of one size as a text table (stdout) and as Markdown ($markdown).
report_size() {
    awk -F '\t' -v md="$markdown" -v title="$1" '
        function ratio() { return ($3 > 0 && ref > 0) ? sprintf("%.2f", ref / $3) : "—" }
        BEGIN {
            printf "\n%s\n", title
            printf "%-28s %-30s %12s %10s %13s\n", "operation", "tool", "median (s)", "peak MiB", "ptrack/peer"
            print "" >> md
            print "| Operation | Tool | Median (s) | Peak MiB | ptrack/peer |" >> md
            print "| --- | --- | ---: | ---: | ---: |" >> md
        }
        {
            if ($5 == "ref") ref = $3
            r = ($5 == "peer") ? ratio() : "—"
            printf "%-28s %-30s %12.4f %10d %13s\n", $1, $2, $3, $4, r
            printf "| %s | %s | %.4f | %d | %s |\n", $1, $2, $3, $4, r >> md
        }' "$results"
}

# ---------------------------------------------------------------------------------------
# 3–5. Each size
# ---------------------------------------------------------------------------------------

mkdir -p "$(dirname "$BENCH_OUT")"
markdown=$work/bench-compare.md
{
    echo "# ptrack side by side with jq, Python and Taskwarrior"
    echo
    echo "Run of \`scripts/bench-compare.sh\` on $(date -u +%Y-%m-%dT%H:%M:%SZ): $(nproc) cores ($(uname -m))," \
        "$(task --version | head -n 1 | sed 's/^/Taskwarrior /'), $(jq --version), $(python3 --version)," \
        "$(hyperfine --version). $CHANGES changes per recommendation, seed $SEED; medians of $RUNS alternating" \
        "runs after one warm-up run; peak memory from one more run under \`/usr/bin/time -f %M\`." \
        "ptrack/peer is ptrack's median over the peer's: below 1 means ptrack is faster."
} >"$markdown"

for size in $COUNTS; do
    say "== $size recommendations × $CHANGES changes"
    base=$work/$size
    mkdir -p "$base"
    results=$base/results.tsv
    : >"$results"

    # The data, once, for every tool: the tracker, and its copy for jq, Python and Taskwarrior.
    /usr/bin/time -f '%e %M' -o "$base/gen.time" \
        "$gen" --count "$size" --changes "$CHANGES" --seed "$SEED" --output "$base/generated" --peers "$base/peers" --quiet
    read -r gen_seconds gen_kib <"$base/gen.time"
    mkdir -p "$base/taskdata"
    /usr/bin/time -f '%e %M' -o "$base/import.time" \
        env TASKRC="$taskrc" TASKDATA="$base/taskdata" task rc.confirmation=off rc.hooks=off rc.verbose=nothing \
        import "$base/peers/taskwarrior.json" >/dev/null
    read -r import_seconds import_kib <"$base/import.time"

    # ptrack's directory as a user has it after the first write: with its snapshot.
    cp -a "$base/generated" "$base/ptrack"
    "$ptrack" --data "$base/ptrack" watch rec-000001 >/dev/null
    "$ptrack" --data "$base/ptrack" unwatch rec-000001 >/dev/null
    cp -a "$base/ptrack" "$base/ptrack-repeat"

    # The tools must agree on the answer before their times mean anything.
    expected=$("$ptrack" --data "$base/ptrack" report --format json | jq -S -c '.byStatus | with_entries(select(.value > 0))')
    [[ $(jq -S -c -f "$work/programs/current.jq" "$base/peers/tracker.json") == "$expected" ]] ||
        die "jq's current statuses differ from ptrack's ($expected)"
    [[ $(python3 "$work/programs/current.py" "$base/peers/tracker.json" | jq -S -c .) == "$expected" ]] ||
        die "Python's current statuses differ from ptrack's ($expected)"
    implemented=$(jq '.implemented // 0' <<<"$expected")
    [[ $(env TASKRC="$taskrc" TASKDATA="$base/taskdata" task rc.verbose=nothing status:completed count) == "$implemented" ]] ||
        die "Taskwarrior's completed tasks are not ptrack's $implemented implemented recommendations"
    expected=$("$ptrack" --data "$base/ptrack" report --as-of 2015 --format json | jq -S -c '.byStatus | with_entries(select(.value > 0))')
    [[ $(python3 "$work/programs/asof.py" "$base/peers/tracker.json" 2015 | jq -S -c .) == "$expected" ]] ||
        die "Python's statuses as of 2015 differ from ptrack's ($expected)"

    D=$(q "$base/ptrack")
    D0=$(q "$base/generated")
    P=$(q "$ptrack")
    doc=$(q "$base/peers/tracker.json")
    task_env="env TASKRC=$(q "$taskrc") TASKDATA=$(q "$base/taskdata")"
    task_cmd="task rc.confirmation=off rc.hooks=off rc.verbose=nothing"
    programs=$(q "$work/programs")

    # The tracker as generated has no snapshot: a report replays the whole log and, since a
    # read keeps the snapshot it had to rebuild, writes it. Each run of that row starts from
    # the files as a fresh clone has them (no snapshot.jsonl, no .lock), or every run after
    # the warm-up would read the snapshot the warm-up wrote.
    begin_op "current statuses / summary"
    add ref "ptrack report --format json" "$P --data $D report --format json"
    add alt "ptrack, no snapshot yet" "$P --data $D0 report --format json" \
        "rm -f $(q "$base/generated/snapshot.jsonl") $(q "$base/generated/.lock")"
    add peer "jq (count current statuses)" "jq -c -f $programs/current.jq $doc"
    add peer "python3 json.load + count" "python3 $programs/current.py $doc"
    add peer "task summary" "$task_env $task_cmd summary"
    measure

    begin_op "export / list"
    add ref "ptrack list --json" "$P --data $D list --json"
    add peer "task export" "$task_env $task_cmd export"
    add peer "jq (list with statuses)" "jq -c -f $programs/list.jq $doc"
    measure

    begin_op "as-of replay (2015)"
    add ref "ptrack report --as-of 2015" "$P --data $D report --as-of 2015 --format json"
    add peer "python3 json.load + as-of" "python3 $programs/asof.py $doc 2015"
    measure

    # The reference row marks the same directory again and again (each run appends one
    # change to a log of N×CHANGES): the everyday case, with a valid snapshot. The other rows
    # start each run from a fresh copy, so every run does the same work. A copy has new
    # inodes, which ptrack's snapshot is tied to, so that ptrack row replays the whole log and
    # writes a new snapshot: the first mark after copying or cloning a tracker. Taskwarrior
    # keeps no cache, so its fresh copy costs what every modify costs.
    fresh=$(q "$base/mark-ptrack")
    fresh_task=$(q "$base/mark-taskdata")
    begin_op "one mark"
    add ref "ptrack mark (repeated)" "$P --data $(q "$base/ptrack-repeat") mark rec-000001 implemented --note benchmark"
    add alt "ptrack mark (fresh copy)" "$P --data $fresh mark rec-000001 implemented --note benchmark" \
        "rm -rf $fresh && cp -a $D $fresh"
    add peer "task 1 modify (fresh copy)" \
        "env TASKRC=$(q "$taskrc") TASKDATA=$fresh_task $task_cmd 1 modify +implemented" \
        "rm -rf $fresh_task && cp -a $(q "$base/taskdata") $fresh_task"
    measure

    sizes_line="catalog.json $(stat -c %s "$base/generated/catalog.json") B, changes.jsonl $(stat -c %s "$base/generated/changes.jsonl") B, tracker.json $(stat -c %s "$base/peers/tracker.json") B, taskwarrior.json $(stat -c %s "$base/peers/taskwarrior.json") B"
    title="$size recommendations × $CHANGES changes"
    {
        echo
        echo "## $title"
        echo
        echo "Generated in ${gen_seconds} s (peak $((gen_kib / 1024)) MiB): $sizes_line. \`task import\`: ${import_seconds} s (peak $((import_kib / 1024)) MiB)."
    } >>"$markdown"
    report_size "$title — generated in ${gen_seconds} s; task import ${import_seconds} s"
    say "  $sizes_line"
    # Free the disk before the next size.
    rm -rf "$base/generated" "$base/ptrack" "$base/ptrack-repeat" "$base/mark-ptrack" "$base/mark-taskdata" "$base/taskdata"
done

cp "$markdown" "$BENCH_OUT"
say ""
say "Markdown tables written to $BENCH_OUT"
