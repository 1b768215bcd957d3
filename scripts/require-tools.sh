#!/bin/sh
# Makes sure the system packages ptrack needs are installed.
#   scripts/require-tools.sh build   the ncursesw and libcrypto (OpenSSL) development files
#                                    (to build ptrack)
#   scripts/require-tools.sh test    those, plus what the tests drive: tmux, strace, Taskwarrior,
#                                    Chromium, zsh and fish (to check the completions), man,
#                                    pytest, jsonschema, html5lib, markdown-it-py
# Installs what is missing with apt-get (after apt-get update) when it can; otherwise
# prints the exact command to run and fails.
set -eu

need_apt=""
command -v pkg-config >/dev/null 2>&1 || need_apt="$need_apt pkg-config"
pkg-config --exists ncursesw 2>/dev/null || need_apt="$need_apt libncurses-dev"
pkg-config --exists libcrypto 2>/dev/null || need_apt="$need_apt libssl-dev"
if [ "${1:-build}" = test ]; then
    command -v tmux >/dev/null 2>&1 || need_apt="$need_apt tmux"
    command -v strace >/dev/null 2>&1 || need_apt="$need_apt strace"
    command -v task >/dev/null 2>&1 || need_apt="$need_apt taskwarrior"
    command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || need_apt="$need_apt chromium"
    command -v zsh >/dev/null 2>&1 || need_apt="$need_apt zsh"
    command -v fish >/dev/null 2>&1 || need_apt="$need_apt fish"
    command -v man >/dev/null 2>&1 || need_apt="$need_apt man-db groff-base"
    command -v python3 >/dev/null 2>&1 || need_apt="$need_apt python3 python3-pip"
fi

if [ -n "$need_apt" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing:$need_apt" >&2
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need_apt >/dev/null
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && command -v apt-get >/dev/null 2>&1; then
        echo "Installing:$need_apt" >&2
        sudo apt-get update -qq
        sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need_apt >/dev/null
    else
        echo "Missing system packages. Install them with:" >&2
        echo "    sudo apt-get update && sudo apt-get install -y$need_apt" >&2
        exit 69
    fi
fi

if [ "${1:-build}" = test ]; then
    # Each entry is module:package (the name to import, the name to install).
    for entry in pytest:pytest jsonschema:jsonschema html5lib:html5lib markdown_it:markdown-it-py; do
        module=${entry%%:*}
        package=${entry#*:}
        if ! python3 -c "import $module" 2>/dev/null; then
            echo "Installing the Python package $package" >&2
            python3 -m pip install --quiet "$package" || {
                echo "Could not install $package; run: python3 -m pip install $package" >&2
                exit 69
            }
        fi
    done
fi
