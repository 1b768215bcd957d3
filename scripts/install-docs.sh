#!/bin/sh
# Installs ptrack's manual page and shell completions, both generated from its own argument
# parser, so they never drift from the commands:
#   scripts/install-docs.sh BUILD_DIR PREFIX
# BUILD_DIR holds the built `ptrack` and `generate-manual` (swift-argument-parser's tool).
# Installs PREFIX/share/man/man1/ptrack.1 and the bash, zsh and fish completions.
set -eu
build=$1
prefix=$2
bash_dir=$prefix/share/bash-completion/completions
zsh_dir=$prefix/share/zsh/site-functions
fish_dir=$prefix/share/fish/vendor_completions.d
install -d "$prefix/share/man/man1" "$bash_dir" "$zsh_dir" "$fish_dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The page's date: SOURCE_DATE_EPOCH when set, so a packaged page can be made again.
date=$(date -u ${SOURCE_DATE_EPOCH:+-d "@$SOURCE_DATE_EPOCH"} +%Y-%m-%d)
"$build/generate-manual" "$build/ptrack" --output-directory "$work" --date "$date"
# mdoc separates paragraphs with .Pp; a blank line (as the generator leaves between the
# paragraphs of a discussion) makes man warn. The generator's EXIT STATUS (the last section,
# a generic "0 on success") gives way to ENVIRONMENT, FILES, EXIT STATUS, EXAMPLES and SEE
# ALSO, written by hand in docs/manual-sections.mdoc.
sections=$(dirname "$0")/../docs/manual-sections.mdoc
sed -e 's/^$/.Pp/' -e '/^\.Sh "EXIT STATUS"/,$d' "$work/ptrack.1" > "$work/ptrack.1.mdoc"
cat "$sections" >> "$work/ptrack.1.mdoc"
install -m 644 "$work/ptrack.1.mdoc" "$prefix/share/man/man1/ptrack.1"

for shell in bash zsh fish; do
    "$build/ptrack" --generate-completion-script "$shell" > "$work/completion.$shell"
done
install -m 644 "$work/completion.bash" "$bash_dir/ptrack"
install -m 644 "$work/completion.zsh" "$zsh_dir/_ptrack"
install -m 644 "$work/completion.fish" "$fish_dir/ptrack.fish"
