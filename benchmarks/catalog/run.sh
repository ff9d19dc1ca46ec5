#!/usr/bin/env bash
# The portal's queries on a catalogue of N recordings (default 1,000,000), on SQLite and on PostgreSQL (a throwaway
# cluster from Debian's postgresql, run as the postgres user when started as root). Usage: benchmarks/catalog/run.sh [rows]
set -euo pipefail
cd "$(dirname "$0")/../.."
rows="${1:-1000000}"
work="$(mktemp -d /tmp/siprec-catalog-XXXXXX)"
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
as_pg=()
if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$work"; as_pg=(runuser -u postgres --); fi
port=$((20000 + RANDOM % 10000))
"${as_pg[@]}" "$bin/initdb" -D "$work/pg" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w start -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c shared_buffers=256MB" >/dev/null
trap '"${as_pg[@]}" "$bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null; rm -rf "$work"' EXIT
"$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres catalog
dotnet build benchmarks/SipRecorder.Benchmarks -c Release -nologo -v:q >/dev/null
run() { dotnet benchmarks/SipRecorder.Benchmarks/bin/Release/net10.0/SipRecorder.Benchmarks.dll catalog-scale "$@"; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(date -u +%F)"
run sqlite "$work/catalog.db" "$rows"
run postgres "Host=127.0.0.1;Port=$port;Username=postgres;Database=catalog" "$rows"
