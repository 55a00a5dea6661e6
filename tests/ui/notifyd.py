#!/usr/bin/env python3
"""A tiny desktop notification server for the UI tests.

It owns org.freedesktop.Notifications on the session bus it is started in
and implements the parts of the Desktop Notifications Specification that
Warbler uses: Notify (ids count up from 1), GetCapabilities,
GetServerInformation and CloseNotification. Nothing is drawn; every
notification, and every withdrawal ({"closed": ID}), is appended as one
JSON object per line to a record file:

    notifyd.py RECORD_FILE

It prints "ready" on stdout once it owns the name, and reads commands on
stdin, one a line:

    invoke ID ACTION   emit ActionInvoked(ID, ACTION), as when the user
                       clicks the notification ("default") or one of its
                       buttons; the notification stays listed, like one a
                       server keeps in its message tray
    close ID           close it as dismissed by the user
                       (NotificationClosed(ID, 2))

It exits when stdin closes.
"""

import json
import sys

from gi.repository import Gio, GLib

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"

INTERFACE = """
<node>
  <interface name="org.freedesktop.Notifications">
    <method name="Notify">
      <arg type="s" name="app_name" direction="in"/>
      <arg type="u" name="replaces_id" direction="in"/>
      <arg type="s" name="app_icon" direction="in"/>
      <arg type="s" name="summary" direction="in"/>
      <arg type="s" name="body" direction="in"/>
      <arg type="as" name="actions" direction="in"/>
      <arg type="a{sv}" name="hints" direction="in"/>
      <arg type="i" name="expire_timeout" direction="in"/>
      <arg type="u" name="id" direction="out"/>
    </method>
    <method name="CloseNotification">
      <arg type="u" name="id" direction="in"/>
    </method>
    <method name="GetCapabilities">
      <arg type="as" name="capabilities" direction="out"/>
    </method>
    <method name="GetServerInformation">
      <arg type="s" name="name" direction="out"/>
      <arg type="s" name="vendor" direction="out"/>
      <arg type="s" name="version" direction="out"/>
      <arg type="s" name="spec_version" direction="out"/>
    </method>
    <signal name="NotificationClosed">
      <arg type="u" name="id"/>
      <arg type="u" name="reason"/>
    </signal>
    <signal name="ActionInvoked">
      <arg type="u" name="id"/>
      <arg type="s" name="action_key"/>
    </signal>
  </interface>
</node>
"""

# NotificationClosed reasons from the specification.
DISMISSED, CLOSED_BY_CALL = 2, 3


class Server:
    """The notification server: records notifications, emits signals."""

    def __init__(self, record_path, loop):
        self.record_path = record_path
        self.loop = loop
        self.last_id = 0
        self.connection = None

    def on_call(self, connection, sender, path, interface, method, params, invocation):
        if method == "Notify":
            app_name, replaces_id, icon, summary, body, actions, hints, timeout = params.unpack()
            if replaces_id:
                notification_id = replaces_id
            else:
                self.last_id += 1
                notification_id = self.last_id
            self.record({
                "id": notification_id,
                "app_name": app_name,
                "app_icon": icon,
                "summary": summary,
                "body": body,
                # The specification's flat list: key, label, key, label…
                "actions": dict(zip(actions[::2], actions[1::2])),
                "hints": {key: value for key, value in hints.items()
                          if isinstance(value, (str, int, bool))},
                "expire_timeout": timeout,
            })
            invocation.return_value(GLib.Variant("(u)", (notification_id,)))
        elif method == "CloseNotification":
            (notification_id,) = params.unpack()
            self.record({"closed": notification_id})
            self.emit("NotificationClosed", GLib.Variant("(uu)", (notification_id, CLOSED_BY_CALL)))
            invocation.return_value(None)
        elif method == "GetCapabilities":
            invocation.return_value(GLib.Variant("(as)", (["actions", "body", "persistence"],)))
        elif method == "GetServerInformation":
            invocation.return_value(
                GLib.Variant("(ssss)", ("warbler-test-notifyd", "Warbler", "1.0", "1.2"))
            )
        else:
            invocation.return_dbus_error(
                "org.freedesktop.DBus.Error.UnknownMethod", f"no method {method}"
            )

    def record(self, notification):
        with open(self.record_path, "a", encoding="utf-8") as out:
            out.write(json.dumps(notification) + "\n")

    def emit(self, signal, params):
        self.connection.emit_signal(None, PATH, NAME, signal, params)

    def on_command(self, channel, condition):
        """Handle one line from stdin; stop at its end."""
        if condition & (GLib.IO_HUP | GLib.IO_ERR):
            self.loop.quit()
            return False
        status, line, _, _ = channel.read_line()
        if status == GLib.IOStatus.EOF:
            self.loop.quit()
            return False
        words = (line or "").split()
        if len(words) == 3 and words[0] == "invoke":
            self.emit("ActionInvoked", GLib.Variant("(us)", (int(words[1]), words[2])))
        elif len(words) == 2 and words[0] == "close":
            self.emit("NotificationClosed", GLib.Variant("(uu)", (int(words[1]), DISMISSED)))
        elif words:
            print(f"notifyd: unknown command {line.strip()!r}", file=sys.stderr)
        return True


def main():
    loop = GLib.MainLoop()
    server = Server(sys.argv[1], loop)
    open(server.record_path, "w", encoding="utf-8").close()
    info = Gio.DBusNodeInfo.new_for_xml(INTERFACE)

    def on_bus(connection, name):
        server.connection = connection
        connection.register_object(PATH, info.interfaces[0], server.on_call, None, None)

    def on_name(connection, name):
        print("ready", flush=True)

    def on_lost(connection, name):
        print(f"notifyd: could not own {name}", file=sys.stderr)
        loop.quit()

    Gio.bus_own_name(
        Gio.BusType.SESSION, NAME, Gio.BusNameOwnerFlags.NONE, on_bus, on_name, on_lost
    )
    stdin = GLib.IOChannel.unix_new(sys.stdin.fileno())
    GLib.io_add_watch(stdin, GLib.PRIORITY_DEFAULT, GLib.IO_IN | GLib.IO_HUP, server.on_command)
    loop.run()


if __name__ == "__main__":
    main()
