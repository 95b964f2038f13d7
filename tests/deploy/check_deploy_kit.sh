#!/usr/bin/env bash
# The deploy kit's test (deploy/README.md, "What is validated"): everything about deploy/ that can
# be checked on this machine, offline, with the real binaries of this build.
#
#   check_deploy_kit.sh CHECKLIST_SERVICE NOTIFIER_SERVICE PREFLIGHT_CLI BUILD_DIR CMAKE
#
# 1. `cmake --install BUILD_DIR` into a temporary prefix: the layout deploy/ relies on.
# 2. Every example flag file (deploy/flags/*/, deploy/kubernetes/flags/) lints clean and is
#    accepted by its service, with its commented-out optional flags too.
# 3. The systemd units: static checks, `systemd-analyze verify` and `security --offline` on
#    copies whose ExecStart names the installed binaries, and the sysusers file.
# 4. deploy/Containerfile against the libraries the binaries link; .containerignore.
# 5. The Kubernetes manifests (python3-yaml; `kubectl kustomize` too where kubectl exists).
# 6. Each flag-file pair (loopback, TLS + tokens, Kubernetes) runs for real from the installed
#    binaries, on loopback only: gRPC health of the probed service names, metrics, the
#    notifier following the checklist, and a clean stop on SIGTERM.
#
# Only the port numbers, data folders, TLS files and token files of the examples are changed for
# the run (deploy_kit.py rewrite refuses to change a flag the file does not set). Nothing leaves
# loopback; the temporary folder and every process started here are removed at exit.
set -euo pipefail

