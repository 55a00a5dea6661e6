"""Helpers for driving the real Warbler window over AT-SPI.

Widgets are found by their accessible names only, the way a screen reader
sees them. There is no window manager under the test X server, so window
coordinates are screen coordinates, and GTK 4.8 cannot grab focus over
AT-SPI: text is typed after clicking into a widget.
"""

import os
import subprocess
import sys
import time

import gi

gi.require_version("Atspi", "2.0")
from gi.repository import Atspi, GLib  # noqa: E402

TIMEOUT = 20.0
# Signing in includes TLS, SASL and the roster; allow for a loaded machine.
ONLINE_TIMEOUT = 45.0
CONTROL, SHIFT = 1 << 2, 1 << 0

# Warbler processes started by launch(); fail() ends them so a failed run
# leaves nothing behind.
_started = []
# Where fail() saves a picture of the screen (set by the script).
failure_screenshot = None


def fail(message, app=None):
    print(f"FAIL: {message}", file=sys.stderr)
    if failure_screenshot:
        subprocess.run(["import", "-window", "root", failure_screenshot], check=False)
        print(f"screen at the failure: {failure_screenshot}", file=sys.stderr)
    if app is not None:
        print("The window's accessible tree:", file=sys.stderr)
        dump(app, sys.stderr)
    for proc in _started:
        if proc.poll() is None:
            proc.kill()
    sys.exit(1)


def launch(binary, args=(), extra_env=None, timeout=TIMEOUT):
    """Start Warbler and wait for its sign-in page; returns (proc, app)."""
    env = dict(os.environ)
    env.update(extra_env or {})
    proc = subprocess.Popen([binary, *args], env=env)
    _started.append(proc)
    deadline = time.time() + timeout
    while time.time() < deadline:
        app = find_app(proc.pid)
        if app is not None and find(app, "push button", "Sign In"):
            return proc, app
        if proc.poll() is not None:
            fail(f"warbler exited early with status {proc.returncode}")
        time.sleep(0.3)
    fail("the sign-in page did not appear")


def find_app(pid):
    desktop = Atspi.get_desktop(0)
    for i in range(desktop.get_child_count()):
        app = desktop.get_child_at_index(i)
        if app is not None and app.get_process_id() == pid:
            return app
    return None


def walk(node):
    """`node` and everything below it. A node that goes away meanwhile (a
    list lets go of rows while it is walked) is skipped with what was
    below it."""
    yield node
    try:
        count = node.get_child_count()
    except GLib.Error:
        return
    for i in range(count):
        try:
            child = node.get_child_at_index(i)
        except GLib.Error:
            continue
        if child is not None:
            yield from walk(child)


def _matches(node, role, name_part):
    try:
        if role is not None and node.get_role_name() != role:
            return False
        name = node.get_name() or ""
        return name_part(name) if callable(name_part) else name_part in name
    except GLib.Error:
        return False


def named(text):
    """Matches the accessible name `text` exactly, also in the form GTK 4.8
    gives buttons with a mnemonic label ("_Rename Rename" for "_Rename")."""
    return lambda name: name.replace("_", "") in (text, f"{text} {text}")


def find(root, role, name_part):
    """The first node with this role (None: any role) whose accessible name
    contains name_part (or, if it is a function, for which it is true).

    (GTK 4.8 does not report the "showing" state, so names must be unique
    across the window's pages.)"""
    for node in walk(root):
        if _matches(node, role, name_part):
            return node
    return None


def find_sized(root, role, name_part):
    """Like find(), but only a node that has a size on screen (list rows
    of a hidden page or recycled rows may still be in the tree). A page of
    a stack that was shown once keeps its last size when hidden."""
    for node in walk(root):
        if _matches(node, role, name_part):
            rect = Atspi.Component.get_extents(node, Atspi.CoordType.WINDOW)
            if rect.width > 0 and rect.height > 0:
                return node
    return None


