#!/bin/sh
# Runs a command with a private HOME and XDG dirs and no session bus, so a test can never touch real user data.
set -eu
HOME="$(mktemp -d)"; XDG_RUNTIME_DIR="$(mktemp -d)"; chmod 700 "$XDG_RUNTIME_DIR"
export HOME XDG_RUNTIME_DIR
export XDG_DATA_HOME="$HOME/.local/share" XDG_CONFIG_HOME="$HOME/.config" XDG_CACHE_HOME="$HOME/.cache"
export PIXAPI_TEST_HOME="$HOME"
unset DBUS_SESSION_BUS_ADDRESS DISPLAY WAYLAND_DISPLAY
cleanup() { rm -rf "$HOME" "$XDG_RUNTIME_DIR"; }
trap cleanup EXIT
"$@"
