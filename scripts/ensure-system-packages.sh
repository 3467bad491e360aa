#!/usr/bin/env bash
# The two things the platform needs from the operating system rather than from PyPI:
#   - Pango and HarfBuzz-subset (WeasyPrint lays out the PDFs and subsets their fonts with them), and
#   - a Chinese font to embed in those PDFs (Noto Sans CJK, Debian's fonts-noto-cjk).
# Installs them with apt-get when they are missing and this machine can (root, or sudo without a
# password); otherwise says exactly what to install and stops.
set -euo pipefail

missing=()
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so" || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset.so" || missing+=(libharfbuzz-subset0)
fc-list :lang=zh family 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "安装系统软件包（PDF 排版与中文字体）: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if sudo -n true 2>/dev/null; then SUDO="sudo"; else
    echo "缺少系统软件包: ${missing[*]}。请以管理员身份运行: apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "缺少系统软件包: ${missing[*]}（本机没有 apt-get，请用系统的包管理器安装 Pango 和 Noto Sans CJK 字体）" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || {
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
}
