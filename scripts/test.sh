#!/usr/bin/env bash
# Runs every test: installs what the tests need (Node 24, npm packages, the Temporal CLI, the
# moto server for the S3 API), starts moto on loopback, then vitest. Extra arguments go to vitest.
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$repo_root"

# The browser test drives Debian's chromium with playwright-core, which never downloads one;
# the moto server check below uses curl.
missing=""
command -v chromium >/dev/null || missing="$missing chromium"
command -v curl >/dev/null || missing="$missing curl"
if [ -n "$missing" ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  echo "test: installing$missing with apt-get" >&2
  apt-get update -qq >&2 && apt-get install -y -qq $missing >&2
fi

if ! python3 -c 'import moto.server, flask' 2>/dev/null; then
  echo "test: installing the moto server (pip install moto[server])" >&2
  python3 -m pip install --quiet "moto[server]" >&2
fi
moto_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m moto.server -H 127.0.0.1 -p "$moto_port" >"${TMPDIR:-/tmp}/moto-$moto_port.log" 2>&1 &
moto_pid=$!
trap 'kill $moto_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$moto_port/moto-api/" >/dev/null 2>&1 && break
  sleep 0.2
done
export TEST_S3_ENDPOINT="http://127.0.0.1:$moto_port"

npm run --silent lint
npm run --silent typecheck
# Once, before any test: the end-to-end, process and fault tests run dist/ as users do.
npm run --silent build
npx vitest run "$@"
