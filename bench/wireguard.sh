#!/usr/bin/env bash
# WireGuard transport throughput: Warren <-> Warren vs wireguard-go <-> wireguard-go on the same
# topology (two namespaces joined by a veth underlay, TX offload off), alternating runs A/B/A/B.
# Prints one line per run and the medians; CPU seconds and peak RSS of each daemon per run.
# Usage: sudo bench/wireguard.sh [runs=3] [seconds=5] [streams=1]
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "needs root" >&2; exit 1; }
runs=${1:-3}; secs=${2:-5}; streams=${3:-1}
. scripts/lib.sh
ensure_packages wireguard-go wireguard-tools iperf3 ethtool iproute2 >/dev/null

if [ ! -f gateway/target/classpath.txt ] || [ -n "${REBUILD:-}" ]; then
  mvn -B -q -ntp -DskipTests -pl gateway -am package dependency:build-classpath \
    -Dmdep.outputFile="$PWD/gateway/target/classpath.txt" >/dev/null
fi
CP="gateway/target/classes:$(cat gateway/target/classpath.txt)"
JAVA=${JAVA:-java}

id="wb$$"; A="$id-a"; B="$id-b"; work=$(mktemp -d); pids=()
cleanup() {
  set +e
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  ip netns del "$A" 2>/dev/null; ip netns del "$B" 2>/dev/null
  rm -f /var/run/wireguard/"$id"*.sock; rm -rf "$work"
}
trap cleanup EXIT INT TERM
ip netns add "$A"; ip netns add "$B"
ip -n "$A" link set lo up; ip -n "$B" link set lo up
ip -n "$A" link add ul0 type veth peer name ul0 netns "$B"
ip -n "$A" addr add 10.50.0.1/24 dev ul0; ip -n "$B" addr add 10.50.0.2/24 dev ul0
ip -n "$A" link set ul0 up; ip -n "$B" link set ul0 up
ip netns exec "$A" ethtool -K ul0 tx off >/dev/null; ip netns exec "$B" ethtool -K ul0 tx off >/dev/null

for s in a b; do wg genkey > "$work/$s.key"; wg pubkey < "$work/$s.key" > "$work/$s.pub"; done

# cpu seconds (utime+stime) and peak RSS (KiB) of a pid
stat_of() { awk '{print ($14+$15)/100}' "/proc/$1/stat"; }
hwm_of() { awk '/VmHWM/ {print $2}' "/proc/$1/status"; }

start_warren() { # side ns addr peerAddr
  local s=$1 ns=$2 me=$3 other=$4 o; o=$([ "$s" = a ] && echo b || echo a)
  cat > "$work/$s.toml" <<TOML
[interface.${id}w$s]
private-key-file = "$work/$s.key"
listen-port = 51820
address = ["10.60.0.$me/24"]
[[interface.${id}w$s.peer]]
public-key = "$(cat "$work/$o.pub")"
endpoint = "10.50.0.$other:51820"
allowed-ips = ["10.60.0.$other/32"]
[metrics]
enabled = false
TOML
  ip netns exec "$ns" "$JAVA" ${WARREN_JAVA_OPTS:--Xmx256m -XX:MaxDirectMemorySize=128m} -cp "$CP" io.warren.gateway.Main run \
    --config "$work/$s.toml" > "$work/$s.log" 2>&1 &
  echo $!
}
start_wggo() { # side ns me other
  local s=$1 ns=$2 me=$3 other=$4 o; o=$([ "$s" = a ] && echo b || echo a)
  ip netns exec "$ns" wireguard-go -f "${id}g$s" > "$work/g$s.log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do [ -S "/var/run/wireguard/${id}g$s.sock" ] && break; sleep 0.05; done
  ip netns exec "$ns" wg set "${id}g$s" private-key "$work/$s.key" listen-port 51820 \
    peer "$(cat "$work/$o.pub")" endpoint "10.50.0.$other:51820" allowed-ips "10.60.0.$other/32"
  ip -n "$ns" addr add "10.60.0.$me/24" dev "${id}g$s"; ip -n "$ns" link set "${id}g$s" up
  echo $pid
}
wait_iface() { for _ in $(seq 200); do wg show "$1" >/dev/null 2>&1 && return 0; sleep 0.05; done; return 1; }

measure() { # kind -> prints "Mbit/s cpuA cpuB rssA rssB"
  local kind=$1 pa pb
  if [ "$kind" = warren ]; then
    pa=$(start_warren a "$A" 1 2); pb=$(start_warren b "$B" 2 1); wait_iface "${id}wa"; wait_iface "${id}wb"
  else
    pa=$(start_wggo a "$A" 1 2); pb=$(start_wggo b "$B" 2 1)
  fi
  pids=("$pa" "$pb")
  ip netns exec "$A" ping -c 3 -i 0.2 -W 2 10.60.0.2 >/dev/null || { echo "0 0 0 0 0"; return; }
  ip netns exec "$B" iperf3 -s -1 -B 10.60.0.2 >/dev/null 2>&1 &
  local srv=$!
  for _ in $(seq 50); do ip netns exec "$B" ss -ltn | grep -q 5201 && break; sleep 0.05; done
  local ca cb; ca=$(stat_of "$pa"); cb=$(stat_of "$pb")
  local bps
  bps=$(ip netns exec "$A" iperf3 -c 10.60.0.2 -t "$secs" -P "$streams" -J 2>/dev/null | grep -A20 '"sum_received"' \
    | sed -n 's/.*"bits_per_second":[[:space:]]*\([0-9.eE+]*\).*/\1/p' | head -1)
  wait "$srv" 2>/dev/null || true
  local ca2 cb2; ca2=$(stat_of "$pa"); cb2=$(stat_of "$pb")
  local ra rb; ra=$(hwm_of "$pa"); rb=$(hwm_of "$pb")
  kill "$pa" "$pb"; wait "$pa" 2>/dev/null || true; wait "$pb" 2>/dev/null || true; pids=()
  awk -v b="${bps:-0}" -v ca="$ca" -v ca2="$ca2" -v cb="$cb" -v cb2="$cb2" -v ra="$ra" -v rb="$rb" \
    'BEGIN { printf "%.0f %.2f %.2f %d %d\n", b/1e6, ca2-ca, cb2-cb, ra/1024, rb/1024 }'
}

echo "# WireGuard transport, iperf3 TCP $streams stream(s), ${secs}s, $runs runs each, $(nproc) cores, $("$JAVA" -version 2>&1 | head -1)"
echo "# kind      Mbit/s  cpuA(s) cpuB(s) rssA(MiB) rssB(MiB)"
declare -A results
for r in $(seq "$runs"); do
  for kind in warren wggo; do
    line=$(measure "$kind")
    printf '%-10s %s\n' "$kind" "$line"
    results[$kind]+="$(cut -d' ' -f1 <<<"$line") "
  done
done
med() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mw=$(med "${results[warren]}"); mg=$(med "${results[wggo]}")
echo "median warren ${mw} Mbit/s, wireguard-go ${mg} Mbit/s, ratio $(awk -v a="$mw" -v b="$mg" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')"
