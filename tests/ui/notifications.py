"""The fake notification server (notifyd.py) as the UI drivers use it:
start it, read what Warbler showed, and click a notification."""

import json
import os
import subprocess
import sys
import time

from driver import fail, wait_until  # next to this script, so on the module path


class Notifications:
    """The fake notification server (notifyd.py) and what it recorded."""

    def __init__(self, folder):
        self.record = os.path.join(folder, "notifications.jsonl")
        here = os.path.dirname(os.path.abspath(__file__))
        self.proc = subprocess.Popen(
            [sys.executable, "-B", os.path.join(here, "notifyd.py"), self.record],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        if self.proc.stdout.readline().strip() != "ready":
            fail("the fake notification server did not start")

    def records(self):
        """Everything recorded so far, oldest first."""
        with open(self.record, encoding="utf-8") as lines:
            return [json.loads(line) for line in lines if line.strip()]

    def shown(self):
        """Every notification shown or updated so far, oldest first."""
        return [record for record in self.records() if "body" in record]

    def closed(self):
        """The ids of the notifications Warbler withdrew, in order."""
        return [record["closed"] for record in self.records() if "closed" in record]

    def wait_for(self, token, what, app):
        """The first notification whose body holds token."""
        return wait_until(
            lambda: next((n for n in self.shown() if token in n["body"]), None),
            what, app=app,
        )

    def invoke(self, notification_id, action="default"):
        """Act as if the user clicked the notification."""
        self.proc.stdin.write(f"invoke {notification_id} {action}\n")
        self.proc.stdin.flush()

    def dismiss(self, notification_id):
        """Act as if the user closed the notification."""
        self.proc.stdin.write(f"close {notification_id}\n")
        self.proc.stdin.flush()

    def click_until(self, notification, opened):
        """Click notification until opened() holds (up to three times).

        The notification library subscribes to the click signal just after
        the server answers; a click in between would be lost, so click once
        more if nothing happened. A person is never that quick."""
        for _ in range(3):
            self.invoke(notification["id"])
            deadline = time.time() + 10
            while time.time() < deadline:
                if opened():
                    return
                time.sleep(0.3)

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
