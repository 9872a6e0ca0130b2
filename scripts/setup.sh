#!/usr/bin/env bash
# Beacon setup for building: installs the Debian packages `beacon build` needs (compiling
# Beacon and printing: Markdown, XML, Pango/Cairo, QR codes, qpdf, the CJK fonts). Safe to run
# again; does nothing when all is present. Run as root (or with sudo available). The README's
# build command calls this; the test command adds scripts/setup-tests.sh.
set -euo pipefail

APT_PACKAGES=(
  pkg-config
  # Markdown and HTML
  libcmark-gfm-dev libcmark-gfm-extensions-dev libxml2-dev
  # the build cache's fingerprints (Nettle SHA-256); the print shop's ZIP (zlib's CRC-32)
  nettle-dev zlib1g-dev
  # <linux/fs.h> for the inode flag of the staging folder (CGlibcExtras; libc6-dev brings it too)
  linux-libc-dev
  # print: text layout, PDF/PNG/SVG, QR codes, page files, fonts; libdeflate for the PNG files'
  # pixels (libpng-dev for Cairo's pkg-config file, which asks for it)
  libpango1.0-dev libcairo2-dev libpng-dev libdeflate-dev libqrencode-dev librsvg2-dev libgdk-pixbuf-2.0-dev libqpdf-dev
  fonts-noto-cjk fonts-lxgw-wenkai
)

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
