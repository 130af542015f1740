#!/usr/bin/env bash
# Installs Debian's chromium + chromium-driver for the browser test; needs root or passwordless sudo.
set -e
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
  echo "not root and no passwordless sudo: cannot install chromium" >&2; exit 1; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
