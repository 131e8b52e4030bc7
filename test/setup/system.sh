#!/usr/bin/env bash
# Installs what the browser, Jupyter and VS Code tests need, from Debian's archive and the npm
# registry only (nothing else is reachable on CI). Safe to run again: each step is skipped when
# its result is already there. Needs root for apt-get.
set -euo pipefail
CS_DIR="${CONVKAN_CODE_SERVER_DIR:-$HOME/.cache/convkan-notebook/code-server}"

APT_PACKAGES=(chromium fonts-liberation ripgrep libkrb5-dev libsecret-1-dev pkg-config build-essential
  python3-jupyter-kernel-test jupyter-client jupyter-console python3-nbclient jupyter-nbconvert python3-zmq dataset-fashion-mnist
  python3-torch)
missing=()
for p in "${APT_PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# code-server 4.99.4 (VS Code 1.99.3), the last release whose engines allow Node 20.
if [ ! -x "$CS_DIR/node_modules/.bin/code-server" ]; then
  mkdir -p "$CS_DIR/tmp/vscode-ripgrep-cache-1.15.11"
  # @vscode/ripgrep's postinstall downloads rg from GitHub; seed its cache with Debian's rg.
  tar czf "$CS_DIR/tmp/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C /usr/bin rg
  cd "$CS_DIR"
  [ -f package.json ] || npm init -y >/dev/null
  # As root its postinstall needs npm_config_unsafe_perm; node-pty's build runs npx.
  TMPDIR="$CS_DIR/tmp" npm_config_unsafe_perm=true npm_config_yes=true JOBS=2 \
    npm install code-server@4.99.4 --no-audit --no-fund --foreground-scripts --loglevel=error
fi
echo "test prerequisites installed"
