# Shared helpers of the image build and boot tests (sourced).
# Stages print "[stage] ..." with elapsed seconds; a failing command names its
# stage and itself, and the build stops (set -e + ERR trap).

LBOS_T0=${LBOS_T0:-$(date +%s)}
LBOS_STAGE=init

stage() {
  LBOS_STAGE=$1; shift
  printf '[%4ss] [%s] %s\n' "$(( $(date +%s) - LBOS_T0 ))" "$LBOS_STAGE" "$*" >&2
}

note() { printf '         [%s] %s\n' "$LBOS_STAGE" "$*" >&2; }

die() { printf 'FAILED [%s]: %s\n' "$LBOS_STAGE" "$*" >&2; exit 1; }

on_err() {
  local rc=$? cmd=$1 line=$2 src=$3
  printf 'FAILED [%s] (exit %s) at %s:%s: %s\n' "$LBOS_STAGE" "$rc" "${src##*/}" "$line" "$cmd" >&2
  exit "$rc"
}

enable_err_trap() {
  set -eEuo pipefail
  trap 'on_err "$BASH_COMMAND" "$LINENO" "${BASH_SOURCE[0]}"' ERR
}

need_tools() {
  local t missing=()
  for t in "$@"; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
  [ ${#missing[@]} -eq 0 ] || die "missing tools: ${missing[*]} (run: bash scripts/install-deps.sh; they are listed in scripts/deps/images.apt)"
}

# publish TMP FINAL: outputs are written under a temporary name and renamed
# only when complete, so a partial file never looks like a finished one.
publish() { mv -f "$1" "$2"; }

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }
