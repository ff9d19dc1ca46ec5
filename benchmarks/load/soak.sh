#!/usr/bin/env bash
# A soak: SipRecorder under steady recorded load for MINUTES, its memory, open files and CPU sampled every few seconds,
# on 127.0.0.1 in a private network namespace as run.sh does (root; packets to SIPp's media ports dropped on arrival).
#
#   benchmarks/load/soak.sh [minutes=30] [concurrent=100] [min_call_s=60] [max_call_s=180]
#
# Calls last a uniform random time between min_call_s and max_call_s, concurrent at once, with RTP both ways; callers
# are three extensions recording WAV, MP3 and Opus (30 % of the calls each), and one recording on demand (10 %): its
# caller dials `*1` (RFC 4733 events) 5 s into the call, hears the prompt, and sends a re-INVITE (a session refresh,
# the same SDP with its version counted on) halfway through the call. At the end it checks what a long-running server must
# keep: no failed call, every recording as long as its call (its file's length agrees with the catalogue, and within
# the calls' range), no late samples or encoder errors, nothing left open, and RSS and open files flat: the mean of the
# first window after the ramp-up against the last window within SOAK_FLAT_PERCENT (5). RSS follows the collector's
# full (gen2) cycle, about ten minutes under this load with a swing of some 20 % (calls living 60-180 s promote their
# objects to gen2, where they die), and the runtime's budgets settle during the first cycle: so a run of 30 minutes or
# more starts judging at 10 minutes and compares 10-minute windows (whole cycles); a shorter one starts after the
# longest call and compares 5-minute windows (or a fifth of the steady part). SOAK_RAMP and SOAK_WINDOW (seconds) say
# otherwise. Writes samples.csv and, with gnuplot, soak.png (RSS and CPU over time) to
# SOAK_OUT (default benchmarks/load/soak-out); each sample also has the managed heap as the last collection left it,
# the memory the collector has committed and the late samples so far, so that growth and lost audio can be placed in
# time. SOAK_GCDUMP="S1,S2,..." writes a heap dump (dotnet-gcdump, installed when missing) S seconds into the run and a
# by-type report of each. Exits non-zero when a check fails.
set -euo pipefail
minutes=${1:-30}; concurrent=${2:-100}; min_s=${3:-60}; max_s=${4:-180}
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
out=${SOAK_OUT:-$here/soak-out}; flat=${SOAK_FLAT_PERCENT:-5}

