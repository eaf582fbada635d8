#!/usr/bin/env bash
# One very big article, steppe against newsboat (issue 21): serves one
# WordPress-shaped feed whose newest post is about BYTES bytes of HTML
# (scripts/feedgen -article-bytes; default 9.4 MB) on loopback and measures
# a fresh refresh of it by each program under /usr/bin/time -v (wall time
# and peak RSS), ROUNDS times, alternating who goes first.
#
#   bash scripts/bigarticle.sh [BYTES [ROUNDS]]
#
# Needs go; installs newsboat and time with apt-get when missing. The
# goal: steppe within 2x newsboat's time and at most 60 MB peak RSS.
# Opening the article in the reader is measured by
# go test ./ui -run '^$' -bench ReaderOpen10MB -benchmem.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

bytes=${1:-9400000} rounds=${2:-3}
setup bigarticle
need_newsboat_and_time

say "building steppe and the feed generator"
go build -o "$work/steppe" . || exit 1
go build -o "$work/feedgen" ./scripts/feedgen || exit 1
mkdir -p "$work/srv" "$work/home"
"$work/feedgen" -feeds 1 -items 20 -article-bytes "$bytes" -out "$work/srv" 2>"$work/feedgen.log" &
srv_pid=$!
for _ in $(seq 1 300); do [ -s "$work/srv/addr" ] && break; sleep 0.05; done
[ -s "$work/srv/addr" ] || { say "feedgen did not start: $(cat "$work/feedgen.log")"; exit 1; }

export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share \
  XDG_CACHE_HOME=$work/home/.cache LC_ALL=C.UTF-8
printf 'reload-threads 8\nrefresh-on-startup no\nauto-reload no\nconfirm-exit no\ndownload-timeout 120\n' >"$work/newsboat.conf"

# run PROG ROUND: one fresh refresh; prints "PROG ROUND wall_s peak_MB".
run() {
  local prog=$1 r=$2 d=$work/run.$1.$2 tf
  mkdir -p "$d"; tf=$d/time
  case $prog in
    steppe) /usr/bin/time -v -o "$tf" "$work/steppe" --config "$work/srv/steppe.toml" --data-dir "$d" refresh >"$d/out" 2>&1 ;;
    newsboat) /usr/bin/time -v -o "$tf" newsboat -u "$work/srv/urls" -C "$work/newsboat.conf" -c "$d/cache.db" -x reload >"$d/out" 2>&1 ;;
  esac || { say "$prog round $r failed: $(tail -3 "$d/out")"; return 1; }
  awk -F': ' -v p="$prog" -v r="$r" '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i] }
    /Maximum resident set size/ { m = $2 / 1024 }
    END { printf "%-9s %5s %8.2f %9.1f\n", p, r, s, m }' "$tf"
}

printf '%-9s %5s %8s %9s\n' program round wall_s peak_MB
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then run steppe "$r"; run newsboat "$r"; else run newsboat "$r"; run steppe "$r"; fi
done
grep -h "new" "$work"/run.steppe.1/out | head -3 >&2
