#!/usr/bin/env bash
# Installs the Debian 12 packages needed to build, run and test Pixapi Studio (idempotent; uses sudo when not root).
# clang + libclang-rt-14-dev (libFuzzer and the ASan/UBSan runtimes: libclang_rt.fuzzer-x86_64.a, which clang-14 only
# recommends) + llvm (llvm-symbolizer, for readable sanitizer stacks): scripts/fuzz.sh and scripts/test-sanitizers.sh.
set -euo pipefail
PACKAGES=(
  cmake ninja-build g++ pkg-config zlib1g-dev
  qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite qt6-httpserver-dev qt6-websockets-dev
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools linguist-qt6 qt6-charts-dev libqt6opengl6-dev qt6-translations-l10n
  qt6-qpa-plugins qt6-image-formats-plugins libqt6svg6 libgl-dev
  qtkeychain-qt6-dev libsecret-1-0 gnome-keyring libsecret-tools dbus-daemon dbus-x11
  xvfb xauth desktop-file-utils appstream fonts-dejavu-core python3
  clang libclang-rt-14-dev llvm
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  echo "Installing: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
