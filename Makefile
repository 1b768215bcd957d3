# ptrack: `make run` builds and starts ptrack; `make test` runs every test.
PREFIX ?= /usr/local
SWIFT ?= swift
# One release build serves the binary, the unit tests and the end-to-end tests.
BUILD = $(SWIFT) build -c release
BIN = .build/release/ptrack
# `make install` links the Swift runtime statically, in a build folder of its own, so the
# installed binary needs no Swift toolchain.
INSTALL_BUILD = $(SWIFT) build -c release --static-swift-stdlib --scratch-path .build-install

.PHONY: all build run test unit-test e2e-test stress stress-runs install uninstall clean bench-compare

all: build

build:
	@scripts/require-tools.sh build
	$(BUILD) --product ptrack

run: build
	$(BIN) $(ARGS)

test:
	@scripts/require-tools.sh test
	$(BUILD) --build-tests
	$(BUILD) --product generate-manual
	.build/release/ptrack-bench --smoke --output .build/bench-smoke.md
	$(MAKE) --no-print-directory unit-test e2e-test
	@if [ -n "$$CI" ]; then $(MAKE) --no-print-directory stress-runs; fi

unit-test:
	$(SWIFT) test -c release --skip-build

e2e-test:
	PTRACK_BIN=$(CURDIR)/$(BIN) python3 -m pytest -q Tests/EndToEnd

# `make stress`: the long runs, about 22 minutes in all (see docs/reliability.md): 5,000
# writers killed at random moments, 5,000 states a power cut could leave, 1,000 random
# command sequences compared with a reference replay, and every fuzz target for 20 s.
# `make test` runs them too when CI is set.
STRESS_CRASH_RUNS ?= 5000
STRESS_POWERCUT_STATES ?= 5000
STRESS_DIFFERENTIAL_RUNS ?= 1000

stress: build
	@scripts/require-tools.sh test
	$(MAKE) --no-print-directory stress-runs

stress-runs:
	PTRACK_CRASH_RUNS=$(STRESS_CRASH_RUNS) PTRACK_BIN=$(CURDIR)/$(BIN) python3 -m pytest -q Tests/EndToEnd/test_crash.py
	PTRACK_POWERCUT_STATES=$(STRESS_POWERCUT_STATES) PTRACK_BIN=$(CURDIR)/$(BIN) python3 -m pytest -q Tests/EndToEnd/test_power_cut.py -k every_state
	PTRACK_DIFFERENTIAL_RUNS=$(STRESS_DIFFERENTIAL_RUNS) PTRACK_BIN=$(CURDIR)/$(BIN) python3 -m pytest -q Tests/EndToEnd/test_differential.py
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=20

install:
	@scripts/require-tools.sh build
	$(INSTALL_BUILD) --product ptrack
	$(INSTALL_BUILD) --product generate-manual
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 .build-install/release/ptrack $(DESTDIR)$(PREFIX)/bin/ptrack
	scripts/install-docs.sh .build-install/release $(DESTDIR)$(PREFIX)

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/ptrack $(DESTDIR)$(PREFIX)/share/man/man1/ptrack.1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/ptrack \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_ptrack \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/ptrack.fish

clean:
	rm -rf .build .build-install

# `make bench`: the in-process benchmark suite (Sources/ptrack-bench, see docs/performance.md)
# at 1k, 10k and 100k recommendations; writes .build/bench.md and .build/bench.json.
# A smaller run: `make bench BENCH_SIZES=1000,10000`; more options: BENCH_ARGS="--runs 3".
BENCH_SIZES ?= 1000,10000,100000
BENCH_ARGS ?=

.PHONY: bench
bench:
	@scripts/require-tools.sh build
	$(BUILD)
	.build/release/ptrack-bench --sizes $(BENCH_SIZES) --changes 10 --output .build/bench.md --json .build/bench.json $(BENCH_ARGS)

# `make bench-compare`: ptrack side by side with jq, Python and Taskwarrior on the same
# synthetic data (see scripts/bench-compare.sh); prints one table per size and writes them
# as Markdown to $(BENCH_OUT).
COUNTS ?= 1000 100000
CHANGES ?= 10
RUNS ?= 5
BENCH_OUT ?= .build/bench-compare.md

bench-compare:
	COUNTS="$(COUNTS)" CHANGES="$(CHANGES)" RUNS="$(RUNS)" BENCH_OUT="$(BENCH_OUT)" SWIFT="$(SWIFT)" \
		scripts/bench-compare.sh

# `make fuzz`: the libFuzzer targets in Fuzz/, built with swiftc, each run for FUZZ_SECONDS
# on a copy of its corpus (see scripts/fuzz.sh and docs/fuzzing.md); `make stress` runs them
# for 20 s each. One target: `make fuzz FUZZ_TARGETS=theme FUZZ_SECONDS=180`.
FUZZ_SECONDS ?= 20
FUZZ_TARGETS ?=

.PHONY: fuzz
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# `make width-tables`: writes the display-width tables again from the Unicode data of the
# Python that runs it (see docs/architecture.md, "Display widths").
.PHONY: width-tables
width-tables:
	python3 scripts/generate-width-tables.py
