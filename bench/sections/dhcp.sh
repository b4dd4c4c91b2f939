# Section "dhcp": Warren's DHCP server vs dnsmasq, leases per second under perfdhcp (kea-admin),
# perfdhcp as a relay against each server, alternating, best rate of each.
#
# Two namespaces joined by a veth (10.88.0.1 server, 10.88.0.2 perfdhcp). perfdhcp always acts as a
# relay (giaddr 10.88.0.2), so both servers serve 10.88.0.0/16, range 10.88.1.0-10.88.255.254, 1 h
# leases, lease files on disk, no ping-before-offer; random MACs (-M). A server's figure for a run is
# its best completed-DORA rate over a few offered rates (an overloaded dnsmasq collapses, so it is
# also offered lower rates); dnsmasq restarts with an empty lease file for each rate (its cost grows
# with the file), Warren runs all rates in one JVM after a 3 s warm-up. Both servers are pinned to
# CPU 1 and perfdhcp to CPU 0 on 2+ cores (BENCH_DHCP_PIN=0 turns it off).

dhcp_packages() { echo kea-admin dnsmasq-base ethtool; }
dhcp_reference() { echo dnsmasq; }

section_dhcp() {
  local id="wh$$" srv cli w="$BENCH_WORK/dhcp" run pin=${BENCH_DHCP_PIN:-1} macs=50000
  local warren_rates dnsmasq_rates
  if [ -n "$BENCH_SHORT" ]; then warren_rates="4000"; dnsmasq_rates="1000"; macs=20000
  else warren_rates="2000 4000 8000"; dnsmasq_rates="250 500 1000 4000"; fi
  warren_rates=${BENCH_DHCP_WARREN_RATES:-$warren_rates}; dnsmasq_rates=${BENCH_DHCP_DNSMASQ_RATES:-$dnsmasq_rates}
  srv="$id-s"; cli="$id-c"; mkdir -p "$w"
  [ "$(nproc)" -ge 2 ] || pin=0
  DHCP_SRVCPU=(); DHCP_CLICPU=()
  if [ "$pin" = 1 ]; then DHCP_SRVCPU=(taskset -c 1); DHCP_CLICPU=(taskset -c 0); fi
  ip netns add "$srv"; ip netns add "$cli"; BENCH_NETNS+=("$srv" "$cli")
  ip -n "$srv" link add srv0 type veth peer name cli0 netns "$cli"
  ip netns exec "$srv" ethtool -K srv0 tx off > /dev/null; ip netns exec "$cli" ethtool -K cli0 tx off > /dev/null
  ip -n "$srv" addr add 10.88.0.1/16 dev srv0; ip -n "$cli" addr add 10.88.0.2/16 dev cli0
  for ns in "$srv" "$cli"; do ip -n "$ns" link set lo up; done
  ip -n "$srv" link set srv0 up; ip -n "$cli" link set cli0 up
  od -An -v -tx1 -N $((macs * 5)) /dev/urandom | tr -s ' \n' '\n' | grep . | paste -d: - - - - - | sed 's/^/02:/' \
    > "$w/macs"
  for run in $(seq "$BENCH_RUNS"); do
    echo "dhcp: run $run/$BENCH_RUNS" >&2
    dhcp_warren "$srv" "$cli" "$w/run$run" "$warren_rates"
    record dhcp "leases/s (best rate)" warren "$DHCP_BEST" leases/s
    dhcp_dnsmasq "$srv" "$cli" "$w/run$run" "$dnsmasq_rates"
    record dhcp "leases/s (best rate)" dnsmasq "$DHCP_BEST" leases/s
  done
}

# dhcp_perf CLI_NS RATE SECONDS OUT -> completed DORA exchanges per second ("Rate:" line), 0 if none
dhcp_perf() {
  ip netns exec "$1" "${DHCP_CLICPU[@]}" perfdhcp -4 -l 10.88.0.2 -r "$2" -M "$BENCH_WORK/dhcp/macs" -p "$3" -d 2 \
    10.88.0.1 > "$4" 2>&1 || true
  awk '/^Rate:/ && r == "" { r = $2 } END { printf "%d\n", r + 0 }' "$4"
}

# Not run in a subshell: the server pids must reach BENCH_PIDS for bench/run's cleanup.
dhcp_warren() { # srv cli dir rates -> DHCP_BEST (leases/s)
  local srv=$1 cli=$2 dir=$3/warren best=0 r got pid
  DHCP_BEST=0
  mkdir -p "$dir"
  # shellcheck disable=SC2086
  ip netns exec "$srv" "${DHCP_SRVCPU[@]}" "$JAVA" $WARREN_JAVA_OPTS -cp "$BENCH_CP" io.warren.gateway.dhcp.DhcpServerMain \
    srv0 10.88.0.0/16 10.88.1.0 10.88.255.254 3600 200000 "$dir" > "$dir.log" 2>&1 &
  pid=$!
  BENCH_PIDS+=("$pid")
  for _ in $(seq 200); do grep -q '^ready' "$dir.log" && break; sleep 0.1; done
  if ! grep -q '^ready' "$dir.log"; then
    broken "dhcp/warren: did not start ($(tail -3 "$dir.log" | tr '\n' ' '))"; stop_pids "$pid"; return
  fi
  dhcp_perf "$cli" 2000 3 "$dir.warmup" > /dev/null
  for r in $4; do
    got=$(dhcp_perf "$cli" "$r" "$BENCH_SECS" "$dir.perf-$r")
    best=$(( got > best ? got : best ))
  done
  stop_pids "$pid"
  [ "$best" -gt 0 ] || broken "dhcp/warren: no lease completed"
  DHCP_BEST=$best
}

dhcp_dnsmasq() { # srv cli dir rates -> DHCP_BEST (leases/s)
  local srv=$1 cli=$2 dir=$3/dnsmasq best=0 r got pid
  DHCP_BEST=0
  mkdir -p "$dir"
  for r in $4; do
    rm -f "$dir/leases" "$dir/pid"
    ip netns exec "$srv" "${DHCP_SRVCPU[@]}" dnsmasq -k --conf-file=/dev/null --port=0 --interface=srv0 --bind-interfaces \
      --dhcp-range=10.88.1.0,10.88.255.254,255.255.0.0,1h --dhcp-leasefile="$dir/leases" \
      --dhcp-lease-max=200000 --no-ping --dhcp-authoritative --quiet-dhcp --user=root \
      --pid-file="$dir/pid" --log-facility="$dir/log" &
    pid=$!
    BENCH_PIDS+=("$pid")
    for _ in $(seq 50); do [ -s "$dir/pid" ] && break; sleep 0.1; done
    got=$(dhcp_perf "$cli" "$r" "$BENCH_SECS" "$dir/perf-$r")
    best=$(( got > best ? got : best ))
    stop_pids "$pid"
  done
  [ "$best" -gt 0 ] || broken "dhcp/dnsmasq: no lease completed"
  DHCP_BEST=$best
}
