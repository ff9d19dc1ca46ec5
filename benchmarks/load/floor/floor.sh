#!/usr/bin/env bash
# The relay's floor: the same G.711 load relayed by a C program that does only what SipRecorder's media poller does,
# then by SipRecorder's MediaRelay alone (no SIP, no recording) and recording every call, each process's CPU per relayed packet.
# What is left between SipRecorder's whole figure (benchmarks/load/run.sh) and these is SIP and recording.
#
#   benchmarks/load/floor/floor.sh [calls=100] [seconds=20]
#
# Runs in a private network namespace (unshare, root) where packets to the parties' ports (40000-59999) are dropped
# on arrival, as in run.sh. Needs gcc and iptables (installed when missing).
set -euo pipefail
calls=${1:-100}; seconds=${2:-20}
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../../.." && pwd)
need=()
source "$here/netns.sh"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F); $calls calls for $seconds s"
echo -n "C relay (epoll, recvmmsg, sendto, 2 ms rounds, one thread): "
"$work/relay_floor" "$calls" "$seconds"

# SipRecorder's relay as the server runs it (a poller thread per core), then on one thread like the C relay; then as
# the server runs it recording every call as WAV (FLOOR_RECORD=0 leaves that out).
runs=("$(nproc) relay" "1 relay")
[ "${FLOOR_RECORD:-1}" = 1 ] && runs+=("$(nproc) record")
for run in "${runs[@]}"; do
  read -r threads mode <<<"$run"
  dotnet "$root/benchmarks/SipRecorder.Benchmarks/bin/Release/net10.0/SipRecorder.Benchmarks.dll" relay-floor "$calls" "$seconds" "$threads" "$mode" >"$work/dotnet.txt" &
  relay=$!
  for _ in $(seq 100); do grep -q ready "$work/dotnet.txt" 2>/dev/null && break; sleep 0.1; done
  "$work/relay_floor" "$calls" "$seconds" generate
  wait "$relay"
  echo -n "SipRecorder MediaRelay, $threads poller thread(s)$([ "$mode" = record ] && echo ", recording every call as WAV"): "
  grep -E "relayed|recorded" "$work/dotnet.txt" | tr '\n' ' '; echo
done
