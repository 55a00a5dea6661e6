#!/usr/bin/env python3
"""Sign in to a real test server in the Warbler window, receive a message
from Bob and answer it, follow a burst of his messages, and after a restart
see a burst that came while the window was hidden and scroll back through
the chat's history, taking screenshots on the way.

Run by tests/ui_smoke.rs inside its own X server and D-Bus session (with an
unlocked keyring), while the test plays Bob:

    chat.py WARBLER_BINARY SCREENSHOT_DIR

Environment: WARBLER_UI_DATA_DIR (the profile directory), WARBLER_UI_ACCOUNT
and WARBLER_UI_PASSWORD (Alice's address and password), WARBLER_UI_PORT
(the server's STARTTLS port on 127.0.0.1), WARBLER_UI_INCOMING (a token in
Bob's message) and WARBLER_UI_REPLY (the token to answer with). Warbler
trusts the test server through SSL_CERT_FILE, set by the test.

The test and this driver take turns over stdout and stdin: the driver
prints "signed-in" once Alice is online (the test then sends Bob's
message), "replied" once the answer is sent (the test checks that Bob got
it and sends a delivery receipt), and waits for a line "receipt-sent".
"""

import os
import subprocess
import sys
import time

from driver import (  # next to this script, so on the module path
    Atspi, GLib, click, fail, find, find_sized, launch, named, sign_in, stop, tell, type_into,
    wait_for, wait_for_line, wait_until,
)
import driver
from driver import screenshot as _screenshot

BINARY, SHOTS = sys.argv[1], sys.argv[2]
DATA_DIR = os.environ["WARBLER_UI_DATA_DIR"]
ACCOUNT = os.environ["WARBLER_UI_ACCOUNT"]
PASSWORD = os.environ["WARBLER_UI_PASSWORD"]
PORT = os.environ["WARBLER_UI_PORT"]
INCOMING = os.environ["WARBLER_UI_INCOMING"]
REPLY = os.environ["WARBLER_UI_REPLY"]
BURST = int(os.environ["WARBLER_UI_BURST"])


def screenshot(name):
    return _screenshot(SHOTS, name)