if [ -z "${IN_LOAD_NETNS:-}" ]; then
  need=()
  command -v sipp >/dev/null || need+=(sip-tester)
  command -v ffprobe >/dev/null || need+=(ffmpeg)
  command -v iptables >/dev/null || need+=(iptables)
  command -v gnuplot >/dev/null || need+=(gnuplot-nox)
  if ((${#need[@]})); then
    echo "installing ${need[*]} ..." >&2
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
  fi
  if [ -n "${SOAK_GCDUMP:-}" ] && ! command -v dotnet-gcdump >/dev/null && [ ! -x "$HOME/.dotnet/tools/dotnet-gcdump" ]; then
    dotnet tool install -g dotnet-gcdump >/dev/null
  fi
  dotnet build "$root/src/SipRecorder.Server" -c Release -v quiet -nologo >/dev/null
  mkdir -p "$out"
  exec unshare --net env IN_LOAD_NETNS=1 SOAK_OUT="$out" bash "$0" "$@"
fi
ip link set lo up
sysctl -qw net.ipv4.ip_local_port_range="60000 65000"
iptables -t raw -A PREROUTING -p udp --dport 40000:59999 -j DROP

sip_port=5290; uas_port=5291; http_port=8290
gcdump=$(command -v dotnet-gcdump || echo "$HOME/.dotnet/tools/dotnet-gcdump")
pids=()
work=$(mktemp -d)
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
mean_s=$(( (min_s + max_s) / 2 ))
rate=$(python3 -c "print(round($concurrent / $mean_s, 3))")
calls=$(python3 -c "import math; print(math.ceil($rate * $minutes * 60))")

# The load UAC with its hold time uniform between the two bounds; one SIPp per extension. The on-demand caller plays
# its own pcap (with `*1` at 5 s) and holds each half of its call apart, a re-INVITE between them.
sed -e "s|<pause/>|<pause distribution=\"uniform\" min=\"$(( min_s * 1000 ))\" max=\"$(( max_s * 1000 ))\"/>|" \
    "$here/scenarios/uac_rtp.xml" >"$work/uac_soak.xml"
python3 - "$here/scenarios/uac_rtp.xml" "$here/scenarios/uac_reinvite.xml" "$work/uac_on_demand.xml" "$(( min_s * 500 ))" "$(( max_s * 500 ))" <<'PY'
import sys
scenario, reinvite, out, lo, hi = sys.argv[1:6]
half = f'<pause distribution="uniform" min="{lo}" max="{hi}"/>'
text = open(scenario).read().replace('play_pcap_audio="caller.pcap"', 'play_pcap_audio="caller_keys.pcap"')
open(out, "w").write(text.replace("<pause/>", half + open(reinvite).read() + half).replace("CSeq: 3 BYE", "CSeq: 4 BYE"))
PY
cp "$here/scenarios/uas_rtp.xml" "$work/"
python3 "$here/make_pcaps.py" "$work/caller.pcap" 440 $(( max_s + 2 )) --ssrc 286331153
python3 "$here/make_pcaps.py" "$work/caller_keys.pcap" 440 $(( max_s + 2 )) --ssrc 286331154 --keys "*@5.0,1@5.5"
python3 "$here/make_pcaps.py" "$work/callee.pcap" 1000 $(( max_s + 2 )) --ssrc 572662306

cat >"$work/provisioning.json" <<JSON
{ "organizations": [ { "name": "Soak", "storageLimitMb": 100000, "users": [ { "login": "soak", "password": "soak-pw", "extensions": [
    { "number": "2003", "sipPassword": "pw-2003", "recording": { "enabled": true, "startMode": "Always", "prompt": "none", "format": "wav" } },
    { "number": "2004", "sipPassword": "pw-2004", "recording": { "enabled": true, "startMode": "Always", "prompt": "none", "format": "mp3" } },
    { "number": "2005", "sipPassword": "pw-2005", "recording": { "enabled": true, "startMode": "Always", "prompt": "none", "format": "opus" } },
    { "number": "2006", "sipPassword": "pw-2006", "recording": { "enabled": true, "startMode": "OnDemand", "prompt": "default", "format": "wav" } } ] } ] } ],
  "trunks": [ { "name": "sipp", "host": "127.0.0.1", "port": $uas_port, "username": "soak", "password": "x" } ] }
JSON
dotnet "$root/src/SipRecorder.Server/bin/Release/net10.0/SipRecorder.Server.dll" --Sip:ListenAddress=127.0.0.1 --Sip:Tls:Enabled=false \
  --Logging:LogLevel:Default=Warning --Sip:Port=$sip_port --urls=http://127.0.0.1:$http_port --Provisioning:File="$work/provisioning.json" \
  --Storage:DataDirectory="$work/data" --Media:PortMin=20000 --Media:PortMax=29999 >"$work/server.log" 2>&1 &
server=$!; pids+=($server)
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$http_port/health" >/dev/null && break; sleep 0.1; done
files_before=$(ls "/proc/$server/fd" | wc -l)
metric() { curl -s "http://127.0.0.1:$http_port/metrics" | awk -v name="$1" '$1 == name {print $2}'; }

cd "$work"
sipp -sf uas_rtp.xml -i 127.0.0.1 -p $uas_port -mi 127.0.0.1 -mp 40000 -m "$calls" -nostdin -timeout "$(( minutes * 60 + 3 * max_s + 300 ))s" >/dev/null 2>&1 &
uas=$!; pids+=($uas)
sleep 0.5
uacs=(); placed=0
for i in 0 1 2 3; do
  ext=$(( 2003 + i )); share=0.3; scenario=uac_soak.xml
  [ "$ext" = 2006 ] && { share=0.1; scenario=uac_on_demand.xml; }
  count=$(python3 -c "import math; print(max(1, math.ceil($calls * $share)))")
  sipp 127.0.0.1:$sip_port -sf $scenario -i 127.0.0.1 -p $(( 5292 + i )) -mi 127.0.0.1 -mp $(( 50000 + i * 2500 )) \
    -m "$count" -r "$(python3 -c "print(round($rate * $share, 4))")" -l "$(python3 -c "import math; print(max(1, math.ceil($concurrent * $share)))")" \
    -s 0046701234 -au $ext -ap pw-$ext -key ext $ext -nostdin -timeout "$(( minutes * 60 + 3 * max_s + 300 ))s" -trace_stat -fd 5 -trace_err >/dev/null 2>&1 &
  uacs+=($!); pids+=($!); placed=$(( placed + count ))
done
calls=$placed

# Samples until both SIPps are done: seconds since start, RSS (kB), open files, CPU (clock ticks), calls in progress,
# managed heap and committed (kB), late samples so far.
interval=$(( minutes >= 10 ? 10 : 5 ))
echo "seconds,rss_kb,open_files,cpu_ticks,active_calls,heap_kb,committed_kb,late_samples" >"$out/samples.csv"
start=$(date +%s)
IFS=, read -ra dumps <<<"${SOAK_GCDUMP:-}"
running() { for p in "$@"; do kill -0 "$p" 2>/dev/null && return 0; done; return 1; }
while running "${uacs[@]}" "$uas"; do
  now=$(( $(date +%s) - start ))
  metrics=$(curl -s "http://127.0.0.1:$http_port/metrics")
  value() { awk -v name="$1" '$1 == name {v = $2} END {print v + 0}' <<<"$metrics"; }
  echo "$now,$(awk '/VmRSS/ {print $2}' "/proc/$server/status"),$(ls "/proc/$server/fd" | wc -l),$(awk '{print $14 + $15}' "/proc/$server/stat"),$(value siprecorder_active_calls),$(( $(value dotnet_gc_heap_bytes) / 1024 )),$(( $(value dotnet_gc_committed_bytes) / 1024 )),$(value siprecorder_recording_late_samples_total)" >>"$out/samples.csv"
  if ((${#dumps[@]})) && (( now >= dumps[0] )); then
    "$gcdump" collect -p "$server" -o "$out/heap-${dumps[0]}s.gcdump" >/dev/null 2>&1 && "$gcdump" report "$out/heap-${dumps[0]}s.gcdump" >"$out/heap-${dumps[0]}s.txt" 2>&1 || echo "heap dump at ${dumps[0]} s failed" >&2
    dumps=("${dumps[@]:1}")
  fi
  sleep "$interval"
done
for p in "${uacs[@]}"; do wait "$p" || true; done
sleep 2

ok=0; failed=0
for stat in "$work"/uac_soak_*_.csv "$work"/uac_on_demand_*_.csv; do
  ok=$(( ok + $(tail -1 "$stat" | awk -F';' '{print $16}') )); failed=$(( failed + $(tail -1 "$stat" | awk -F';' '{print $18}') ))
done
echo "soak: $minutes min, $concurrent calls at once of $min_s-$max_s s, WAV/MP3/Opus 30 % each, 10 % recorded on demand by *1 with a re-INVITE, $(nproc) cores, $(date -u +%F)"
echo "calls: attempted $calls, succeeded $ok, failed $failed"
echo "late samples $(metric siprecorder_recording_late_samples_total), encoder errors $(metric siprecorder_encoder_errors_total)"
echo "after the load: $(metric siprecorder_active_calls) active calls, $(metric siprecorder_active_recordings) active recordings, $(metric siprecorder_media_ports_in_use) media ports in use; open files $(ls "/proc/$server/fd" | wc -l) ($files_before before)"
verdict=0
long_run=$(( minutes >= 30 ))
ramp=${SOAK_RAMP:-$(( long_run ? (max_s > 600 ? max_s : 600) : max_s ))}
window_s=${SOAK_WINDOW:-$(( long_run ? 600 : 300 ))}
python3 - "$work/data" "$min_s" "$max_s" "$ok" "$failed" "$flat" "$out/samples.csv" "$interval" "$ramp" "$(( minutes * 60 ))" "$window_s" <<'PY' || verdict=$?
import csv, json, os, sqlite3, struct, subprocess, sys
data, lo, hi, ok, failed, flat, samples, interval, ramp, placing, window_s = sys.argv[1:12]
lo, hi, ok, failed, flat, interval, ramp, placing, window_s = float(lo), float(hi), int(ok), int(failed), float(flat), int(interval), int(ramp), int(placing), int(window_s)
problems = []
if failed: problems.append(f"{failed} failed calls")

catalogue = sqlite3.connect(f"file:{os.path.join(data, 'siprecorder.db')}?mode=ro", uri=True)
rows = [dict(zip(("id", "status", "format", "seconds", "path", "extension"), r))
        for r in catalogue.execute("SELECT id, status, format, duration_ms / 1000.0, path, extension FROM recordings")]
# The on-demand caller's recording starts at its *1 (the '1' at 5.5 s into the call): that much shorter than the call.
starts_at = {"2006": 5.5}
def file_seconds(path):
    if path.endswith(".wav"):
        with open(path, "rb") as f: rate, = struct.unpack_from("<I", f.read(44), 24)
        return (os.path.getsize(path) - 44) / rate / 4
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", path], capture_output=True, text=True).stdout
    return float(json.loads(out)["format"].get("duration", 0))
by_format, bad, mismatched = {}, [], []
on_demand = sum(1 for r in rows if r["extension"] in starts_at)
for row in rows:
    by_format[row["format"]] = by_format.get(row["format"], 0) + 1
    if row["status"] != "Complete": bad.append(f"{row['id']} {row['status']}")
    elif not lo - starts_at.get(row["extension"], 0) - 0.3 <= row["seconds"] <= hi - starts_at.get(row["extension"], 0) + 0.3: bad.append(f"{row['id']} lasts {row['seconds']:.2f} s")
    # The file against the catalogue: what a player shows is what the list says. An MP3 also carries LAME's encoder
    # delay and last-frame padding (up to 0.21 s at 8 kHz), which a plain run of frames has no tag to trim.
    elif not -0.15 <= file_seconds(row["path"]) - row["seconds"] <= 0.15 + (0.21 if row["path"].endswith(".mp3") else 0): mismatched.append(f"{row['id']} file {file_seconds(row['path']):.2f} s, row {row['seconds']:.2f} s")
if len(rows) != ok: problems.append(f"{len(rows)} recordings for {ok} calls")
if bad: problems.append(f"{len(bad)} recordings wrong: {', '.join(bad[:5])}")
if mismatched: problems.append(f"{len(mismatched)} files differ from their row: {', '.join(mismatched[:5])}")
print(f"recordings: {len(rows)} ({', '.join(f'{k} {v}' for k, v in sorted(by_format.items()))}; {on_demand} started by *1), {sum(r['seconds'] for r in rows):.0f} recorded seconds, "
      f"{len(rows) - len(bad)} within the calls' range; {len(mismatched)} files differ from their row")

s = list(csv.DictReader(open(samples)))
# Steady: after the first calls could have ended (the ramp) and while new ones are still placed (not the wind-down).
steady = [r for r in s if ramp <= int(r["seconds"]) <= placing]
window = max(2, min(window_s // interval, len(steady) // (2 if window_s > 300 else 5)))
if len(steady) >= 2 * window:
    first, last = steady[:window], steady[-window:]
    # The managed heap and the collector's commitment are shown, not judged: they say where RSS growth lives.
    for key, label, judged in (("rss_kb", "RSS", True), ("open_files", "open files", True), ("heap_kb", "managed heap after GC (kB)", False), ("committed_kb", "GC committed (kB)", False)):
        a = sum(float(r[key]) for r in first) / window
        b = sum(float(r[key]) for r in last) / window
        change = 100 * (b - a) / a if a else 0.0
        print(f"{label}: first window {a:,.0f}, last window {b:,.0f} ({change:+.1f} %, {window * interval} s each)")
        if judged and abs(change) > flat: problems.append(f"{label} grew {change:+.1f} % (limit {flat} %)")
    late = [(int(r["seconds"]), int(float(r["late_samples"] or 0))) for r in s]
    jumps = [(t, b - a) for (t, b), (_, a) in zip(late[1:], late) if b > a]
    if jumps: print(f"late samples arrived in {len(jumps)} of {len(late)} samples; the largest: {', '.join(f'{n:,} by {t} s' for t, n in sorted(jumps, key=lambda j: -j[1])[:3])}")
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (float(s[-1]["cpu_ticks"]) - float(s[0]["cpu_ticks"])) / ticks
    print(f"CPU: {cpu:.1f} s over {int(s[-1]['seconds'])} s; peak RSS {max(float(r['rss_kb']) for r in s) / 1024:.0f} MB")
else:
    problems.append(f"too few steady samples ({len(steady)}) to judge flatness")
for p in problems: print("FAILED:", p)
sys.exit(1 if problems else 0)
PY
if command -v gnuplot >/dev/null; then
  gnuplot <<GP
set terminal pngcairo size 900,500 noenhanced
set output "$out/soak.png"
set datafile separator ","
set key autotitle columnhead left top
set xlabel "seconds"
set ylabel "RSS (MB), open files, calls"
set y2label "CPU (% of one core)"
set y2tics
set title "SipRecorder soak: $concurrent calls at once, $minutes min"
prev = NaN
plot "$out/samples.csv" using 1:(\$2/1024) with lines title "RSS (MB)", \
     "" using 1:(\$6/1024) with lines title "managed heap after GC (MB)", \
     "" using 1:3 with lines title "open files", \
     "" using 1:5 with lines title "calls in progress", \
     "" using 1:(cpu = (\$4 - prev) * 100 / $(getconf CLK_TCK) / $interval, prev = \$4, cpu) axes x1y2 with lines title "CPU (%)"
GP
  echo "plot: $out/soak.png"
fi
exit $verdict
