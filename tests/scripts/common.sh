# Shared by the scripts in this directory (sourced, not run).

# Go to the repository's top directory.
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

# Make sure cargo is on PATH (rustup installs it in ~/.cargo/bin).
find_cargo() {
    if ! command -v cargo >/dev/null && [ -f "$HOME/.cargo/env" ]; then
        # shellcheck disable=SC1091
        . "$HOME/.cargo/env"
    fi
    if ! command -v cargo >/dev/null; then
        cat >&2 <<'MSG'
Rust is not installed. Warbler needs Rust 1.95 or newer; install it with rustup:

    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y
    . "$HOME/.cargo/env"

then run this script again.
MSG
        exit 1
    fi
}

# Keep build output out of the source tree unless the caller chose a place.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/warbler-target}"
