#!/bin/bash
# DNS benchmark (not a test): dnsperf against cached names, Warren vs dnsmasq in the same run.
#
#   client ns (dnsperf) 10.54.0.9 --- srv ns: Warren 10.54.0.1:53, dnsmasq 10.54.0.2:53 (both caching
#                                       forwarders, cache 10000) --- 10.54.1.2 upstream ns (dnsmasq with
#                                       NAMES host records, TTL 3600)
# Each server gets a warm-up pass (fills its cache), then a measured pass of DURATION seconds.
# Needs root, dnsperf, dnsmasq (dnsmasq-base), ip, java 17; it compiles the gateway itself with
#   mvn -B -o -q -Dwarren.build.suffix=-dns -pl gateway -am compile (set WARREN_BUILD_SUFFIX to change)
# Usage: bench/dns/dnsperf-vs-dnsmasq.sh [DURATION=10] [NAMES=1000] [WARREN_THREADS=1]
set -euo pipefail
DURATION=${1:-10}
NAMES=${2:-1000}
THREADS=${3:-1}   # Warren event loops (dnsmasq is single-threaded)
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SUFFIX=${WARREN_BUILD_SUFFIX:--dns}
TAG="wdb$$"
CLI="$TAG-cli"; SRV="$TAG-srv"; UP="$TAG-up"
WORK=$(mktemp -d /tmp/warren-dnsbench.XXXXXX)
PIDS=()

cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    for n in "$CLI" "$SRV" "$UP"; do ip netns del "$n" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

[ "$(id -u)" = 0 ] || { echo "SKIPPED: needs root (network namespaces)"; exit 77; }
for t in dnsperf dnsmasq ip java; do
    command -v "$t" >/dev/null || { echo "SKIPPED: $t missing (apt-get install dnsperf dnsmasq-base)"; exit 77; }
done

(cd "$ROOT" && mvn -B -o -q -Dwarren.build.suffix="$SUFFIX" -pl gateway -am compile >"$WORK/mvn.log" 2>&1) \
    || echo "WARNING: gateway compile failed (see below); using the classes already in target$SUFFIX"
[ -f "$ROOT/gateway/target$SUFFIX/classes/io/warren/gateway/dns/DnsServer.class" ] \
    || { cat "$WORK/mvn.log"; echo "no compiled DnsServer"; exit 1; }
# DnsServer needs only the gateway classes, Netty, dnsjava and SLF4J (dnsjava's logging API).
M2=${M2_REPO:-$HOME/.m2/repository}
JARS=$(find "$M2/io/netty" -name '*-4.2.18.Final*.jar' ! -name '*sources*' ! -name '*osx*' ! -name '*aarch*' \
    ! -name '*riscv*' ! -name '*loongarch*'; find "$M2/dnsjava/dnsjava/3.7.1" -name '*.jar'; \
    find "$M2/org/slf4j/slf4j-api" -name 'slf4j-api-*.jar' | sort | tail -1)
CP="$ROOT/gateway/target$SUFFIX/classes:$(echo "$JARS" | tr '\n' ':')"

for n in "$CLI" "$SRV" "$UP"; do ip netns add "$n"; ip -n "$n" link set lo up; done
ip -n "$CLI" link add c0 type veth peer name s0 netns "$SRV"
ip -n "$SRV" link add s1 type veth peer name u0 netns "$UP"
ip -n "$CLI" addr add 10.54.0.9/24 dev c0
ip -n "$SRV" addr add 10.54.0.1/24 dev s0
ip -n "$SRV" addr add 10.54.0.2/24 dev s0
ip -n "$SRV" addr add 10.54.1.1/24 dev s1
ip -n "$UP" addr add 10.54.1.2/24 dev u0
for x in "$CLI c0" "$SRV s0" "$SRV s1" "$UP u0"; do set -- $x; ip -n "$1" link set "$2" up; done

UPCONF="$WORK/upstream.conf"
: > "$WORK/names.txt"
for i in $(seq 1 "$NAMES"); do
    echo "host-record=h$i.bench.test,10.55.$((i / 250)).$((i % 250 + 1))" >> "$UPCONF"
    echo "h$i.bench.test A" >> "$WORK/names.txt"