if [ $# -ne 5 ]; then
  echo "usage: $0 CHECKLIST_SERVICE NOTIFIER_SERVICE PREFLIGHT_CLI BUILD_DIR CMAKE" >&2
  exit 2
fi
checklist_bin="$1"
notifier_bin="$2"
cli_bin="$3"
build_dir="$4"
cmake_bin="$5"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source_dir="$(cd "$here/../.." && pwd)"
deploy="$source_dir/deploy"
python=/usr/bin/python3
kit=("$python" "$here/deploy_kit.py")

tmp="$(mktemp -d "${TMPDIR:-/tmp}/deploy-kit.XXXXXX")"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

say() { echo "deploy-kit: $*"; }
die() {
  echo "deploy-kit: FAIL: $*" >&2
  exit 1
}

# ---- tools -------------------------------------------------------------------------------------
missing=()
for tool in systemd-analyze systemd-sysusers openssl objdump ldd dpkg dpkg-query; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
"$python" -c 'import yaml' 2>/dev/null || missing+=("python3-yaml (for $python)")
"$python" -c 'import grpc' 2>/dev/null || missing+=("python3-grpcio (for $python)")
[ ${#missing[@]} -eq 0 ] ||
  die "missing ${missing[*]}; deploy/install-deps.sh installs deploy/debian-packages.txt"
for bin in "$checklist_bin" "$notifier_bin" "$cli_bin"; do
  [ -x "$bin" ] || die "$bin: not an executable (build the checklist-service, notifier-service and preflight targets)"
done

# ---- 1. the installed layout -------------------------------------------------------------------
prefix="$tmp/prefix"
"$cmake_bin" --install "$build_dir" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
  die "cmake --install $build_dir --prefix $prefix failed:
$(cat "$tmp/install.log")"
for path in bin/checklist-service bin/notifier-service bin/preflight \
  share/preflight/templates share/preflight/calendar share/preflight/notifier; do
  [ -e "$prefix/$path" ] || die "cmake --install made no $path (deploy/Containerfile and the units expect PREFIX/$path)"
done
installed_checklist="$prefix/bin/checklist-service"
installed_notifier="$prefix/bin/notifier-service"
installed_cli="$prefix/bin/preflight"
say "install: PREFIX/bin/{checklist-service,notifier-service,preflight} and PREFIX/share/preflight/{templates,calendar,notifier}"

# ---- 2. flag files -----------------------------------------------------------------------------
"${kit[@]}" flags "$source_dir" | sed 's/^/deploy-kit: /'
binary_for() {  # binary_for FLAGFILE: the service that reads it
  case "$(basename "$1")" in
    checklist.flags) echo "$installed_checklist" ;;
    notifier.flags) echo "$installed_notifier" ;;
    *) die "$1: neither checklist.flags nor notifier.flags" ;;
  esac
}
flag_files=("$deploy"/flags/*/*.flags "$deploy"/kubernetes/flags/*.flags)
for file in "${flag_files[@]}"; do
  bin="$(binary_for "$file")"
  rel="${file#"$source_dir"/}"
  # --only_check_args: Abseil parses every flag (names and values) and exits.
  if ! "$bin" --flagfile="$file" --only_check_args >"$tmp/check.log" 2>&1; then
    die "$(basename "$bin") refuses $rel (a flag renamed, misspelt or not implemented yet?):
$(cat "$tmp/check.log")"
  fi
  "${kit[@]}" uncomment "$file" "$tmp/optional.flags"
  if ! "$bin" --flagfile="$tmp/optional.flags" --only_check_args >"$tmp/check.log" 2>&1; then
    die "$(basename "$bin") refuses the commented-out optional flags of $rel:
$(cat "$tmp/check.log")"
  fi
  if ! "$bin" --flagfile="$file" --version >"$tmp/version.log" 2>&1 || [ ! -s "$tmp/version.log" ]; then
    die "$(basename "$bin") --flagfile=$rel --version failed:
$(cat "$tmp/version.log")"
  fi
done
say "flags: all ${#flag_files[@]} flag files (and their optional flags) parse; --version: $(head -n 1 "$tmp/version.log")"

# ---- 3. systemd --------------------------------------------------------------------------------
"${kit[@]}" systemd "$source_dir" | sed 's/^/deploy-kit: /'
units="$tmp/units"
mkdir -p "$units"
for service in checklist notifier; do
  cp "$deploy/flags/loopback/$service.flags" "$units/$service.flags"
  sed -e "s#^ExecStart=/usr/local/bin/$service-service #ExecStart=$prefix/bin/$service-service #" \
    -e "s#--flagfile=/etc/preflight/$service.flags#--flagfile=$units/$service.flags#" \
    "$deploy/systemd/preflight-$service.service" >"$units/preflight-$service.service"
  grep -q "^ExecStart=$prefix/bin/$service-service --flagfile=$units/$service.flags\$" \
    "$units/preflight-$service.service" ||
    die "could not point a copy of preflight-$service.service at the installed binary"
done
# verify prints problems (unknown keys, bad values) as warnings and still exits 0: any line about
# these units fails the test.
set +e
(cd "$units" && systemd-analyze verify --man=no preflight-checklist.service preflight-notifier.service) \
  >"$tmp/verify.log" 2>&1
verify_rc=$?
set -e
if [ $verify_rc -ne 0 ] || grep -q -e 'preflight-' -e "$units" "$tmp/verify.log"; then
  die "systemd-analyze verify (exit code $verify_rc) on deploy/systemd/*.service:
$(cat "$tmp/verify.log")"
fi
if [ -s "$tmp/verify.log" ]; then
  say "note: systemd-analyze verify said, about other units of this machine:"
  sed 's/^/deploy-kit:   /' "$tmp/verify.log"
fi
for service in checklist notifier; do
  # Exposure 0-10 (shown) is 0-100 here: fail above 2.0, the units score about 1.3-1.5.
  if ! (cd "$units" && systemd-analyze security --offline=yes --threshold=20 "preflight-$service.service") \
    >"$tmp/security.log" 2>&1; then
    die "systemd-analyze security: preflight-$service.service is exposed above 2.0:
$(grep -v '^✓' "$tmp/security.log")"
  fi
  say "systemd: $(grep -o 'Overall exposure level.*' "$tmp/security.log")"
done
mkdir -p "$tmp/sysroot/etc"
systemd-sysusers --root="$tmp/sysroot" "$deploy/systemd/preflight.sysusers.conf" >"$tmp/sysusers.log" 2>&1 ||
  die "systemd-sysusers refuses deploy/systemd/preflight.sysusers.conf:
$(cat "$tmp/sysusers.log")"
for user in preflight-checklist preflight-notifier; do
  grep -q "^$user:" "$tmp/sysroot/etc/passwd" || die "preflight.sysusers.conf creates no user $user"
done
grep -q '^preflight:x:[0-9]*:preflight-checklist,preflight-notifier$' "$tmp/sysroot/etc/group" ||
  die "preflight.sysusers.conf: group preflight should hold both service users:
$(cat "$tmp/sysroot/etc/group")"
say "systemd: systemd-analyze verify passes on both units; systemd-sysusers creates their users"

# ---- 4. Containerfile --------------------------------------------------------------------------
"${kit[@]}" containerfile "$source_dir" "$checklist_bin" "$notifier_bin" "$cli_bin" | sed 's/^/deploy-kit: /'

# ---- 5. Kubernetes -----------------------------------------------------------------------------
"${kit[@]}" kubernetes "$source_dir" | sed 's/^/deploy-kit: /'
if command -v kubectl >/dev/null; then
  # kustomize runs locally; with an empty kubeconfig kubectl could not reach a cluster anyway.
  if ! KUBECONFIG=/dev/null kubectl kustomize "$deploy/kubernetes" >"$tmp/rendered.yaml" 2>"$tmp/kustomize.log"; then
    die "kubectl kustomize deploy/kubernetes failed:
$(cat "$tmp/kustomize.log")"
  fi
  "${kit[@]}" kubernetes "$source_dir" "$tmp/rendered.yaml" | tail -n 1 | sed 's/^/deploy-kit: /'
else
  say "kubernetes: no kubectl here, so \`kubectl kustomize\` was not run (deploy_kit.py renders kustomization.yaml itself)"
fi

# ---- 6. the flag-file pairs, for real ----------------------------------------------------------
start() {  # start NAME BINARY FLAGFILE: runs it in the background; sets started_pid
  "$2" --flagfile="$3" >"$tmp/$1.log" 2>&1 &
  started_pid=$!
  pids+=("$started_pid")
}

exited() {  # exited PID: the child has exited (gone, or a zombie waiting to be reaped)
  local state
  state="$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null)" || return 0
  [ "${state%% *}" = Z ]
}

stop() {  # stop NAME PID: SIGTERM, then it must exit 0 within 10 s (the units allow 15 s)
  local name="$1" pid="$2" begin rc
  exited "$pid" && die "$name had exited before it was stopped:
$(tail -n 20 "$tmp/$name.log")"
  begin=$(date +%s%N)
  kill -TERM "$pid"
  until exited "$pid"; do
    if [ $((($(date +%s%N) - begin) / 1000000)) -gt 10000 ]; then
      die "$name did not stop within 10 s of SIGTERM (TimeoutStopSec=15s in its unit):
$(tail -n 20 "$tmp/$name.log")"
    fi
    sleep 0.05
  done
  stop_ms=$((($(date +%s%N) - begin) / 1000000))
  set +e
  wait "$pid"
  rc=$?
  set -e
  [ $rc -eq 0 ] || die "$name exited with code $rc on SIGTERM:
$(tail -n 20 "$tmp/$name.log")"
}

wait_connected() {  # wait_connected CLI_ARGS...: the notifier follows the checklist's stream
  local _
  for _ in $(seq 1 100); do
    if "$installed_cli" "$@" --json subscription >"$tmp/subscription.log" 2>&1 &&
      grep -Eq '"connected": *true' "$tmp/subscription.log"; then
      return 0
    fi
    sleep 0.2
  done
  die "the notifier did not report a connected event stream within 20 s:
$(cat "$tmp/subscription.log")
notifier log:
$(tail -n 20 "$tmp/$variant-notifier.log")"
}

builtin_seen=no
check_builtin() {  # check_builtin LOG: the installed binary found its built-in data beside itself
  local found
  found="$(sed -nE 's/.*builtin_data_dir"?[=:]"?([^ ",}]*).*/\1/p' "$1" | head -n 1)"
  [ -z "$found" ] && return 0
  [ "$found" = "$prefix/share/preflight" ] ||
    die "$1: the installed binary took its built-in data from $found, not $prefix/share/preflight
(the kit sets no --builtin_data_dir and relies on PREFIX/share/preflight beside PREFIX/bin)"
  builtin_seen=yes
}

