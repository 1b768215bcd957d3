# ptrack: `make run` builds and starts ptrack; `make test` runs every test.
PREFIX ?= /usr/local
SWIFT ?= swift
# One release build serves the binary, the unit tests and the end-to-end tests.
BUILD = $(SWIFT) build -c release
BIN = .build/release/ptrack
# `make install` links the Swift runtime statically, in a build folder of its own, so the
# installed binary needs no Swift toolchain.
INSTALL_BUILD = $(SWIFT) build -c release --static-swift-stdlib --scratch-path .build-install

.PHONY: all build run test unit-test e2e-test install uninstall clean

all: build

build:
	@scripts/require-tools.sh build
	$(BUILD) --product ptrack

run: build
	$(BIN) $(ARGS)

test:
	@scripts/require-tools.sh test
	$(BUILD) --build-tests
	$(MAKE) --no-print-directory unit-test e2e-test

unit-test:
	$(SWIFT) test -c release --skip-build

e2e-test:
	PTRACK_BIN=$(CURDIR)/$(BIN) python3 -m pytest -q Tests/EndToEnd

install:
	@scripts/require-tools.sh build
	$(INSTALL_BUILD) --product ptrack
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 .build-install/release/ptrack $(DESTDIR)$(PREFIX)/bin/ptrack

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/ptrack

clean:
	rm -rf .build .build-install