done

ip netns exec "$UP" dnsmasq --no-daemon --no-resolv --no-hosts --pid-file= --conf-file="$UPCONF" \
    --local-ttl=3600 --listen-address=10.54.1.2 --bind-interfaces >"$WORK/up.log" 2>&1 &
PIDS+=($!)
ip netns exec "$SRV" dnsmasq --no-daemon --no-resolv --no-hosts --pid-file= --conf-file=/dev/null \
    --server=10.54.1.2 --cache-size=10000 --listen-address=10.54.0.2 --bind-interfaces >"$WORK/dnsmasq.log" 2>&1 &
DNSMASQ_PID=$!
PIDS+=($!)
mkfifo "$WORK/warren.in"
ip netns exec "$SRV" java -Xms256m -Xmx512m ${JAVA_OPTS:-} -cp "$CP" "$HERE/WarrenDnsBench.java" 10.54.0.1 10.54.1.2 10000 "$THREADS" \
    <"$WORK/warren.in" >"$WORK/warren.log" 2>&1 &
WARREN_PID=$!
PIDS+=($!)
exec 9>"$WORK/warren.in"
for i in $(seq 1 200); do grep -q READY "$WORK/warren.log" 2>/dev/null && break; sleep 0.1; done
grep -q READY "$WORK/warren.log" || { echo "Warren did not start:"; cat "$WORK/warren.log"; exit 1; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
sys_ticks() { awk '{print $15}' "/proc/$1/stat"; }
TICK_US=$((1000000 / $(getconf CLK_TCK)))

# run NAME SERVER_IP PID SECONDS: one dnsperf pass; prints "qps cpu_us_per_query"
run() {
    local before after out qps done sys0 sys1
    before=$(cpu_ticks "$3"); sys0=$(sys_ticks "$3")
    out=$(ip netns exec "$CLI" dnsperf -s "$2" -d "$WORK/names.txt" -l "$4" -q 200 -c 4 2>&1)
    after=$(cpu_ticks "$3"); sys1=$(sys_ticks "$3")
    qps=$(echo "$out" | awk '/Queries per second/ {print $4}')
    done=$(echo "$out" | awk '/Queries completed/ {print $3}')
    awk -v q="$qps" -v n="$done" -v t=$((after - before)) -v k=$((sys1 - sys0)) -v us="$TICK_US" \
        'BEGIN { printf "%.0f %.2f %.2f\n", q, (n > 0 ? t * us / n : 0), (n > 0 ? k * us / n : 0) }'
}

echo "warm-up (fills both caches, lets the JIT compile)..."
run warren 10.54.0.1 "$WARREN_PID" 3 >/dev/null; run dnsmasq 10.54.0.2 "$DNSMASQ_PID" 3 >/dev/null
run warren 10.54.0.1 "$WARREN_PID" 3 >/dev/null
: > "$WORK/results"
for round in 1 2 3; do
    echo "warren $(run warren 10.54.0.1 "$WARREN_PID" "$DURATION")" >> "$WORK/results"
    echo "dnsmasq $(run dnsmasq 10.54.0.2 "$DNSMASQ_PID" "$DURATION")" >> "$WORK/results"
done
echo "dnsperf -s SERVER -d names.txt ($NAMES cached A names) -l $DURATION -q 200 -c 4; 3 alternating rounds; Warren threads: $THREADS; $(nproc) CPUs"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
awk '
    { qps[$1] = qps[$1] " " $2; cpu[$1] = cpu[$1] " " $3 "(sys " $4 ")"; sq[$1] += $2; sc[$1] += $3; n[$1]++ }
    END {
        for (s in n) printf "  %-8s qps:%s (mean %.0f)   server CPU us/query:%s (mean %.2f)\n", s, qps[s], sq[s] / n[s], cpu[s], sc[s] / n[s]
        printf "  ratio Warren/dnsmasq: qps %.2f, queries per CPU-second %.2f\n", sq["warren"] / sq["dnsmasq"], sc["dnsmasq"] / sc["warren"]
    }' "$WORK/results"
exec 9>&-
