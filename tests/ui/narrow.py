#!/usr/bin/env python3
"""The narrow layout: at phone width the window shows one pane at a time,
the chat list or the chat, with a Back button from the chat to the list.

Run by tests/ui_manage.rs inside its own X server and D-Bus session:

    narrow.py WARBLER_BINARY SCREENSHOT_DIR

Environment: WARBLER_UI_DATA_DIR, WARBLER_UI_ACCOUNT, WARBLER_UI_PASSWORD
and WARBLER_UI_PORT (as for chat.py), and WARBLER_UI_INCOMING (a token in
the message Bob sends once the driver prints "signed-in").

There is no window manager, so xdotool resizes the window. A pane the
layout hides keeps its last size in the accessible tree, so each check
looks at something the layout has to place anew: the Back button (there
only when folded), widths that change with the window, and a page first
shown after going back.
"""

import os
import subprocess
import sys

from driver import (  # next to this script, so on the module path
    Atspi, click, fail, find, launch, sign_in, stop, tell, wait_for, wait_until,
)
import driver
from driver import screenshot as _screenshot

BINARY, SHOTS = sys.argv[1], sys.argv[2]
DATA_DIR = os.environ["WARBLER_UI_DATA_DIR"]
ACCOUNT = os.environ["WARBLER_UI_ACCOUNT"]
PASSWORD = os.environ["WARBLER_UI_PASSWORD"]
PORT = os.environ["WARBLER_UI_PORT"]
INCOMING = os.environ["WARBLER_UI_INCOMING"]

NARROW, HEIGHT = 360, 640


def screenshot(name):
    return _screenshot(SHOTS, name)


def resize(width, height):
    """Resize Warbler's main window (the X window titled "Warbler")."""
    windows = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", "^Warbler$"],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    if len(windows) != 1:
        fail(f"expected one window titled Warbler, found {windows}")
    subprocess.run(["xdotool", "windowsize", windows[0], str(width), str(height)], check=True)


def extents(node):
    return Atspi.Component.get_extents(node, Atspi.CoordType.WINDOW)


def back_button(app):
    """The chat's Back button; GTK leaves it out of the accessible tree
    while it is hidden (in the wide layout)."""
    return find(app, "push button", "Back")


def main():
    Atspi.init()
    driver.failure_screenshot = os.path.join(SHOTS, "narrow-failure.png")

    proc, app = launch(BINARY, ["--data-dir", DATA_DIR])
    sign_in(app, ACCOUNT, PASSWORD, PORT)
    tell("signed-in")
    wait_for(lambda: app, None, INCOMING, "Bob's message in the chat list", sized=True)
    if back_button(app) is not None:
        fail("the wide window shows a Back button", app)

    # 1. Narrow: the layout folds and the chat list fills the window.
    resize(NARROW, HEIGHT)
    frame = find(app, "frame", "Warbler")
    wait_until(lambda: extents(frame).width == NARROW, f"the window {NARROW} px wide", app=app)
    wait_until(lambda: back_button(app), "the folded layout (a Back button)", app=app)
    row = wait_for(lambda: app, None, INCOMING, "Bob's chat in the list", sized=True)
    chats = find(app, "table", "Chats").get_parent()  # its scrolled window
    wait_until(lambda: extents(chats).width == NARROW,
               "the chat list filling the narrow window", app=app)
    screenshot("30-narrow-chat-list.png")

    # 2. Opening the chat replaces the list; Back is on the chat's header.
    click(row)
    message = wait_for(
        lambda: app, None, lambda name: name.startswith("Bob at ") and INCOMING in name,
        "Bob's message in the chat view", sized=True,
    )
    composer = wait_for(lambda: app, "text", "Message", "the message box", sized=True)
    if extents(composer).x > 40 or extents(message).x > 40:
        fail("the chat does not start at the window's left edge", app)
    back = wait_for(lambda: app, "push button", "Back", "the Back button", sized=True)
    screenshot("31-narrow-chat.png")

    # 3. Back shows the list again: its Contacts page, never shown before,
    #    now gets a place, the full width of the window.
    click(back)
    click(find(app, "page tab", "Contacts"))
    wait_for(lambda: app, None, "Bob, ", "Bob in the contact list", sized=True)
    # The list (a one-column grid) reports its extents inside its padding;
    # its scrolled window spans the pane.
    contacts = find(app, "table", "Contacts").get_parent()
    wait_until(lambda: extents(contacts).width == NARROW,
               "the contact list filling the narrow window", app=app)
    screenshot("32-narrow-back-to-list.png")

    # 4. Wide again: both panes, no Back button.
    resize(950, HEIGHT)
    wait_until(lambda: back_button(app) is None, "the unfolded layout (no Back button)",
               app=app)

    stop(proc)
    tell("ok")


if __name__ == "__main__":
    main()
