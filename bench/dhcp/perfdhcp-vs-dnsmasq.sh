#!/bin/bash
# DHCPv4 lease rate: Warren's DhcpServer vs dnsmasq, both loaded by perfdhcp (kea-admin) in one run.
#
#   sudo bench/dhcp/perfdhcp-vs-dnsmasq.sh [SECONDS] [MACS]
#
# Two fresh network namespaces joined by a veth (10.88.0.1 server, 10.88.0.2 perfdhcp). perfdhcp
# always acts as a relay (giaddr 10.88.0.2, port 67), so both servers serve 10.88.0.0/16 with the
# range 10.88.1.0-10.88.255.254, 1 h leases, lease files on disk, no ping-before-offer. MAC addresses
# come from a file of random MACs (-M; sequential MACs cause NAK storms).
# Warren gets a 3 s warm-up (JIT) and then one measured run per offered rate (-r) in the same JVM;
# dnsmasq is restarted with an empty lease file for each rate (its cost grows with the file). The figure is
# perfdhcp's completed DORA exchanges per second ("Rate:" line), i.e. leases per second, and each
# server's best over its rates counts (an overloaded dnsmasq collapses, so it gets lower rates too).
# Environment: WARREN_RATES (default "2000 4000 8000"), DNSMASQ_RATES (default "250 500 1000 4000").
# Needs root, ip, ethtool, perfdhcp (kea-admin), dnsmasq (dnsmasq-base), java 17, maven (offline).
# Environment: WARREN_CP (skip the build), WARREN_BUILD_SUFFIX (default -dhcpbench).
set -euo pipefail
SECS=${1:-10}
MACS=${2:-50000}
WARREN_RATES=${WARREN_RATES:-2000 4000 8000}
DNSMASQ_RATES=${DNSMASQ_RATES:-250 500 1000 4000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SUFFIX=${WARREN_BUILD_SUFFIX:--dhcpbench}
WORK=$(mktemp -d /tmp/warren-dhcpbench-XXXXXX)
SRV=wbd$$s
CLI=wbd$$c
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  ip netns del "$SRV" 2>/dev/null || true
  ip netns del "$CLI" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

for t in ip ethtool perfdhcp dnsmasq java; do
  command -v "$t" >/dev/null || { echo "missing $t (perfdhcp: kea-admin, dnsmasq: dnsmasq-base)" >&2; exit 2; }
done

if [ -z "${WARREN_CP:-}" ]; then
  (cd "$ROOT" && mvn -B -o -q -Dwarren.build.suffix="$SUFFIX" -pl gateway -am package -DskipTests \
      dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=runtime)
  WARREN_CP="$ROOT/gateway/target$SUFFIX/classes:$(cat "$WORK/cp.txt")"
fi

ip netns add "$SRV"
ip netns add "$CLI"
ip -n "$SRV" link add srv0 type veth peer name cli0 netns "$CLI"
ip netns exec "$SRV" ethtool -K srv0 tx off >/dev/null
ip netns exec "$CLI" ethtool -K cli0 tx off >/dev/null
ip -n "$SRV" addr add 10.88.0.1/16 dev srv0
ip -n "$CLI" addr add 10.88.0.2/16 dev cli0
for ns in "$SRV" "$CLI"; do ip -n "$ns" link set lo up; done
ip -n "$SRV" link set srv0 up
ip -n "$CLI" link set cli0 up

od -An -v -tx1 -N $((MACS * 5)) /dev/urandom | tr -s ' \n' '\n' | grep . | paste -d: - - - - - | sed 's/^/02:/' \
  > "$WORK/macs"

perf() { # label rate seconds
  ip netns exec "$CLI" perfdhcp -4 -l 10.88.0.2 -r "$2" -M "$WORK/macs" -p "$3" -d 2 10.88.0.1 \
    > "$WORK/perf-$1.txt" 2>&1 || true
}

rate() { # file -> leases/s
  awk '/^Rate:/ { print $2; exit }' "$1"
}

BEST=0
measure() { # label rate: one measured run, prints it, keeps the best
  perf "$1-$2" "$2" "$SECS"
  local got; got=$(rate "$WORK/perf-$1-$2.txt"); got=${got:-0}
  printf '%-8s -r %-5s -> %8.1f leases/s  (%s)\n' "$1" "$2" "$got" \
    "$(awk '/^drops ratio/ { d[n++] = $3 } END { printf "drops DO %s%%, RA %s%%", d[0], d[1] }' "$WORK/perf-$1-$2.txt")"
  BEST=$(awk -v a="$BEST" -v b="$got" 'BEGIN { print (b > a ? b : a) }')
}

stop_server() {
  kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
}

start_dnsmasq() { # a fresh dnsmasq with an empty lease file on disk
  rm -f "$WORK/dnsmasq.leases"
  ip netns exec "$SRV" dnsmasq -k --conf-file=/dev/null --port=0 --interface=srv0 --bind-interfaces \
    --dhcp-range=10.88.1.0,10.88.255.254,255.255.0.0,1h --dhcp-leasefile="$WORK/dnsmasq.leases" \
    --dhcp-lease-max=200000 --no-ping --dhcp-authoritative --quiet-dhcp --user=root \
    --pid-file="$WORK/dnsmasq.pid" --log-facility="$WORK/dnsmasq.log" &
  SERVER_PID=$!
  for _ in $(seq 50); do [ -s "$WORK/dnsmasq.pid" ] && break; sleep 0.1; done
}

echo "perfdhcp -4 -l 10.88.0.2 -r RATE -M macs($MACS random) -p $SECS -d 2 10.88.0.1 (Warren after a 3 s warm-up)"
mkdir -p "$WORK/warren"
ip netns exec "$SRV" java -Xmx512m -cp "$WARREN_CP" io.warren.gateway.dhcp.DhcpServerMain \
  srv0 10.88.0.0/16 10.88.1.0 10.88.255.254 3600 200000 "$WORK/warren" > "$WORK/warren.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 100); do grep -q '^ready' "$WORK/warren.log" && break; sleep 0.1; done
grep -q '^ready' "$WORK/warren.log" || { echo "Warren did not start:" >&2; cat "$WORK/warren.log" >&2; exit 1; }
perf warren-warmup 2000 3
BEST=0
for r in $WARREN_RATES; do measure warren "$r"; done
stop_server
W=$BEST
WARREN_LEASES=$(grep -c '' "$WORK/warren/leases.journal" || true)

BEST=0
for r in $DNSMASQ_RATES; do
  start_dnsmasq
  measure dnsmasq "$r"
  stop_server
  DNSMASQ_LEASES=$(grep -c '' "$WORK/dnsmasq.leases" || true)
  rm -f "$WORK/dnsmasq.pid"
done
D=$BEST

echo "warren journal lines (one JVM, all rates): $WARREN_LEASES; dnsmasq lease file lines (last rate, fresh file per rate): $DNSMASQ_LEASES"
awk -v w="$W" -v d="$D" 'BEGIN { printf "best leases/s: warren %.0f, dnsmasq %.0f, ratio %.2fx\n", w, d, (d > 0 ? w / d : 0) }'
