#!/usr/bin/env python3
"""Browse the public rooms of the server's conference service from the
"Join Room" dialog, pick the server's other service and back, see a service that cannot be browsed, search the rooms,
load more pages, and join one from the directory, taking screenshots.

Run by tests/ui_rooms.rs inside its own X server and D-Bus session:

    directory.py WARBLER_BINARY SCREENSHOT_DIR

Environment: WARBLER_UI_DATA_DIR, WARBLER_UI_ACCOUNT, WARBLER_UI_PASSWORD
and WARBLER_UI_PORT (as for chat.py); WARBLER_UI_SERVICE (the conference
service the server offers), WARBLER_UI_ROOMS (how many public rooms it
has: room01 … roomNN, named "Room NN" except room07, "Gardening &
<b>Plants</b>") and WARBLER_UI_PAGE (how many rooms it lists a page);
WARBLER_UI_OTHER_SERVICE (the server's second conference service) and
WARBLER_UI_OTHER_ROOM (the name of its one room). Bob is in every room;
Carol also in room07 and room25.

The driver prints "joined" once room25 is open with Bob and Carol in its
occupant list (the test checks that Bob saw Alice enter and answers
"seen").
"""

import os
import sys

from driver import (  # next to this script, so on the module path
    CONTROL, Atspi, click, fail, find, find_sized, launch, named, press, replace_text, sign_in,
    stop, tell, text_of, type_into, wait_for, wait_for_line, wait_gone, wait_until,
)
import driver
from driver import screenshot as _screenshot

BINARY, SHOTS = sys.argv[1], sys.argv[2]
DATA_DIR = os.environ["WARBLER_UI_DATA_DIR"]
ACCOUNT = os.environ["WARBLER_UI_ACCOUNT"]
PASSWORD = os.environ["WARBLER_UI_PASSWORD"]
PORT = os.environ["WARBLER_UI_PORT"]
SERVICE = os.environ["WARBLER_UI_SERVICE"]
ROOMS = int(os.environ["WARBLER_UI_ROOMS"])
PAGE = int(os.environ["WARBLER_UI_PAGE"])
OTHER_SERVICE = os.environ["WARBLER_UI_OTHER_SERVICE"]
OTHER_ROOM = os.environ["WARBLER_UI_OTHER_ROOM"]
GARDEN = "Gardening & <b>Plants</b>"


def screenshot(name):
    return _screenshot(SHOTS, name)


def address(i):
    return f"room{i:02d}@{SERVICE}"


def room_row(name, i, people):
    """Matches a directory row ("Room 01, room01@…, 1 person")."""
    count = "1 person" if people == 1 else f"{people} people"
    return lambda label: label == f"{name}, {address(i)}, {count}"


def pick_service(app, wanted):
    """Pick `wanted` among the server's services (the pick shows the
    other one): open the pick's list and choose it with the keyboard (GTK
    4.8 reports a popover's items at the wrong place for a click)."""
    pick = wait_for(lambda: app, None, named("Services of the Server"),
                    "the pick of the server's services", sized=True)
    click(pick)
    wait_for(lambda: pick, "label", named(wanted), f"{wanted} in the list of services",
             sized=True)
    # The list's labels in order, after the pick's own (the shown one).
    names = [n.get_name() for n in driver.walk(pick)
             if n.get_role_name() == "label" and n.get_name() in (SERVICE, OTHER_SERVICE)][1:]
    press(0xFF50)  # Home: the first service
    for _ in range(names.index(wanted)):
        press(0xFF54)  # Down
    press(0xFF0D)  # Return
    service = wait_for(lambda: app, "text", named("Service"), "the Service field", sized=True)
    wait_until(lambda: text_of(service) == wanted, f"{wanted} in the Service field", app=app)


def occupant(nick):
    """Matches an occupant row ("Bob, Moderator, Available", …)."""
    return lambda label: label.startswith(f"{nick}, ")


