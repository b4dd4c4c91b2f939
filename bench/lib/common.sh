# Shared by bench/run and every bench/sections/*.sh: results, statistics, daemon accounting and
# the two-namespace underlay. Sourced, not executed.
#
# A section records one number per (run, metric, implementation) with `record`; bench/run turns
# the records into medians, spreads and ratios (bench/lib/report.sh).

# record SECTION METRIC IMPL VALUE UNIT [HIGHER_IS_BETTER=1]
record() {
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "${6:-1}" >> "$BENCH_RESULTS"
  printf '  %-10s %-28s %-16s %12s %s\n' "$1" "$2" "$3" "$4" "$5" >&2
}

# A run that could not produce a number at all (daemon did not start, no handshake): bench/run exits 1.
broken() {
  echo "BROKEN: $*" >&2
  echo "$*" >> "$BENCH_BROKEN"
}

# CPU seconds (utime+stime, all threads) and peak RSS (MiB) of a pid, or summed over a
# space-separated list of pids (a daemon made of several processes).
cpu_of() {
  local p t=0
  for p in $1; do t=$(awk -v t="$t" '{printf "%.2f", t + ($14+$15)/100}' "/proc/$p/stat" 2>/dev/null || echo "$t"); done
  echo "$t"
}
hwm_of() {
  local p t=0
  for p in $1; do t=$(( t + $(awk '/VmHWM/ {printf "%d", $2/1024}' "/proc/$p/status" 2>/dev/null || echo 0) )); done
  echo "$t"
}
# Busy CPU seconds of the whole box so far (user, nice, system, irq, softirq; all cores).
box_busy() { awk '/^cpu / {printf "%.2f", ($2+$3+$4+$7+$8)/100}' /proc/stat; }
rss_of() { awk '/VmRSS/ {printf "%d", $2/1024}' "/proc/$1/status" 2>/dev/null || echo 0; }
# Idle resident memory (MiB) of a pair of daemons, averaged, read after BENCH_IDLE_SETTLE seconds
# (default 15) without traffic, the same wait for every implementation: a JVM gives its start-up C heap
# back only at the next -XX:TrimNativeHeapInterval tick (10 s) and drops its start-up classes at the
# collection after start-up, so a reading taken just after the tunnel came up measures start-up, not
# idle (issue #9: ~100 MiB 2 s after start, ~80 once settled).
idle_rss() { # pid-a pid-b
  sleep "${BENCH_IDLE_SETTLE:-15}"
  echo "$(( ($(rss_of "$1") + $(rss_of "$2")) / 2 ))"
}

# Kills (TERM, then KILL after 5 s) and reaps the given pids, which this script started.
stop_pids() {
  local p
  for p in "$@"; do kill "$p" 2>/dev/null || true; done
  for p in "$@"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true
  done
}

# underlay_up A B: namespaces A (10.50.0.1) and B (10.50.0.2) joined by veth ul0, TX checksum
# offload off (lab notes: userspace tunnel endpoints otherwise forward unfinished checksums).
underlay_up() {
  ip netns add "$1"; ip netns add "$2"
  BENCH_NETNS+=("$1" "$2")
  ip -n "$1" link set lo up; ip -n "$2" link set lo up
  ip -n "$1" link add ul0 type veth peer name ul0 netns "$2"
  ip -n "$1" addr add 10.50.0.1/24 dev ul0; ip -n "$2" addr add 10.50.0.2/24 dev ul0
  ip -n "$1" link set ul0 up; ip -n "$2" link set ul0 up
  ip netns exec "$1" ethtool -K ul0 tx off >/dev/null; ip netns exec "$2" ethtool -K ul0 tx off >/dev/null
}

# ---- traffic: iperf3 and ping between two namespaces ---------------------------------------

# iperf_server NS ADDR: a one-shot iperf3 server; prints its pid once it listens.
iperf_server() {
  ip netns exec "$1" iperf3 -s -1 -B "$2" >/dev/null 2>&1 &
  local p=$!
  for _ in $(seq 100); do ip netns exec "$1" ss -ltn 2>/dev/null | grep -q ":5201 " && break; sleep 0.05; done
  echo "$p"
}

# iperf_tcp NS DST SECS STREAMS -> "bits_per_second bytes" received (0 0 on failure)
iperf_tcp() {
  ip netns exec "$1" timeout $(( $3 + 15 )) iperf3 -c "$2" -t "$3" -P "$4" -J 2>/dev/null | /usr/bin/python3 -c '
import json, sys
try:
    e = json.load(sys.stdin)["end"]["sum_received"]; print(int(e["bits_per_second"]), int(e["bytes"]))
except Exception:
    print(0, 0)'
}

