#!/usr/bin/env python3
"""Moderate a room as its owner: make Carol a moderator from her row's
menu, remove Bob's message through its menu
(a right click on the message) with a reason, then open "Members & Bans",
see the member and ban lists, get a clear error for an address that is
not one, and add a member; invite Dave with a reason from the room menu;
then destroy the room; taking screenshots.

Run by tests/ui_rooms.rs inside its own X server and D-Bus session:

    moderation.py WARBLER_BINARY SCREENSHOT_DIR

Environment: WARBLER_UI_DATA_DIR, WARBLER_UI_ACCOUNT, WARBLER_UI_PASSWORD
and WARBLER_UI_PORT (as for chat.py); WARBLER_UI_ROOM (the room's
address, where Alice is an owner, Carol a member and occupant, and Bob an
occupant),
WARBLER_UI_SPAM (a token in Bob's message), WARBLER_UI_REASON (the reason
for removing it), WARBLER_UI_BANNED (an address on the ban list) and
WARBLER_UI_NEW_MEMBER (the address Alice adds to the members) and
WARBLER_UI_VENUE (the room Alice names when she destroys the room) and
WARBLER_UI_INVITE_REASON (the reason of Alice's invitation to Dave, the
new member).

The driver prints "joined" once the room is open (the test has Bob write
and answers "written"), "removed" once Bob's message shows as removed (the
test checks Bob got the room's notice and answers "notice-seen"), and
"member-added" once the new member is listed (the test checks the room's
member list and answers "members-checked"), "invited" once the invitation
is sent (the test checks Dave got it with its reason and answers
"invite-seen"), and "destroyed" once the
destroyed room left the chat list (the test checks Bob was told where the
talk goes on and answers "destroy-seen").
"""

import os
import sys

from driver import (  # next to this script, so on the module path
    Atspi, activate, click, launch, named, replace_text, sign_in, stop, tell, type_into,
    wait_for, wait_for_line, wait_gone,
)
import driver
from driver import screenshot as _screenshot

BINARY, SHOTS = sys.argv[1], sys.argv[2]
DATA_DIR = os.environ["WARBLER_UI_DATA_DIR"]
ACCOUNT = os.environ["WARBLER_UI_ACCOUNT"]
PASSWORD = os.environ["WARBLER_UI_PASSWORD"]
PORT = os.environ["WARBLER_UI_PORT"]
ROOM = os.environ["WARBLER_UI_ROOM"]
SPAM = os.environ["WARBLER_UI_SPAM"]
REASON = os.environ["WARBLER_UI_REASON"]
BANNED = os.environ["WARBLER_UI_BANNED"]
NEW_MEMBER = os.environ["WARBLER_UI_NEW_MEMBER"]
VENUE = os.environ["WARBLER_UI_VENUE"]
DESTROY_REASON = "Moving to a new room"
INVITE_REASON = os.environ["WARBLER_UI_INVITE_REASON"]


def screenshot(name):
    return _screenshot(SHOTS, name)


