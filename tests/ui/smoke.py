#!/usr/bin/env python3
"""Drive the real Warbler window over AT-SPI and take screenshots.

Run by tests/ui_smoke.rs inside its own X server and D-Bus session:

    smoke.py WARBLER_BINARY SCREENSHOT_DIR

Widgets are found by their accessible names only, the way a screen reader
sees them. Each step writes a screenshot and checks that it is not blank.
"""

import os
import subprocess
import sys
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi  # noqa: E402

BINARY, SHOTS = sys.argv[1], sys.argv[2]
TIMEOUT = 20.0


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def launch(extra_env=None):
    env = dict(os.environ)
    env.update(extra_env or {})
    proc = subprocess.Popen([BINARY], env=env)
    deadline = time.time() + TIMEOUT
    while time.time() < deadline:
        app = find_app(proc.pid)
        if app is not None and find(app, "push button", "Sign In"):
            return proc, app
        if proc.poll() is not None:
            fail(f"warbler exited early with status {proc.returncode}")
        time.sleep(0.3)
    proc.kill()
    fail("the sign-in page did not appear")


def find_app(pid):
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        if app is not None and app.get_process_id() == pid:
            return app
    return None


def walk(node):
    yield node
    for i in range(node.get_child_count()):
        child = node.get_child_at_index(i)
        if child is not None:
            yield from walk(child)


def find(root, role, name_part):
    """The first node with this role whose accessible name contains name_part.

    (GTK 4.8 does not report the "showing" state, so names must be unique
    across the window's pages.)"""
    for node in walk(root):
        try:
            if node.get_role_name() == role and name_part in (node.get_name() or ""):
                return node
        except gi.repository.GLib.Error:
            continue
    return None


def wait_for(root_fn, role, name_part, what):
    deadline = time.time() + TIMEOUT
    while time.time() < deadline:
        node = find(root_fn(), role, name_part)
        if node is not None:
            return node
        time.sleep(0.3)
    fail(f"{what} did not appear")


def type_into(node, text):
    """Click into a text widget and type with synthesized key events."""
    click(node)
    Atspi.generate_keyboard_event(0, text, Atspi.KeySynthType.STRING)
    time.sleep(0.5)


CONTROL, SHIFT = 1 << 2, 1 << 0


def press(keysym, modifiers=0):
    """Press and release one key (an X keysym) with modifiers held."""
    if modifiers:
        Atspi.generate_keyboard_event(modifiers, None, Atspi.KeySynthType.LOCKMODIFIERS)
    Atspi.generate_keyboard_event(keysym, None, Atspi.KeySynthType.SYM)
    if modifiers:
        Atspi.generate_keyboard_event(modifiers, None, Atspi.KeySynthType.UNLOCKMODIFIERS)
    time.sleep(0.5)


def click(node):
    """Click the middle of a widget (there is no window manager, so window
    coordinates are screen coordinates)."""
    rect = Atspi.Component.get_extents(node, Atspi.CoordType.WINDOW)
    if rect.width <= 0 or rect.height <= 0:
        fail(f"{node.get_name()!r} has no size")
    Atspi.generate_mouse_event(rect.x + rect.width // 2, rect.y + rect.height // 2, "b1c")
    time.sleep(0.4)


def text_of(node):
    text = node.get_text_iface()
    return text.get_text(0, text.get_character_count()) if text else ""


def screenshot(name):
    time.sleep(0.8)
    path = os.path.join(SHOTS, name)
    subprocess.run(["import", "-window", "root", path], check=True)
    # A blank screen has (almost) no variation.
    deviation = subprocess.run(
        ["convert", path, "-colorspace", "gray", "-format", "%[fx:standard_deviation]", "info:"],
        check=True, capture_output=True, text=True,
    ).stdout
    if float(deviation) < 0.02:
        fail(f"{name} is blank")
    print(f"screenshot {path}")
    return path


def brightness(path, x, y):
    """Gray value 0..1 of one pixel."""
    out = subprocess.run(
        ["convert", path, "-colorspace", "gray", "-format", f"%[fx:p{{{x},{y}}}]", "info:"],
        check=True, capture_output=True, text=True,
    ).stdout
    return float(out)


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        fail("warbler did not quit within 10 s of SIGTERM")


def main():
    Atspi.init()

    # 1. First run: the sign-in page and its three controls.
    proc, app = launch()
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

    # 3. Signing in shows progress (no server needed to see it).
    sign_in.get_action_iface().do_action(0)
    wait_for(lambda: app, "push button", "Sign In", "the Sign In button")
    screenshot("03-signing-in.png")
    stop(proc)

    # 4. Dark style follows the (here: forced) system preference.
    proc, app = launch({"ADW_DEBUG_COLOR_SCHEME": "prefer-dark"})
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
