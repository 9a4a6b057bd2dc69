#!/usr/bin/env bash
# Install everything the test suite needs and run it on SQLite and on PostgreSQL.
#   bash scripts/test.sh               full suite, both engines
#   bash scripts/test.sh -k votes      extra arguments go to pytest (both engines)
#   AGORA_TEST_ENGINES=sqlite bash scripts/test.sh   one engine only
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/services.sh

if [ ! -x /usr/bin/chromium ]; then
    echo "== installing Debian's chromium for the browser tests"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

if ! command -v wrk >/dev/null; then
    echo "== installing wrk for the benchmark's smoke run"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi

if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    echo "== installing Debian's nginx for the cluster test"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nginx >/dev/null
fi

# A venv without a working pip (an interrupted earlier run, a python3 without ensurepip) is made again.
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -m pip --version >/dev/null 2>&1; then
    rm -rf .venv
    python3 -m venv .venv
fi
echo "== installing agora and its test dependencies"
pip_log=$(mktemp)
install() { .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]" >"$pip_log" 2>&1; }
if ! install && ! install; then  # one retry for a flaky index
    grep -v "is ignored: it is neither a file nor a directory" "$pip_log" | tail -n 60 >&2
    echo "pip could not install agora's test dependencies (above)" >&2
    exit 1
fi
rm -f "$pip_log"
for tool in ruff lint-imports mypy pytest; do
    [ -x ".venv/bin/$tool" ] || { echo "the install left no .venv/bin/$tool" >&2; exit 1; }
done

echo "== lint, format, layer contracts and types"
.venv/bin/ruff check src tests $( [ -d bench ] && echo bench )
.venv/bin/ruff format --check src tests $( [ -d bench ] && echo bench )
.venv/bin/lint-imports .importlinter
.venv/bin/mypy  # what it checks and how strictly: [tool.mypy] in pyproject.toml

for engine in ${AGORA_TEST_ENGINES:-sqlite postgres}; do
    echo "== tests on $engine"
    AGORA_TEST_DATABASE=$engine .venv/bin/pytest -q -p no:cacheprovider "$@"
done
