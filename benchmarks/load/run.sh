#!/usr/bin/env bash
# SIPp load with RTP both ways, through SipRecorder (recording every call) or through the reference stack
# (Kamailio + rtpengine, pcap recording), on 127.0.0.1, bounded in time.
#
#   benchmarks/load/run.sh [target=siprecorder|reference|direct] [format=wav|mp3|opus|none] [concurrent=50] [seconds=60] [hold=10.8]
#
# Calls last `hold` seconds, `concurrent` at once, for about `seconds` (calls = concurrent * seconds / hold). A SIPp UAC
# (extension 2003, answering the 407) calls an outside number and plays a 440 Hz tone; a SIPp UAS plays the provider
# and answers with a 1000 Hz tone. Reports calls attempted / succeeded / failed, the recorder's CPU seconds per
# call-second (from /proc: SipRecorder's process, or kamailio's processes plus rtpengine's), peak RSS, RTP counters,
# recordings made and how many have the expected duration (hold +- 0.2 s).
# Needs sipp, ffprobe (ffmpeg), python3; the reference needs kamailio and rtpengine-daemon (Debian packages).
#
# By default the whole run happens in a private network namespace of its own (unshare, root), where RTP arriving at
# SIPp's media ports is dropped on arrival: SIPp plays pcaps through raw sockets and never reads those ports, so on
# the shared loopback every relayed packet would be answered with an ICMP port-unreachable, whose cost the kernel
# charges to the relaying process. Both targets are measured the same way. LOAD_NETNS=0 runs on the host's loopback.
# LOAD_RTP=0 makes the same calls without media (SIP and call handling alone; with format=none nothing is recorded).
# LOAD_SRTP=1: the caller offers RTP/SAVP with an SDES key and plays SRTP (pcaps encrypted by make_pcaps.py, since SIPp
# cannot); the provider stays plain RTP, so the relay decrypts one direction and encrypts the other. SIPp has no TLS:
# SipRecorder runs with Media:SdesOverPlainTransport, and rtpengine is asked for RTP/AVP towards the provider.
# LOAD_WARMUP=S: S seconds of the same calls first, left out of every figure (the steady state, after the JIT's warm-up).
# LOAD_SERVER_DLL: another build of the server to measure (e.g. a ReadyToRun publish); the Release build by default.
# LOAD_ENCRYPT=1 (siprecorder only): recordings encrypted at rest (a fresh Storage:Encryption:MasterKey); the files on disk
# must all be encrypted, and their durations are measured on what the portal's API gives back, decrypted.
# LOAD_KERNEL=auto|off|required (siprecorder only): Media:KernelRelay, the eBPF fast path (off by default here, so
# earlier figures stay comparable).
# target=direct: the same SIPp calls and RTP from caller to provider with nobody in between (no 407): the machine's cost
# of the load itself, which machine.sh takes from the other targets' machine CPU.
# Every run also prints the machine's CPU two ways: the time its cores were not idle (from /proc/stat, whose idle time
# NO_HZ keeps exactly; its busy fields are tick samples, printed too, which a load waking on timers skews either way),
# and every task's (processes with their ended threads, kernel threads such as ksoftirqd; the scheduler's exact
# runtime) plus SIPp's rusage.
# Besides the totals it prints the CPU by thread (the media poller, SIP's reading thread, the pool, the mixers...).
# LOAD_NODES=N (siprecorder only): the scaled-out deployment of README's "Running several nodes": N SipRecorder nodes on
# one PostgreSQL catalogue (a throwaway cluster) behind the Kamailio edge (deploy/kamailio/edge.cfg), which SIPp calls;
# media goes straight to the nodes. The CPU figure is the nodes' together; the edge's and PostgreSQL's are given apart.
# LOAD_VETH=1 (with the private namespace): SIPp's phones and provider sit in a network namespace of their own behind a
# veth pair (10.77.0.2), the server or the reference on the other end (10.77.0.1), as a relay on another host would be:
# every relayed packet crosses the pair twice, and the kernel fast path sends it out of the interface (redirect) instead
# of through the local stack. target=direct keeps both SIPps in the parties' namespace.
set -euo pipefail
target=${1:-siprecorder}; format=${2:-wav}; concurrent=${3:-50}; seconds=${4:-60}; hold=${5:-10.8}
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
ulimit -c 0 # rtpengine sometimes crashes at start: no core files in the work tree

