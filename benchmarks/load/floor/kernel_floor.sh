#!/usr/bin/env bash
# The kernel fast path (issue 21) beside SipRecorder's user-space relay, under floor.sh's load: the same generator,
# ports and packets. On the loopback the kernel's work for a packet is done in the sender's context, so the relaying
# process's own CPU is not the figure: each run gives the generator's CPU (its rusage: its sends and the kernel work
# done in them), the relaying process's, and the softirq threads', all three measured precisely per task, and their
# sum per relayed packet. (/proc/stat is printed too, but it samples on the timer tick, and a generator waking every
# 20 ms on a timer works between two ticks and is mostly missed: it reads far too low here.)
#
#   benchmarks/load/floor/kernel_floor.sh [calls=100] [seconds=20]
#
# Runs in a private network namespace (unshare, root), parties' ports (40000-59999) dropped on arrival as in floor.sh.
# Needs gcc, iptables, clang and libbpf-dev (installed when missing) and a kernel that takes the eBPF program.
set -euo pipefail
calls=${1:-100}; seconds=${2:-20}
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../../.." && pwd)
need=()
command -v clang >/dev/null || need+=(clang)
[ -f /usr/include/bpf/bpf_helpers.h ] || need+=(libbpf-dev)
source "$here/netns.sh"
bench="$root/benchmarks/SipRecorder.Benchmarks/bin/Release/net10.0/SipRecorder.Benchmarks.dll"
# CPU ticks of the ksoftirqd threads (per-task accounting, exact): softirq work the kernel defers to them.
softirq_ticks() { cat /proc/[0-9]*/stat 2>/dev/null | awk '$2 ~ /^\(ksoftirqd/ { t += $14 + $15 } END { print t + 0 }'; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(uname -r), $(date -u +%F); $calls calls for $seconds s"
for run in "relay-floor $(nproc) relay" "kernel-floor" "kernel-floor copy"; do
  read -r mode extra <<<"$run"
  if [ "$mode" = relay-floor ]; then dotnet "$bench" relay-floor "$calls" "$seconds" $extra >"$work/out.txt" &
  else dotnet "$bench" kernel-floor "$calls" "$seconds" $extra >"$work/out.txt" &
  fi
  relay=$!
  for _ in $(seq 100); do grep -q ready "$work/out.txt" 2>/dev/null && break; sleep 0.1; done
  softirq_before=$(softirq_ticks)
  generator=$(python3 -c 'import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True); r = resource.getrusage(resource.RUSAGE_CHILDREN); print(f"{r.ru_utime + r.ru_stime:.2f}")' \
    "$work/relay_floor" "$calls" "$seconds" generate)
  wait "$relay"
  softirq=$(python3 -c "print(f'{($(softirq_ticks) - $softirq_before) / $(getconf CLK_TCK):.2f}')")
  echo "$run: $(grep -E "relayed|not available" "$work/out.txt")"
  python3 - "$generator" "$softirq" "$work/out.txt" <<'PY'
import re, sys
generator, softirq, text = float(sys.argv[1]), float(sys.argv[2]), open(sys.argv[3]).read()
packets = int(re.search(r"relayed (\d+) packets", text).group(1))
process = float(re.search(r"(?:in|process) ([\d.]+) CPU s", text).group(1))
total = generator + process + softirq
print(f"    generator {generator:.2f} s + relaying process {process:.2f} s + softirq threads {softirq:.2f} s = {total:.2f} CPU s: {total * 1e6 / packets:.2f} us per relayed packet")
PY
done
