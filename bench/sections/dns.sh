# Section "dns": Warren's DNS forwarder/cache vs dnsmasq, both caching forwarders of one upstream
# (a dnsmasq with BENCH_DNS_NAMES host records, TTL 3600), loaded by dnsperf with cached names.
#
#   client ns (dnsperf) 10.54.0.9 --- srv ns: Warren 10.54.0.1:53, dnsmasq 10.54.0.2:53 --- up ns 10.54.1.2
#
# Fair to dnsmasq: same cache size (10000), same names, same dnsperf options, alternating within each
# run, and (on 2+ cores) the same CPU budget: each server is pinned to CPU 1 (Warren's JIT and GC
# threads included) and dnsperf to CPU 0, so a server cannot borrow the load generator's core and the
# load generator cannot starve the server. BENCH_DNS_PIN=0 turns pinning off; BENCH_DNS_THREADS sets
# Warren's event loops (default 1; dnsmasq is single-threaded). Recorded: queries/s, and server CPU
# per query split into user and system time (from /proc/PID/stat), which stays meaningful on a
# busy machine when queries/s does not.
#
# The ceiling, "null" (10.54.0.3:53, bench/src/main/c/dnsnull.c, gcc at bench time): a UDP responder
# that answers every query with one fixed A record, through one recvmmsg of up to 16 datagrams (the
# batch of Warren's listening socket) and one sendmmsg per batch, pinned like the servers and
# measured in the same alternation. What it reaches is what any userspace server on the kernel socket
# API can reach here; "null / dnsmasq" says whether a target ratio is reachable at all. dnsperf's own
# CPU per query is recorded too (with veth, each side's sends also run the other side's receive path
# in the kernel), and how busy each pinned core was: when dnsperf's core is the saturated one, queries/s
# measures the load generator, and server CPU per query is the figure that compares the servers.
# "server-bound" and "dnsperf-bound queries/s" turn both CPU figures into what each core could carry
# at 100%; the pinned queries/s is the smaller of the two. Seen here (2 cores, 2026-11-24): dnsperf
# needs 6.5-7 us of its core per query, so it carries ~145-150k queries/s with any server, ~1.2x
# what dnsmasq's own core carries: a queries/s ratio above that is not measurable with this setup.
#
# Uncached: a second pass per server and run asks names no cache holds (a fresh list of unique names
# under miss.test, which the upstream answers for any name), so every query goes upstream: the miss
# path (upstream socket, query id, answer matching). dnsperf keeps at most 100 queries outstanding,
# below dnsmasq's default dns-forward-max of 150. Not for null, which forwards nothing.

dns_packages() { echo dnsperf dnsmasq-base gcc libc6-dev; }
dns_reference() { echo dnsmasq; }
dns_ceiling() { echo null; }

