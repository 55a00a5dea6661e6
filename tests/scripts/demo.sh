#!/usr/bin/env bash
# Install what Warbler needs, build it, and run it against a private demo
# XMPP server on 127.0.0.1 with three accounts (alice, bob and carol; you
# are alice). Everything the demo creates is deleted when Warbler closes.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

tests/scripts/install-deps.sh
find_cargo
echo "Building Warbler (the first build takes a few minutes)..."
cargo build --bin warbler --example demo
demo=("$CARGO_TARGET_DIR/debug/examples/demo")

# Without a display (a server or CI), show the window on a virtual one for a
# while and keep a screenshot.
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
    mkdir -p tests/screenshots
    export WARBLER_DEMO_SECONDS="${WARBLER_DEMO_SECONDS:-20}"
    export WARBLER_DEMO_SCREENSHOT="${WARBLER_DEMO_SCREENSHOT:-$PWD/tests/screenshots/demo.png}"
    export GSK_RENDERER="${GSK_RENDERER:-cairo}"
    echo "No display found: running on a virtual display for $WARBLER_DEMO_SECONDS s;"
    echo "a screenshot will be saved to $WARBLER_DEMO_SCREENSHOT."
    demo=(xvfb-run -a -s "-noreset -screen 0 1280x800x24" "${demo[@]}")
fi

# Warbler keeps passwords in the Secret Service. Use the desktop's keyring if
# there is one; otherwise run in a private session with a throw-away keyring.
has_secret_service() {
    [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] || return 1
    local method names
    for method in ListNames ListActivatableNames; do
        names=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus \
            /org/freedesktop/DBus "org.freedesktop.DBus.$method" 2>/dev/null) || continue
        if [[ "$names" == *'"org.freedesktop.secrets"'* ]]; then
            return 0
        fi
    done
    return 1
}
if has_secret_service; then
    exec "${demo[@]}"
else
    echo "No Secret Service on this session: using a private, throw-away keyring."
    exec tests/scripts/in-session.sh "${demo[@]}"
fi
