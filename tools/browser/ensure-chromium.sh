#!/bin/sh
# Makes sure Debian's headless-capable Chromium is installed, as `make deps` does for its packages.
# Prints the path of the chromium binary on success; exits non-zero (with a message on stderr)
# when it is missing and cannot be installed (no root/sudo, no network).
set -u
find_chromium() {
  for c in chromium chromium-browser; do
    p=$(command -v "$c" 2>/dev/null) && { echo "$p"; return 0; }
  done
  return 1
}
if p=$(find_chromium); then echo "$p"; exit 0; fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "ensure-chromium: chromium is missing and we are not root (no passwordless sudo)" >&2; exit 1
  fi
fi
echo "ensure-chromium: installing Debian's chromium" >&2
$SUDO apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2 || {
  echo "ensure-chromium: apt-get install chromium failed" >&2; exit 1; }
if p=$(find_chromium); then echo "$p"; exit 0; fi
echo "ensure-chromium: chromium still not found after installing" >&2
exit 1
