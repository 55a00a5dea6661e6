#!/usr/bin/env bash
# Run Warbler's whole test suite: formatting, lints, and every test target
# (unit, real-server and UI tests) under a virtual X display with its own
# D-Bus session and keyring. Exits non-zero if anything fails.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

tests/scripts/install-deps.sh
find_cargo
echo "Using $(cargo --version); build output in $CARGO_TARGET_DIR"

results=()
failed=0
step() {
    local name=$1
    shift
    echo
    echo "==> $name"
    local started=$SECONDS
    if "$@"; then
        results+=("PASS  $name ($((SECONDS - started)) s)")
    else
        results+=("FAIL  $name ($((SECONDS - started)) s)")
        failed=1
    fi
}

step "cargo fmt --check" cargo fmt --all --check
step "cargo clippy --all-targets -- -D warnings" cargo clippy --all-targets -- -D warnings
# Warbler's patched copy of a dependency (src/patches) has tests of its own.
step "cargo test -p stringprep" cargo test -p stringprep
step "cargo test --all-targets (Xvfb, private D-Bus session and keyring)" \
    env GSK_RENDERER=cairo GDK_BACKEND=x11 \
    xvfb-run -a -s "-noreset -screen 0 1280x800x24" \
    tests/scripts/in-session.sh cargo test --all-targets

echo
echo "==================== Summary ===================="
printf '%s\n' "${results[@]}"
if [ "$failed" -ne 0 ]; then
    echo "Some checks failed; see the output above."
    exit 1
fi
echo "All checks passed."
