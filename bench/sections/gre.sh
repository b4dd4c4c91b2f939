# Section "gre": L3 GRE between two LAN hosts, each behind a gateway (host - gateway - veth
# underlay - gateway - host), through Warren <-> Warren GRE over IP (protocol 47), Warren <-> Warren
# GRE-in-UDP (RFC 8086), Open vSwitch userspace <-> OVS userspace GRE (lab-notes recipe, the
# reference), and the plain routed underlay (no tunnel) as the ceiling. Every measurement gets fresh
# namespaces (OVS takes the gateway's ports over); implementations alternate within every run.
#
# Like for like: hosts at MTU 1468, the smallest tunnel MTU of the three (GRE-in-UDP over 1500;
# OVS neither fragments nor sends frag-needed); TX checksum offload off on every veth (lab notes), so
# hosts send finished MSS-sized segments, as from a wire. The gateways' LAN ports have GRO on, as
# real NICs do, except under OVS: its userspace datapath reads MTU-sized frames from the port and
# would truncate aggregated ones. CPU seconds per GB count both gateways' daemons (Warren: the JVMs;
# OVS: both ovs-vswitchd).

gre_packages() { echo openvswitch-switch iperf3 ethtool iproute2; }
gre_reference() { echo ovs-gre; }
gre_ceiling() { echo underlay; }

section_gre() {
  local run impl
  mkdir -p "$BENCH_WORK/gre"
  for run in $(seq "$BENCH_RUNS"); do
    echo "gre: run $run/$BENCH_RUNS" >&2
    for impl in underlay warren-gre warren-gre-udp ovs-gre; do
      gre_measure "$impl"
    done
  done
}

GRE_N=0