def wheel(messages, button):
    """One mouse wheel step over the message list: up with "b4c", down
    with "b5c"."""
    rect = Atspi.Component.get_extents(messages, Atspi.CoordType.WINDOW)
    Atspi.generate_mouse_event(rect.x + rect.width // 2, rect.y + rect.height // 2, button)
    time.sleep(0.03)


def wheel_up(messages):
    """One mouse wheel step up over the message list."""
    wheel(messages, "b4c")


def scroll_up_to(app, messages, text, what):
    """Scroll the message list up with the wheel until Bob's message with
    `text` is shown (older pages load on the way)."""
    def shown():
        return find_sized(app, None, lambda name: name.startswith("Bob at ") and text in name)

    for step in range(1000):
        wheel_up(messages)
        if step % 20 == 19 and shown() is not None:
            return
    fail(f"scrolling up did not bring back {what}", app)


def main():
    Atspi.init()
    driver.failure_screenshot = os.path.join(SHOTS, "chat-failure.png")

    # 1. Sign in as Alice, with the server given under "Advanced".
    proc, app = launch(BINARY, ["--data-dir", DATA_DIR])
    sign_in(
        app, ACCOUNT, PASSWORD, PORT,
        before_submit=lambda: screenshot("10-sign-in-filled.png"),
    )
    # The main window: the contact list (filled by the server) shows Bob,
    # online.
    click(find(app, "page tab", "Contacts"))
    wait_for(lambda: app, None, "Bob, Available", "Bob, online, in the contact list", sized=True)
    screenshot("11-signed-in.png")
    tell("signed-in")

    # 2. Bob's message arrives: a row in the chat list with the token.
    click(find(app, "page tab", "Chats"))
    row = wait_for(lambda: app, None, INCOMING, "Bob's message in the chat list", sized=True)
    click(row)
    wait_for(
        lambda: app, None, lambda name: name.startswith("Bob at ") and INCOMING in name,
        "Bob's message in the chat view", sized=True,
    )
    screenshot("12-message-received.png")

    # 3. Answer it.
    message = wait_for(lambda: app, "text", "Message", "the message box", sized=True)
    type_into(message, f"Hello Bob {REPLY}")
    send = find(app, "push button", "Send")
    if send is None:
        fail("no Send button", app)
    click(send)
    wait_for(
        lambda: app, None, lambda name: name.startswith("You at ") and REPLY in name,
        "the sent message in the chat view", sized=True,
    )
    tell("replied")
    wait_for_line("receipt-sent")
    wait_for(
        lambda: app, None,
        lambda name: name.startswith("You at ") and REPLY in name and name.endswith("Delivered"),
        "the sent message marked Delivered", sized=True,
    )
    screenshot("13-message-sent.png")

    # 4. A burst from Bob: the view follows it down, and the rows it shows
    # at the end are the newest messages, all of them and in order (rows
    # are added a few per frame; none may be lost or reordered). The list
    # keeps only about a screenful of rows, so older ones are not checked
    # here: the core tests check that every message is stored.
    tell("burst-please")
    wait_for_line("burst-sent")
    newest = BURST - 1
    messages = wait_for(lambda: app, None, named("Messages"), "the message list", sized=True)
    prefix, suffix = "Burst ", f" {INCOMING}"

    def burst_rows(prefix):
        """Rows of the burst whose messages start with `prefix`, by
        number, with their extents in the window."""
        # Rows are recycled: names cached by the accessibility client may
        # belong to a row's previous message.
        messages.clear_cache()
        rows = {}
        for node in driver.walk(messages):
            try:
                name = node.get_name() or ""
                if name.startswith("Bob at ") and name.endswith(suffix) and prefix in name:
                    number = name[name.rindex(prefix) + len(prefix):-len(suffix)]
                    rows[int(number)] = Atspi.Component.get_extents(node, Atspi.CoordType.WINDOW)
            except GLib.Error:
                continue  # a row let go of while it was read
        return rows

    def shown_in_order(numbers, upwards, prefix=prefix):
        """Which burst rows of `numbers`, taken in that order, are shown
        inside the visible list each directly above (`upwards`) or below
        the one before, up to the first that is not. (Rows scrolled out of
        the view keep their last place, so only a row next to one already
        counted is.)"""
        shown = Atspi.Component.get_extents(messages, Atspi.CoordType.WINDOW)
        rows = burst_rows(prefix)
        last = None
        counted = []
        for number in numbers:
            rect = rows.get(number)
            if rect is None or rect.height <= 0 or rect.y < shown.y:
                break
            if rect.y + rect.height > shown.y + shown.height:
                break
            if last is not None:
                upper, lower = (rect, last) if upwards else (last, rect)
                if not (0 <= lower.y - (upper.y + upper.height) < rect.height):
                    break
            counted.append(number)
            last = rect
        return counted

    def shown_from_newest(prefix=prefix):
        """The newest burst rows shown, counting up from the newest."""
        return shown_in_order(range(newest, -1, -1), True, prefix)

    wait_until(lambda: newest in shown_from_newest(),
               f"burst message {newest} scrolled into view", app=app)
    shown = shown_from_newest()
    if len(shown) < 5:
        fail(f"the view shows only burst messages {shown} in order above the newest", app)
    screenshot("14-burst-received.png")

    # Bob's row in the chat list previews his newest message. The chat
    # stays on top, so the row is changed in place rather than rebuilt.
    # The burst was read as it arrived in the open chat, so the row counts
    # no unread messages ("Bob: …", not "Bob, 3 unread messages: …").
    chats = wait_for(lambda: app, "table", named("Chats"), "the chat list")

    def bob_previews_newest_read():
        chats.clear_cache()
        return any(
            (node.get_name() or "").startswith(f"Bob: {prefix}{newest}{suffix}")
            for node in driver.walk(chats)
        )

    wait_until(bob_previews_newest_read,
               f"Bob's chat row previewing burst message {newest}, read", app=app)

    # The burst's first message, long scrolled out of view (and, the burst
    # being longer than the list keeps while following it, let go of and
    # loaded again from history), comes back when the reader scrolls up to
    # it, followed by the next ones in order.
    scroll_up_to(app, messages, f"{prefix}0{suffix}", "burst message 0")

    for _ in range(10):  # up to the top: the conversation, then the burst
        wheel_up(messages)
    wait_until(lambda: len(shown_in_order(range(BURST), upwards=False)) >= 3,
               "burst messages 0, 1 and 2 shown in order", app=app)
    # Bob's first message was unread when the chat opened: its rows, built
    # again from history, still carry the New Messages line above it.
    wait_for(lambda: app, "label", "New Messages", "the New Messages line, loaded again",
             sized=True)
    screenshot("14-burst-scrolled-back.png")

    # 5. After a restart the chat opens with its newest page of history.
    stop(proc)
    proc, app = launch(BINARY, ["--data-dir", DATA_DIR])
    click(wait_for(lambda: app, None, f"Burst {newest} {INCOMING}",
                   "Bob's chat in the chat list", sized=True))
    messages = wait_for(lambda: app, None, named("Messages"), "the message list", sized=True)
    wait_until(lambda: newest in shown_from_newest(),
               f"burst message {newest} shown after the restart", app=app)

    # 6. A burst that arrives while the window is hidden, and so draws no
    # frames, is shown from its newest message once the window is back;
    # scrolling up then brings back its first messages in order.
    hidden = "Hidden "
    windows = subprocess.run(
        ["xdotool", "search", "--pid", str(proc.pid)],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    for window in windows:
        subprocess.run(["xdotool", "windowunmap", "--sync", window], check=True)
    tell("hidden-burst-please")
    wait_for_line("hidden-burst-sent")
    chats = wait_for(lambda: app, "table", named("Chats"), "the chat list")

    def bob_previews_hidden_newest():
        chats.clear_cache()
        names = ((node.get_name() or "") for node in driver.walk(chats))
        return any(name.startswith("Bob") and f"{hidden}{newest}{suffix}" in name
                   for name in names)

    wait_until(bob_previews_hidden_newest,
               f"Bob's chat row previewing hidden burst message {newest}", app=app)
    for window in windows:
        subprocess.run(["xdotool", "windowmap", "--sync", window], check=True)
    wait_until(lambda: newest in shown_from_newest(hidden),
               f"hidden burst message {newest} shown once the window is back", app=app)
    screenshot("15-hidden-burst-shown.png")
    scroll_up_to(app, messages, f"{hidden}0{suffix}", "hidden burst message 0")
    for _ in range(40):  # the search stops some steps past message 0
        if len(shown_in_order(range(BURST), False, hidden)) >= 3:
            break
        first = burst_rows(hidden).get(0)
        view = Atspi.Component.get_extents(messages, Atspi.CoordType.WINDOW)
        if first is not None and first.y >= view.y:
            wheel(messages, "b5c")
        else:
            wheel_up(messages)
        time.sleep(0.1)
    else:
        fail("hidden burst messages 0, 1 and 2 are not shown in order", app)
    screenshot("15-hidden-burst-scrolled-back.png")

    # 7. Scrolling up with the mouse wheel loads the older pages, down to
    # Bob's first message.
    scroll_up_to(app, messages, "Hi Alice!", "Bob's first message")
    for _ in range(10):  # up to the top, to show it
        wheel_up(messages)
    time.sleep(0.5)
    screenshot("16-history-scrolled-to-start.png")

    stop(proc)
    tell("ok")


if __name__ == "__main__":
    main()
