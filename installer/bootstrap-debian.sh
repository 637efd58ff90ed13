#!/usr/bin/env bash
# Installs the Debian packages the workstation and its tests need.
# Run as root (make does this automatically when it is root); otherwise prints the apt-get line.
set -euo pipefail
PKGS="tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng softhsm2 opensc sane-utils libsane-dev \
xvfb xauth poppler-utils fonts-liberation2 fonts-dejavu-core libxcb-cursor0 libxcb-icccm4 \
libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 \
libegl1 libgl1 libfontconfig1 libdbus-1-3 clamav clamav-daemon python3-venv python3-dev gcc ocrmypdf libreoffice-calc-nogui libreoffice-writer-nogui dpkg-dev desktop-file-utils"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "Thiếu gói hệ thống. Hãy chạy với quyền quản trị:" >&2
  echo "  sudo apt-get install -y$missing" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing
