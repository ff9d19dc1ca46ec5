# The floor benchmarks' common start, sourced by floor.sh and kernel_floor.sh after they set `root`, `here` and `need`
# (packages the caller wants beyond gcc and iptables): installs what is missing, builds the benchmarks, re-runs the
# caller in a private network namespace (unshare, root) where packets to the parties' ports (40000-59999) are dropped
# on arrival as in run.sh, and there compiles the C relay and generator into $work/relay_floor.
if [ -z "${IN_LOAD_NETNS:-}" ]; then
  command -v gcc >/dev/null || need+=(gcc libc6-dev)
  command -v iptables >/dev/null || need+=(iptables)
  if ((${#need[@]})); then
    apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
  fi
  dotnet build "$root/benchmarks/SipRecorder.Benchmarks" -c Release -v quiet -nologo >/dev/null
  exec unshare --net env IN_LOAD_NETNS=1 bash "$0" "$@"
fi
ip link set lo up
iptables -t raw -A PREROUTING -p udp --dport 40000:59999 -j DROP
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
gcc -O2 -Wall -o "$work/relay_floor" "$here/relay_floor.c"
