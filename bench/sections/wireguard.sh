# Section "wireguard": Warren <-> Warren vs wireguard-go <-> wireguard-go over the same veth
# underlay, and the bare underlay (kernel, no tunnel) as the ceiling. Each side has
# BENCH_EXTRA_PEERS more configured peers (no endpoint, never used) so the RSS figures are the ones
# of a realistically sized peer table. Implementations alternate within every run.

wireguard_packages() { echo wireguard-go wireguard-tools iperf3 ethtool iproute2; }

# The JDKs Warren is measured on: "label=java" pairs (Temurin 25 when installed; in full mode also
# JDK 17 with WARREN_MEMORY_PROFILE=small, the small-memory profile of /etc/default/warren, which the
# launcher applies to a label ending in "-small"), then any in
# BENCH_WARREN_EXTRA (space-separated "label=java" pairs, e.g. a wrapper script adding
# -Dwarren.aead=bouncy_castle, to A/B a change within one run).
wireguard_warren_jdks() {
  echo "warren-jdk17=${JAVA:-java}"
  local t=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java p
  [ -x "$t" ] && [ -n "$BENCH_ALL_JDKS" ] && echo "warren-jdk25=$t"
  # Full mode: JDK 17 with the small-memory profile of packaging/deb/files/default.
  [ -n "$BENCH_ALL_JDKS" ] && echo "warren-jdk17-small=${JAVA:-java}"
  for p in ${BENCH_WARREN_EXTRA:-}; do echo "$p"; done
  return 0
}

section_wireguard() {
  local id="wb$$" A B w="$BENCH_WORK/wg" run impl pair
  A="$id-a"; B="$id-b"; mkdir -p "$w"
  underlay_up "$A" "$B"
  for s in a b; do (umask 077; wg genkey > "$w/$s.key"); wg pubkey < "$w/$s.key" > "$w/$s.pub"; done
  /usr/bin/python3 - "$BENCH_EXTRA_PEERS" > "$w/extra.tsv" <<'PY'
import base64, os, sys
for i in range(int(sys.argv[1])):
    print(base64.b64encode(os.urandom(32)).decode(), "10.99.%d.%d/32" % (i // 250, i % 250 + 1), sep="\t")
PY
  local impls=(underlay)
  while IFS= read -r pair; do impls+=("$pair"); done < <(wireguard_warren_jdks)
  impls+=(wireguard-go)
  for run in $(seq "$BENCH_RUNS"); do
    echo "wireguard: run $run/$BENCH_RUNS" >&2
    for impl in "${impls[@]}"; do
      case "$impl" in
        underlay) tunnel_suite wireguard underlay "$A" "$B" 10.50.0.2 "" "" ;;
        wireguard-go) wireguard_measure_wggo "$id" "$A" "$B" "$w" ;;
        *) wireguard_measure_warren "$id" "$A" "$B" "$w" "${impl%%=*}" "${impl#*=}" ;;
      esac
    done
  done
}

wireguard_warren_config() { # side me other id w
  local s=$1 me=$2 other=$3 id=$4 w=$5 o; o=$([ "$s" = a ] && echo b || echo a)
  {
    echo "[interface.${id}w$s]"
    echo "private-key-file = \"$w/$s.key\""
    echo "listen-port = 51820"
    echo "address = [\"10.60.0.$me/24\"]"
    echo "[[interface.${id}w$s.peer]]"
    echo "public-key = \"$(cat "$w/$o.pub")\""
    echo "endpoint = \"10.50.0.$other:51820\""
    echo "allowed-ips = [\"10.60.0.$other/32\"]"
    awk -F'\t' -v i="${id}w$s" '{printf "[[interface.%s.peer]]\npublic-key = \"%s\"\nallowed-ips = [\"%s\"]\n", i, $1, $2}' "$w/extra.tsv"
    echo "[metrics]"
    echo "enabled = false"
    echo "[control]"
    echo "socket = \"$w/$s-control.sock\""
  } > "$w/$s.toml"
}

