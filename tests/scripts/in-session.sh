#!/usr/bin/env bash
# Run a command inside its own D-Bus session with an unlocked, throw-away
# GNOME keyring, so Warbler can store passwords in the Secret Service on a
# headless machine or in CI. Usage: tests/scripts/in-session.sh COMMAND [ARGS...]
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

if [ "${1}" != "--inside-session" ]; then
    exec dbus-run-session -- "$0" --inside-session "$@"
fi
shift

session_dir=$(mktemp -d "${TMPDIR:-/tmp}/warbler-session.XXXXXX")
chmod 700 "$session_dir"
cleanup() {
    if [ -n "${GNOME_KEYRING_PID:-}" ]; then
        kill "$GNOME_KEYRING_PID" 2>/dev/null || true
    fi
    rm -rf "$session_dir"
}
trap cleanup EXIT

# A private runtime and data directory: the keyring file lives there and is
# deleted afterwards; the user's own keyring is never touched.
export XDG_RUNTIME_DIR="$session_dir/runtime"
export XDG_DATA_HOME="$session_dir/data"
mkdir -p -m 700 "$XDG_RUNTIME_DIR" "$XDG_DATA_HOME"

# A password on stdin creates and unlocks the "login" keyring (it is thrown
# away with the session, so a fixed one is fine; an empty one is not accepted
# for creating it).
keyring_env=$(printf 'warbler' | gnome-keyring-daemon --unlock --components=secrets)
while IFS='=' read -r name value; do
    case "$name" in
        GNOME_KEYRING_CONTROL | GNOME_KEYRING_PID) export "$name=$value" ;;
    esac
done <<<"$keyring_env"

status=0
"$@" || status=$?
exit "$status"