# iperf_udp NS DST SECS LEN -> received packets per second (0 on failure)
iperf_udp() {
  ip netns exec "$1" timeout $(( $3 + 15 )) iperf3 -c "$2" -u -b 0 -l "$4" -t "$3" -J 2>/dev/null | /usr/bin/python3 -c '
import json, sys
try:
    e = json.load(sys.stdin)["end"]["sum"]; print(int((e["packets"] - e["lost_packets"]) / e["seconds"]))
except Exception:
    print(0)'
}

# ping_median NS DST COUNT -> median RTT in microseconds (0 when no reply)
ping_median() {
  ip netns exec "$1" ping -n -c "$3" -i 0.05 -W 1 "$2" 2>/dev/null \
    | sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' | sort -n \
    | awk '{a[NR]=$1} END {if (NR == 0) print 0; else printf "%d\n", 1000 * (NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'
}

# ---- one tunnel measured the same way for every implementation ----------------------------

# tunnel_suite SECTION IMPL NS_A NS_B DST PID_A PID_B: TCP 1 and 4 streams, UDP 64/1392-byte
# packets/s, ping idle and under load, CPU seconds per GB and peak RSS of the daemons (pids may
# be empty for the kernel underlay, or lists "PID PID" for a daemon of several processes).
# Sender in NS_A, receiver at DST in NS_B.
tunnel_suite() {
  local sec=$1 impl=$2 a=$3 b=$4 dst=$5 pa=$6 pb=$7 srv c0 c1 out bps bytes
  # Warm-up, not recorded: 2 s of TCP so that a JIT has compiled the data path before anything counts.
  srv=$(iperf_server "$b" "$dst"); iperf_tcp "$a" "$dst" 2 1 >/dev/null; wait "$srv" 2>/dev/null || true
  record "$sec" "ping idle (us)" "$impl" "$(ping_median "$a" "$dst" "$BENCH_PINGS")" us 0
  c0=$(cpu_sum "$pa" "$pb")
  srv=$(iperf_server "$b" "$dst")
  local box0; box0=$(box_busy)
  out=$(iperf_tcp "$a" "$dst" "$BENCH_SECS" 1 & ping_median "$a" "$dst" "$BENCH_PINGS" > "$BENCH_WORK/loadping"; wait)
  wait "$srv" 2>/dev/null || true
  c1=$(cpu_sum "$pa" "$pb")
  local box1; box1=$(box_busy)
  read -r bps bytes <<<"$out"
  [ "${bps:-0}" -gt 0 ] || broken "$sec/$impl: TCP 1 stream moved no data"
  record "$sec" "TCP 1 stream (Mbit/s)" "$impl" "$(( bps / 1000000 ))" Mbit/s
  record "$sec" "ping under load (us)" "$impl" "$(cat "$BENCH_WORK/loadping")" us 0
  if [ -n "$pa" ] && [ "${bytes:-0}" -gt 0 ]; then
    record "$sec" "CPU s per GB (both ends)" "$impl" "$(awk -v c="$c0" -v d="$c1" -v b="$bytes" 'BEGIN {printf "%.2f", (d-c)/(b/1e9)}')" s/GB 0
  fi
  # BENCH_BOX_CPU=1: also the whole box's CPU per GB (where in-kernel tunnels spend theirs).
  if [ -n "${BENCH_BOX_CPU:-}" ] && [ "${bytes:-0}" -gt 0 ]; then
    record "$sec" "box CPU s per GB (all cores)" "$impl" "$(awk -v c="$box0" -v d="$box1" -v b="$bytes" 'BEGIN {printf "%.2f", (d-c)/(b/1e9)}')" s/GB 0
  fi
  srv=$(iperf_server "$b" "$dst")
  read -r bps bytes <<<"$(iperf_tcp "$a" "$dst" "$BENCH_SECS" 4)"
  wait "$srv" 2>/dev/null || true
  record "$sec" "TCP 4 streams (Mbit/s)" "$impl" "$(( bps / 1000000 ))" Mbit/s
  if [ -z "$BENCH_SHORT" ]; then
    local len
    for len in 64 1392; do
      srv=$(iperf_server "$b" "$dst")
      record "$sec" "UDP ${len} B (kpps recv)" "$impl" "$(( $(iperf_udp "$a" "$dst" "$BENCH_SECS" "$len") / 1000 ))" kpps
      wait "$srv" 2>/dev/null || true
    done
  fi
  if [ -n "$pa" ]; then
    record "$sec" "peak RSS per daemon (MiB)" "$impl" "$(( ($(hwm_of "$pa") + $(hwm_of "$pb")) / 2 ))" MiB 0
  fi
}

cpu_sum() {
  [ -n "$1" ] || { echo 0; return; }
  awk -v a="$(cpu_of "$1")" -v b="$(cpu_of "$2")" 'BEGIN {printf "%.2f", a+b}'
}