wireguard_measure_warren() { # id A B w label java
  local id=$1 A=$2 B=$3 w=$4 label=$5 java=$6 pa pb ok=1
  wireguard_warren_config a 1 2 "$id" "$w"; wireguard_warren_config b 2 1 "$id" "$w"
  # Through the packaged launcher, so each JDK gets the flags the package gives it (it execs: $! is the JVM).
  local profile=; case "$label" in *-small) profile=small ;; esac
  local launch=(env -u JAVA_HOME JAVA="$java" WARREN_JAVA_OPTS="$WARREN_JAVA_OPTS" WARREN_CLASSPATH="$BENCH_CP"
    WARREN_MEMORY_PROFILE="$profile" sh "$ROOT/packaging/deb/files/warren")
  ip netns exec "$A" "${launch[@]}" run --config "$w/a.toml" > "$w/$label-a.log" 2>&1 &
  pa=$!
  ip netns exec "$B" "${launch[@]}" run --config "$w/b.toml" > "$w/$label-b.log" 2>&1 &
  pb=$!
  BENCH_PIDS+=("$pa" "$pb")
  wireguard_wait_sock "${id}wa" && wireguard_wait_sock "${id}wb" || ok=0
  if [ "$ok" = 1 ] && wireguard_tunnel_up "$A"; then
    record wireguard "idle RSS per daemon (MiB)" "$label" "$(idle_rss "$pa" "$pb")" MiB 0
    tunnel_suite wireguard "$label" "$A" "$B" 10.60.0.2 "$pa" "$pb"
  else
    broken "wireguard/$label: no tunnel (logs: $(tail -3 "$w/$label-a.log" | tr '\n' ' '))"
  fi
  stop_pids "$pa" "$pb"
}

wireguard_measure_wggo() { # id A B w
  local id=$1 A=$2 B=$3 w=$4 pa pb
  pa=$(wireguard_start_wggo a "$A" 1 2 "$id" "$w"); pb=$(wireguard_start_wggo b "$B" 2 1 "$id" "$w")
  BENCH_PIDS+=("$pa" "$pb")
  if wireguard_tunnel_up "$A"; then
    record wireguard "idle RSS per daemon (MiB)" wireguard-go "$(idle_rss "$pa" "$pb")" MiB 0
    tunnel_suite wireguard wireguard-go "$A" "$B" 10.60.0.2 "$pa" "$pb"
  else
    broken "wireguard/wireguard-go: no tunnel"
  fi
  stop_pids "$pa" "$pb"
  rm -f /var/run/wireguard/"${id}"g?.sock
}

wireguard_start_wggo() { # side ns me other id w
  local s=$1 ns=$2 me=$3 other=$4 id=$5 w=$6 o p; o=$([ "$s" = a ] && echo b || echo a)
  ip netns exec "$ns" wireguard-go -f "${id}g$s" > "$w/g$s.log" 2>&1 &
  p=$!
  wireguard_wait_sock "${id}g$s" || true
  {
    echo "[Interface]"; echo "PrivateKey = $(cat "$w/$s.key")"; echo "ListenPort = 51820"
    echo "[Peer]"; echo "PublicKey = $(cat "$w/$o.pub")"; echo "Endpoint = 10.50.0.$other:51820"
    echo "AllowedIPs = 10.60.0.$other/32"
    awk -F'\t' '{printf "[Peer]\nPublicKey = %s\nAllowedIPs = %s\n", $1, $2}' "$w/extra.tsv"
  } > "$w/g$s.conf"
  ip netns exec "$ns" wg setconf "${id}g$s" "$w/g$s.conf"
  ip -n "$ns" addr add "10.60.0.$me/24" dev "${id}g$s"; ip -n "$ns" link set "${id}g$s" up
  echo "$p"
}

# The first handshake may take seconds on a loaded machine (a JVM still interpreting): wait up to 20 s.
wireguard_tunnel_up() {
  for _ in $(seq 20); do ip netns exec "$1" ping -c 1 -W 1 10.60.0.2 >/dev/null 2>&1 && return 0; done
  return 1
}

wireguard_wait_sock() { for _ in $(seq 300); do [ -S "/var/run/wireguard/$1.sock" ] && return 0; sleep 0.05; done; return 1; }

wireguard_reference() { echo wireguard-go; }
wireguard_ceiling() { echo underlay; }
