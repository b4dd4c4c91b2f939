# Shared by scripts/test, scripts/demo and bench/run: install Debian packages that are missing.
# Usage: ensure_packages PKG...
# Packages installed here are tools for tests, not services for this machine: while they install,
# a temporary policy-rc.d (when the machine has none) stops their daemons from being started
# (prometheus, Open vSwitch, coturn would otherwise start system-wide).
ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  echo "warren: installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  local policy=/usr/sbin/policy-rc.d placed=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# placed by warren scripts/lib.sh during a test-tool install\nexit 101\n' \
      | "${sudo[@]}" tee "$policy" >/dev/null && "${sudo[@]}" chmod 755 "$policy" && placed=1
  fi
  local rc=0
  "${sudo[@]}" apt-get update -q || rc=$?
  if [ $rc -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}" || rc=$?
  fi
  [ -z "$placed" ] || "${sudo[@]}" rm -f "$policy"
  return $rc
}
