#!/usr/bin/env bash
# Floods a Release server with INVITEs that carry no credentials (each its own Call-ID, as a scanner sends them) and
# reports its resident memory before, right after and 35 s after the flood (past Timer H/J's 32 s), the answers it
# sent and their bytes against the bytes received.
# Usage: benchmarks/flood/invite_flood.sh [invites=30000] [seconds=10] [limit=0 (Sip:ChallengesPerSecondPerAddress)]
set -euo pipefail
invites=${1:-30000}; seconds=${2:-10}; limit=${3:-0}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/siprec-flood.XXXXXX)
sip_port=25060; http_port=25080
cat > "$work/provisioning.json" <<JSON
{ "organizations": [ { "name": "Flood", "users": [ { "login": "flood", "password": "flood-pw", "extensions": [
    { "number": "2003", "sipPassword": "pw-2003" } ] } ] } ] }
JSON
dotnet "$root/src/SipRecorder.Server/bin/Release/net10.0/SipRecorder.Server.dll" --Sip:ListenAddress=127.0.0.1 --Sip:Port=$sip_port \
  --urls=http://127.0.0.1:$http_port --Provisioning:File="$work/provisioning.json" --Storage:DataDirectory="$work/data" \
  --Media:PortMin=26000 --Media:PortMax=26999 --Logging:LogLevel:Default=Error --Sip:ChallengesPerSecondPerAddress=$limit >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$http_port/health" >/dev/null && break; sleep 0.1; done
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$server/status"; }
sleep 2
echo "server RSS before: $(rss) MB"
python3 - "$sip_port" "$invites" "$seconds" <<'PY'
import socket, sys, time, threading
port, count, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
me = s.getsockname()[1]
received = {"n": 0, "bytes": 0, "codes": {}}
stop = False
def listen():
    s.settimeout(0.2)
    while not stop:
        try: data = s.recv(65535)
        except socket.timeout: continue
        received["n"] += 1; received["bytes"] += len(data)
        code = data[8:11].decode(); received["codes"][code] = received["codes"].get(code, 0) + 1
t = threading.Thread(target=listen); t.start()
sdp = "v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n"
sent_bytes = 0; start = time.monotonic()
for i in range(count):
    msg = (f"INVITE sip:0090{i}@127.0.0.1:{port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{me};branch=z9hG4bK{i}x;rport\r\n"
           f"Max-Forwards: 70\r\nFrom: <sip:2003@127.0.0.1>;tag=f{i}\r\nTo: <sip:0090{i}@127.0.0.1>\r\nCall-ID: flood-{i}\r\n"
           f"CSeq: 1 INVITE\r\nContact: <sip:2003@127.0.0.1:{me}>\r\nContent-Type: application/sdp\r\nContent-Length: {len(sdp)}\r\n\r\n{sdp}").encode()
    s.sendto(msg, ("127.0.0.1", port)); sent_bytes += len(msg)
    ahead = (i + 1) / count * seconds - (time.monotonic() - start)
    if ahead > 0: time.sleep(ahead)
time.sleep(3)
stop = True; t.join()
print(f"sent {count} INVITEs ({sent_bytes} bytes) in {time.monotonic() - start - 3:.1f} s; got {received['n']} responses "
      f"({received['bytes']} bytes, {received['bytes'] / sent_bytes:.2f}x the bytes sent) by code {dict(sorted(received['codes'].items()))}")
PY
echo "server RSS right after: $(rss) MB"
sleep 35
echo "server RSS 35 s later: $(rss) MB"
