# Stage per target: conversions of the one tested disk into what each
# hypervisor imports, every file with its .sha256; out/ files appear only
# complete (written under .tmp names, renamed at the end).

ARTIFACTS=()
artifact() { echo "$OUT/lbos-$LBOS_VERSION-$1"; }

# finish TMP FINAL: checksum, then the rename that makes it visible.
finish() {
  local tmp=$1 final=$2
  (cd "$(dirname "$tmp")" && sha256sum "$(basename "$tmp")" | sed "s| .*|  $(basename "$final")|") > "$final.sha256.tmp"
  publish "$tmp" "$final"; publish "$final.sha256.tmp" "$final.sha256"
  ARTIFACTS+=("$final")
  note "$(basename "$final"): $(( $(stat -c %s "$final") / 1048576 )) MiB"
}

target_kvm() {
  stage kvm "qcow2 + libvirt domain XML"
  local q; q=$(artifact kvm.qcow2)
  qemu-img convert -c -W -m 8 -O qcow2 -o compat=1.1 "$DISK_RAW" "$q.tmp"
  finish "$q.tmp" "$q"
  local x; x=$(artifact kvm.xml)
  sed -e "s|@NAME@|lbos|g" -e "s|@DISK@|/var/lib/libvirt/images/$(basename "$q")|g" "$ROOTFS_DIR/lib/libvirt.xml.in" > "$x.tmp"
  virt-xml-validate "$x.tmp" domain >/dev/null || die "virt-xml-validate $x.tmp domain"
  finish "$x.tmp" "$x"
}

target_vmware() {
  stage vmware "OVA: OVF 1.0 + manifest + streamOptimized VMDK"
  local dir="$CACHE/ova.work" name="lbos-$LBOS_VERSION"
  rm -rf "$dir"; mkdir -p "$dir"
  qemu-img convert -O vmdk -o subformat=streamOptimized,adapter_type=lsilogic,hwversion=14,toolsversion=2147483647 \
    "$DISK_RAW" "$dir/$name-disk1.vmdk"
  python3 "$ROOTFS_DIR/lib/ovf.py" write --name "$name" --version "$LBOS_VERSION" \
    --vmdk "$dir/$name-disk1.vmdk" --capacity "$(stat -c %s "$DISK_RAW")" --out "$dir/$name.ovf"
  (cd "$dir" && for f in "$name.ovf" "$name-disk1.vmdk"; do echo "SHA256($f)= $(sha256_of "$f")"; done) > "$dir/$name.mf"
  python3 "$ROOTFS_DIR/lib/ovf.py" check --ovf "$dir/$name.ovf" --mf "$dir/$name.mf" || die "ovf.py check"
  local o; o=$(artifact vmware.ova)
  # OVF first, then the manifest, then the disk; ustar, fixed owner/mtime.
  tar --format=ustar --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" -C "$dir" \
    -cf "$o.tmp" "$name.ovf" "$name.mf" "$name-disk1.vmdk"
  rm -rf "$dir"
  finish "$o.tmp" "$o"
}

target_hyperv() {
  stage hyperv "VHDX (Generation 2, UEFI) and fixed VHD (Generation 1)"
  local x; x=$(artifact hyperv-gen2.vhdx)
  qemu-img convert -O vhdx -o subformat=dynamic "$DISK_RAW" "$x.tmp"
  finish "$x.tmp" "$x"
  local v; v=$(artifact hyperv-gen1.vhd)
  # Fixed: data then a 512-byte footer; force_size keeps the exact disk size
  # (no CHS rounding). Sparse here; Hyper-V wants it whole (it is, logically).
  qemu-img convert -O vpc -o subformat=fixed,force_size=on "$DISK_RAW" "$v.tmp"
  finish "$v.tmp" "$v"
}

target_xen() {
  stage xen "XVA: ova.xml + Ref:N/ 1 MiB chunks with SHA1 checksums"
  local x; x=$(artifact xen.xva)
  python3 "$ROOTFS_DIR/lib/xva.py" write --disk "$DISK_RAW" --name "lbos-$LBOS_VERSION" \
    --mtime "$SOURCE_DATE_EPOCH" --out "$x.tmp"
  finish "$x.tmp" "$x"
}

target_raw() {
  stage raw "compressed raw disk for flashing (zstd)"
  local r; r=$(artifact raw.img.zst)
  zstd -q -T0 -3 -f "$DISK_RAW" -o "$r.tmp"
  finish "$r.tmp" "$r"
}

# The root slot image for A/B updates of a running appliance (lbos-update install).
target_update() {
  stage update "root slot image for A/B updates ($FLAVOR kernel)"
  local u; u=$(artifact "update-$FLAVOR.img.zst")
  zstd -q -T0 -3 -f "$ROOT_IMG" -o "$u.tmp"
  finish "$u.tmp" "$u"
}

write_manifest() {
  stage manifest "versions, sizes and checksums"
  local m; m=$(artifact manifest.json)
  python3 - "$m.tmp" "$LBOS_VERSION" "$GIT_COMMIT" "$BUILD_DATE" "$(stat -c %s "$DISK_RAW")" "${ARTIFACTS[@]}" <<'PY'
import json, os, sys
out, version, commit, date, disk = sys.argv[1:6]
arts = []
for f in sys.argv[6:]:
    sha = open(f + '.sha256').read().split()[0]
    arts.append({'file': os.path.basename(f), 'bytes': os.path.getsize(f), 'sha256': sha})
json.dump({'product': 'LBOS', 'version': version, 'commit': commit, 'build_date': date,
           'disk_bytes': int(disk), 'artifacts': arts}, open(out, 'w'), indent=2)
PY
  publish "$m.tmp" "$m"
}

# running_of PID...: how many of these jobs still run (other jobs of the
# build, such as a base built in the background, are not counted).
running_of() {
  local running p n=0
  running=" $(jobs -rp | tr '\n' ' ')"
  for p in "$@"; do case "$running" in *" $p "*) n=$((n + 1)) ;; esac; done
  echo "$n"
}

# run_targets_parallel T...: each target in its own job (at most JOBS at once),
# output to a log replayed when it ends; the first failure stops the build
# with that target's log.
run_targets_parallel() {
  local jobs=${JOBS:-2} t pids=() names=() logs=() i
  for t in "$@"; do
    while [ "$(running_of "${pids[@]}")" -ge "$jobs" ]; do sleep 0.2; done
    ( set +e; trap - ERR; ( enable_err_trap; ARTIFACTS=(); "target_$t"; declare -p ARTIFACTS > "$CACHE/artifacts.$t" ) > "$CACHE/target.$t.log" 2>&1 ) &
    pids+=($!); names+=("$t"); logs+=("$CACHE/target.$t.log")
  done
  local failed=""
  for i in "${!pids[@]}"; do
    if wait "${pids[$i]}"; then
      cat "${logs[$i]}" >&2
      eval "$(sed 's/declare -a ARTIFACTS=/local -a got=/' "$CACHE/artifacts.${names[$i]}")"
      ARTIFACTS+=("${got[@]}")
    else
      cat "${logs[$i]}" >&2; failed+=" ${names[$i]}"
    fi
    rm -f "${logs[$i]}" "$CACHE/artifacts.${names[$i]}"
  done
  [ -z "$failed" ] || { LBOS_STAGE=${failed# }; die "target(s)$failed failed (above)"; }
}
