#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ and runs each for a bounded time.
#
#   scripts/fuzz.sh [SECONDS-PER-TARGET] [TARGET...]     (or: make fuzz FUZZ_SECONDS=20)
#
# Targets: data-file, change-log, theme, sanitiser (all of them when none is named);
# 20 seconds each unless told. See docs/fuzzing.md.
#
# The targets are built with swiftc directly into .build/fuzz/: through SwiftPM
# (`swift build -Xswiftc -sanitize=fuzzer`) they do not link.
# Each run works on a copy of Fuzz/corpus/TARGET in .build/fuzz/corpus/TARGET, so the
# committed corpus never grows; a crashing input is written to .build/fuzz/crashes/TARGET/.
# Exits non-zero when any target crashed or broke an invariant.
#
# Settings, from the environment: SWIFTC=swiftc (the compiler); FUZZ_FLAGS adds libFuzzer
# flags to every run (for example "-only_ascii=1").
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-20}
shift $(( $# > 0 ? 1 : 0 ))
all_targets=(data-file change-log theme sanitiser)
targets=("${@:-${all_targets[@]}}")
SWIFTC=${SWIFTC:-swiftc}
out=.build/fuzz
# Testing is enabled for the targets' `@testable import PolicyTrackerCore`.
flags=(-swift-version 6 -parse-as-library -sanitize=fuzzer,address -O -wmo -enable-testing -I "$out")
# The core hashes with OpenSSL's libcrypto through the system module in Sources/CLibcrypto:
# its module map, and the library's flags from pkg-config, as SwiftPM passes them.
flags+=(-I Sources/CLibcrypto)
for flag in $(pkg-config --cflags libcrypto); do flags+=(-Xcc "$flag"); done
read -r -a crypto_libs <<<"$(pkg-config --libs libcrypto)"
# What the modules' sources include besides themselves.
headers=(Sources/CLibcrypto/module.modulemap Sources/CLibcrypto/shim.h)

# True when the file $1 exists and is newer than every other argument and this script.
up_to_date() {
    local target=$1
    shift
    [ -e "$target" ] && [ -z "$(find "$@" "$0" -newer "$target" | head -n 1)" ]
}

# module NAME SOURCE...: the sources compiled as one module, into NAME.o and its
# interface, unless NAME.o is newer than all of them.
module() {
    local name=$1
    shift
    up_to_date "$out/$name.o" "$@" "${headers[@]}" && return
    echo "compiling $name" >&2
    "$SWIFTC" "${flags[@]}" -module-name "$name" -c -emit-module -emit-module-path "$out/$name.swiftmodule" \
        "$@" -o "$out/$name.o"
    touch "$out/$name.o"  # swiftc leaves an unchanged object file as it was, date included
}

# One binary holds every target, and a link per target name calls it: the core, compiled
# with coverage and address checks, is most of the build (about 40 s), and one binary
# links once instead of once per target. The core is a module of its own because the
# theme parser imports it; of the app, only the theme parser's files are compiled. The
# shims stand for what SwiftPM generates for the bundled resources.
build() {
    mkdir -p "$out"
    local core_sources theme_sources fuzz_sources
    mapfile -t core_sources < <(find Sources/PolicyTrackerCore -name '*.swift' | sort)
    module PolicyTrackerCore "${core_sources[@]}" Fuzz/Shims/CoreResources.swift
    module BundledThemes Themes/BundledThemes.swift Fuzz/Shims/ThemeResources.swift
    theme_sources=(Sources/PolicyTrackerApp/Theme/*.swift Sources/PolicyTrackerApp/Terminal/Style.swift)
    fuzz_sources=(Fuzz/Targets/*.swift "${theme_sources[@]}")
    if ! up_to_date "$out/ptrack-fuzz" "${fuzz_sources[@]}" "$out/PolicyTrackerCore.o" "$out/BundledThemes.o"; then
        echo "compiling and linking ptrack-fuzz" >&2
        # The linker warns at length about the sanitiser's own symbols; its output is shown on failure only.
        "$SWIFTC" "${flags[@]}" -module-name PtrackFuzz "${fuzz_sources[@]}" \
            "$out/PolicyTrackerCore.o" "$out/BundledThemes.o" "${crypto_libs[@]}" -o "$out/ptrack-fuzz" >"$out/link.log" 2>&1 ||
            { cat "$out/link.log" >&2; return 1; }
    fi
    for target in "${all_targets[@]}"; do ln -sf ptrack-fuzz "$out/$target"; done
}

# run TARGET: fuzzes TARGET for $seconds on a fresh copy of its corpus, then prints its
# figures and adds a row to the summary. Returns non-zero on a crash.
run() {
    local target=$1 corpus=$out/corpus/$1 crashes=$out/crashes/$1 log=$out/$1.log
    rm -rf "$corpus" "$crashes"
    mkdir -p "$corpus" "$crashes"
    cp Fuzz/corpus/"$target"/* "$corpus"/
    local status=0
    # Leak checks are off: Dispatch's threads and the Swift runtime's caches keep memory
    # past an input, which makes libFuzzer scan for leaks after most inputs (40 times
    # slower); the address checks stay on. Swift's own backtracer is off too, so that
    # libFuzzer reports a crash and writes the input at once.
    # shellcheck disable=SC2086 # FUZZ_FLAGS is a list of flags.
    SWIFT_BACKTRACE=enable=no "$out/$target" -max_total_time="$seconds" -timeout=10 -detect_leaks=0 \
        -print_final_stats=1 -artifact_prefix="$crashes/" ${FUZZ_FLAGS:-} "$corpus" >"$log" 2>&1 || status=$?
    local runs rate last cov features files bytes result
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    features=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    files=$(find "$corpus" -type f | wc -l)
    bytes=$(( $(cat "$corpus"/* | wc -c) / 1024 ))
    if [ "$status" = 0 ]; then
        result="no crash"
    else
        result="CRASH $(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1) (log: $log)"
        grep -E 'invariant broken|ERROR: AddressSanitizer|Fatal error|deadly signal|timeout' "$log" | head -n 3 >&2 || true
    fi
    echo "$target: ${runs:-?} runs (${rate:-?}/s), corpus $files files ${bytes} KB, coverage ${cov:-?} edges, ${features:-?} features"
    echo "$target: $result"
    summary+=("$(printf '%-11s %10s %8s %7s %8s %6s %7s  %s' "$target" "${runs:-?}" "${rate:-?}" "$files" "${bytes}K" \
        "${cov:-?}" "${features:-?}" "$result")")
    return "$status"
}

[[ $seconds =~ ^[1-9][0-9]*$ ]] || { echo "usage: scripts/fuzz.sh [SECONDS-PER-TARGET] [TARGET...]" >&2; exit 64; }
for target in "${targets[@]}"; do
    [[ " ${all_targets[*]} " == *" $target "* ]] || { echo "unknown target $target (targets: ${all_targets[*]})" >&2; exit 64; }
done
build
summary=()
failed=0
for target in "${targets[@]}"; do
    echo "fuzzing $target for ${seconds}s" >&2
    run "$target" || failed=1
done
echo
printf '%-11s %10s %8s %7s %8s %6s %7s  %s\n' target runs runs/s files corpus cov ft result
printf '%s\n' "${summary[@]}"
exit "$failed"
