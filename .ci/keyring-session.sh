#!/usr/bin/env bash
# Runs a command inside its own D-Bus session with GNOME Keyring's Secret Service, unlocked with a
# throwaway password: the OS keyring as on a desktop, for the tests of "remember on this computer".
# Usage: bash .ci/keyring-session.sh COMMAND [ARGS...]
set -euo pipefail
if [ "${PROXI_IN_KEYRING_SESSION:-}" != 1 ]; then
  export PROXI_IN_KEYRING_SESSION=1
  exec dbus-run-session -- bash "$0" "$@"
fi
# The daemon forks, prints its environment and keeps serving this session's bus.
eval "$(printf '%s' proxi-ci-keyring | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
exec "$@"
