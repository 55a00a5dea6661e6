#!/usr/bin/env python3
"""Rename one contact and remove another from the Contacts tab, through
each row's menu (its button, and a right click), taking screenshots.

Run by tests/ui_manage.rs inside its own X server and D-Bus session:

    contacts.py WARBLER_BINARY SCREENSHOT_DIR

Environment: WARBLER_UI_DATA_DIR, WARBLER_UI_ACCOUNT, WARBLER_UI_PASSWORD
and WARBLER_UI_PORT (as for chat.py). Alice's contacts are Bob, Carol and
Dave; Bob becomes "Robert Builder" and Carol is removed. Bob wrote to Alice
before she signed in, so his chat's row in the Chats tab must follow the
rename.

The driver prints "renamed" and "removed" once the window shows the
change, and each time waits for the test to check the server's roster and
answer "roster-checked".
"""

import os
import sys

from driver import (  # next to this script, so on the module path
    Atspi, activate, click, fail, find, launch, named, replace_text, sign_in, stop, tell,
    text_of, wait_for, wait_for_line, wait_gone,
)
import driver
from driver import screenshot as _screenshot

BINARY, SHOTS = sys.argv[1], sys.argv[2]
DATA_DIR = os.environ["WARBLER_UI_DATA_DIR"]
ACCOUNT = os.environ["WARBLER_UI_ACCOUNT"]
PASSWORD = os.environ["WARBLER_UI_PASSWORD"]
PORT = os.environ["WARBLER_UI_PORT"]

NEW_NAME = "Robert Builder"
GREETING = "Hello from Bob"


def screenshot(name):
    return _screenshot(SHOTS, name)


def row_of(name):
    """Matches a contact row ("Bob, Available", "Bob, Offline", …)."""
    return lambda label: label.startswith(f"{name}, ")


def chat_of(name):
    """Matches a chat row ("Bob, 1 unread message: Hello", "Bob: Hello")."""
    return lambda label: label.startswith((f"{name}, ", f"{name}: ")) and GREETING in label


def main():
    Atspi.init()
    driver.failure_screenshot = os.path.join(SHOTS, "contacts-failure.png")

    proc, app = launch(BINARY, ["--data-dir", DATA_DIR])
    sign_in(app, ACCOUNT, PASSWORD, PORT)
    click(find(app, "page tab", "Chats"))
    wait_for(lambda: app, None, chat_of("Bob"), "Bob's chat in the chat list", sized=True)
    click(find(app, "page tab", "Contacts"))
    for name in ["Bob", "Carol", "Dave"]:
        wait_for(lambda: app, None, row_of(name), f"{name} in the contact list", sized=True)

    # 1. Rename Bob: his row's menu button, "Rename…", a new name.
    menu = wait_for(lambda: app, "push button", "Actions for Bob", "Bob's menu button",
                    sized=True)
    click(menu)
    # Each row has its own menu; look in Bob's.
    rename = wait_for(lambda: menu, "menu item", "Rename", "the Rename… menu item", sized=True)
    screenshot("22-contact-menu.png")
    activate(rename)
    entry = wait_for(lambda: app, "text", named("Name"), "the name field", sized=True)
    if text_of(entry) != "Bob":
        fail(f"the name field holds {text_of(entry)!r}, not the current name", app)
    replace_text(entry, NEW_NAME)
    if text_of(entry) != NEW_NAME:
        fail(f"typed {NEW_NAME!r} but the field holds {text_of(entry)!r}", app)
    screenshot("23-rename-dialog.png")
    click(wait_for(lambda: app, "push button", named("Rename"), "the Rename button", sized=True))
    wait_for(lambda: app, None, row_of(NEW_NAME), "the renamed row", sized=True)
    wait_gone(lambda: app, None, row_of("Bob"), "Bob's old row")
    tell("renamed")
    wait_for_line("roster-checked")
    # His chat is renamed too.
    click(find(app, "page tab", "Chats"))
    wait_for(lambda: app, None, chat_of(NEW_NAME), "the renamed chat row", sized=True)
    wait_gone(lambda: app, None, chat_of("Bob"), "the chat row with Bob's old name")
    screenshot("23-chat-renamed.png")
    click(find(app, "page tab", "Contacts"))

    # 2. Remove Carol: a right click on her row opens the same menu.
    row = wait_for(lambda: app, None, row_of("Carol"), "Carol's row", sized=True)
    rect = Atspi.Component.get_extents(row, Atspi.CoordType.WINDOW)
    Atspi.generate_mouse_event(rect.x + rect.width // 3, rect.y + rect.height // 2, "b3c")
    activate(wait_for(lambda: row, "menu item", "Remove", "the Remove… menu item", sized=True))
    wait_for(lambda: app, None, "Remove Carol?", "the confirmation")
    screenshot("24-remove-contact-dialog.png")
    click(wait_for(lambda: app, "push button", named("Remove"), "the Remove button", sized=True))
    wait_gone(lambda: app, None, row_of("Carol"), "Carol's row")
    wait_for(lambda: app, None, row_of("Dave"), "Dave's row", sized=True)
    Atspi.generate_mouse_event(600, 700, "abs")  # no tooltip in the picture
    screenshot("25-contact-renamed-and-removed.png")
    tell("removed")
    wait_for_line("roster-checked")

    stop(proc)
    tell("ok")


if __name__ == "__main__":
    main()