section_dns() {
  local id="wd$$" cli srv up w="$BENCH_WORK/dns" names=${BENCH_DNS_NAMES:-1000} threads=${BENCH_DNS_THREADS:-1}
  local pin=${BENCH_DNS_PIN:-1} run impl i
  cli="$id-cli"; srv="$id-srv"; up="$id-up"; mkdir -p "$w"
  [ "$(nproc)" -ge 2 ] || pin=0
  for n in "$cli" "$srv" "$up"; do ip netns add "$n"; BENCH_NETNS+=("$n"); ip -n "$n" link set lo up; done
  ip -n "$cli" link add c0 type veth peer name s0 netns "$srv"
  ip -n "$srv" link add s1 type veth peer name u0 netns "$up"
  ip -n "$cli" addr add 10.54.0.9/24 dev c0
  ip -n "$srv" addr add 10.54.0.1/24 dev s0; ip -n "$srv" addr add 10.54.0.2/24 dev s0
  ip -n "$srv" addr add 10.54.0.3/24 dev s0
  ip -n "$srv" addr add 10.54.1.1/24 dev s1; ip -n "$up" addr add 10.54.1.2/24 dev u0
  ip -n "$cli" link set c0 up; ip -n "$srv" link set s0 up; ip -n "$srv" link set s1 up; ip -n "$up" link set u0 up

  : > "$w/upstream.conf"; : > "$w/names.txt"
  for i in $(seq 1 "$names"); do
    echo "host-record=h$i.bench.test,10.55.$((i / 250)).$((i % 250 + 1))" >> "$w/upstream.conf"
    echo "h$i.bench.test A" >> "$w/names.txt"
  done
  echo "address=/miss.test/10.56.0.1" >> "$w/upstream.conf"
  local srvcpu=() clicpu=()
  if [ "$pin" = 1 ]; then srvcpu=(taskset -c 1); clicpu=(taskset -c 0); fi
  ip netns exec "$up" dnsmasq --no-daemon --no-resolv --no-hosts --pid-file= --conf-file="$w/upstream.conf" \
    --local-ttl=3600 --listen-address=10.54.1.2 --bind-interfaces > "$w/up.log" 2>&1 &
  BENCH_PIDS+=($!)
  ip netns exec "$srv" "${srvcpu[@]}" dnsmasq --no-daemon --no-resolv --no-hosts --pid-file= --conf-file=/dev/null \
    --server=10.54.1.2 --cache-size=10000 --listen-address=10.54.0.2 --bind-interfaces > "$w/dnsmasq.log" 2>&1 &
  local dnsmasq_pid=$!
  BENCH_PIDS+=("$dnsmasq_pid")
  if ! gcc -O2 -Wall -o "$w/dnsnull" bench/src/main/c/dnsnull.c 2> "$w/gcc.log"; then
    broken "dns/null: gcc failed ($(head -3 "$w/gcc.log" | tr '\n' ' '))"; return 0
  fi
  ip netns exec "$srv" "${srvcpu[@]}" "$w/dnsnull" 10.54.0.3 53 16 > "$w/null.log" 2>&1 &
  local null_pid=$!
  BENCH_PIDS+=("$null_pid")
  mkfifo "$w/warren.in"
  # Compiled ahead, not run as a source file: the source launcher compiles in the measured JVM, and javac's
  # classes and heap then made most of the daemon's peak RSS (124 MiB).
  local javac="${JAVA%java}javac"; [ -x "$javac" ] || javac=javac
  if ! "$javac" -d "$w/launcher" -cp "$BENCH_CP" bench/dns/WarrenDnsBench.java 2> "$w/javac.log"; then
    broken "dns/warren: javac failed ($(head -3 "$w/javac.log" | tr '\n' ' '))"; return 0
  fi
  # shellcheck disable=SC2086
  ip netns exec "$srv" "${srvcpu[@]}" "$JAVA" $WARREN_JAVA_OPTS -cp "$w/launcher:$BENCH_CP" WarrenDnsBench \
    10.54.0.1 10.54.1.2 10000 "$threads" < "$w/warren.in" > "$w/warren.log" 2>&1 &
  local warren_pid=$!
  BENCH_PIDS+=("$warren_pid")
  exec 8> "$w/warren.in"
  for _ in $(seq 300); do grep -q READY "$w/warren.log" 2>/dev/null && break; sleep 0.1; done
  if ! grep -q READY "$w/warren.log"; then
    broken "dns/warren: did not start ($(tail -3 "$w/warren.log" | tr '\n' ' '))"; exec 8>&-; return 0
  fi
  # Warm-up, not recorded: fills both caches and lets the JIT compile Warren's paths (the miss path
  # first and longer, 6 s: after 3 s its C2 compilations still cost more CPU than the queries).
  dns_miss_names "$w/miss.txt" warm; DNS_NAMES="$w/miss.txt" DNS_OPTS="-q 100 -c 4" \
    dns_pass "$cli" 10.54.0.1 "$warren_pid" 6 "${clicpu[@]}" > /dev/null
  dns_pass "$cli" 10.54.0.1 "$warren_pid" 3 "${clicpu[@]}" > /dev/null
  dns_pass "$cli" 10.54.0.2 "$dnsmasq_pid" 3 "${clicpu[@]}" > /dev/null
  dns_pass "$cli" 10.54.0.1 "$warren_pid" 3 "${clicpu[@]}" > /dev/null
  dns_pass "$cli" 10.54.0.3 "$null_pid" 1 "${clicpu[@]}" > /dev/null
  for run in $(seq "$BENCH_RUNS"); do
    echo "dns: run $run/$BENCH_RUNS" >&2
    for impl in warren dnsmasq null; do
      local ip pid qps user sys client
      case $impl in
        warren) ip=10.54.0.1; pid=$warren_pid ;;
        dnsmasq) ip=10.54.0.2; pid=$dnsmasq_pid ;;
        null) ip=10.54.0.3; pid=$null_pid ;;
      esac
      read -r qps user sys client <<<"$(dns_pass "$cli" "$ip" "$pid" "$BENCH_SECS" "${clicpu[@]}")"
      [ "${qps:-0}" -gt 0 ] || broken "dns/$impl: no answers"
      record dns "cached queries/s" "$impl" "$qps" qps
      record dns "server CPU us/query" "$impl" "$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')" us 0
      record dns "  of which system us/query" "$impl" "$sys" us 0
      record dns "dnsperf CPU us/query" "$impl" "$client" us 0
      # Capacities from CPU per query (steady on a busy box, unlike queries/s): what the server's core
      # could answer, and what dnsperf's core could send and receive, each at 100% busy. The pinned
      # benchmark measures the smaller of the two.
      record dns "server-bound queries/s (1 core)" "$impl" "$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%d", (u + s > 0 ? 1e6 / (u + s) : 0)}')" qps
      record dns "dnsperf-bound queries/s (1 core)" "$impl" "$(awk -v c="$client" 'BEGIN {printf "%d", (c > 0 ? 1e6 / c : 0)}')" qps
      # Which side is saturated: a core near 100% busy is the bottleneck of that pass.
      record dns "server core busy (%)" "$impl" "$(awk -v q="$qps" -v u="$user" -v s="$sys" 'BEGIN {printf "%d", q * (u + s) / 1e4}')" % 0
      record dns "dnsperf core busy (%)" "$impl" "$(awk -v q="$qps" -v c="$client" 'BEGIN {printf "%d", q * c / 1e4}')" % 0
      [ "$impl" != null ] || continue
      dns_miss_names "$w/miss.txt" "$run$impl"
      read -r qps user sys client <<<"$(DNS_NAMES="$w/miss.txt" DNS_OPTS="-q 100 -c 4" \
        dns_pass "$cli" "$ip" "$pid" "$BENCH_SECS" "${clicpu[@]}")"
      [ "${qps:-0}" -gt 0 ] || broken "dns/$impl: no uncached answers"
      record dns "uncached queries/s" "$impl" "$qps" qps
      record dns "server CPU us/query, uncached" "$impl" "$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')" us 0
      record dns "  of which system us/query, uncached" "$impl" "$sys" us 0
    done
  done
  record dns "peak RSS (MiB)" warren "$(hwm_of "$warren_pid")" MiB 0
  record dns "peak RSS (MiB)" dnsmasq "$(hwm_of "$dnsmasq_pid")" MiB 0
  exec 8>&-
  stop_pids "$warren_pid" "$dnsmasq_pid" "$null_pid"
}

