#!/usr/bin/env bash
# Install Debian's Chromium for the browser tests (tests/browser), if it is missing.
#   scripts/install_browser.sh
# Idempotent: does nothing when the browser is already there. Playwright drives
# this browser (never `playwright install`, which downloads its own build).
set -euo pipefail

chromium="${CHROMIUM:-/usr/bin/chromium}"

if [ -x "$chromium" ]; then
  echo "Chromium is installed: $chromium"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: $chromium is missing and this system has no apt-get." >&2
  echo "Install Chromium with your system's package manager, then run the tests with CHROMIUM=/path/to/chromium." >&2
  exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
elif command -v sudo >/dev/null 2>&1; then
  echo "Installing Chromium needs root: sudo will ask for your password."
  sudo=(sudo)
else
  echo "error: $chromium is missing, and installing it needs root (no sudo here)." >&2
  echo "As root, run: apt-get update && apt-get install -y chromium" >&2
  exit 1
fi

# Fonts too: without them the screenshots show empty boxes instead of text.
echo "Installing Debian's chromium package..."
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core fonts-liberation

if [ ! -x "$chromium" ]; then
  echo "error: apt-get finished but $chromium is still missing." >&2
  exit 1
fi
echo "Chromium is installed: $chromium"
