#!/usr/bin/env python3
"""Join a room from the "Join Room" dialog (Ctrl+J), see its subject and
occupants, write to it, see someone join and a mention highlighted, and
complete a nickname, taking screenshots.

Run by tests/ui_rooms.rs inside its own X server and D-Bus session:

    rooms.py WARBLER_BINARY SCREENSHOT_DIR

Environment: WARBLER_UI_DATA_DIR, WARBLER_UI_ACCOUNT, WARBLER_UI_PASSWORD
and WARBLER_UI_PORT (as for chat.py); WARBLER_UI_ROOM (the room's
address), WARBLER_UI_SENT (a token Alice writes) and WARBLER_UI_MENTION (a
token in Bob's message that mentions Alice), WARBLER_UI_SUBJECT (the
room's subject, with markup characters that must show as typed). Bob,
Carol and Dave are in the room; Erin joins later.

The driver prints "joined" once Bob is in the occupant list (the test
checks that Bob saw Alice enter and answers "seen"), then "sent" once
Alice's message is shown (the test checks Bob got it, has Erin join, Bob
mention Alice and the others write, and answers "mentioned"). With
WARBLER_UI_PRIVATE (a token), Alice then writes privately to Bob from his
occupant menu and prints "whispered" (the test checks only Bob got it, has
him answer privately, and answers "answered"); she types to him privately
and prints "typing-privately" (the test checks Bob was told she types, has
him type back, and answers "typing-back").
"""

import os
import time
import sys

from driver import (  # next to this script, so on the module path
    CONTROL, Atspi, activate, click, fail, find, launch, named, press, replace_text, sign_in,
    stop, tell, text_of, type_into, wait_for, wait_for_line, wait_gone,
)
import driver
from driver import screenshot as _screenshot

BINARY, SHOTS = sys.argv[1], sys.argv[2]
DATA_DIR = os.environ["WARBLER_UI_DATA_DIR"]
ACCOUNT = os.environ["WARBLER_UI_ACCOUNT"]
PASSWORD = os.environ["WARBLER_UI_PASSWORD"]
PORT = os.environ["WARBLER_UI_PORT"]
ROOM = os.environ["WARBLER_UI_ROOM"]
SENT = os.environ["WARBLER_UI_SENT"]
MENTION = os.environ["WARBLER_UI_MENTION"]
SUBJECT = os.environ["WARBLER_UI_SUBJECT"]
PRIVATE = os.environ.get("WARBLER_UI_PRIVATE")


def screenshot(name):
    return _screenshot(SHOTS, name)


def occupant(nick):
    """Matches an occupant row ("Bob, Moderator, Available", …)."""
    return lambda label: label.startswith(f"{nick}, ")


