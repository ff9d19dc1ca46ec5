#!/usr/bin/env bash
# The test command: installs the Debian packages the tests drive (SIPp, baresip, linphonec, sox, LAME for MP3, libopus, ffprobe, Chromium, PostgreSQL, Kamailio, docker-compose, clang and libbpf for the eBPF fast path) and s3rver, builds once, runs every test
# project one after another, and ends with the plain line "N passed, N failed". Exit status 0 only if all passed.
set -uo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v sipp >/dev/null 2>&1 || missing+=(sip-tester)
command -v sox >/dev/null 2>&1 || missing+=(sox)
command -v baresip >/dev/null 2>&1 || missing+=(baresip-core)
command -v linphonec >/dev/null 2>&1 || missing+=(linphone-cli)
command -v ffprobe >/dev/null 2>&1 || missing+=(ffmpeg)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# mount (a small tmpfs fills up mid-call), unshare (a server run without a native library), runuser (another user's view)
command -v mount >/dev/null 2>&1 || missing+=(mount)
command -v unshare >/dev/null 2>&1 || missing+=(util-linux)
# Kamailio, the edge in front of several nodes (deploy/kamailio/edge.cfg, run by the tests themselves).
command -v kamailio >/dev/null 2>&1 || [ -x /usr/sbin/kamailio ] || missing+=(kamailio)
# docker-compose (v1, Debian's) checks docker-compose.yml the way a user would, without a container engine.
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
# PostgreSQL for the shared catalogue's tests (a throwaway cluster per test class, started by the tests themselves).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
# grep without -q reads to the end: with pipefail, -q's early exit would fail ldconfig with SIGPIPE now and then.
ldconfig -p 2>/dev/null | grep 'libmp3lame.so.0 ' >/dev/null || missing+=(libmp3lame0)
ldconfig -p 2>/dev/null | grep 'libopus.so.0 ' >/dev/null || missing+=(libopus0)
# The kernel fast path (Media:KernelRelay): its eBPF program is compiled by clang at build time and loaded by libbpf.
command -v clang >/dev/null 2>&1 || missing+=(clang)
[ -f /usr/include/bpf/bpf_helpers.h ] || missing+=(libbpf-dev)
# ip (network namespaces and a veth pair: the fast path's redirect to a party behind a router).
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing ${missing[*]} ..."
  if ! { $sudo apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }; then
    echo "Could not install ${missing[*]}: the integration tests need them."
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

# npm packages the tests use, kept beside them (tests/.tools, not committed): s3rver, an S3 API server for the
# object-store tests, and axe-core, the accessibility checker the portal's Chromium tests run in each page.
if [ ! -x tests/.tools/node_modules/.bin/s3rver ] || [ ! -f tests/.tools/node_modules/axe-core/axe.min.js ]; then
  if ! command -v npm >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends nodejs npm >/dev/null
  fi
  echo "Installing s3rver and axe-core ..."
  if ! npm install --prefix tests/.tools --no-audit --no-fund --silent s3rver@3.7.1 axe-core@4.14.1 >/dev/null; then
    echo "Could not install s3rver and axe-core: the object-store and portal tests need them."
    echo "0 passed, 1 failed"
    exit 1
  fi
fi

if ! dotnet build SipRecorder.sln -nologo -v:q; then
  echo "Build failed."
  echo "0 passed, 1 failed"
  exit 1
fi

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
status=0
for project in tests/*/*.csproj; do
  name="$(basename "$project" .csproj)"
  dotnet test "$project" --no-build -nologo --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
done

trx_count="$(find "$results" -name '*.trx' | wc -l)"
expected="$(ls tests/*/*.csproj | wc -l)"
read -r passed failed < <(cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*' |
  awk '{ for (i = 1; i <= NF; i++) { if ($i ~ /^passed=/) { gsub(/[^0-9]/, "", $i); p += $i } if ($i ~ /^failed=/) { gsub(/[^0-9]/, "", $i); f += $i } } }
       END { print p + 0, f + 0 }')
if [ "$trx_count" -lt "$expected" ]; then
  echo "Only $trx_count of $expected test projects reported results."
  failed=$((failed + expected - trx_count))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
if [ "$failed" -gt 0 ]; then
  # Which tests failed and why, from the TRX files, so a red CI log says what to look at.
  for trx in "$results"/*.trx; do
    grep -o 'testName="[^"]*"[^>]*outcome="Failed"' "$trx" | sed 's/testName="\([^"]*\)".*/FAILED: \1/'
    tr '\n' ' ' < "$trx" | grep -o '<Message>[^<]*' | cut -c10-600 | sed 's/^/  /'
  done
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
