#!/usr/bin/env bash
# Issue 21's figure: recorded call-seconds per CPU-second of the whole machine beyond what the load itself costs, for
# the same SIPp load through the reference (Kamailio + rtpengine), SipRecorder relaying in user space, and SipRecorder
# with the kernel fast path (Media:KernelRelay). On the loopback the kernel's work for a packet the eBPF program relays
# is done in the sender's context (SIPp's), so no process's own CPU is the figure: each run.sh run gives the machine's
# CPU (the time its cores were not idle, from /proc/stat; and every task's, exactly, plus SIPp's rusage), and the run
# with nobody in between (target=direct: the same calls and RTP from SIPp to SIPp) gives what the load costs by
# itself. What a target adds is its machine CPU minus direct's.
#
#   benchmarks/load/machine.sh [concurrent=200] [seconds=60] [hold=10.8]
#
# WAV recording; LOAD_WARMUP (default 10 s) of the same calls before each measured window. LOAD_REPEAT=N (default 1)
# runs the four N times in turn: SIPp's own cost moves by a quarter from run to run here, and every figure is a
# difference against it, so each round is compared within itself and the median round given. LOAD_VETH=1 puts SIPp in
# a namespace of its own behind a veth pair (run.sh), as parties on another host. Needs what run.sh needs.
set -euo pipefail
concurrent=${1:-200}; seconds=${2:-60}; hold=${3:-10.8}
here=$(cd "$(dirname "$0")" && pwd)
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), kernel $(uname -r), $(date -u +%F)"
rounds=${LOAD_REPEAT:-1}
for round in $(seq "$rounds"); do
  for run in "direct none off" "reference wav off" "siprecorder wav off" "siprecorder wav auto"; do
    read -r target format kernel <<<"$run"
    echo "== round $round: $target $format kernel=$kernel"
    LOAD_KERNEL=$kernel LOAD_WARMUP=${LOAD_WARMUP:-10} bash "$here/run.sh" "$target" "$format" "$concurrent" "$seconds" "$hold" | tee "$out/$target-$kernel-$round.txt"
  done
done
python3 - "$out" "$hold" "$rounds" <<'PY'
import re, statistics, sys
out, hold, rounds = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
def read(name):
    text = open(f"{out}/{name}-{round_}.txt").read()
    machine = float(re.search(r"machine CPU: ([\d.]+) s", text).group(1))
    busy = float(re.search(r"/proc/stat: not idle ([\d.]+) s", text).group(1))
    ok = int(re.search(r"succeeded (\d+)", text).group(1))
    recorded = re.search(r"([\d.]+) recorded call-seconds", text)
    # The reference records every call it relays (a pcap per call); SipRecorder's recordings are measured on the files.
    return machine, busy, ok, float(recorded.group(1)) if recorded else ok * hold, text
ratios = []
for round_ in range(1, rounds + 1):
  print(f"-- round {round_}")
  base_machine, base_busy, base_ok, _, _ = read("direct-off")
  print(f"load alone (direct): every task {base_machine:.2f} s, /proc/stat not idle {base_busy:.2f} s, {base_ok} calls")
  rows, rows_stat = {}, {}
  for name, label in [("reference-off", "reference (Kamailio + rtpengine)"), ("siprecorder-off", "SipRecorder, user space"), ("siprecorder-auto", "SipRecorder, kernel fast path")]:
      machine, busy, ok, recorded, text = read(name)
      beyond, beyond_stat = machine - base_machine, busy - base_busy
      rows[name] = recorded / beyond if beyond > 0 else float("inf")
      rows_stat[name] = recorded / beyond_stat if beyond_stat > 0 else float("inf")
      kernel = re.search(r'siprecorder_rtp_relayed_total\{path="kernel"\} (\d+)', text)
      user = re.search(r'siprecorder_rtp_relayed_total\{path="user"\} (\d+)', text)
      paths = f"; relayed in kernel {kernel.group(1)}, in user space {user.group(1)}" if kernel and user else ""
      print(f"{label}: {ok} calls, {recorded:.0f} recorded call-seconds; beyond the load: /proc/stat not idle {beyond_stat:.2f} s, "
            f"{rows_stat[name]:.0f} recorded call-seconds per CPU-second; every task {beyond:.2f} s, {rows[name]:.0f} per CPU-second{paths}")
  for label, table in [("/proc/stat not idle", rows_stat), ("every task", rows)]:
      print(f"{label}: kernel fast path / reference {table['siprecorder-auto'] / table['reference-off']:.2f}x, "
            f"user space / reference {table['siprecorder-off'] / table['reference-off']:.2f}x")
  ratios.append((rows_stat["siprecorder-auto"] / rows_stat["reference-off"], rows["siprecorder-auto"] / rows["reference-off"],
                 rows_stat["siprecorder-off"] / rows_stat["reference-off"]))
if rounds > 1:
    print("median of the rounds: kernel fast path / reference {:.2f}x (/proc/stat not idle), {:.2f}x (every task); user space / reference {:.2f}x".format(
        *(statistics.median(r[i] for r in ratios) for i in range(3))))
PY
