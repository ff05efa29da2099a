#!/usr/bin/env bash
# Install the headless browser that the end-to-end tests (tests/e2e) drive through Playwright.
# Idempotent: does nothing when /usr/bin/chromium is already there. Uses Debian's `chromium`
# package; never `playwright install` (it downloads its own browser, which fails here).
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "install_browser.sh: /usr/bin/chromium is missing and this user cannot install packages;" >&2
    echo "  run 'apt-get update && apt-get install -y chromium' as root, then run the tests again." >&2
    exit 1
  fi
fi

echo "install_browser.sh: installing Debian's chromium for the end-to-end tests" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version >&2
