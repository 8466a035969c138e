# Stage "repro": the root filesystem's content manifest (every path with its
# type, mode, owner, size, SHA256 or link target; no timestamps: they are
# clamped to SOURCE_DATE_EPOCH anyway) shipped as out/lbos-VERSION-rootfs.manifest,
# and compared with the previous build of the same commit: any difference is
# reported (out/lbos-VERSION-build-diff.txt), so a non-reproducible input shows.

clamp_mtimes() {
  find "$TREE" -newermt "@$SOURCE_DATE_EPOCH" -print0 | xargs -0 -r touch -h -d "@$SOURCE_DATE_EPOCH"
}

check_reproducible() {
  stage repro "$FLAVOR rootfs content manifest, compared with the previous build of this commit"
  local man="$CACHE/rootfs-$FLAVOR.manifest.tmp" out; out=$(artifact "rootfs-$FLAVOR.manifest")
  # sha256 of every file in parallel would be faster; ~20k files take a few seconds.
  (cd "$TREE" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum) > "$CACHE/rootfs.sums"
  (cd "$TREE" && find . -printf '%y %m %U:%G %s %p -> %l\n' | LC_ALL=C sort -k5) > "$CACHE/rootfs.meta"
  cat "$CACHE/rootfs.meta" "$CACHE/rootfs.sums" > "$man"
  rm -f "$CACHE/rootfs.sums" "$CACHE/rootfs.meta"
  local prev="$CACHE/rootfs-$FLAVOR.manifest.$GIT_COMMIT" diffout; diffout=$(artifact "build-diff-$FLAVOR.txt")
  if [[ $GIT_COMMIT != *-dirty ]] && [ -f "$prev" ]; then
    if cmp -s "$prev" "$man"; then
      note "same content as the previous build of $GIT_COMMIT ($(wc -l < "$man") entries)"
      echo "reproducible: the root filesystem has the same content as the previous build of $GIT_COMMIT" > "$diffout.tmp"
    else
      diff "$prev" "$man" > "$diffout.tmp" || true
      note "DIFFERS from the previous build of $GIT_COMMIT: $(grep -c '^[<>]' "$diffout.tmp") lines, see ${diffout#"$REPO"/}"
    fi
    publish "$diffout.tmp" "$diffout"
  else
    note "no earlier clean build of this commit to compare with (${GIT_COMMIT})"
    rm -f "$diffout"
  fi
  [[ $GIT_COMMIT == *-dirty ]] || cp "$man" "$prev"
  { ls -1t "$CACHE"/rootfs-"$FLAVOR".manifest.* 2>/dev/null | grep -v "\.tmp$" || true; } | tail -n +4 | xargs -r rm -f
  publish "$man" "$out"
}
