#!/usr/bin/env bash
# The load table of benchmarks/RESULTS.md in one command: the reference stack and SipRecorder (WAV, MP3, Opus) at 50,
# 100 and 200 concurrent calls of 10.8 s, each run bounded to about `seconds` of calls (default 30) plus set-up.
#
#   benchmarks/load/matrix.sh [seconds=30] [concurrency list="50 100 200"] [targets="reference wav mp3 opus"]
#
# Prints one markdown row per run; each run's whole report is kept in $LOAD_LOGS (default a temporary folder).
set -uo pipefail
seconds=${1:-30}; levels=${2:-"50 100 200"}; targets=${3:-"reference wav mp3 opus"}
here=$(cd "$(dirname "$0")" && pwd)
logs=${LOAD_LOGS:-$(mktemp -d)}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F), logs in $logs"
echo "| calls at once | target | calls ok / failed | CPU s | call-s per CPU-s | peak RSS | recordings of the expected length | RTP dropped, late samples |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|"
for level in $levels; do
  for target in $targets; do
    log="$logs/$target-$level.txt"
    if [ "$target" = reference ]; then
      "$here/run.sh" reference wav "$level" "$seconds" >"$log" 2>&1
    else
      "$here/run.sh" siprecorder "$target" "$level" "$seconds" >"$log" 2>&1
    fi
    calls=$(sed -n 's/^calls: attempted \([0-9]*\), succeeded \([0-9]*\), failed \([0-9]*\).*/\2 \/ \3/p' "$log")
    cpu=$(sed -n 's/^CPU: \([0-9.]*\) s for.*/\1/p' "$log" | xargs printf '%.1f' 2>/dev/null)
    rss=$(sed -n 's/.*peak RSS \([0-9]*\) MB.*/\1 MB/p' "$log")
    rate=$(sed -n 's/^\(recorded \)\{0,1\}call-seconds per CPU-second: \([0-9]*\).*/\2/p' "$log")
    if [ "$target" = reference ]; then
      recordings="$(sed -n 's/^recordings (pcap files): \([0-9]*\).*/\1 pcaps/p' "$log")"; media="-"
    else
      recordings=$(sed -n 's/^recordings: \([0-9]*\), with the expected duration ([^)]*): \([0-9]*\).*/\2 \/ \1/p' "$log")
      dropped=$(sed -n 's/^metric: siprecorder_rtp_packets_total{result="dropped"} \([0-9]*\).*/\1/p' "$log")
      late=$(sed -n 's/^metric: siprecorder_recording_late_samples_total \([0-9]*\).*/\1/p' "$log")
      media="${dropped:-?}, ${late:-?}"
    fi
    echo "| $level | $target | ${calls:-?} | ${cpu:-?} | ${rate:-?} | ${rss:-?} | ${recordings:-?} | $media |"
  done
done
