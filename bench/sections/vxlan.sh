# Section "vxlan": an L2 overlay between two namespaces, VXLAN VNI 42 on UDP 4789 over the same
# kind of veth underlay (TX checksum offload off), the overlay address on the VTEP's own device:
#   warren  Warren <-> Warren (a [tunnel] of type vxlan; 10.61.0.x added to its TAP device)
#   kernel  Linux vxlan <-> Linux vxlan (never leaves the kernel)
#   ovs     Open vSwitch userspace datapath <-> OVS (lab notes recipe: netdev bridges, underlay
#           address on the underlay bridge, overlay address on the VXLAN bridge's internal port;
#           in a namespace pair of its own, since it takes the underlay port over)
#   underlay the bare veth, no tunnel (the ceiling)
# Each implementation gets BENCH_VXLAN_WARMUP seconds (default 8, 4 with --short) of TCP before the
# suite: the daemons are started afresh every run and a cold JIT (C2 compiling on the same two
# cores) would otherwise be what the first test measures; a gateway runs for days.
# Ratios: Warren against the kernel and against OVS. CPU seconds per GB are given per daemon
# (Warren, ovs-vswitchd + ovsdb-server) and for the whole box (all cores, iperf3 included: the only
# figure the kernel's softirq work shows up in; meaningful on a quiet machine only).

vxlan_packages() { echo iperf3 ethtool iproute2 openvswitch-switch; }
vxlan_reference() { echo kernel,ovs; }
vxlan_ceiling() { echo underlay; }

section_vxlan() {
  local id="vb$$" A B C D w="$BENCH_WORK/vxlan" run impl
  A="$id-a"; B="$id-b"; C="$id-c"; D="$id-d"; mkdir -p "$w"
  underlay_up "$A" "$B"
  underlay_up "$C" "$D"
  for run in $(seq "$BENCH_RUNS"); do
    echo "vxlan: run $run/$BENCH_RUNS" >&2
    for impl in underlay warren kernel ovs; do
      case "$impl" in
        underlay) BENCH_BOX_CPU=1 tunnel_suite vxlan underlay "$A" "$B" 10.50.0.2 "" "" ;;
        warren) vxlan_measure_warren "$A" "$B" "$w" ;;
        kernel) vxlan_measure_kernel "$A" "$B" ;;
        ovs) vxlan_measure_ovs "$C" "$D" "$w" ;;
      esac
    done
  done
}

# vxlan_warm NS_A NS_B DST: TCP from NS_A to DST for the warm-up time, not recorded.
vxlan_warm() {
  local srv secs=${BENCH_VXLAN_WARMUP:-$([ -n "$BENCH_SHORT" ] && echo 4 || echo 8)}
  srv=$(iperf_server "$2" "$3"); iperf_tcp "$1" "$3" "$secs" 1 >/dev/null; wait "$srv" 2>/dev/null || true
}

vxlan_measure_kernel() { # A B
  local A=$1 B=$2 ns me other
  for ns in "$A" "$B"; do
    me=$([ "$ns" = "$A" ] && echo 1 || echo 2); other=$((3 - me))
    ip -n "$ns" link add vx0 type vxlan id 42 local "10.50.0.$me" remote "10.50.0.$other" dstport 4789 dev ul0
    ip -n "$ns" addr add "10.61.0.$me/24" dev vx0
    ip -n "$ns" link set vx0 up
  done
  if vxlan_overlay_up "$A"; then
    vxlan_warm "$A" "$B" 10.61.0.2
    BENCH_BOX_CPU=1 tunnel_suite vxlan kernel "$A" "$B" 10.61.0.2 "" ""
  else
    broken "vxlan/kernel: no overlay"
  fi
  ip -n "$A" link del vx0; ip -n "$B" link del vx0
}

vxlan_measure_warren() { # A B w
  local A=$1 B=$2 w=$3 pa pb s ns ok=1
  for s in a b; do
    {
      echo "[tunnel.wvx0]"; echo 'type = "vxlan"'; echo "vni = 42"
      echo "remote = \"10.50.0.$([ "$s" = a ] && echo 2 || echo 1)\""
      echo "[metrics]"; echo "enabled = false"
      echo "[control]"; echo "socket = \"$w/$s-control.sock\""
    } > "$w/$s.toml"
  done
  # shellcheck disable=SC2086
  ip netns exec "$A" "$JAVA" $WARREN_JAVA_OPTS -cp "$BENCH_CP" io.warren.gateway.Main run --config "$w/a.toml" > "$w/warren-a.log" 2>&1 &
  pa=$!
  # shellcheck disable=SC2086
  ip netns exec "$B" "$JAVA" $WARREN_JAVA_OPTS -cp "$BENCH_CP" io.warren.gateway.Main run --config "$w/b.toml" > "$w/warren-b.log" 2>&1 &
  pb=$!
  BENCH_PIDS+=("$pa" "$pb")
  for ns in "$A" "$B"; do
    vxlan_wait_link "$ns" wvx0 || ok=0
  done
  if [ "$ok" = 1 ]; then
    ip -n "$A" addr add 10.61.0.1/24 dev wvx0; ip -n "$B" addr add 10.61.0.2/24 dev wvx0
  fi
  if [ "$ok" = 1 ] && vxlan_overlay_up "$A"; then
    record vxlan "idle RSS per daemon (MiB)" warren "$(idle_rss "$pa" "$pb")" MiB 0
    vxlan_warm "$A" "$B" 10.61.0.2
    BENCH_BOX_CPU=1 tunnel_suite vxlan warren "$A" "$B" 10.61.0.2 "$pa" "$pb"
  else
    broken "vxlan/warren: no overlay (logs: $(tail -3 "$w/warren-a.log" | tr '\n' ' '))"
  fi
  stop_pids "$pa" "$pb"
}

