#!/usr/bin/env bash
# Install what building, testing and the demo need, on Debian 12, idempotently:
# apt packages only when missing, npm ci only when package-lock.json changed.
set -euo pipefail
cd "$(dirname "$0")/.."

# One file per part of the product in scripts/deps/*.apt: packages separated by
# blanks, '#' starts a comment.
mapfile -t APT_PACKAGES < <(sed 's/#.*//' scripts/deps/*.apt | tr -s ' \t' '\n' | sed '/^$/d' | sort -u)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: need root to install: ${missing[*]}" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # No daemons of the reference packages should start on the build machine.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi

stamp=node_modules/.lbos-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "install-deps: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