# run_pair VARIANT CHECKLIST_FLAGS NOTIFIER_FLAGS: both services from one variant's flag files.
run_pair() {
  variant="$1"
  local checklist_flags="$2" notifier_flags="$3" dir="$tmp/$variant"
  local listen metrics listen_host metrics_host checklist_port notifier_port
  local checklist_metrics notifier_metrics cpid npid auth tls cli_tls=() cli_auth=() health_tls=()
  local stops
  mkdir -p "$dir/checklist" "$dir/notifier"
  listen="$("${kit[@]}" flag "$checklist_flags" listen)"
  listen_host="${listen%:*}"
  metrics="$("${kit[@]}" flag "$checklist_flags" metrics_listen)"
  metrics_host="${metrics%:*}"
  grep -qx -- '--require_auth' "$checklist_flags" && auth=yes || auth=no
  grep -q -- '^--tls_cert=' "$checklist_flags" && tls=yes || tls=no
  checklist_metrics="$("${kit[@]}" free-port)"
  notifier_metrics="$("${kit[@]}" free-port)"

  local checklist_overrides=(listen="$listen_host:0" data_dir="$dir/checklist"
    metrics_listen="$metrics_host:$checklist_metrics")
  if [ $tls = yes ]; then
    checklist_overrides+=(tls_cert="$tmp/tls/server.pem" tls_key="$tmp/tls/server.key")
    cli_tls=(--tls_ca="$tmp/tls/ca.pem" --tls_server_name=preflight.internal)
    health_tls=("$tmp/tls/ca.pem" preflight.internal)
  fi
  "${kit[@]}" rewrite "$checklist_flags" "$dir/checklist.flags" "${checklist_overrides[@]}"
  start "$variant-checklist" "$installed_checklist" "$dir/checklist.flags"
  cpid=$started_pid
  checklist_port="$("${kit[@]}" wait-listen "$tmp/$variant-checklist.log" 60 "$cpid" "$checklist_metrics")" ||
    die "$variant: checklist-service did not start from ${checklist_flags#"$source_dir"/}"
  check_builtin "$tmp/$variant-checklist.log"
  "${kit[@]}" health "127.0.0.1:$checklist_port" preflight.v1.ChecklistService 30 \
    "${health_tls[@]}" >/dev/null ||
    die "$variant: checklist-service health"

  if [ $auth = yes ]; then
    [ -s "$dir/checklist/admin.token" ] || die "$variant: --require_auth wrote no $dir/checklist/admin.token"
    # Without a token the service must refuse; the notifier gets a service token, as the README says.
    if "$installed_cli" --server="127.0.0.1:$checklist_port" "${cli_tls[@]}" launch list >"$tmp/cli.log" 2>&1 ||
      ! grep -q UNAUTHENTICATED "$tmp/cli.log"; then
      die "$variant: a call without a token should be refused with UNAUTHENTICATED (--require_auth), got:
$(cat "$tmp/cli.log")"
    fi
    cli_auth=(--token_file="$dir/checklist/admin.token")
    "$installed_cli" --server="127.0.0.1:$checklist_port" "${cli_tls[@]}" "${cli_auth[@]}" \
      tokens create --tenant='*' --role=service --display_name=notifier >"$tmp/cli.log" 2>&1 ||
      die "$variant: preflight tokens create failed:
$(cat "$tmp/cli.log")"
    head -n 1 "$tmp/cli.log" >"$dir/notifier.token"
    chmod 600 "$dir/notifier.token"
  fi
  "$installed_cli" --server="127.0.0.1:$checklist_port" "${cli_tls[@]}" "${cli_auth[@]}" launch list \
    >"$tmp/cli.log" 2>&1 || die "$variant: preflight launch list against checklist-service failed:
$(cat "$tmp/cli.log")"
  "${kit[@]}" http-get "http://127.0.0.1:$checklist_metrics/metrics" 30 >/dev/null ||
    die "$variant: checklist-service metrics (--metrics_listen)"

  listen="$("${kit[@]}" flag "$notifier_flags" listen)"
  metrics="$("${kit[@]}" flag "$notifier_flags" metrics_listen)"
  local notifier_overrides=(listen="${listen%:*}:0" data_dir="$dir/notifier"
    metrics_listen="${metrics%:*}:$notifier_metrics" checklist_addr="127.0.0.1:$checklist_port")
  if [ $tls = yes ]; then
    notifier_overrides+=(tls_cert="$tmp/tls/server.pem" tls_key="$tmp/tls/server.key"
      checklist_tls_ca="$tmp/tls/ca.pem")
  fi
  [ $auth = yes ] && notifier_overrides+=(checklist_token_ref="file:$dir/notifier.token")
  "${kit[@]}" rewrite "$notifier_flags" "$dir/notifier.flags" "${notifier_overrides[@]}"
  start "$variant-notifier" "$installed_notifier" "$dir/notifier.flags"
  npid=$started_pid
  notifier_port="$("${kit[@]}" wait-listen "$tmp/$variant-notifier.log" 60 "$npid" "$notifier_metrics")" ||
    die "$variant: notifier-service did not start from ${notifier_flags#"$source_dir"/}"
  check_builtin "$tmp/$variant-notifier.log"
  "${kit[@]}" health "127.0.0.1:$notifier_port" preflight.v1.NotifierService 30 \
    "${health_tls[@]}" >/dev/null ||
    die "$variant: notifier-service health"
  wait_connected --notifier="127.0.0.1:$notifier_port" "${cli_tls[@]}" "${cli_auth[@]}"
  "${kit[@]}" http-get "http://127.0.0.1:$notifier_metrics/metrics" 30 >/dev/null ||
    die "$variant: notifier-service metrics (--metrics_listen)"
  for name in checklist notifier; do
    if grep -qx -- '--log_format=json' "$dir/$name.flags"; then
      "${kit[@]}" json-log "$tmp/$variant-$name.log" >/dev/null || die "$variant: $name log format"
    fi
  done

  stop "$variant-notifier" "$npid"
  stops="notifier ${stop_ms} ms"
  stop "$variant-checklist" "$cpid"
  stops="$stops, checklist ${stop_ms} ms"
  # Each service wrote only its own folder.
  if [ ! -e "$dir/checklist/checklist.db" ] || [ -e "$dir/checklist/notifier.db" ]; then
    die "$variant: $dir/checklist should hold checklist.db and no notifier.db: $(ls "$dir/checklist")"
  fi
  if [ ! -e "$dir/notifier/notifier.db" ] || [ -e "$dir/notifier/checklist.db" ]; then
    die "$variant: $dir/notifier should hold notifier.db and no checklist.db: $(ls "$dir/notifier")"
  fi
  say "run $variant: both served (gRPC health SERVING, metrics, notifier connected$([ $auth = yes ] && echo ', tokens required')$([ $tls = yes ] && echo ', TLS')) and stopped on SIGTERM ($stops)"
}

