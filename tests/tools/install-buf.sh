#!/usr/bin/env bash
# Installs buf, the Buf CLI (`buf curl` in the tests, `buf lint`), into .tools/bin of the
# checkout: the linux-x64 build from the npm registry's @bufbuild/buf-linux-x64 package, pinned
# and checked against its published sha512. Needs only curl and tar; quick when already there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dest="$root/.tools/bin"
version=1.75.0
sha512_base64='YGGJAx0lpMCE7aMWjNOJcfoEaG/e+iYHnTC4SZ0P5eS4IffMryA9Z4/bb1m1wNXAEJ8ATFMEZOAk/5x9VE47ig=='
url="https://registry.npmjs.org/@bufbuild/buf-linux-x64/-/buf-linux-x64-$version.tgz"

if [ -x "$dest/buf" ] && [ "$("$dest/buf" --version 2>/dev/null)" = "$version" ]; then exit 0; fi
[ "$(uname -m)" = x86_64 ] || { echo "install-buf: only x86_64 is provided for" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
echo "install-buf: fetching buf $version from the npm registry" >&2
curl -fsSL --retry 3 -o "$work/buf.tgz" "$url"
actual="$(openssl dgst -sha512 -binary "$work/buf.tgz" | openssl base64 -A)"
if [ "$actual" != "$sha512_base64" ]; then
  echo "install-buf: checksum mismatch for $url" >&2
  exit 1
fi
tar -xzf "$work/buf.tgz" -C "$work" package/bin/buf
mkdir -p "$dest"
install -m 0755 "$work/package/bin/buf" "$dest/buf"
