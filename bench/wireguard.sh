#!/usr/bin/env bash
# Kept for old notes: the WireGuard comparison is now the "wireguard" section of bench/run.
# Usage: sudo bench/wireguard.sh [bench/run options, e.g. --short]
exec "$(dirname "$0")/run" --only wireguard "$@"
