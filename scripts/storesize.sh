#!/usr/bin/env bash
# The store's size against newsboat's cache (issue 21): serves generated
# WordPress-shaped feeds on loopback (scripts/feedgen; 500 feeds of 200
# items = 100,000 articles by default), refreshes a fresh steppe store
# and a fresh newsboat cache from them once each, and prints both files'
# sizes (steppe's with its -wal, if one is left) and the ratio.
#
#   bash scripts/storesize.sh [FEEDS [ITEMS]]
#
# Needs go; newsboat for its side (skipped when missing). A few minutes
# at 100,000 articles. The steppe store is left in the directory printed
# last, so it can be looked into (sqlite3's dbstat); remove it after.
set -euo pipefail
cd "$(dirname "$0")/.."
export no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost
nfeeds=${1:-500} nitems=${2:-200}
work=$(mktemp -d)
srv_pid=""
cleanup() { [ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null || true; }
trap cleanup EXIT

go build -o "$work/steppe" .
go build -o "$work/feedgen" ./scripts/feedgen
mkdir -p "$work/srv" "$work/home" "$work/data" "$work/nb"
"$work/feedgen" -feeds "$nfeeds" -items "$nitems" -seed 1 -out "$work/srv" 2>"$work/feedgen.log" &
srv_pid=$!
for _ in $(seq 1 600); do [ -s "$work/srv/addr" ] && break; sleep 0.05; done
[ -s "$work/srv/addr" ] || { echo "feedgen did not start: $(cat "$work/feedgen.log")" >&2; exit 1; }
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share \
  XDG_CACHE_HOME=$work/home/.cache LC_ALL=C.UTF-8

mib() { awk -v b="$1" 'BEGIN{printf "%.1f MB = %.1f", b/1e6, b/1048576}'; }
size() { local n=0 f; for f in "$@"; do [ -f "$f" ] && n=$((n + $(stat -c %s "$f"))); done; echo "$n"; }

"$work/steppe" --config "$work/srv/steppe.toml" --data-dir "$work/data" refresh >"$work/steppe.out" 2>&1 ||
  { echo "steppe refresh failed:" >&2; tail -5 "$work/steppe.out" >&2; exit 1; }
db=$work/data/steppe.db
s=$(size "$db" "$db-wal")
echo "articles: $((nfeeds * nitems)) ($nfeeds feeds of $nitems items)"
echo "steppe  $(mib "$s") MiB ($s bytes) $db"

if command -v newsboat >/dev/null; then
  cat >"$work/newsboat.conf" <<'NB'
reload-threads 8
refresh-on-startup no
auto-reload no
download-retries 1
download-timeout 60
NB
  newsboat -u "$work/srv/urls" -C "$work/newsboat.conf" -c "$work/nb/cache.db" -x reload >"$work/newsboat.out" 2>&1 ||
    { echo "newsboat reload failed:" >&2; tail -5 "$work/newsboat.out" >&2; exit 1; }
  n=$(size "$work/nb/cache.db")
  echo "newsboat $(mib "$n") MiB ($n bytes) cache.db"
  awk -v s="$s" -v n="$n" 'BEGIN{printf "steppe/newsboat %.2fx (goal: at most 1.00x)\n", s/n}'
else
  echo "newsboat: not installed (apt-get install newsboat), not measured"
fi
echo "kept: $work/data (rm -rf $work)"
