#!/usr/bin/env python3
"""A mention in a room notifies; ordinary room chatter does not (the
default setting, mentions only), and clicking the notification opens the
room on the highlighted message. Opening a chat with more unread messages
than fit on screen shows the first of them under a "New Messages" line,
and a button takes the reader down to the newest. A notification still on
screen when Warbler quits is withdrawn.

Run by tests/ui_manage.rs inside its own X server and D-Bus session, in
which this script first starts the fake notification server notifyd.py:

    mention.py WARBLER_BINARY SCREENSHOT_DIR

Environment: WARBLER_UI_DATA_DIR, WARBLER_UI_ACCOUNT, WARBLER_UI_PASSWORD,
WARBLER_UI_PORT (as for chat.py), WARBLER_UI_ROOM (the room's address),
WARBLER_UI_CHATTER (a token in Bob's ordinary room message) and
WARBLER_UI_MENTION (a token in Bob's message that mentions Alice),
WARBLER_UI_DIRECT (a token in Bob's one-to-one messages),
WARBLER_UI_DIRECT_COUNT (how many he sends at first) and
WARBLER_UI_EARLIER_COUNT (how many, "Earlier 0 TOKEN" onward, he sends
while Alice has his chat open).

The driver joins the room, then opens Bob's one-to-one chat and prints
"bob-open" (Bob writes his earlier messages), then leaves it open with the
room not in view and prints "elsewhere" (the test has Bob write the
ordinary message, then the mention), "room-open" once the click opened
the room (Bob writes to Alice directly: "Direct 0 TOKEN" onward),
"room-again" once she has read them and gone back to the room (Bob writes
"Last TOKEN"), and "ok" at the end.
"""

import os
import sys
import tempfile
import time

from driver import (  # next to this script, so on the module path
    CONTROL, Atspi, click, fail, find, launch, named, press, sign_in, stop, tell, type_into,
    wait_for, wait_gone, wait_until,
)
import driver
from driver import screenshot as _screenshot
from notifications import Notifications

BINARY, SHOTS = sys.argv[1], sys.argv[2]
DATA_DIR = os.environ["WARBLER_UI_DATA_DIR"]
ACCOUNT = os.environ["WARBLER_UI_ACCOUNT"]
PASSWORD = os.environ["WARBLER_UI_PASSWORD"]
PORT = os.environ["WARBLER_UI_PORT"]
ROOM = os.environ["WARBLER_UI_ROOM"]
CHATTER = os.environ["WARBLER_UI_CHATTER"]
MENTION = os.environ["WARBLER_UI_MENTION"]
DIRECT = os.environ["WARBLER_UI_DIRECT"]
DIRECT_COUNT = int(os.environ["WARBLER_UI_DIRECT_COUNT"])
EARLIER_COUNT = int(os.environ["WARBLER_UI_EARLIER_COUNT"])

# How long to watch for a notification that must not come once a later
# one has come (both messages went the same way, in order).
NO_NOTIFICATION_GRACE = 2.0


def in_window(node, app):
    """Whether node lies within the window (a list keeps a few rows just
    outside its view too)."""
    window = Atspi.Component.get_extents(find(app, "frame", "Warbler"), Atspi.CoordType.WINDOW)
    rect = Atspi.Component.get_extents(node, Atspi.CoordType.WINDOW)
    return rect.y >= 0 and rect.y + rect.height <= window.height


def main():
    Atspi.init()
    driver.failure_screenshot = os.path.join(SHOTS, "mention-failure.png")
    with tempfile.TemporaryDirectory(prefix="warbler-mention-") as folder:
        run(Notifications(folder))


