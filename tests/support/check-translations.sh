#!/bin/sh
# Usage: check-translations.sh LUPDATE SOURCES.lst TS...
# Fails when running lupdate would change a committed .ts file, when a translation is unfinished,
# or when a source text uses "..." instead of the ellipsis character.
set -eu
lupdate=$1; list=$2; shift 2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
status=0
"$lupdate" -silent -locations none -no-obsolete @"$list" -ts "$work/all.ts" >/dev/null
if grep -n '<source>[^<]*\.\.\.' "$work/all.ts"; then
  echo 'FAIL: use the ellipsis character (…) instead of "..." in user-visible text'; status=1
fi
for ts in "$@"; do
  copy="$work/$(basename "$ts")"
  cp "$ts" "$copy"
  "$lupdate" -silent -locations none -no-obsolete -pluralonly @"$list" -ts "$copy" >/dev/null
  if ! diff -u "$ts" "$copy"; then
    echo "FAIL: $ts is out of date: run 'cmake --build <dir> --target update_translations' and translate"; status=1
  fi
  if grep -n 'type="unfinished"' "$copy"; then
    echo "FAIL: $ts has unfinished translations"; status=1
  fi
done
[ $status -eq 0 ] && echo "translations clean: $*"
exit $status