def wait_for(root_fn, role, name_part, what, timeout=TIMEOUT, sized=False):
    deadline = time.time() + timeout
    lookup = find_sized if sized else find
    while time.time() < deadline:
        node = lookup(root_fn(), role, name_part)
        if node is not None:
            return node
        time.sleep(0.3)
    fail(f"{what} did not appear within {timeout:.0f} s", root_fn())


def wait_gone(root_fn, role, name_part, what, timeout=TIMEOUT):
    """Wait until no node with a size on screen matches (a row removed, a
    page or dialog left)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if find_sized(root_fn(), role, name_part) is None:
            return
        time.sleep(0.3)
    fail(f"{what} was still shown after {timeout:.0f} s", root_fn())


def wait_until(predicate, what, timeout=TIMEOUT, app=None):
    """Wait until predicate() returns something true and return it."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.3)
    fail(f"{what} did not happen within {timeout:.0f} s", app)


def dump(root, out=sys.stdout, depth=0):
    """Print the accessible tree (role, name, extents) for diagnosis."""
    try:
        role, name = root.get_role_name(), root.get_name()
    except GLib.Error:
        return
    try:
        rect = Atspi.Component.get_extents(root, Atspi.CoordType.WINDOW)
        where = f" {rect.x},{rect.y} {rect.width}x{rect.height}"
    except (GLib.Error, TypeError, NotImplementedError):
        where = ""
    print(f"{'  ' * depth}{role} {name!r}{where}", file=out)
    for i in range(root.get_child_count()):
        child = root.get_child_at_index(i)
        if child is not None:
            dump(child, out, depth + 1)


def _window_of(node):
    while node is not None:
        try:
            if node.get_role_name() == "frame":
                return node
            node = node.get_parent()
        except GLib.Error:
            return None
    return None


def _extents(node):
    return Atspi.Component.get_extents(node, Atspi.CoordType.WINDOW)


