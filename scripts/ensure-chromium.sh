#!/bin/sh
# Installs Debian's chromium for the Playwright browser tests (playwright-core drives it; its own browser
# downloads are not used). Idempotent: does nothing when /usr/bin/chromium is already there. Needs root
# (or passwordless sudo) and apt; prints what it does so a CI log shows why a test run took longer.
set -eu

CHROMIUM=/usr/bin/chromium
if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  SUDO=""
elif command -v sudo >/dev/null 2>&1; then
  SUDO="sudo -n"
else
  echo "ensure-chromium: $CHROMIUM is missing and this user cannot install packages (not root, no sudo)." >&2
  echo "ensure-chromium: install it with: apt-get install -y chromium" >&2
  exit 1
fi

echo "ensure-chromium: $CHROMIUM is missing; installing Debian's chromium package (apt-get)..." >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing." >&2
  exit 1
fi
echo "ensure-chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo chromium)" >&2
