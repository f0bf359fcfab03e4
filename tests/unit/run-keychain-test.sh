#!/bin/sh
# usage: run-keychain-test.sh keyring|nobus <test binary> [test args...]
#  keyring: private D-Bus session + freshly created, unlocked gnome-keyring (toolchain.md §5.1)
#  nobus:   no session bus and no X display, so QtKeychain has no backend at all
set -eu
mode="$1"; shift
tmp="$(mktemp -d /tmp/sb-keychain.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
mkdir -m 700 "$tmp/run" "$tmp/data"
case "$mode" in
keyring)
    env -u DBUS_SESSION_BUS_ADDRESS -u DISPLAY XDG_RUNTIME_DIR="$tmp/run" XDG_DATA_HOME="$tmp/data" \
        dbus-run-session -- sh -c '
            printf %s ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null
            exec "$@"' keychain-session "$@"
    ;;
nobus)
    env -u DBUS_SESSION_BUS_ADDRESS -u DISPLAY -u WAYLAND_DISPLAY \
        XDG_RUNTIME_DIR="$tmp/run" XDG_DATA_HOME="$tmp/data" "$@"
    ;;
*)
    echo "unknown mode $mode" >&2
    exit 2
    ;;
esac