def scroll_into_view(node):
    """Scroll with the mouse wheel until the middle of the widget is inside
    its window (GTK 4.8 does not scroll on request over AT-SPI)."""
    window = _window_of(node)
    if window is None:
        return
    for _ in range(30):
        rect, frame = _extents(node), _extents(window)
        middle = rect.y + rect.height // 2
        if frame.y <= middle <= frame.y + frame.height - 10:
            return
        wheel = "b5c" if middle > frame.y + frame.height - 10 else "b4c"
        Atspi.generate_mouse_event(frame.x + frame.width // 2, frame.y + frame.height // 2, wheel)
        time.sleep(0.15)
    fail(f"could not scroll {node.get_name()!r} into view")


def click(node, down=0.5):
    """Click a widget in the middle, or `down` (0 to 1) of the way from its
    top, scrolling it into view first."""
    rect = _extents(node)
    if rect.width <= 0 or rect.height <= 0:
        fail(f"{node.get_name()!r} has no size")
    scroll_into_view(node)
    rect = _extents(node)
    Atspi.generate_mouse_event(rect.x + rect.width // 2, rect.y + int(rect.height * down), "b1c")
    time.sleep(0.4)


def activate(node):
    """Activate a widget through its accessible action ("click"). For the
    items of popover menus: GTK 4.8 reports their extents from the wrong
    origin, so a mouse click would miss them."""
    action = node.get_action_iface()
    if action is None or action.get_n_actions() == 0:
        fail(f"{node.get_name()!r} has no accessible action")
    action.do_action(0)
    time.sleep(0.4)


def replace_text(node, text):
    """Click into a text widget, select all of its text and type over it."""
    click(node)
    press(0x61, CONTROL)  # Ctrl+A
    Atspi.generate_keyboard_event(0, text, Atspi.KeySynthType.STRING)
    time.sleep(0.5)


def type_into(node, text):
    """Click into a text widget and type with synthesized key events."""
    click(node)
    Atspi.generate_keyboard_event(0, text, Atspi.KeySynthType.STRING)
    time.sleep(0.5)


def press(keysym, modifiers=0):
    """Press and release one key (an X keysym) with modifiers held."""
    if modifiers:
        Atspi.generate_keyboard_event(modifiers, None, Atspi.KeySynthType.LOCKMODIFIERS)
    Atspi.generate_keyboard_event(keysym, None, Atspi.KeySynthType.SYM)
    if modifiers:
        Atspi.generate_keyboard_event(modifiers, None, Atspi.KeySynthType.UNLOCKMODIFIERS)
    time.sleep(0.5)


def text_of(node):
    text = node.get_text_iface()
    return text.get_text(0, text.get_character_count()) if text else ""


def screenshot(shots, name):
    """Capture the whole screen to shots/name and fail if it is blank."""
    time.sleep(0.8)
    path = os.path.join(shots, name)
    subprocess.run(["import", "-window", "root", path], check=True)
    # A blank screen has (almost) no variation.
    deviation = subprocess.run(
        ["convert", path, "-colorspace", "gray", "-format", "%[fx:standard_deviation]", "info:"],
        check=True, capture_output=True, text=True,
    ).stdout
    if float(deviation) < 0.02:
        fail(f"{name} is blank")
    print(f"screenshot {path}", flush=True)
    return path


def brightness(path, x, y):
    """Gray value 0..1 of one pixel."""
    out = subprocess.run(
        ["convert", path, "-colorspace", "gray", "-format", f"%[fx:p{{{x},{y}}}]", "info:"],
        check=True, capture_output=True, text=True,
    ).stdout
    return float(out)


def tell(line):
    """Print a line for the test (which reads the driver's stdout)."""
    print(line, flush=True)


def wait_for_line(expected):
    """Wait for the test to answer with this line on stdin."""
    line = sys.stdin.readline().strip()
    if line != expected:
        fail(f"expected {expected!r} from the test, got {line!r}")


def sign_in(app, account, password, port, before_submit=None):
    """Fill the sign-in page (the server is 127.0.0.1:port, STARTTLS, given
    under "Advanced"), press Sign In and wait for the main page.

    before_submit, if given, is called once the form is filled (to take a
    screenshot). Works for the first account and for "Add Account"."""
    address = wait_for(lambda: app, "text", "Address", "the Address field", sized=True)
    password_field = wait_for(lambda: app, "text", "Password", "the Password field", sized=True)
    # Move the pointer over the window so synthesized keys reach it.
    Atspi.generate_mouse_event(480, 300, "abs")
    type_into(address, account)
    type_into(password_field, password)

    # The Advanced section stays open when the page is shown again.
    if find_sized(app, "text", "Server") is None:
        click(wait_for(lambda: app, None, "Advanced", "the Advanced section"))
    server = wait_for(lambda: app, "text", "Server", "the Server field", sized=True)
    port_field = wait_for(lambda: app, "text", "Port", "the Port field", sized=True)
    type_into(server, "127.0.0.1")
    type_into(port_field, port)
    for node, want in [(address, account), (server, "127.0.0.1"), (port_field, port)]:
        if text_of(node) != want:
            fail(f"typed {want!r} but the field holds {text_of(node)!r}", app)
    # STARTTLS on the plain client port: the Direct TLS switch stays off.
    direct_tls = find(app, "check box", "Direct TLS")
    if direct_tls is None:
        fail("no Direct TLS switch", app)
    if direct_tls.get_state_set().contains(Atspi.StateType.CHECKED):
        fail("Direct TLS is on", app)
    button = find(app, "push button", "Sign In")
    scroll_into_view(button)
    if before_submit is not None:
        before_submit()

    click(button)
    # Once the account is online the page forgets the password and gives
    # way to the main page. (A page of the window's stack that was shown
    # before keeps its size in the tree when hidden, so the password is
    # what tells.)
    wait_until(lambda: text_of(password_field) == "", "signing in", ONLINE_TIMEOUT, app)
    wait_for(lambda: app, "page tab", "Contacts", "the main page", sized=True)


def stop(proc):
    """Ask Warbler to quit with SIGTERM, as a session manager does: it signs
    out and exits with status 0."""
    proc.terminate()
    try:
        status = proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        fail("warbler did not quit within 10 s of SIGTERM")
    if status != 0:
        fail(f"warbler exited with status {status} on SIGTERM instead of quitting cleanly")