def main():
    Atspi.init()
    driver.failure_screenshot = os.path.join(SHOTS, "directory-failure.png")

    proc, app = launch(BINARY, ["--data-dir", DATA_DIR])
    sign_in(app, ACCOUNT, PASSWORD, PORT)

    # 1. Ctrl+J opens the Join Room dialog; its "Browse Rooms…" button
    # opens the directory, which finds the server's conference service and
    # lists its first page of rooms with their occupant counts.
    press(0x6A, CONTROL)  # Ctrl+J
    wait_for(lambda: app, "text", named("Room Address"), "the Room Address field", sized=True)
    click(wait_for(lambda: app, "push button", named("Browse Rooms…"),
                   "the Browse Rooms button", sized=True))
    rooms = wait_for(lambda: app, "list", "Public Rooms", "the list of public rooms",
                     sized=True, timeout=driver.ONLINE_TIMEOUT)

    # 1a. The server offers two services: the first one found is browsed
    # (the server's order varies) and the other is a pick away, and back.
    service = wait_for(lambda: app, "text", named("Service"), "the Service field", sized=True)
    wait_until(lambda: text_of(service) in (SERVICE, OTHER_SERVICE), "a service filled in",
               app=app)
    if text_of(service) != OTHER_SERVICE:
        pick_service(app, OTHER_SERVICE)
    wait_for(lambda: rooms, None, lambda n: n.startswith(f"{OTHER_ROOM}, lounge@{OTHER_SERVICE}"),
             "the other service's room", sized=True, timeout=driver.ONLINE_TIMEOUT)
    screenshot("42b-directory-other-service.png")
    pick_service(app, SERVICE)
    wait_for(lambda: rooms, None, room_row("Room 01", 1, 1), "room01 in the directory",
             sized=True)
    wait_for(lambda: rooms, None, room_row(GARDEN, 7, 2),
             "room07 with its name as typed and two people", sized=True)
    service = wait_for(lambda: app, "text", named("Service"), "the Service field", sized=True)
    if text_of(service) != SERVICE:
        fail(f"the service is {text_of(service)!r}, not {SERVICE!r}", app)
    wait_for(lambda: app, "label", f"{PAGE} of {ROOMS} rooms", "the count of loaded rooms",
             sized=True)
    if find(rooms, None, lambda label: address(PAGE + 1) in label) is not None:
        fail("the second page was listed before it was asked for", app)
    screenshot("43-directory.png")

    # 2. A service that cannot be browsed says why; the real one lists
    # its rooms again.
    replace_text(service, "nowhere.localhost")
    press(0xFF0D)  # Return
    wait_for(lambda: app, "label", "Could Not Reach the Service", "the error page", sized=True)
    wait_for(lambda: app, "label", lambda name: "rooms of nowhere.localhost" in name,
             "the reason naming the service", sized=True)
    screenshot("44-directory-error.png")
    replace_text(service, SERVICE)
    press(0xFF0D)  # Return
    wait_for(lambda: app, "label", f"{PAGE} of {ROOMS} rooms", "the first page listed again",
             sized=True)
    wait_for(lambda: rooms, None, room_row("Room 01", 1, 1), "room01 listed again", sized=True)

    # 3. The search filters the loaded rooms by name or address as one
    # types.
    search = wait_for(lambda: app, None, named("Search Rooms"), "the search entry", sized=True)
    type_into(search, "garden")
    wait_gone(lambda: rooms, None, room_row("Room 01", 1, 1), "room01 after searching")
    wait_for(lambda: rooms, None, room_row(GARDEN, 7, 2), "room07 among the matches",
             sized=True)
    screenshot("45-directory-search.png")

    # 4. A room of a later page matches nothing yet; "Load More" brings
    # the next pages until it is listed.
    replace_text(search, "room 25")
    wait_for(lambda: app, "label", "No Matching Rooms", "the no-match page", sized=True)
    load_more = wait_for(lambda: app, "push button", named("Load More"), "the Load More button",
                         sized=True)
    click(load_more)
    wait_for(lambda: app, "label", f"{2 * PAGE} of {ROOMS} rooms",
             "the count after loading a page", sized=True)
    click(wait_for(lambda: app, "push button", named("Load More"), "the Load More button",
                   sized=True))
    row = wait_for(lambda: rooms, None, room_row("Room 25", 25, 2), "room25 after loading more",
                   sized=True)
    wait_for(lambda: app, "label", lambda name: name == f"{ROOMS} rooms", "the count of all rooms",
             sized=True)
    wait_gone(lambda: app, "push button", named("Load More"), "Load More on the last page")
    screenshot("46-directory-loaded.png")

    # 5. Joining from the directory opens the Join Room dialog filled in
    # with the room; joining opens the room.
    click(row)
    click(wait_for(lambda: app, "push button", named("Join…"), "the Join… button", sized=True))
    room_address = wait_until(
        lambda: next((node for node in [find_sized(app, "text", named("Room Address"))]
                      if node is not None and text_of(node) == address(25)), None),
        "the Join Room dialog filled in with room25", app=app)
    screenshot("47-directory-join-dialog.png")
    if text_of(room_address) != address(25):
        fail(f"the dialog has {text_of(room_address)!r}", app)
    click(wait_for(lambda: app, "push button", named("Join"), "the Join button", sized=True))
    occupants = wait_for(lambda: app, None, "Occupant List", "the occupant list", sized=True,
                         timeout=driver.ONLINE_TIMEOUT)
    for name in ["Bob", "Carol"]:
        wait_for(lambda: occupants, None, occupant(name), f"{name} in the occupant list",
                 sized=True, timeout=driver.ONLINE_TIMEOUT)
    wait_gone(lambda: app, "list", "Public Rooms", "the directory after joining")
    tell("joined")
    wait_for_line("seen")
    Atspi.generate_mouse_event(600, 790, "abs")  # no tooltip in the picture
    screenshot("48-directory-joined.png")

    stop(proc)
    tell("ok")


if __name__ == "__main__":
    main()
