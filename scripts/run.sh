#!/usr/bin/env bash
# The README's run command: installs dependencies, builds, and starts Pixapi Studio. With no API key saved,
# the first-run dialog offers "Try without a key (Sandbox)", which starts the embedded sandbox server on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
BUILD_DIR=${BUILD_DIR:-build-release}
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF
cmake --build "$BUILD_DIR" -j"$(nproc)" --target pixapi-studio pixapi-cli
if [ -z "${DBUS_SESSION_BUS_ADDRESS:-}" ] && command -v dbus-run-session >/dev/null; then
  # No session bus (e.g. a bare X session): give the app one so the keychain can work.
  exec dbus-run-session -- "$BUILD_DIR/ui/pixapi-studio" "$@"
fi
exec "$BUILD_DIR/ui/pixapi-studio" "$@"
