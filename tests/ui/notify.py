#!/usr/bin/env python3
"""A message notification: Warbler shows one for Bob's message (summary
Bob's name, body the message with markup escaped; his chat goes in at the
top of a chat list longer than the window, in view), updates it in place a
few times through a burst of his messages, ending on their count and the
last one; dismissed during a second burst, it is not brought back, and
Bob's next message gets a new one; clicking that opens Bob's chat where
his unread messages start and withdraws it.

Run by tests/ui_manage.rs inside its own X server and D-Bus session, in
which this script first starts the fake notification server notifyd.py:

    notify.py WARBLER_BINARY SCREENSHOT_DIR

Environment: WARBLER_UI_DATA_DIR, WARBLER_UI_ACCOUNT, WARBLER_UI_PASSWORD,
WARBLER_UI_PORT (as for chat.py), WARBLER_UI_INCOMING and
WARBLER_UI_AGAIN (tokens in Bob's first and last message),
WARBLER_UI_BURST and WARBLER_UI_BURST_COUNT (the token in his burst, and
its length).

The driver prints "signed-in" (the test then has Bob send a message with
the first token and a <b> tag), "notified" (Bob sends the burst, "Burst 0
TOKEN" onward), "burst-again" (another, "Again 0 TOKEN" onward),
"dismissed" (Bob sends "After TOKEN"), later "chat-open" (Bob sends the
second token), and "ok" at the end.
"""

import os
import sys
import tempfile
import time

from driver import (  # next to this script, so on the module path
    Atspi, click, fail, find, launch, named, sign_in, stop, tell, wait_for, wait_until,
)
import driver
from notifications import Notifications
from driver import screenshot as _screenshot

BINARY, SHOTS = sys.argv[1], sys.argv[2]
DATA_DIR = os.environ["WARBLER_UI_DATA_DIR"]
ACCOUNT = os.environ["WARBLER_UI_ACCOUNT"]
PASSWORD = os.environ["WARBLER_UI_PASSWORD"]
PORT = os.environ["WARBLER_UI_PORT"]
INCOMING = os.environ["WARBLER_UI_INCOMING"]
AGAIN = os.environ["WARBLER_UI_AGAIN"]
BURST = os.environ["WARBLER_UI_BURST"]
BURST_COUNT = int(os.environ["WARBLER_UI_BURST_COUNT"])

# Warbler updates a notification at most once a second; after the burst's
# last message is shown, wait this long for any update still to come.
BURST_SETTLE = 2.5
# A burst that arrives within a few seconds is a few updates, not one a
# message.
MAX_BURST_UPDATES = 10

# How long to watch for a notification that must not come, once the
# message it would be about is on screen (Warbler decides before it shows
# the message; the notification is then one D-Bus call away).
NO_NOTIFICATION_GRACE = 3.0


def screenshot(name):
    return _screenshot(SHOTS, name)


def window_is_active(app):
    """Whether Warbler's window has the focus. (There is no window manager
    under the test X server, so it may never become active.)"""
    frame = find(app, "frame", "Warbler")
    return frame is not None and frame.get_state_set().contains(Atspi.StateType.ACTIVE)


def chat_list(app):
    """The chat list."""
    return find(app, "table", named("Chats"))


def in_view(node, container):
    """Whether node lies within container on screen."""
    outer = Atspi.Component.get_extents(container, Atspi.CoordType.WINDOW)
    inner = Atspi.Component.get_extents(node, Atspi.CoordType.WINDOW)
    return outer.y <= inner.y and inner.y + inner.height <= outer.y + outer.height


def bob_message(token):
    """Matches the chat view's row of Bob's message holding token."""
    return lambda name: name.startswith("Bob at ") and token in name


def main():
    Atspi.init()
    driver.failure_screenshot = os.path.join(SHOTS, "notify-failure.png")
    with tempfile.TemporaryDirectory(prefix="warbler-notify-") as folder:
        run(Notifications(folder))


