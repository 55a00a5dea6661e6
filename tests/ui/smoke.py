#!/usr/bin/env python3
"""Drive the real Warbler window over AT-SPI and take screenshots.

Run by tests/ui_smoke.rs inside its own X server and D-Bus session:

    smoke.py WARBLER_BINARY SCREENSHOT_DIR

Widgets are found by their accessible names only, the way a screen reader
sees them. Each step writes a screenshot and checks that it is not blank.
"""

import subprocess
import sys

from driver import (  # next to this script, so on the module path
    CONTROL, SHIFT, Atspi, brightness, fail, find, launch, press, stop, text_of,
    type_into, wait_for,
)
from driver import screenshot as _screenshot

BINARY, SHOTS = sys.argv[1], sys.argv[2]


def screenshot(name):
    return _screenshot(SHOTS, name)


def main():
    Atspi.init()

    # 1. First run: the sign-in page and its three controls.
    proc, app = launch(BINARY)
    address = find(app, "text", "Address")
    password = find(app, "text", "Password")
    sign_in = find(app, "push button", "Sign In")
    if not (address and password and sign_in):
        fail("sign-in page lacks Address / Password / Sign In")
    # Move the pointer over the window so synthesized keys reach it.
    Atspi.generate_mouse_event(480, 300, "abs")
    type_into(address, "alice@example.org")
    type_into(password, "correct horse")
    if text_of(address) != "alice@example.org":
        fail(f"typed address not in the entry: {text_of(address)!r}")
    light = screenshot("01-sign-in.png")
    if brightness(light, 100, 600) < 0.8:
        fail("the light style is not light")

    # 2. The keyboard shortcuts window (Ctrl+?).
    press(0x3F, CONTROL | SHIFT)  # Ctrl+?
    wait_for(lambda: app, "frame", "Shortcuts", "the shortcuts window")
    screenshot("02-shortcuts.png")
    press(0xFF1B)  # Escape

    # 3. Signing in to an unknown server shows progress, then an error
    #    (no server needed to see it).
    sign_in.get_action_iface().do_action(0)
    wait_for(lambda: app, "push button", "Sign In", "the Sign In button")
    screenshot("03-signing-in.png")
    stop(proc)

    # 4. Dark style follows the (here: forced) system preference.
    proc, app = launch(BINARY, extra_env={"ADW_DEBUG_COLOR_SCHEME": "prefer-dark"})
    dark = screenshot("04-sign-in-dark.png")
    if brightness(dark, 100, 600) > 0.3:
        fail("the dark style is not dark")

    # 5. Ctrl+Q signs out and quits.
    Atspi.generate_mouse_event(480, 300, "abs")
    press(0x71, CONTROL)
    try:
        proc.wait(timeout=8)
    except subprocess.TimeoutExpired:
        stop(proc)
        fail("Ctrl+Q did not quit")
    print("ok")


if __name__ == "__main__":
    main()
