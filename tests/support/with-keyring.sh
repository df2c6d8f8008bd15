#!/bin/sh
# Usage: with-keyring.sh [--no-unlock] COMMAND [ARG...]
# Runs COMMAND with a private HOME, a private D-Bus session and a fresh, unlocked gnome-keyring (Secret Service).
# Tests are isolated from each other and never touch a real keyring.
# --no-unlock: start no keyring daemon; D-Bus activates one on first use, as on a desktop where nobody unlocked it
#              (with a fresh HOME it has no default collection, and headless it cannot prompt to create one).
set -eu
unlock=1
if [ "${1:-}" = "--no-unlock" ]; then
    unlock=0
    shift
fi
HOME="$(mktemp -d)"; XDG_RUNTIME_DIR="$(mktemp -d)"; chmod 700 "$XDG_RUNTIME_DIR"
export HOME XDG_RUNTIME_DIR
export XDG_DATA_HOME="$HOME/.local/share" XDG_CONFIG_HOME="$HOME/.config" XDG_CACHE_HOME="$HOME/.cache"
export PIXAPI_TEST_HOME="$HOME"
# No display: prompts fail at once instead of popping up, and D-Bus cannot autolaunch a stray session bus.
# No desktop hints: else QtKeychain 0.13.2 may pick KWallet. No GNOME_KEYRING_CONTROL: gnome-keyring-daemon would
# attach to (and unlock!) the real user's daemon it points to.
unset XDG_CURRENT_DESKTOP KDE_SESSION_VERSION KDE_FULL_SESSION DESKTOP_SESSION GNOME_DESKTOP_SESSION_ID \
    GNOME_KEYRING_CONTROL DISPLAY WAYLAND_DISPLAY
cleanup() { rm -rf "$HOME" "$XDG_RUNTIME_DIR"; }
trap cleanup EXIT
dbus-run-session -- sh -c '
  bus_query() {
      dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus "$@" 2>/dev/null
  }
  if [ "$0" = 1 ]; then
      if ! printf %s test-unlock | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; then
          echo "with-keyring.sh: gnome-keyring-daemon --unlock failed" >&2
          exit 90
      fi
      # The daemon claims its bus name only after --unlock returns; a call before that would D-Bus-activate a
      # second, locked daemon.
      tries=0
      until bus_query org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets | grep -q "boolean true"; do
          tries=$((tries + 1))
          if [ "$tries" -ge 100 ]; then
              echo "with-keyring.sh: the Secret Service never appeared on the bus" >&2
              exit 91
          fi
          sleep 0.05
      done
  fi
  rc=0; "$@" || rc=$?
  # Tests freeze the daemon (SIGSTOP) to play a stuck keyring: if one died meanwhile, resume it so that it can exit
  # with the bus instead of lingering stopped.
  pid=$(bus_query org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets | sed -n "s/.*uint32 //p")
  [ -z "$pid" ] || kill -CONT "$pid" 2>/dev/null || true
  exit "$rc"' "$unlock" "$@"
