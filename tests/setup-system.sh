#!/usr/bin/env bash
# System tools for the slow test tier: Chromium (browser tests), Java (the Nu HTML Checker), axe-core (npm).
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -f browser/node_modules/axe-core/axe.min.js ]; then
  npm install --silent --no-audit --no-fund --prefix browser >/dev/null
fi
