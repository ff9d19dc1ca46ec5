#!/usr/bin/env bash
# Upload throughput from the spool to an S3-compatible store (s3rver on 127.0.0.1, installed by tests/run.sh in
# tests/.tools): recordings finished all at once, timed until the last is uploaded and checked.
# Usage: benchmarks/objects/run.sh [files] [bytes]
set -euo pipefail
cd "$(dirname "$0")/../.."
files="${1:-200}"
bytes="${2:-1048576}"
[ -x tests/.tools/node_modules/.bin/s3rver ] || npm install --prefix tests/.tools --no-audit --no-fund --silent s3rver@3.7.1 >/dev/null
work="$(mktemp -d /tmp/siprec-s3bench-XXXXXX)"
port=$((20000 + RANDOM % 10000))
tests/.tools/node_modules/.bin/s3rver -d "$work" -a 127.0.0.1 -p "$port" --silent &
server=$!
trap 'kill $server; rm -rf "$work"' EXIT
for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.2; done
dotnet build benchmarks/SipRecorder.Benchmarks -c Release -nologo -v:q >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
dotnet benchmarks/SipRecorder.Benchmarks/bin/Release/net10.0/SipRecorder.Benchmarks.dll upload-scale "http://127.0.0.1:$port" "$files" "$bytes"
