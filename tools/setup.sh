#!/usr/bin/env bash
# Set up a fresh Debian machine for szei: uv, the locked environment, the CJK font and poppler.
# Installs with apt only when run as root; otherwise says exactly what to install.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '%s\n' "$*" >&2; }

# Prints the command that runs uv (a path, or "python3 -m uv" where pip put it out of PATH).
find_uv() {
  command -v uv 2>/dev/null && return 0
  for candidate in "$HOME/.local/bin/uv" /usr/local/bin/uv; do
    [ -x "$candidate" ] && { echo "$candidate"; return 0; }
  done
  python3 -m uv --version >/dev/null 2>&1 && { echo "python3 -m uv"; return 0; }
  return 1
}

if ! UV=$(find_uv); then
  say "安装 uv / installing uv (pip)…"
  if ! python3 -m pip --version >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && apt-get install -y -qq python3-pip >/dev/null
    else
      say "错误：缺少 pip，请先安装：sudo apt-get install python3-pip"
      say "Error: pip is missing; install it first: sudo apt-get install python3-pip"
      exit 2
    fi
  fi
  python3 -m pip install --quiet --user uv 2>/dev/null \
    || python3 -m pip install --quiet --user --break-system-packages uv
  UV=$(find_uv) || { say "错误：uv 安装失败 / Error: could not install uv"; exit 2; }
fi

# pip --user puts uv in ~/.local/bin, which a new shell's PATH may not reach: as root, link it into
# /usr/local/bin so the README's `uv …` works in any shell; otherwise say how (the README's commands
# use make and .venv/bin/…, which need no uv on PATH).
if ! command -v uv >/dev/null 2>&1 && [ -x "$HOME/.local/bin/uv" ]; then
  if [ "$(id -u)" = 0 ] && [ -d /usr/local/bin ]; then
    ln -sf "$HOME/.local/bin/uv" /usr/local/bin/uv
  else
    say "提示：uv 安装在 $HOME/.local/bin，请把它加入 PATH：export PATH=\"\$HOME/.local/bin:\$PATH\""
    say "Note: uv is in $HOME/.local/bin; add it to PATH: export PATH=\"\$HOME/.local/bin:\$PATH\""
  fi
fi

# Bytecode compiled: this machine sets PYTHONDONTWRITEBYTECODE=1, and imports are 2× slower without .pyc.
UV_COMPILE_BYTECODE=1 $UV sync --frozen --quiet
# …and the project's own modules, which the editable install leaves as source: compiling them costs every
# szei start 0.1–0.2 s here. Python ignores a .pyc older than its source (it compiles that file again).
.venv/bin/python -m compileall -q pipelines benchmarks >/dev/null

need_apt=()
# (no `fc-list | grep -q` under pipefail: grep's early exit fails the pipe with SIGPIPE)
families=$(fc-list : family 2>/dev/null || true)
[[ "$families" == *"Noto Sans CJK SC"* ]] || need_apt+=(fonts-noto-cjk)
command -v pdffonts >/dev/null 2>&1 || need_apt+=(poppler-utils)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "安装 / installing: ${need_apt[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
    fc-cache -f >/dev/null 2>&1 || true
  else
    say "错误：缺少中文字体或 PDF 工具，请安装：sudo apt-get install ${need_apt[*]}"
    say "Error: missing the CJK font or PDF tools; install them: sudo apt-get install ${need_apt[*]}"
    exit 2
  fi
fi
echo "$UV"
