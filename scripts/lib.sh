# Sourced by the measuring scripts (bigfeed.sh, bigarticle.sh): a work
# directory removed on exit with the server it started, progress on
# stderr, and the tools they time with installed when missing.

# setup NAME: $work is a fresh temporary directory; on exit the process
# $srv_pid (when set) is stopped and $work removed.
setup() {
  export no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost
  work=$(mktemp -d "${TMPDIR:-/tmp}/steppe-$1.XXXXXX")
  srv_pid=""
  trap cleanup EXIT
}
cleanup() {
  [ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null
  rm -rf "$work"
}
say() { echo "$*" >&2; }

# need_newsboat_and_time installs newsboat and GNU time with apt-get when
# either is missing.
need_newsboat_and_time() {
  local missing=() sudo=""
  [ -x /usr/bin/time ] || missing+=(time)
  command -v newsboat >/dev/null || missing+=(newsboat)
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  say "installing ${missing[*]} with apt-get"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >"$work/apt.log" 2>&1 ||
    { tail -5 "$work/apt.log" >&2; exit 1; }
}