def main():
    Atspi.init()
    driver.failure_screenshot = os.path.join(SHOTS, "moderation-failure.png")

    proc, app = launch(BINARY, ["--data-dir", DATA_DIR])
    sign_in(app, ACCOUNT, PASSWORD, PORT)

    # 1. Join the room from the Join Room dialog.
    driver.press(0x6A, driver.CONTROL)  # Ctrl+J
    address = wait_for(lambda: app, "text", named("Room Address"), "the Room Address field",
                       sized=True)
    type_into(address, ROOM)
    click(wait_for(lambda: app, "push button", named("Join"), "the Join button", sized=True))
    occupants = wait_for(lambda: app, None, "Occupant List", "the occupant list", sized=True,
                         timeout=driver.ONLINE_TIMEOUT)
    # Alice is an owner, so a moderator.
    wait_for(lambda: occupants, None, lambda n: n.startswith("alice, Moderator"),
             "Alice as a moderator", sized=True, timeout=driver.ONLINE_TIMEOUT)
    wait_for(lambda: occupants, None, lambda n: n.startswith("Bob, "), "Bob in the room",
             sized=True)

    # 1b. Carol (a member) is a participant; the owner makes her a
    # moderator from her row's menu, with a reason, and her row moves
    # under "Moderators" (the other two are moderators already, so the
    # "Participants" heading goes).
    wait_for(lambda: occupants, None, lambda n: n.startswith("Carol, Participant"),
             "Carol as a participant", sized=True, timeout=driver.ONLINE_TIMEOUT)
    click(wait_for(lambda: occupants, None, lambda n: n.startswith("Carol, Participant"),
                   "Carol's row", sized=True), down=0.8)
    make = wait_for(lambda: app, "menu item",
                    lambda n: n.replace("_", "").startswith("Make Moderator"),
                    "the Make Moderator… item", sized=True)
    wait_for(lambda: app, "menu item", lambda n: n.replace("_", "").startswith("Ban"),
             "the Ban… item", sized=True)
    screenshot("59a-occupant-menu-owner.png")
    activate(make)
    wait_for(lambda: app, None, "Make Carol a moderator?", "the Make Moderator question")
    type_into(wait_for(lambda: app, "text", named("Reason (optional)"),
                       "the reason field", sized=True), "Helps with the release")
    click(wait_for(lambda: app, "push button", named("Make Moderator"),
                   "the Make Moderator button", sized=True))
    wait_for(lambda: occupants, None, lambda n: n.startswith("Carol, Moderator"),
             "Carol as a moderator", sized=True, timeout=driver.ONLINE_TIMEOUT)
    wait_gone(lambda: occupants, "label", named("Participants"), "the Participants heading")
    Atspi.generate_mouse_event(600, 790, "abs")  # no tooltip in the picture
    screenshot("59b-occupant-made-moderator.png")
    tell("joined")
    wait_for_line("written")

    # 2. A right click on Bob's message opens its menu: Copy Text and
    # Remove Message….
    row = wait_for(lambda: app, None, lambda n: n.startswith("Bob at ") and SPAM in n,
                   "Bob's message", sized=True)
    rect = Atspi.Component.get_extents(row, Atspi.CoordType.WINDOW)
    # The bubble is at the row's start and bottom (a day separator may be
    # above it).
    Atspi.generate_mouse_event(rect.x + 40, rect.y + rect.height - 16, "b3c")
    wait_for(lambda: row, "menu item", "Copy Text", "the Copy Text menu item", sized=True)
    remove = wait_for(lambda: row, "menu item", "Remove Message", "the Remove Message… item",
                      sized=True)
    screenshot("60-message-menu.png")
    activate(remove)
    wait_for(lambda: app, None, "Remove Message?", "the removal question")
    reason = wait_for(lambda: app, "text", named("Reason (optional)"), "the reason field",
                      sized=True)
    type_into(reason, REASON)
    screenshot("61-remove-message-dialog.png")
    click(wait_for(lambda: app, "push button", named("Remove"), "the Remove button", sized=True))

    # 3. The row says the message was removed, with the reason; the text
    # is gone.
    wait_for(lambda: app, None,
             lambda n: n.startswith("Bob at ") and "Message removed by a moderator" in n
             and REASON in n,
             "Bob's message shown as removed", sized=True)
    wait_gone(lambda: app, None, lambda n: SPAM in n, "the removed text")
    Atspi.generate_mouse_event(600, 790, "abs")  # no tooltip in the picture
    screenshot("62-message-removed.png")
    tell("removed")
    wait_for_line("notice-seen")

    # 4. The room menu offers Members & Bans (and Destroy Room) to owners.
    click(wait_for(lambda: app, "push button", "Room Menu", "the room menu button", sized=True))
    members_item = wait_for(lambda: app, "menu item", "Members & Bans",
                            "the Members & Bans… item", sized=True)
    wait_for(lambda: app, "menu item", "Destroy Room", "the Destroy Room… item", sized=True)
    screenshot("63-room-menu-owner.png")
    activate(members_item)

    # 5. The dialog lists Carol among the members.
    dialog_root = lambda: app  # noqa: E731 (the dialog is a window of the app)
    wait_for(dialog_root, None, named("carol@localhost"), "Carol in the member list",
             sized=True, timeout=driver.ONLINE_TIMEOUT)
    new_member = wait_for(dialog_root, "text", named("Address of the new member"),
                          "the new member's address field", sized=True)
    # Not an address: a clear error, nothing sent.
    type_into(new_member, "not an address")
    click(wait_for(dialog_root, "push button", named("Add Member"), "the Add Member button",
                   sized=True))
    wait_for(dialog_root, "label", lambda n: "is not a valid address" in n,
             "the invalid-address error", sized=True)
    screenshot("64-members-invalid-address.png")
    replace_text(new_member, NEW_MEMBER)
    click(wait_for(dialog_root, "push button", named("Add Member"), "the Add Member button",
                   sized=True))
    wait_for(dialog_root, None, named(NEW_MEMBER), "the new member in the list", sized=True)
    wait_gone(dialog_root, "label", lambda n: "is not a valid address" in n,
              "the invalid-address error")
    Atspi.generate_mouse_event(1200, 790, "abs")
    screenshot("65-members-list.png")
    tell("member-added")
    wait_for_line("members-checked")

    # 6. The Banned page lists the banned address.
    click(wait_for(dialog_root, "page tab", named("Banned"), "the Banned page's tab",
                   sized=True))
    wait_for(dialog_root, None, named(BANNED), "the banned address", sized=True)
    screenshot("66-ban-list.png")

    # 7. Escape closes the dialog; the room menu's Invite… asks for an
    # address and an optional reason, which Dave gets with the invitation.
    driver.press(0xFF1B)  # Escape
    wait_gone(lambda: app, "page tab", named("Banned"), "the Members & Bans dialog")
    click(wait_for(lambda: app, "push button", "Room Menu", "the room menu button", sized=True))
    activate(wait_for(lambda: app, "menu item", lambda n: n.replace("_", "").startswith("Invite"),
                      "the Invite… item", sized=True))
    invite = wait_for(lambda: app, "dialog", "Invite to Room", "the invite dialog")
    invite_button = wait_for(lambda: invite, "push button", named("Invite"),
                             "the Invite button", sized=True)
    type_into(wait_for(lambda: invite, "text", named("Address"), "the invitee's address field",
                       sized=True), NEW_MEMBER)
    type_into(wait_for(lambda: invite, "text", named("Reason (optional)"),
                       "the invitation's reason field", sized=True), INVITE_REASON)
    screenshot("66b-invite-dialog.png")
    click(invite_button)
    wait_gone(lambda: app, "dialog", "Invite to Room", "the invite dialog")
    tell("invited")
    wait_for_line("invite-seen")

    # 8. The owner destroys the room, naming where the talk goes on, and
    # it leaves the chat list.
    click(wait_for(lambda: app, "push button", "Room Menu", "the room menu button", sized=True))
    activate(wait_for(lambda: app, "menu item", "Destroy Room", "the Destroy Room… item",
                      sized=True))
    room_name = ROOM.split("@")[0]
    question = wait_for(lambda: app, "dialog", f"Destroy {room_name}?", "the destroy question")
    type_into(wait_for(lambda: question, "text", named("Reason (optional)"),
                       "the destroy reason field", sized=True), DESTROY_REASON)
    type_into(wait_for(lambda: question, "text",
                       named("Address of a room to continue in (optional)"),
                       "the alternative room field", sized=True), VENUE)
    screenshot("67-destroy-room-dialog.png")
    click(wait_for(lambda: question, "push button", named("Destroy Room"),
                   "the Destroy Room button", sized=True))
    wait_gone(lambda: app, None, lambda n: n.startswith(f"{room_name} (group chat)"),
              "the destroyed room in the chat list")
    Atspi.generate_mouse_event(600, 790, "abs")
    screenshot("68-room-destroyed.png")
    tell("destroyed")
    wait_for_line("destroy-seen")

    stop(proc)
    tell("ok")


if __name__ == "__main__":
    main()