def run(notifications):

    proc, app = launch(BINARY, ["--data-dir", DATA_DIR])
    sign_in(app, ACCOUNT, PASSWORD, PORT)
    # The roster gives Bob's name for the notification.
    click(find(app, "page tab", "Contacts"))
    wait_for(lambda: app, None, "Bob, Available", "Bob in the contact list", sized=True)
    click(find(app, "page tab", "Chats"))
    tell("signed-in")

    # 1. Bob writes while no chat is open. A chat that is not open is never
    #    focused, so Warbler notifies whether or not its window is active.
    shown = notifications.wait_for(INCOMING, "a notification of Bob's message", app)
    if "Bob" not in shown["summary"]:
        fail(f"the notification's summary does not name Bob: {shown!r}", app)
    # Servers may read the body as markup: the <b> Bob typed must arrive
    # escaped, so it is shown as text.
    if "&lt;b&gt;" not in shown["body"] or "<b>" in shown["body"]:
        fail(f"the notification's body is not escaped: {shown['body']!r}", app)
    if "default" not in shown["actions"]:
        fail(f"the notification cannot be clicked: {shown!r}", app)
    if find(app, None, bob_message(INCOMING)) is not None:
        fail("Bob's chat opened by itself", app)
    row = wait_for(lambda: app, None, INCOMING, "Bob's message in the chat list", sized=True)
    # The chat list holds more chats than it shows: Bob's new one goes in
    # at the top, in view, not above it.
    wait_until(lambda: in_view(row, chat_list(app)), "Bob's chat shown at the top of the list",
               app=app)
    screenshot("20-notification-sent.png")
    tell("notified")

    # 2. Bob sends a burst: the same notification is updated a few times,
    #    and ends on the last message and the right count.
    last = f"Burst {BURST_COUNT - 1} {BURST}"
    notifications.wait_for(last, "the notification updated to Bob's last message", app)
    time.sleep(BURST_SETTLE)
    updates = notifications.shown()[1:]
    if any(n["id"] != shown["id"] for n in updates):
        fail(f"the burst did not update Bob's one notification: {updates[-3:]!r}", app)
    if len(updates) > MAX_BURST_UPDATES:
        fail(f"{len(updates)} updates for a burst of {BURST_COUNT} messages", app)
    count = f"({BURST_COUNT + 1} new messages)"
    if last not in updates[-1]["body"] or count not in updates[-1]["summary"]:
        fail(f"the notification ended on {updates[-1]!r}, not {count} and {last!r}", app)
    print(f"{len(updates)} updates for a burst of {BURST_COUNT}", file=sys.stderr)

    # 3. Bob sends another burst, and the user dismisses the notification
    #    as soon as it changes: no update still waiting at that moment may
    #    bring it back. Bob's next message gets a new notification.
    tell("burst-again")
    # Its first update may already be on a later message than the first:
    # messages that reach the window together make one update.
    first_again = wait_until(
        lambda: next((n for n in notifications.shown()
                      if "Again " in n["body"] and BURST in n["body"]), None),
        "the notification updated for the second burst", app=app)
    if first_again["id"] != shown["id"]:
        fail(f"the second burst did not update Bob's notification: {first_again!r}", app)
    notifications.dismiss(shown["id"])
    dismissed_at = len(notifications.shown())
    time.sleep(BURST_SETTLE)
    tell("dismissed")
    last = f"After {BURST}"
    shown = notifications.wait_for(last, "a new notification of Bob's next message", app)
    time.sleep(BURST_SETTLE)
    later = notifications.shown()[dismissed_at:]
    if any(n["id"] == first_again["id"] for n in later):
        fail(f"the dismissed notification came back: {later[:2]!r}", app)
    if later[-1] != shown:
        fail(f"the notifications ended on {later[-1]!r}, not Bob's next message", app)

    # 4. Click it: Bob's chat opens where his unread messages start, under
    #    the New Messages line, and its button takes her to the newest.
    notifications.click_until(shown,
                              lambda: find(app, None, bob_message(INCOMING)) is not None)
    wait_for(lambda: app, None, bob_message(INCOMING),
             "Bob's chat, opened by the click on his first unread message", sized=True)
    wait_for(lambda: app, "label", "New Messages", "the New Messages line", sized=True)
    screenshot("21-notification-clicked.png")
    # The chat is read now, so its notification is withdrawn.
    wait_until(lambda: shown["id"] in notifications.closed(),
               "the notification withdrawn once the chat was read", app=app)
    click(wait_for(lambda: app, "push button", "Scroll to Newest Message",
                   "the Scroll to Newest Message button", sized=True))
    wait_for(lambda: app, None, bob_message(last), "Bob's newest message", sized=True)
    tell("chat-open")

    # 5. Bob writes again into the open chat. It is focused now, so a
    #    notification comes only if the window is not active.
    wait_for(lambda: app, None, bob_message(AGAIN), "Bob's second message", sized=True)
    active = window_is_active(app)
    print(f"the window is {'active' if active else 'not active'}", file=sys.stderr)
    if active:
        time.sleep(NO_NOTIFICATION_GRACE)
        if any(AGAIN in n["body"] for n in notifications.shown()):
            fail("a notification for the chat the user is reading", app)
    else:
        notifications.wait_for(AGAIN, "a notification while the window is inactive", app)

    stop(proc)
    notifications.stop()
    tell("ok")


if __name__ == "__main__":
    main()
