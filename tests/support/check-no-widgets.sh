#!/bin/sh
# Fails when any given binary has a NEEDED entry for libQt6Widgets: the core must stay Widgets-free.
set -eu
[ "$#" -gt 0 ] || { echo "no binaries given"; exit 1; }
status=0
for bin in "$@"; do
  if [ ! -f "$bin" ]; then echo "missing: $bin"; status=1; continue; fi
  if readelf -d "$bin" | grep -q 'NEEDED.*libQt6Widgets'; then
    echo "FAIL: $bin links Qt6Widgets"; status=1
  else
    echo "ok: $(basename "$bin") does not link Qt6Widgets"
  fi
done
exit $status