# The TLS pair: a private CA and a server certificate for preflight.internal and 127.0.0.1.
mkdir -p "$tmp/tls"
(
  cd "$tmp/tls"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
    -out ca.pem -days 2 -subj "/CN=Preflight deploy-kit test CA"
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key \
    -out server.csr -subj "/CN=preflight.internal"
  printf 'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:preflight.internal,IP:127.0.0.1\n' >server.ext
  openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem \
    -days 2 -extfile server.ext
) >"$tmp/openssl.log" 2>&1 || die "openssl could not make the test certificates:
$(cat "$tmp/openssl.log")"

mkdir -p "$tmp/configmap"
"${kit[@]}" configmap-flags "$source_dir" "$tmp/configmap"
run_pair loopback "$deploy/flags/loopback/checklist.flags" "$deploy/flags/loopback/notifier.flags"
run_pair tls "$deploy/flags/tls/checklist.flags" "$deploy/flags/tls/notifier.flags"
run_pair kubernetes "$tmp/configmap/checklist.flags" "$tmp/configmap/notifier.flags"

if [ $builtin_seen = yes ]; then
  say "install: the installed binaries load their built-in data from PREFIX/share/preflight"
else
  say "note: the logs do not say where the built-in data came from (no builtin_data_dir= field)"
fi
say "all checks passed"
