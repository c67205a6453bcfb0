#!/usr/bin/env bash
# The layout the code keeps (issue 17), checked:
# - SQL is written in the store only: no `execute(`, `prepare(`, `query_row(` (nor their
#   `_batch`/`_cached` forms) in the core, the command line or the desktop shell outside src/store/;
# - the relay, which must never read health data, is built from the wire crate alone, not from the
#   core (no SQLCipher, search index, PDF maker, automerge or D-Bus in its dependencies).
set -euo pipefail
cd "$(dirname "$0")/.."

leaks=$(grep -rnE '\.(execute|execute_batch|prepare|prepare_cached|query_row)\(' \
  --include='*.rs' src src-tauri/src | grep -v '^src/store/' || true)
if [ -n "$leaks" ]; then
  echo "SQL outside src/store/ (give the store a named method instead):" >&2
  echo "$leaks" >&2
  exit 1
fi

tree=$(cargo tree -p proxi-relay -e normal --prefix none -f '{p} {f}')
bad=$(grep -E '^(proxi v|tantivy v|printpdf v|automerge v|dbus v|libdbus-sys v)|^libsqlite3-sys v.*sqlcipher' <<<"$tree" | sort -u || true)
if [ -n "$bad" ]; then
  echo "The relay must be built from proxi-wire only; it depends on:" >&2
  echo "$bad" >&2
  exit 1
fi
# Built alone (as `cargo build -p proxi-relay` does for an operator), with its own features rather
# than those the workspace unifies.
cargo check -q -p proxi-relay --bins

echo "layout: SQL only in src/store/; the relay depends on neither the core nor SQLCipher, tantivy, printpdf, automerge, D-Bus"
