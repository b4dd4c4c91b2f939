# Sourced by bench/run and bench/rss-idle. Not executed.

# Prints the class path $1 with every signed jar replaced by an unsigned copy kept in folder $2, as the
# Debian package ships them (packaging/deb/src/build/StripJarSignatures.java): the JDK keeps a signed
# jar's whole manifest and signature file on the heap, ~5 MiB of resident memory for bcprov that the
# installed daemon does not have, so measurements must not include it. Copies are made once.
shipped_classpath() { # classpath dir
  local out="" e copy strip=""
  local -a entries
  mkdir -p "$2"
  IFS=: read -ra entries <<<"$1"
  for e in "${entries[@]}"; do
    # Not `unzip | grep -q`: grep stops at the first match, unzip dies of SIGPIPE, and under the
    # callers' `set -o pipefail` the signed jar then counted as unsigned (bcprov measured signed).
    if [[ "$e" == *.jar ]] && unzip -Z1 "$e" 2>/dev/null | grep -E '^META-INF/[^/]+\.(SF|RSA|DSA|EC)$' >/dev/null; then
      copy="$2/$(basename "$e")"
      if [ ! -f "$copy" ] || [ "$e" -nt "$copy" ]; then cp -p "$e" "$copy"; strip=1; fi
      e=$copy
    fi
    out+="${out:+:}$e"
  done
  [ -z "$strip" ] || "${JAVA:-java}" "$(dirname "${BASH_SOURCE[0]}")/../../packaging/deb/src/build/StripJarSignatures.java" "$2" >&2
  echo "$out"
}