need=()
command -v sipp >/dev/null || need+=(sip-tester)
command -v ffprobe >/dev/null || need+=(ffmpeg)
command -v iptables >/dev/null || need+=(iptables)
nodes=${LOAD_NODES:-0}
if [ "$target" = reference ] || [ "$nodes" -gt 0 ]; then
  command -v kamailio >/dev/null || need+=(kamailio)
fi
[ "$nodes" -gt 0 ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && need+=(postgresql)
if [ "$target" = reference ]; then
  command -v rtpengine >/dev/null || need+=(rtpengine-daemon)
fi
[ "${LOAD_SRTP:-0}" = 1 ] && ! python3 -c "import cryptography" 2>/dev/null && need+=(python3-cryptography)
if ((${#need[@]})); then
  echo "installing ${need[*]} ..." >&2
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi

# Built before entering the namespace, which has no route to the package registry.
if [ "$target" = siprecorder ] && [ -z "${IN_LOAD_NETNS:-}" ]; then
  dotnet build "$root/src/SipRecorder.Server" -c Release -v quiet -nologo >/dev/null
fi
if [ "${LOAD_NETNS:-1}" = 1 ] && [ -z "${IN_LOAD_NETNS:-}" ]; then
  exec unshare --net env IN_LOAD_NETNS=1 bash "$0" "$@"
fi
if [ -n "${IN_LOAD_NETNS:-}" ]; then
  ip link set lo up
  # Ephemeral ports (rtpengine's control replies, kamailio's) must stay clear of the dropped media ports.
  sysctl -qw net.ipv4.ip_local_port_range="60000 65000"
  iptables -t raw -A PREROUTING -p udp --dport 40000:59999 -j DROP
fi
server_ip=127.0.0.1; party_ip=127.0.0.1; in_parties=()
if [ "${LOAD_VETH:-0}" = 1 ]; then
  [ -n "${IN_LOAD_NETNS:-}" ] || { echo "LOAD_VETH=1 needs the private namespace (LOAD_NETNS=1)" >&2; exit 2; }
  parties=load-parties-$$
  ip netns add "$parties"
  ip link add ldveth0 type veth peer name ldveth1
  ip link set ldveth1 netns "$parties"
  ip addr add 10.77.0.1/24 dev ldveth0 && ip link set ldveth0 up
  ip -n "$parties" addr add 10.77.0.2/24 dev ldveth1 && ip -n "$parties" link set ldveth1 up && ip -n "$parties" link set lo up
  ip netns exec "$parties" iptables -t raw -A PREROUTING -p udp --dport 40000:59999 -j DROP
  server_ip=10.77.0.1; party_ip=10.77.0.2; in_parties=(ip netns exec "$parties")
fi
calls=$(python3 -c "import math; print(max($concurrent, math.ceil($concurrent * $seconds / $hold)))")
rate=$(python3 -c "print(round($concurrent / $hold, 3))")
hold_ms=$(python3 -c "print(int($hold * 1000))")
sip_port=5290; uas_port=5291; http_port=8290
pids=()
work=$(mktemp -d); chmod 755 "$work" # PostgreSQL's socket lives here, and it runs as the postgres user
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; [ -n "${parties:-}" ] && ip netns del "$parties"; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

cp "$here"/scenarios/uac_rtp.xml "$here"/scenarios/uas_rtp.xml "$work"/
# LOAD_RTP=0: the same calls with no media at all, so SIP's and the calls' own share of the cost shows on its own.
[ "${LOAD_RTP:-1}" = 0 ] && sed -i '/play_pcap_audio/d' "$work"/uac_rtp.xml "$work"/uas_rtp.xml
srtp_key="6WH8i2ZsOyrFR+rpMXwU0u6UOAUZnR6q07cPmoTQ" # fixed: every call's caller plays the same SRTP pcap
caller_srtp=()
if [ "${LOAD_SRTP:-0}" = 1 ]; then
  caller_srtp=(--srtp-key "$srtp_key")
  sed -i "s|m=audio \[auto_media_port\] RTP/AVP 0 101|m=audio [auto_media_port] RTP/SAVP 0 101\n      a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:$srtp_key|" "$work"/uac_rtp.xml
fi
python3 "$here/make_pcaps.py" "$work/caller.pcap" 440 "$(python3 -c "print($hold + 2)")" --ssrc 286331153 "${caller_srtp[@]}"
python3 "$here/make_pcaps.py" "$work/callee.pcap" 1000 "$(python3 -c "print($hold + 2)")" --ssrc 572662306

cpu_of() { local total=0; for p in "$@"; do [ -r "/proc/$p/stat" ] && total=$(( total + $(awk '{print $14 + $15}' "/proc/$p/stat") )); done; echo "$total"; }
# PostgreSQL's: the postmaster with its reaped children (a backend that ended) plus the live ones.
pg_cpu_of() { local main; main=$(head -1 "$1/postmaster.pid"); echo $(( $(awk '{print $14 + $15 + $16 + $17}' "/proc/$main/stat") + $(cpu_of $(pgrep -P "$main")) )); }
# Thread wake-ups: context switches summed over the threads alive (a low-noise count where CPU seconds vary by +-15 %).
switches_of() { local total=0; for p in "$@"; do total=$(( total + $(cat /proc/"$p"/task/*/status 2>/dev/null | awk '/ctxt_switches/ {s += $2} END {print s + 0}') )); done; echo "$total"; }
# CPU ticks per thread ("tid name ticks"): where the process's CPU went, by thread, between two snapshots.
threads_of() { for p in "$@"; do for t in /proc/"$p"/task/*; do [ -r "$t/stat" ] && awk -v tid="${t##*/}" '{ match($0, /\(.*\)/); name = substr($0, RSTART + 1, RLENGTH - 2); n = split(substr($0, RSTART + RLENGTH + 1), f, " "); print tid "\t" name "\t" f[12] + f[13] }' "$t/stat"; done; done; }
rss_of() { local total=0; for p in "$@"; do [ -r "/proc/$p/status" ] && total=$(( total + $(awk '/VmHWM/ {print $2}' "/proc/$p/status") )); done; echo "$total"; }

if [ "$target" = siprecorder ]; then
  # format=none relays the same calls without recording them: the relay's and SIP's share of the cost on its own.
  recording_enabled=true; [ "$format" = none ] && recording_enabled=false
  cat > "$work/provisioning.json" <<JSON
{ "organizations": [ { "name": "Load", "users": [ { "login": "load", "password": "load-pw", "extensions": [
    { "number": "2003", "sipPassword": "pw-2003", "recording": { "enabled": $recording_enabled, "startMode": "Always", "prompt": "none", "format": "${format/none/wav}" } } ] } ] } ],
  "trunks": [ { "name": "sipp", "host": "$party_ip", "port": $uas_port, "username": "load", "password": "x" } ] }
JSON
  server_args=(--Sip:ListenAddress=$server_ip --Media:SdesOverPlainTransport="$([ "${LOAD_SRTP:-0}" = 1 ] && echo true || echo false)"
    --Sip:Tls:Enabled=false --Logging:LogLevel:Default=Warning --Media:KernelRelay="${LOAD_KERNEL:-off}")
  [ "${LOAD_ENCRYPT:-0}" = 1 ] && server_args+=(--Storage:Encryption:MasterKey="$(head -c 32 /dev/urandom | base64)")
  if [ "$nodes" = 0 ]; then
    ${SERVER_ENV:-} dotnet "${LOAD_SERVER_DLL:-$root/src/SipRecorder.Server/bin/Release/net10.0/SipRecorder.Server.dll}" "${server_args[@]}" --Sip:Port=$sip_port \
      --urls=http://127.0.0.1:$http_port --Provisioning:File="$work/provisioning.json" --Storage:DataDirectory="$work/data" \
      --Media:PortMin=20000 --Media:PortMax=29999 >"$work/server.log" 2>&1 &
    pids+=($!); measured=($!); node_http=($http_port); node_data=("$work/data")
  else
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    mkdir "$work/pg"; chown postgres "$work/pg"; chmod 700 "$work/pg"
    runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/log" -w start -o "-p 5432 -k $work/pg -c listen_addresses=127.0.0.1" >/dev/null
    trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
    catalog=(--Storage:Catalog:Kind=postgres "--Storage:Catalog:ConnectionString=Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres" --Storage:KeysDirectory="$work/keys")
    measured=(); node_http=(); node_data=(); : >"$work/dispatcher.list"
    span=$(( 10000 / nodes ))
    for i in $(seq 0 $(( nodes - 1 ))); do
      port=$(( sip_port + 10 + i )); http=$(( http_port + 1 + i )); provisioning=""; [ "$i" = 0 ] && provisioning="$work/provisioning.json"
      ${SERVER_ENV:-} dotnet "${LOAD_SERVER_DLL:-$root/src/SipRecorder.Server/bin/Release/net10.0/SipRecorder.Server.dll}" "${server_args[@]}" "${catalog[@]}" --Sip:Port=$port \
        --urls=http://127.0.0.1:$http --Provisioning:File="$provisioning" --Storage:DataDirectory="$work/data-$i" \
        --Media:PortMin=$(( 20000 + i * span )) --Media:PortMax=$(( 20000 + (i + 1) * span - 1 )) >"$work/server-$i.log" 2>&1 &
      pids+=($!); measured+=($!); node_http+=($http); node_data+=("$work/data-$i")
      for _ in $(seq 300); do curl -sf "http://127.0.0.1:$http/health" >/dev/null && break; sleep 0.1; done # the first provisions the catalogue
      echo "1 sip:127.0.0.1:$port" >>"$work/dispatcher.list"
    done
    sed "s|EDGE_LISTEN|udp:127.0.0.1:$sip_port|; s|DISPATCHER_LIST|$work/dispatcher.list|" "$root/deploy/kamailio/edge.cfg" >"$work/edge.cfg"
    kamailio -f "$work/edge.cfg" -DD -E -w "$work" >"$work/edge.log" 2>&1 &
    pids+=($!); sleep 3 # the edge's first OPTIONS probes find the nodes up
    edge_pids=$(pgrep -d ' ' -f "kamailio -f $work/edge.cfg" || true)
  fi
  for http in "${node_http[@]}"; do for _ in $(seq 300); do curl -sf "http://127.0.0.1:$http/health" >/dev/null && break; sleep 0.1; done; done
  files_before=$(ls "/proc/${measured[0]}/fd" | wc -l)
elif [ "$target" = reference ]; then
  mkdir -p "$work/pcaps"
  sed "s|RECORDING_DIR|$work/pcaps|; s|^interface = 127.0.0.1|interface = $server_ip|" "$here/reference/rtpengine.conf" > "$work/rtpengine.conf"
  sed "s|KAM_PORT|$sip_port|; s|UAS_PORT|$uas_port|; s|listen=udp:127.0.0.1|listen=udp:$server_ip|; s|sip:127.0.0.1:$uas_port|sip:$party_ip:$uas_port|" \
    "$here/reference/kamailio.cfg" > "$work/kamailio.cfg"
  # SRTP mode: the INVITE's offer goes on as plain RTP/AVP, and rtpengine answers the caller with SDES keys of its own.
  [ "${LOAD_SRTP:-0}" = 1 ] && sed -i '0,/record-call=yes");/s//record-call=yes RTP\/AVP");/' "$work/kamailio.cfg"
  # rtpengine 10.5 sometimes dies silently at start: start it again until it answers an ng ping.
  for attempt in 1 2 3 4 5; do
    (cd "$work" && exec rtpengine --config-file="$work/rtpengine.conf" --log-stderr >"$work/rtpengine.log" 2>&1) &
    rtpengine_pid=$!
    if python3 - <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.5)
for _ in range(10):
    try:
        s.sendto(b"%d d7:command4:pinge" % time.monotonic_ns(), ("127.0.0.1", 22222))
        if b"pong" in s.recv(200): sys.exit(0)
    except OSError:
        time.sleep(0.3)
sys.exit(1)
PY
    then break; fi
    echo "rtpengine did not answer (attempt $attempt), starting it again: $(tail -1 "$work/rtpengine.log")" >&2
    kill "$rtpengine_pid" 2>/dev/null || true; wait "$rtpengine_pid" 2>/dev/null || true
    [ "$attempt" = 5 ] && { echo "rtpengine would not start: no reference figure" >&2; exit 1; }
  done
  pids+=($rtpengine_pid)
  kamailio -f "$work/kamailio.cfg" -DD -E -P "$work/kamailio.pid" >"$work/kamailio.log" 2>&1 &
  pids+=($!); sleep 2
  measured=($rtpengine_pid $(pgrep -f "kamailio -f $work/kamailio.cfg" || true))
elif [ "$target" = direct ]; then
  # The caller calls the provider itself: no challenge to answer, and its RTP goes straight to the provider's ports.
  python3 - "$work/uac_rtp.xml" <<'PY'
import re, sys
path = sys.argv[1]; s = open(path).read()
s = re.sub(r'<send retrans="500" start_rtd="1">.*?<recv response="407" auth="true"/>\s*<send>.*?</send>', "", s, count=1, flags=re.S)
s = s.replace("[authentication]\n", "").replace(' rtd="1"', "")
open(path, "w").write(s)
PY
  sip_port=$uas_port; server_ip=$party_ip; measured=()
else
  echo "target must be siprecorder, reference or direct" >&2; exit 2
fi
# One SIPp UAS (the provider) and one UAC (the extension) placing `$1` calls at the run's rate and concurrency.
place_calls() {
  "${in_parties[@]}" sipp -sf uas_rtp.xml -i $party_ip -p $uas_port -mi $party_ip -mp 40000 -m "$1" -nostdin -timeout "$(( ${seconds%.*} + 120 ))s" >/dev/null 2>&1 &
  pids+=($!); local uas=$!
  sleep 0.5
  timeout "$(( ${seconds%.*} + 180 ))" "${in_parties[@]}" sipp $server_ip:$sip_port -sf uac_rtp.xml -i $party_ip -p 5292 -mi $party_ip -mp 50000 \
    -m "$1" -r "$rate" -l "$concurrent" -d "$hold_ms" -s 0046701234 -au 2003 -ap pw-2003 -key ext 2003 -nostdin \
    -timeout "$(( ${seconds%.*} + 120 ))s" -trace_stat -fd 1 >/dev/null 2>&1 || true
  wait "$uas" 2>/dev/null || true
}

cd "$work"
# LOAD_WARMUP=S: calls for S seconds before measuring, whose CPU, recordings and statistics are left out, so the figure is
# the steady state of a server that has run a while (the runtime's JIT compiles the hot paths in the first seconds).
warmup=${LOAD_WARMUP:-0}
if [ "$warmup" != 0 ]; then
  place_calls "$(python3 -c "import math; print(max($concurrent, math.ceil($concurrent * $warmup / $hold)))")"
  sleep 2
  rm -f "$work"/uac_rtp_*_.csv; [ -d "$work/pcaps" ] && find "$work/pcaps" -type f -delete
  [ "$target" = siprecorder ] && for data in "${node_data[@]}"; do rm -rf "$data/recordings/2003"; done
fi
# Late samples are counted from the first call on: the warm-up's are left out like its CPU.
late_of() { local total=0; [ "$target" = siprecorder ] && for http in "${node_http[@]}"; do
  total=$(( total + $(curl -s "http://127.0.0.1:$http/metrics" | awk '/^siprecorder_recording_late_samples_total /{print int($2)}') )); done; echo "$total"; }
late_start=$(late_of)
cpu_start=$(cpu_of "${measured[@]}")
switches_start=$(switches_of "${measured[@]}")
threads_of "${measured[@]}" >"$work/threads_start.tsv"
if [ "$nodes" -gt 0 ]; then edge_start=$(cpu_of $edge_pids); pg_start=$(pg_cpu_of "$work/pg"); fi

# Every task's CPU in ticks, exact per task (the scheduler's runtime), processes with their ended threads and kernel threads.
machine_ticks() { python3 -c '
import glob
total = 0
for path in glob.glob("/proc/[0-9]*/stat"):
    try: fields = open(path).read().rsplit(")", 1)[1].split()
    except OSError: continue
    total += int(fields[11]) + int(fields[12])
print(total)'; }
# /proc/stat's busy fields are sampled on the tick; its idle and iowait are the time the CPUs really slept (NO_HZ keeps
# them exactly), so the machine's busy time is the wall time on every core less those: "busy ticks|slept ticks|wall s".
busy_ticks() { echo "$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9 "|" $5 + $6 }' /proc/stat)|$(date +%s.%N)"; }
machine_start=$(machine_ticks); busy_start=$(busy_ticks)
# SIPp's processes start and end inside the window: their CPU is their rusage, which the subshell collects as it waits.
sipp_times=$( (place_calls "$calls"; times) | tail -1 )
busy_end=$(busy_ticks); machine_end=$(machine_ticks)
sleep 2 # the last recordings close within a mixer tick; the reference closes its pcaps at delete
cpu_end=$(cpu_of "${measured[@]}")
switches_end=$(switches_of "${measured[@]}")
threads_of "${measured[@]}" >"$work/threads_end.tsv"
rss=$(rss_of "${measured[@]}")
if [ "$nodes" -gt 0 ]; then edge_end=$(cpu_of $edge_pids); pg_end=$(pg_cpu_of "$work/pg"); fi

stat=$(ls "$work"/uac_rtp_*_.csv | head -1)
ok=$(tail -1 "$stat" | awk -F';' '{print $16}'); failed=$(tail -1 "$stat" | awk -F';' '{print $18}')
cpu_s=$(python3 -c "print(($cpu_end - $cpu_start) / $(getconf CLK_TCK))")
echo "target: $target, format: $format, $concurrent concurrent calls of ${hold} s, $calls calls at $rate/s on $(nproc) cores"
echo "calls: attempted $calls, succeeded $ok, failed $failed"
echo "CPU: ${cpu_s} s for $(python3 -c "print(round($ok * $hold, 1))") call-seconds, peak RSS $(( rss / 1024 )) MB"
echo "context switches: $(( switches_end - switches_start )), $(python3 -c "print(round(($switches_end - $switches_start) / max($ok, 1)))") per call"
# By thread name (pool workers share one): threads that ended during the run are counted as "(ended)".
python3 - "$work/threads_start.tsv" "$work/threads_end.tsv" "$cpu_s" "$(getconf CLK_TCK)" <<'PY'
import re, sys
def load(path):
    rows = {}
    for line in open(path):
        tid, name, ticks = line.rstrip("\n").split("\t")
        rows[tid] = (re.sub(r"[-#]?\d+$", "", name.strip()) or name, int(ticks))
    return rows
start, end, total, hz = load(sys.argv[1]), load(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
by_name = {}
for tid, (name, ticks) in end.items():
    by_name[name] = by_name.get(name, 0) + ticks - start.get(tid, (name, 0))[1]
ended = total - sum(by_name.values()) / hz
parts = sorted(((ticks / hz, name) for name, ticks in by_name.items() if ticks), reverse=True)
if ended > 0.005: parts.append((ended, "(ended)"))
print("CPU by thread: " + ", ".join(f"{name} {seconds:.2f} s" for seconds, name in parts))
PY
if [ "$nodes" -gt 0 ]; then
  edge_s=$(python3 -c "print(($edge_end - $edge_start) / $(getconf CLK_TCK))"); pg_s=$(python3 -c "print(($pg_end - $pg_start) / $(getconf CLK_TCK))")
  echo "$nodes node(s) behind the edge: nodes ${cpu_s} s, edge (Kamailio) ${edge_s} s, PostgreSQL ${pg_s} s; edge per call $(python3 -c "print(round(1000 * $edge_s / max($ok, 1), 2))") ms"
  for i in "${!node_http[@]}"; do
    echo "node $i: $(curl -s "http://127.0.0.1:${node_http[$i]}/metrics" | awk '/^siprecorder_calls_started_total /{print $2}') calls"
  done
fi

[ "$target" = siprecorder ] && echo "late samples in the measured calls: $(( $(late_of) - late_start ))"
python3 - "$machine_start" "$machine_end" "$busy_start" "$busy_end" "$sipp_times" "$(getconf CLK_TCK)" "$ok" "$hold" "$(nproc)" <<'PY'
import re, sys
m0, m1 = int(sys.argv[1]), int(sys.argv[2]); hz = int(sys.argv[6]); ok, hold, cores = int(sys.argv[7]), float(sys.argv[8]), int(sys.argv[9])
(busy0, slept0, wall0), (busy1, slept1, wall1) = ([float(v) for v in b.split("|")] for b in sys.argv[3:5])
def seconds(text): return sum(int(m) * 60 + float(s) for m, s in re.findall(r"(\d+)m([\d.]+)s", text))
sipp = seconds(sys.argv[5]); machine = (m1 - m0) / hz + sipp
awake = (wall1 - wall0) * cores - (slept1 - slept0) / hz
print(f"machine CPU: {machine:.2f} s (every task {(m1 - m0) / hz:.2f} s + SIPp {sipp:.2f} s) for {ok * hold:.0f} call-seconds; "
      f"/proc/stat: not idle {awake:.2f} s of {(wall1 - wall0) * cores:.2f} s, busy ticks {(busy1 - busy0) / hz:.2f} s")
PY
if [ "$target" = siprecorder ]; then
  for http in "${node_http[@]}"; do
    curl -s "http://127.0.0.1:$http/metrics" | grep -E '^siprecorder_(rtp_packets_total|rtp_relayed_total|kernel_relay_attached|kernel_relay_copies_lost_total|recording_late_samples_total|encoder_errors_total|calls_total)' | sed 's/^/metric: /'
    # Nothing may be left behind: calls, recordings, media ports and file descriptors back to where they were.
    left=$(curl -s "http://127.0.0.1:$http/metrics" | awk '/^siprecorder_active_calls /{c=$2} /^siprecorder_active_recordings /{r=$2} /^siprecorder_media_ports_in_use /{p=$2} END {print c, r, p}')
    read -r left_calls left_recordings left_ports <<<"$left"
    echo "after the load: $left_calls active calls, $left_recordings active recordings, $left_ports media ports in use"
  done
  echo "open files of the first node: $(ls "/proc/${measured[0]}/fd" | wc -l) ($files_before before the load)"
  python3 - "$(printf '%s/recordings/2003:' "${node_data[@]}")" "$hold" "$cpu_s" "http://127.0.0.1:${node_http[0]}" "${LOAD_ENCRYPT:-0}" <<'PY'
import json, os, struct, subprocess, sys, tempfile, urllib.request
folders, hold, cpu, web, encrypted = [f for f in sys.argv[1].split(":") if f], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5] == "1"
durations = []
# An MP3 carries LAME's encoder delay (1,105 samples) and the padding of its last 576-sample frame, which a plain run of
# frames has no tag to trim: up to 0.21 s more at 8 kHz (MPEG-2.5), on top of the call.
lame_added = {".mp3": 0.21}
good = 0
paths = [os.path.join(f, n) for f in folders if os.path.isdir(f) for n in sorted(os.listdir(f))]
if encrypted:
    # Every file on disk encrypted; the recordings measured as the portal gives them back.
    stored = sum(1 for p in paths if open(p, "rb").read(4) == b"SREC")
    print(f"encrypted on disk: {stored} of {len(paths)} files")
    login = urllib.request.Request(web + "/api/auth/login", json.dumps({"login": "load", "password": "load-pw"}).encode(), {"Content-Type": "application/json"})
    auth = {"Authorization": "Bearer " + json.load(urllib.request.urlopen(login))["token"]}
    fetched, page = tempfile.mkdtemp(), 1
    paths = []
    while True:
        items = json.load(urllib.request.urlopen(urllib.request.Request(f"{web}/api/recordings?pageSize=100&page={page}", headers=auth)))["items"]
        for item in items:
            path = os.path.join(fetched, f"{item['id']}.{item['format'].lower()}")
            with open(path, "wb") as f:
                f.write(urllib.request.urlopen(urllib.request.Request(f"{web}/api/recordings/{item['id']}/audio", headers=auth)).read())
            paths.append(path)
        if len(items) < 100: break
        page += 1
for path in paths:
    name = os.path.basename(path)
    if name.endswith(".wav"):
        with open(path, "rb") as f:
            header = f.read(44)
        rate, = struct.unpack_from("<I", header, 28)
        durations.append((os.path.getsize(path) - 44) / rate)
    else:
        out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", path], capture_output=True, text=True).stdout
        durations.append(float(json.loads(out)["format"].get("duration", 0)))
    good += -0.2 <= durations[-1] - hold <= 0.2 + lame_added.get(os.path.splitext(name)[1], 0)
total = sum(durations)
print(f"recordings: {len(durations)}, with the expected duration ({hold} +- 0.2 s, MP3 + LAME's delay): {good}; {total:.1f} recorded call-seconds")
if cpu > 0:
    print(f"recorded call-seconds per CPU-second: {total / cpu:.0f}")
PY
  if [ "$format" = none ]; then echo "call-seconds per CPU-second (not recorded): $(python3 -c "print(round($ok * $hold / max($cpu_s, 0.001)))")"; fi
elif [ "$target" = reference ]; then
  echo "recordings (pcap files): $(find "$work/pcaps" -name '*.pcap' | wc -l)"
  echo "call-seconds per CPU-second: $(python3 -c "print(round($ok * $hold / max($cpu_s, 0.001)))")"
fi
