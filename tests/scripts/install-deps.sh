#!/usr/bin/env bash
# Install every Debian 12 package needed to build, run and test Warbler.
# Safe to run again: it does nothing when everything is already installed.
set -euo pipefail

packages=(
    # Build
    build-essential pkg-config libgtk-4-dev libadwaita-1-dev
    libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev libgstreamer-plugins-bad1.0-dev
    gettext desktop-file-utils appstream libglib2.0-bin curl ca-certificates
    # Calls (the bad plugins bring webrtcbin and OpenH264; libav brings G.722)
    gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
    gstreamer1.0-libav gstreamer1.0-nice gstreamer1.0-tools gstreamer1.0-pipewire
    # Calls through real (virtual) audio devices: a private sound server in tests
    pulseaudio pulseaudio-utils gstreamer1.0-pulseaudio
    # Calls on a PipeWire desktop (virtual cameras too): a private one in tests
    pipewire-bin wireplumber pipewire-pulse
    # Running headless, secrets and accessibility checks
    xvfb xauth imagemagick dbus dbus-x11 at-spi2-core adwaita-icon-theme
    gnome-keyring libsecret-tools python3-gi gir1.2-atspi-2.0 xdotool
    # The local test and demo server
    openssl prosody
    # A TURN server for calls through a relay, handed out by the test server
    coturn
    # Message moderation (XEP-0425) in rooms of the test server
    prosody-modules
    # Archives in SQLite, as production servers keep them (room benchmark)
    lua-dbi-sqlite3
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "All ${#packages[@]} required packages are installed."
    exit 0
fi

if ! command -v apt-get >/dev/null; then
    echo "Missing packages: ${missing[*]}" >&2
    echo "This script knows Debian 12 (apt-get); install the equivalents by hand." >&2
    exit 1
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
        echo "Missing packages: ${missing[*]}" >&2
        echo "Run this script as root or install sudo." >&2
        exit 1
    fi
    as_root=(sudo)
fi

echo "Installing: ${missing[*]}"
install() {
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
        "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -q -o Dpkg::Use-Pty=0 "${missing[@]}"
}
if ! install; then
    echo "apt-get failed (another package manager may be running); retrying in 30 s." >&2
    sleep 30
    install
fi

# Debian starts a system-wide Prosody listening on every interface when the
# package is installed. Warbler's tests and demo run their own private server
# on 127.0.0.1, so switch the system one off again if we just installed it.
if [[ " ${missing[*]} " == *" prosody "* ]] && [ -d /run/systemd/system ]; then
    echo "Disabling the system-wide Prosody service (Warbler uses its own)."
    "${as_root[@]}" systemctl disable --now prosody >/dev/null 2>&1 || true
fi
# The same for the TURN server: tests start their own.
if [[ " ${missing[*]} " == *" coturn "* ]] && [ -d /run/systemd/system ]; then
    echo "Disabling the system-wide TURN server (Warbler's tests run their own)."
    "${as_root[@]}" systemctl disable --now coturn >/dev/null 2>&1 || true
fi
echo "All required packages are installed."