def main():
    Atspi.init()
    driver.failure_screenshot = os.path.join(SHOTS, "rooms-failure.png")

    proc, app = launch(BINARY, ["--data-dir", DATA_DIR])
    sign_in(app, ACCOUNT, PASSWORD, PORT)

    # 1. Ctrl+J opens the Join Room dialog; the nickname is the account's
    # local part.
    press(0x6A, CONTROL)  # Ctrl+J
    address = wait_for(lambda: app, "text", named("Room Address"), "the Room Address field",
                       sized=True)
    nick = wait_for(lambda: app, "text", named("Nickname"), "the Nickname field", sized=True)
    local_part = ACCOUNT.split("@")[0]
    if text_of(nick) != local_part:
        fail(f"the nickname is {text_of(nick)!r}, not {local_part!r}", app)
    bookmark = find(app, "check box", "Bookmark and join automatically") or find(
        app, "toggle button", "Bookmark and join automatically")
    if bookmark is None:
        fail("no bookmark switch", app)
    if not bookmark.get_state_set().contains(Atspi.StateType.CHECKED):
        fail("the bookmark switch is off by default", app)
    # A nickname the address rules refuse (a private-use character) is
    # explained before anything is sent; an emoji is fine.
    replace_text(nick, "bird \U0001F426")
    refused = lambda name: name.startswith("This nickname can’t be used")
    time.sleep(0.5)
    if find(app, "label", refused):
        fail("an emoji in the nickname is refused", app)
    replace_text(nick, "bird \uE000")
    wait_for(lambda: app, "label", refused, "the refused-nickname hint", sized=True)
    screenshot("40a-join-nickname-refused.png")
    replace_text(nick, local_part)
    wait_gone(lambda: app, "label", refused, "the refused-nickname hint")
    type_into(address, ROOM)
    screenshot("40-join-dialog.png")
    click(wait_for(lambda: app, "push button", named("Join"), "the Join button", sized=True))

    # 2. The room opens; its occupant list shows Bob, Carol and Dave.
    occupants = wait_for(lambda: app, None, "Occupant List", "the occupant list", sized=True,
                         timeout=driver.ONLINE_TIMEOUT)
    for name in ["Bob", "Carol", "Dave"]:
        wait_for(lambda: occupants, None, occupant(name), f"{name} in the occupant list",
                 sized=True, timeout=driver.ONLINE_TIMEOUT)
    # The subject shows as typed, not as markup.
    wait_for(lambda: app, "label", lambda name: name == SUBJECT, "the subject in the header",
             sized=True)
    tell("joined")
    wait_for_line("seen")

    # 3. Write to the room.
    message = wait_for(lambda: app, "text", "Message", "the message box", sized=True)
    type_into(message, f"Good morning, team {SENT}")
    click(wait_for(lambda: app, "push button", "Send", "the Send button", sized=True))
    wait_for(lambda: app, None, lambda name: name.startswith("You at ") and SENT in name,
             "the sent message in the room", sized=True)
    tell("sent")
    wait_for_line("mentioned")

    # 4. Bob's mention is highlighted; Carol's and Dave's messages show.
    wait_for(lambda: app, None,
             lambda name: name.startswith("Bob at ") and "mentioning you" in name
             and MENTION in name,
             "Bob's message marked as a mention", sized=True)
    wait_for(lambda: app, None, lambda name: name.startswith("Erin at ") and "new here" in name,
             "Erin's message", sized=True)
    wait_for(lambda: occupants, None, occupant("Erin"), "Erin in the occupant list", sized=True)
    wait_for(lambda: app, None, "Erin joined", "the notice that Erin joined", sized=True)
    Atspi.generate_mouse_event(600, 790, "abs")  # no tooltip in the picture
    screenshot("41-room-busy.png")

    # 5. "@Ca" offers Carol; Tab completes to "Carol: " at the line start.
    type_into(message, "@Ca")
    choices = wait_for(lambda: app, None, "Nicknames", "the nickname completions", sized=True)
    wait_for(lambda: choices, None, lambda name: name == "Carol", "Carol among the completions",
             sized=True)
    screenshot("42-nick-completion.png")
    press(0xFF09)  # Tab
    if text_of(message) != "Carol: ":
        fail(f"completing gave {text_of(message)!r}, not 'Carol: '", app)

    if PRIVATE:
        private_message(app, occupants, message)

    stop(proc)
    tell("ok")


def private_message(app, occupants, message):
    """6. Bob's occupant menu: "Send Private Message" puts the composer in
    private mode (a chip names Bob); Enter sends to Bob alone; his private
    answer shows, marked private."""
    # A click on his row (below its heading) opens his menu; Escape closes
    # it and Enter on the row, which keeps the focus, opens it again.
    click(wait_for(lambda: occupants, None, lambda n: n.startswith("Bob, "), "Bob's row",
                   sized=True), down=0.8)
    wait_for(lambda: app, "menu item", "Send Private Message", "Bob's menu", sized=True)
    press(0xFF1B)  # Escape
    wait_gone(lambda: app, "menu item", "Send Private Message", "Bob's menu after Escape")
    press(0xFF0D)  # Enter
    activate(wait_for(lambda: app, "menu item", "Send Private Message",
                      "the Send Private Message item, opened from the keyboard", sized=True))
    wait_for(lambda: app, "label", "Private message to Bob", "the private message chip",
             sized=True)
    wait_for(lambda: app, "push button", "Stop Private Message", "the chip's close button",
             sized=True)
    replace_text(message, f"Just between us {PRIVATE}")
    press(0xFF0D)  # Enter
    wait_for(lambda: app, None,
             lambda name: name.startswith("Private message to Bob at ") and PRIVATE in name,
             "the private message, marked private", sized=True)
    tell("whispered")
    wait_for_line("answered")
    wait_for(lambda: app, None,
             lambda name: name.startswith("Private message from Bob at ") and "only you" in name,
             "Bob's private answer, marked private", sized=True)
    Atspi.generate_mouse_event(600, 790, "abs")  # no tooltip in the picture
    screenshot("49-private-message.png")

    # 7. Typing privately tells Bob (XEP-0085); his typing shows in the
    # chip.
    type_into(message, "Are you sure")
    tell("typing-privately")
    wait_for_line("typing-back")
    wait_for(lambda: app, "label", "Bob is typing…", "Bob typing in the private chip",
             sized=True)
    Atspi.generate_mouse_event(600, 790, "abs")
    screenshot("49b-private-typing.png")


if __name__ == "__main__":
    main()