def run(notifications):
    proc, app = launch(BINARY, ["--data-dir", DATA_DIR])
    sign_in(app, ACCOUNT, PASSWORD, PORT)

    # 1. Join the room (Ctrl+J) and wait for Bob in it.
    press(0x6A, CONTROL)  # Ctrl+J
    address = wait_for(lambda: app, "text", named("Room Address"), "the Room Address field",
                       sized=True)
    type_into(address, ROOM)
    click(wait_for(lambda: app, "push button", named("Join"), "the Join button", sized=True))
    occupants = wait_for(lambda: app, None, "Occupant List", "the occupant list", sized=True,
                         timeout=driver.ONLINE_TIMEOUT)
    wait_for(lambda: occupants, None, lambda label: label.startswith("Bob, "),
             "Bob in the occupant list", sized=True, timeout=driver.ONLINE_TIMEOUT)

    # 2. Open Bob's one-to-one chat, so the room is not the chat in view.
    click(find(app, "page tab", "Contacts"))
    click(wait_for(lambda: app, None, "Bob, Available", "Bob in the contact list", sized=True))
    bob = ACCOUNT.replace("alice@", "bob@")
    wait_for(lambda: app, "label", lambda name: name == bob, "Bob's chat in view", sized=True)
    #    Bob writes there first, and Alice reads it as it comes.
    tell("bob-open")
    wait_for(lambda: app, None,
             lambda name: name.startswith("Bob at ") and f"Earlier {EARLIER_COUNT - 1} " in name,
             "Bob's earlier messages, read in his open chat", sized=True)
    click(find(app, "page tab", "Chats"))
    tell("elsewhere")

    # 3. Bob's mention notifies, naming him; his ordinary message before it
    #    did not.
    shown = notifications.wait_for(MENTION, "a notification of Bob's mention", app)
    if not shown["body"].startswith("Bob: "):
        fail(f"the notification does not say Bob wrote it: {shown!r}", app)
    time.sleep(NO_NOTIFICATION_GRACE)
    if any(CHATTER in n["body"] for n in notifications.shown()):
        fail("a notification for a room message that does not mention Alice", app)

    # 4. Clicking the notification opens the room on the highlighted mention.
    def mention_row(name):
        return name.startswith("Bob at ") and "mentioning you" in name and MENTION in name

    notifications.click_until(shown, lambda: find(app, None, mention_row) is not None)
    wait_for(lambda: app, None, mention_row, "the room, opened on the mention", sized=True)
    # The ordinary message did arrive, unhighlighted, just before it.
    wait_for(lambda: app, None,
             lambda name: name.startswith("Bob at ") and CHATTER in name
             and "mentioning you" not in name,
             "Bob's ordinary message in the room", sized=True)
    Atspi.generate_mouse_event(600, 790, "abs")  # no tooltip in the picture
    driver.screenshot(SHOTS, "50-room-mention-clicked.png")

    # 5. Bob writes to Alice directly while she reads the room: more than
    #    a screenful, and more than a page of history. Opening his chat from the chat list shows the first
    #    of them under the "New Messages" line, rather than the newest.
    tell("room-open")
    last_direct = f"Direct {DIRECT_COUNT - 1} {DIRECT}"
    notifications.wait_for(last_direct, "the notification of Bob's direct messages", app)

    def direct_row(n):
        return lambda name: name.startswith("Bob at ") and f"Direct {n} {DIRECT}" in name

    click(wait_for(lambda: app, None, lambda name: name.startswith("Bob, ") and DIRECT in name,
                   "Bob's chat, unread, in the chat list", sized=True))
    line = wait_for(lambda: app, "label", "New Messages", "the New Messages line", sized=True)
    first = wait_for(lambda: app, None, direct_row(0), "Bob's first unread message", sized=True)
    wait_until(lambda: in_window(line, app) and in_window(first, app),
               "the New Messages line and Bob's first unread message in view", app=app)
    # The read ones before them are there to scroll up to.
    find_earlier = lambda: find(app, None, lambda name: name.startswith("Bob at ")
                                and f"Earlier {EARLIER_COUNT - 1} " in name)
    if find_earlier() is None:
        fail("Bob's last read message is not above the New Messages line", app)
    Atspi.generate_mouse_event(600, 790, "abs")  # no tooltip in the picture
    driver.screenshot(SHOTS, "51-chat-opened-on-new-messages.png")

    #    A round button, there while she is above the newest message, takes
    #    her down to it, and goes once she is there.
    newest = named("Scroll to Newest Message")
    click(wait_for(lambda: app, "push button", newest, "the Scroll to Newest Message button",
                   sized=True))
    last = wait_for(lambda: app, None, direct_row(DIRECT_COUNT - 1), "Bob's newest message",
                    sized=True)
    wait_until(lambda: in_window(last, app), "Bob's newest message in view", app=app)
    wait_gone(lambda: app, "push button", newest, "the Scroll to Newest Message button at the bottom")
    Atspi.generate_mouse_event(600, 790, "abs")  # no tooltip in the picture
    driver.screenshot(SHOTS, "52-chat-scrolled-to-newest.png")

    # 6. Back in the room, Bob writes once more: that notifies, and quitting
    #    withdraws it (its "Open Chat" would do nothing once Warbler is gone).
    click(wait_for(lambda: app, None, lambda name: "(group chat)" in name,
                   "the room in the chat list", sized=True))
    wait_for(lambda: app, None, mention_row, "the room, open again", sized=True)
    tell("room-again")
    direct = notifications.wait_for(f"Last {DIRECT}", "a notification of Bob's last message",
                                    app)
    # Let the server's answer (the notification's id) reach Warbler: a
    # person does not quit within the millisecond a notification appears.
    time.sleep(1)
    stop(proc)
    if direct["id"] not in notifications.closed():
        fail(f"the notification {direct!r} stayed on screen after quitting", None)
    notifications.stop()
    tell("ok")


if __name__ == "__main__":
    main()
