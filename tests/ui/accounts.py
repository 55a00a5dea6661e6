#!/usr/bin/env python3
"""Accounts: add a second account from the accounts dialog, disable and
enable it again with its switch, then remove it; the first account stays
signed in throughout.

Run by tests/ui_manage.rs inside its own X server and D-Bus session:

    accounts.py WARBLER_BINARY SCREENSHOT_DIR

Environment: WARBLER_UI_DATA_DIR, WARBLER_UI_ACCOUNT, WARBLER_UI_PASSWORD
and WARBLER_UI_PORT (as for chat.py) for the first account, and
WARBLER_UI_SECOND_ACCOUNT and WARBLER_UI_SECOND_PASSWORD for the second.

The driver prints "disabled", "enabled" and "removed" once the dialog shows
the second account's new state, and each time waits for the test to see
that account's presence change on the server and answer "presence-seen".
"""

import os
import sys

from driver import (  # next to this script, so on the module path
    ONLINE_TIMEOUT, Atspi, activate, click, fail, find, launch, named, sign_in, stop, tell,
    walk, wait_for, wait_for_line, wait_gone, wait_until,
)
import driver
from driver import screenshot as _screenshot

BINARY, SHOTS = sys.argv[1], sys.argv[2]
DATA_DIR = os.environ["WARBLER_UI_DATA_DIR"]
ACCOUNT = os.environ["WARBLER_UI_ACCOUNT"]
PASSWORD = os.environ["WARBLER_UI_PASSWORD"]
PORT = os.environ["WARBLER_UI_PORT"]
SECOND = os.environ["WARBLER_UI_SECOND_ACCOUNT"]
SECOND_PASSWORD = os.environ["WARBLER_UI_SECOND_PASSWORD"]


def screenshot(name):
    return _screenshot(SHOTS, name)


def open_accounts(app):
    """Open the accounts dialog from the main menu; returns the dialog."""
    click(wait_for(lambda: app, "push button", "Main Menu", "the main menu button", sized=True))
    activate(wait_for(lambda: app, "menu item", "Accounts", "the Accounts… menu item",
                      sized=True))
    return wait_for(lambda: app, None, named("Accounts"), "the accounts dialog", sized=True)


def account_row(app, jid):
    """The dialog's row of an account: the parent of its switch that also
    holds the account's address."""
    switch = find(app, None, named(f"Enable {jid}"))
    node = switch.get_parent() if switch is not None else None
    while node is not None:
        if any(n.get_name() == jid for n in walk(node) if n.get_role_name() == "label"):
            return node
        node = node.get_parent()
    return None


def account_state(app, jid):
    """The state the dialog shows for an account ("Connected", "Disabled",
    …), or None if the account is not listed."""
    row = account_row(app, jid)
    if row is None:
        return None
    labels = [n.get_name() for n in walk(row) if n.get_role_name() == "label"]
    others = [label for label in labels if label != jid]
    return others[0] if others else ""


def wait_for_state(app, jid, state, timeout=ONLINE_TIMEOUT):
    wait_until(lambda: account_state(app, jid) == state, f"{jid} shown as {state!r}",
               timeout, app)


def switch_of(app, jid):
    return wait_for(lambda: app, None, named(f"Enable {jid}"), f"the switch of {jid}",
                    sized=True)


def is_on(switch):
    return switch.get_state_set().contains(Atspi.StateType.CHECKED)


def main():
    Atspi.init()
    driver.failure_screenshot = os.path.join(SHOTS, "accounts-failure.png")

    proc, app = launch(BINARY, ["--data-dir", DATA_DIR])
    sign_in(app, ACCOUNT, PASSWORD, PORT)

    # 1. The accounts dialog lists the signed-in account as connected.
    open_accounts(app)
    wait_for_state(app, ACCOUNT, "Connected", timeout=driver.TIMEOUT)

    # 2. "Add Account" shows the sign-in page, which can be cancelled now
    #    that an account exists. Sign in to the second account there.
    click(wait_for(lambda: app, "push button", named("Add Account"), "the Add Account button",
                   sized=True))
    wait_for(lambda: app, "push button", named("Cancel"), "the sign-in page's Cancel button",
             sized=True)
    sign_in(app, SECOND, SECOND_PASSWORD, PORT)
    open_accounts(app)
    wait_for_state(app, ACCOUNT, "Connected")
    wait_for_state(app, SECOND, "Connected")
    if not (is_on(switch_of(app, ACCOUNT)) and is_on(switch_of(app, SECOND))):
        fail("an enabled account's switch is off", app)
    screenshot("26-two-accounts.png")

    # 3. Disable the second account with its switch, then enable it again.
    click(switch_of(app, SECOND))
    wait_for_state(app, SECOND, "Disabled")
    if is_on(switch_of(app, SECOND)):
        fail("the disabled account's switch is on", app)
    screenshot("27-account-disabled.png")
    tell("disabled")
    wait_for_line("presence-seen")
    if account_state(app, ACCOUNT) != "Connected":
        fail(f"{ACCOUNT} is {account_state(app, ACCOUNT)!r} after disabling {SECOND}", app)

    click(switch_of(app, SECOND))
    wait_for_state(app, SECOND, "Connected")
    tell("enabled")
    wait_for_line("presence-seen")

    # 4. Remove it (after confirming); the first account stays.
    click(wait_for(lambda: app, "push button", named(f"Remove {SECOND}"),
                   "the second account's Remove button", sized=True))
    wait_for(lambda: app, None, f"Remove {SECOND}?", "the confirmation")
    screenshot("28-remove-account-dialog.png")
    click(wait_for(lambda: app, "push button", named("Remove"), "the Remove button", sized=True))
    wait_gone(lambda: app, None, named(f"Enable {SECOND}"), "the removed account's row")
    if account_state(app, SECOND) is not None:
        fail(f"{SECOND} is still listed", app)
    wait_for_state(app, ACCOUNT, "Connected", timeout=driver.TIMEOUT)
    screenshot("29-account-removed.png")
    tell("removed")
    wait_for_line("presence-seen")

    stop(proc)
    tell("ok")


if __name__ == "__main__":
    main()