vxlan_measure_ovs() { # C D w: one ovsdb-server + ovs-vswitchd per namespace, private directories
  local C=$1 D=$2 w=$3 ns me other d pids=() dbs=() ok=1
  for ns in "$C" "$D"; do
    me=$([ "$ns" = "$C" ] && echo 1 || echo 2); other=$((3 - me)); d="$w/ovs-$me"
    rm -rf "$d"; mkdir -p "$d"
    ovsdb-tool create "$d/conf.db" /usr/share/openvswitch/vswitch.ovsschema
    ip netns exec "$ns" env OVS_RUNDIR="$d" OVS_LOGDIR="$d" OVS_DBDIR="$d" OVS_SYSCONFDIR="$d" \
      ovsdb-server "$d/conf.db" --remote="punix:$d/db.sock" --log-file="$d/ovsdb-server.log" >/dev/null 2>&1 &
    dbs+=($!); BENCH_PIDS+=($!)
    for _ in $(seq 100); do [ -S "$d/db.sock" ] && break; sleep 0.1; done
    vxlan_vsctl "$ns" "$d" --no-wait init || ok=0
    ip netns exec "$ns" env OVS_RUNDIR="$d" OVS_LOGDIR="$d" OVS_DBDIR="$d" OVS_SYSCONFDIR="$d" \
      ovs-vswitchd "unix:$d/db.sock" --disable-system --log-file="$d/ovs-vswitchd.log" >/dev/null 2>&1 &
    pids+=($!); BENCH_PIDS+=($!)
    vxlan_vsctl "$ns" "$d" add-br brul -- set bridge brul datapath_type=netdev || ok=0
    vxlan_vsctl "$ns" "$d" add-port brul ul0 || ok=0
    ip -n "$ns" addr flush dev ul0
    ip netns exec "$ns" sysctl -qw net.ipv4.conf.ul0.arp_ignore=1
    ip -n "$ns" addr add "10.50.0.$me/24" dev brul; ip -n "$ns" link set brul up
    vxlan_vsctl "$ns" "$d" add-br brvx -- set bridge brvx datapath_type=netdev -- set interface brvx mtu_request=1450 || ok=0
    vxlan_vsctl "$ns" "$d" add-port brvx vx0 -- set interface vx0 type=vxlan "options:remote_ip=10.50.0.$other" \
      options:key=42 options:dst_port=4789 || ok=0
    ip -n "$ns" addr add "10.61.0.$me/24" dev brvx; ip -n "$ns" link set brvx up
  done
  if [ "$ok" = 1 ] && vxlan_overlay_up "$C"; then
    sleep 1
    vxlan_warm "$C" "$D" 10.61.0.2
    BENCH_BOX_CPU=1 tunnel_suite vxlan ovs "$C" "$D" 10.61.0.2 "${pids[0]} ${dbs[0]}" "${pids[1]} ${dbs[1]}"
  else
    broken "vxlan/ovs: no overlay (log: $(tail -3 "$w/ovs-1/ovs-vswitchd.log" 2>/dev/null | tr '\n' ' '))"
  fi
  stop_pids "${pids[@]}" "${dbs[@]}"
  # Give the underlay back as underlay_up left it (the netdev bridge took its address).
  for ns in "$C" "$D"; do
    me=$([ "$ns" = "$C" ] && echo 1 || echo 2)
    ip netns exec "$ns" sysctl -qw net.ipv4.conf.ul0.arp_ignore=0
    ip -n "$ns" link del brul 2>/dev/null; ip -n "$ns" link del brvx 2>/dev/null
    ip -n "$ns" addr replace "10.50.0.$me/24" dev ul0
  done
}

vxlan_vsctl() { # ns dir args...
  local ns=$1 d=$2; shift 2
  ip netns exec "$ns" env OVS_RUNDIR="$d" OVS_LOGDIR="$d" OVS_DBDIR="$d" OVS_SYSCONFDIR="$d" \
    ovs-vsctl --db="unix:$d/db.sock" --timeout=20 "$@"
}

vxlan_wait_link() { for _ in $(seq 300); do ip -n "$1" link show "$2" >/dev/null 2>&1 && return 0; sleep 0.1; done; return 1; }

# ARP and the first flood may take a moment on a loaded machine: wait up to 20 s.
vxlan_overlay_up() {
  for _ in $(seq 20); do ip netns exec "$1" ping -c 1 -W 1 10.61.0.2 >/dev/null 2>&1 && return 0; done
  return 1
}