# gre_measure IMPL: builds fresh sites, brings IMPL up, runs the tunnel suite, tears it down.
gre_measure() {
  local impl=$1 w="$BENCH_WORK/gre" pa="" pb="" pids=()
  GRE_N=$((GRE_N + 1))
  local p="gb$$-$GRE_N"
  local ha=$p-ha ga=$p-ga gb=$p-gb hb=$p-hb
  underlay_up "$ga" "$gb"
  gre_host "$ha" "$ga" 1
  gre_host "$hb" "$gb" 2
  case "$impl" in
    underlay)
      ip -n "$ga" route add 10.72.0.0/24 via 10.50.0.2
      ip -n "$gb" route add 10.71.0.0/24 via 10.50.0.1
      gre_lan_gro "$ga" "$gb" ;;
    warren-gre|warren-gre-udp)
      local type=gre; [ "$impl" = warren-gre-udp ] && type=gre-udp
      gre_lan_gro "$ga" "$gb"
      pa=$(gre_start_warren "$ga" a 10.50.0.1 10.50.0.2 10.72.0.0/24 "$type" "$w/$impl-$GRE_N")
      pb=$(gre_start_warren "$gb" b 10.50.0.2 10.50.0.1 10.71.0.0/24 "$type" "$w/$impl-$GRE_N")
      pids=("$pa" "$pb"); BENCH_PIDS+=("$pa" "$pb") ;;
    ovs-gre)
      gre_start_ovs "$ga" "$ha" 1 10.50.0.1 10.50.0.2 "$w/ovs-$GRE_N-a"
      gre_start_ovs "$gb" "$hb" 2 10.50.0.2 10.50.0.1 "$w/ovs-$GRE_N-b"
      pa=$(cat "$w/ovs-$GRE_N-a/vswitchd.pid"); pb=$(cat "$w/ovs-$GRE_N-b/vswitchd.pid")
      pids=("$(cat "$w/ovs-$GRE_N-a/ovsdb.pid")" "$pa" "$(cat "$w/ovs-$GRE_N-b/ovsdb.pid")" "$pb") ;;
  esac
  if gre_path_up "$ha" 10.72.0.2; then
    if [ -n "$pa" ]; then
      record gre "idle RSS per daemon (MiB)" "$impl" "$(idle_rss "$pa" "$pb")" MiB 0
    fi
    tunnel_suite gre "$impl" "$ha" "$hb" 10.72.0.2 "$pa" "$pb"
  else
    broken "gre/$impl: no path between the hosts (logs in $w: $(tail -n 3 "$w"/*"$GRE_N"* 2>/dev/null | tr '\n' ' ' | cut -c1-400))"
  fi
  [ ${#pids[@]} -eq 0 ] || stop_pids "${pids[@]}"
  local n
  for n in "$ha" "$hb" "$ga" "$gb"; do ip netns del "$n" 2>/dev/null || true; done
}

# gre_host HOST GW N: a LAN host 10.7N.0.2/24 (MTU 1468) behind GW's lan0 10.7N.0.1, forwarding on.
gre_host() {
  ip netns add "$1"; BENCH_NETNS+=("$1")
  ip -n "$1" link set lo up
  ip -n "$2" link add lan0 type veth peer name eth0 netns "$1"
  ip netns exec "$1" ethtool -K eth0 tx off >/dev/null; ip netns exec "$2" ethtool -K lan0 tx off >/dev/null
  ip -n "$1" link set eth0 mtu 1468 up; ip -n "$2" link set lan0 up
  ip -n "$1" addr add "10.7$3.0.2/24" dev eth0
  ip -n "$1" route add default via "10.7$3.0.1"
  ip -n "$2" addr add "10.7$3.0.1/24" dev lan0
  ip netns exec "$2" sysctl -q -w net.ipv4.ip_forward=1
}

gre_lan_gro() { local n; for n in "$@"; do ip netns exec "$n" ethtool -K lan0 gro on >/dev/null; done; }

# The first packets may take seconds on a loaded machine (a JVM still interpreting): wait up to 30 s.
gre_path_up() {
  for _ in $(seq 30); do ip netns exec "$1" ping -c 1 -W 1 "$2" >/dev/null 2>&1 && return 0; done
  return 1
}

# gre_start_warren NS SIDE LOCAL REMOTE FAR_PREFIX TYPE DIR -> pid of the daemon (the caller adds
# it to BENCH_PIDS: this runs in a command substitution)
gre_start_warren() {
  local ns=$1 s=$2 local=$3 remote=$4 far=$5 type=$6 d=$7
  mkdir -p "$d"
  {
    echo "[tunnel.gre$s]"
    echo "type = \"$type\""
    echo "local = \"$local\""
    echo "remote = \"$remote\""
    echo "[[route]]"
    echo "prefix = \"$far\""
    echo "via = \"tunnel:gre$s\""
    echo "[metrics]"
    echo "enabled = false"
    echo "[control]"
    echo "socket = \"$d/$s-control.sock\""
  } > "$d/$s.toml"
  # shellcheck disable=SC2086
  ip netns exec "$ns" "$JAVA" $WARREN_JAVA_OPTS -cp "$BENCH_CP" io.warren.gateway.Main run --config "$d/$s.toml" \
    > "$d/$s.log" 2>&1 &
  echo $!
}

# gre_start_ovs GW HOST N LOCAL REMOTE DIR: OVS userspace GRE in GW (lab notes): private dirs,
# ovsdb-server and ovs-vswitchd --disable-system (pids in DIR), a netdev bridge brul holding the
# underlay port with the underlay address, a netdev bridge brt joining lan0 to an L3 GRE port
# with explicit flows, and a static neighbour for the gateway MAC on the host.
gre_start_ovs() {
  local gw=$1 host=$2 n=$3 local=$4 remote=$5 d=$6
  mkdir -p "$d"
  local env=(env "OVS_RUNDIR=$d" "OVS_LOGDIR=$d" "OVS_DBDIR=$d" "OVS_SYSCONFDIR=$d")
  local vsctl=("${env[@]}" ovs-vsctl "--db=unix:$d/db.sock" --timeout=20)
  ovsdb-tool create "$d/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  ip netns exec "$gw" "${env[@]}" ovsdb-server "$d/conf.db" "--remote=punix:$d/db.sock" \
    "--log-file=$d/ovsdb-server.log" > "$d/ovsdb.out" 2>&1 &
  echo $! > "$d/ovsdb.pid"; BENCH_PIDS+=("$!")
  for _ in $(seq 100); do [ -S "$d/db.sock" ] && break; sleep 0.05; done
  ip netns exec "$gw" "${vsctl[@]}" --no-wait init
  ip netns exec "$gw" "${env[@]}" ovs-vswitchd "unix:$d/db.sock" --disable-system \
    "--log-file=$d/ovs-vswitchd.log" > "$d/vswitchd.out" 2>&1 &
  echo $! > "$d/vswitchd.pid"; BENCH_PIDS+=("$!")
  ip netns exec "$gw" "${vsctl[@]}" add-br brul -- set bridge brul datapath_type=netdev
  ip netns exec "$gw" "${vsctl[@]}" add-port brul ul0
  ip -n "$gw" addr flush dev ul0
  ip netns exec "$gw" sysctl -q -w net.ipv4.conf.ul0.arp_ignore=1
  ip -n "$gw" addr add "$local/24" dev brul; ip -n "$gw" link set brul up
  ip netns exec "$gw" "${vsctl[@]}" add-br brt -- set bridge brt datapath_type=netdev
  ip netns exec "$gw" "${vsctl[@]}" add-port brt lan0 -- set interface lan0 ofport_request=1
  ip netns exec "$gw" "${vsctl[@]}" add-port brt gre0 -- set interface gre0 ofport_request=2 type=gre \
    "options:remote_ip=$remote" options:packet_type=legacy_l3 mtu_request=1476
  ip -n "$gw" addr flush dev lan0
  local of=("${env[@]}" ovs-ofctl -O OpenFlow13) mgmt="unix:$d/brt.mgmt" mac
  mac=$(ip netns exec "$host" cat /sys/class/net/eth0/address)
  ip netns exec "$gw" "${of[@]}" del-flows "$mgmt"
  ip netns exec "$gw" "${of[@]}" add-flow "$mgmt" "in_port=1,ip,actions=output:2"
  ip netns exec "$gw" "${of[@]}" add-flow "$mgmt" "in_port=2,actions=mod_dl_src:02:00:00:00:00:01,mod_dl_dst:$mac,output:1"
  ip -n "$host" neigh replace "10.7$n.0.1" lladdr 02:00:00:00:00:01 dev eth0
}
