#!/usr/bin/env bash
# Call set-up time through SipRecorder: a SIPp UAC (extension 2003, answering the 407) calls an outside number,
# SipRecorder relays it to a SIPp UAS playing the trunk, which answers at once. Prints SIPp's response times
# (first INVITE -> 200, and authenticated INVITE -> 200) and the server's CPU. Everything on 127.0.0.1.
# Usage: benchmarks/load/setup_time.sh [calls=1000] [rate=50] [concurrent=50] [hold_ms=1000]
set -euo pipefail
calls=${1:-1000}; rate=${2:-50}; limit=${3:-50}; hold=${4:-1000}
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
server_pid=; uas_pid=
work=$(mktemp -d); trap 'kill $server_pid $uas_pid 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
sip_port=5190; trunk_port=5191; http_port=8190

cat > "$work/provisioning.json" <<JSON
{ "organizations": [ { "name": "Load", "users": [ { "login": "load", "password": "load-pw", "extensions": [
    { "number": "2003", "sipPassword": "pw-2003" } ] } ] } ],
  "trunks": [ { "name": "sipp", "host": "127.0.0.1", "port": $trunk_port, "username": "load", "password": "x" } ] }
JSON

dotnet build "$root/src/SipRecorder.Server" -c Release -v quiet -nologo >/dev/null
dotnet "$root/src/SipRecorder.Server/bin/Release/net10.0/SipRecorder.Server.dll" --Sip:ListenAddress=127.0.0.1 --Sip:Port=$sip_port \
  --urls=http://127.0.0.1:$http_port --Provisioning:File="$work/provisioning.json" --Storage:DataDirectory="$work/data" \
  --Logging:LogLevel:Default=Warning >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$http_port/health" >/dev/null && break; sleep 0.1; done
cpu() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
cpu_start=$(cpu)

sipp -sf "$here/scenarios/uas_answer.xml" -i 127.0.0.1 -p $trunk_port -m "$calls" -nostdin >/dev/null 2>&1 &
uas_pid=$!
cd "$work"
sipp 127.0.0.1:$sip_port -sf "$here/scenarios/uac_call.xml" -i 127.0.0.1 -m "$calls" -r "$rate" -l "$limit" -d "$hold" \
  -s 0046701234 -au 2003 -ap pw-2003 -key ext 2003 -nostdin -timeout 300s -trace_rtt -rtt_freq 1 -trace_stat -fd 1 >/dev/null 2>&1 || true
cpu_end=$(cpu)
stat=$(ls "$work"/uac_call_*_.csv | head -1)
ok=$(tail -1 "$stat" | awk -F';' '{print $16}'); failed=$(tail -1 "$stat" | awk -F';' '{print $18}')
echo "calls: $calls at $rate/s, $limit at once, held ${hold} ms: successful $ok, failed $failed"
for n in 1 2; do
  awk -F';' -v n=$n '$3 == n {print $2}' "$work"/uac_call_*_rtt.csv | sort -n | awk -v n=$n '
    { v[NR] = $1; sum += $1 }
    END { if (NR == 0) { print "rtd " n ": no samples"; exit }
          printf "response time %d (ms): mean %.2f, p50 %.2f, p95 %.2f, p99 %.2f, max %.2f (%d calls)\n", n, sum / NR, v[int(NR * 0.5) + 1], v[int(NR * 0.95)], v[int(NR * 0.99)], v[NR], NR }'
done
echo "server CPU during the run: $(( (cpu_end - cpu_start) * 10 )) ms on $(nproc) cores"
