#!/usr/bin/env bash
# Unit tests, then integration tests (real namespaces, dbus-daemon, socat),
# then the closing line "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d /tmp/lbos-tests.XXXXXX)
trap 'rm -rf "$out"' EXIT
node_modules/.bin/ava --config ava.unit.config.mjs --tap "$@" > "$out/unit.tap" 2>&1
cat "$out/unit.tap"
# The same unit tests on Node 24 LTS, which the appliance image carries.
scripts/test-node24.sh "$out/node24.tap" || echo "not ok - node 24 run could not start" >> "$out/node24.tap"
cat "$out/node24.tap"
if [ "$(id -u)" -ne 0 ]; then
  echo "integration tests need root (network namespaces); run as root" >&2
  echo "not ok - integration tests not run: not root" > "$out/integration.tap"
else
  node_modules/.bin/ava --config ava.integration.config.mjs --tap "$@" > "$out/integration.tap" 2>&1
  cat "$out/integration.tap"
fi
node dist/scripts/sim/clean.js || true
node scripts/test-summary.mjs "$out/unit.tap" "$out/node24.tap" "$out/integration.tap"