# dns_miss_names FILE TAG: 300,000 names no cache holds yet (unique per TAG), all under miss.test.
dns_miss_names() {
  awk -v t="$2" 'BEGIN { for (i = 0; i < 300000; i++) printf "u%s-%d.miss.test A\n", t, i }' > "$1"
}

# dns_pass CLIENT_NS SERVER PID SECONDS [CPU PINNING...]
# (DNS_NAMES: the name list, default the cached names; DNS_OPTS: dnsperf options instead of BENCH_DNSPERF_OPTS)
#   -> "qps server_user_us_per_query server_sys_us_per_query dnsperf_us_per_query"
# The server's CPU covers the whole pass (it is idle once the queries stop). dnsperf's covers only
# the steady middle of the pass (from 1 s in to 1 s before the end): after the time limit it keeps
# a core busy while it waits out the timeout of lost queries (dnsmasq loses a few per pass), which
# is no work done for the queries counted.
dns_pass() {
  local ns=$1 server=$2 pid=$3 secs=$4; shift 4
  local u0 s0 u1 s1 c0 c1 t0 t1 dp out="$BENCH_WORK/dns/dnsperf.out"
  read -r u0 s0 < <(awk '{print $14, $15}' "/proc/$pid/stat")
  # shellcheck disable=SC2086
  ip netns exec "$ns" "$@" dnsperf -s "$server" -d "${DNS_NAMES:-$BENCH_WORK/dns/names.txt}" -l "$secs" \
    ${DNS_OPTS:-${BENCH_DNSPERF_OPTS:--q 200 -c 4}} > "$out" 2>&1 &
  dp=$! # ip netns exec and taskset exec dnsperf: the same pid
  sleep 1
  read -r c0 t0 <<<"$(awk '{print $14 + $15}' "/proc/$dp/stat" 2>/dev/null || echo 0) $(date +%s.%N)"
  sleep "$(( secs > 2 ? secs - 2 : 0 ))"
  read -r c1 t1 <<<"$(awk '{print $14 + $15}' "/proc/$dp/stat" 2>/dev/null || echo 0) $(date +%s.%N)"
  wait "$dp" || true
  read -r u1 s1 < <(awk '{print $14, $15}' "/proc/$pid/stat")
  awk -v u="$((u1 - u0))" -v s="$((s1 - s0))" -v c="$(( ${c1:-0} - ${c0:-0} ))" -v dt="$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" \
    -v hz="$(getconf CLK_TCK)" '
    /Queries completed/ { n = $3 } /Queries per second/ { q = $4 }
    END { if (n > 0 && q > 0) printf "%d %.2f %.2f %.2f\n", q, u * 1e6 / hz / n, s * 1e6 / hz / n, (dt > 0 ? c * 1e6 / hz / (q * dt) : 0)
          else print "0 0 0 0" }' "$out"
}
