#!/usr/bin/env bash
# One very big feed, steppe against newsboat (issue 21): serves a generated
# RSS 2.0 feed of ITEMS items and about BYTES bytes (default 200,000 items,
# 60 MB) on loopback, with Content-Length and no compression, and measures
# a fresh refresh of it by each program under /usr/bin/time -v: wall time
# and peak RSS. steppe streams the feed and keeps the newest max_items
# (default 5000; its note says so); newsboat keeps them all.
#
#   bash scripts/bigfeed.sh [ITEMS [BYTES [ROUNDS [MAX_ITEMS]]]]
#
# MAX_ITEMS is steppe's max_items for the run (default: the default, 5000).
#
# Needs go; installs newsboat and time with apt-get when missing. The
# goal: stored in at most 100 MB peak RSS.
set -uo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

items=${1:-200000} bytes=${2:-60000000} rounds=${3:-1} max_items=${4:-}
setup bigfeed
need_newsboat_and_time

# The feed server: the standard library only, built outside the module.
mkdir -p "$work/gen" "$work/srv" "$work/home"
cat >"$work/gen/main.go" <<'EOF'
// Serves one generated RSS feed at /feed.xml (and an ExchangeRate-API
// shaped /v6/latest/USD), listening on 127.0.0.1; writes addr into -out.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"
)

var words = strings.Fields(`Almaty Astana Bishkek Osh Dushanbe Khujand Tashkent Samarkand Ashgabat Aktau
	tenge som somoni sum manat rail corridor water deal budget solar park grain export pipeline border
	customs reform inflation remittances harvest cotton mining licence airport parliament minister bank
	said warned expects approved delayed signed reviewed launched the a of in on for with after amid`)

func main() {
	n := flag.Int("items", 200000, "items")
	size := flag.Int("bytes", 60000000, "about this many bytes in all")
	out := flag.String("out", "", "directory for addr")
	flag.Parse()
	r := rand.New(rand.NewPCG(21, 1))
	day := time.Now().UTC().Truncate(24 * time.Hour)
	var b bytes.Buffer
	b.Grow(*size + *size/8)
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" +
		`<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Long history</title>` +
		"<link>https://long.example/</link><description>A feed that never forgets</description>\n")
	sentence := func(max int) string {
		var s strings.Builder
		for s.Len() < max {
			if s.Len() > 0 {
				s.WriteByte(' ')
			}
			s.WriteString(words[r.IntN(len(words))])
		}
		return s.String()[:max]
	}
	per := *size / *n
	for i := 0; i < *n; i++ {
		title := sentence(40 + r.IntN(30))
		start := b.Len()
		fmt.Fprintf(&b, "<item><title>%d: %s</title><link>https://long.example/%d/</link><guid isPermaLink=\"false\">long-%d</guid>"+
			"<dc:creator>Desk %d</dc:creator><pubDate>%s</pubDate><description>",
			i, title, i, i, i%17, day.Add(-time.Duration(i)*time.Minute).Format(time.RFC1123Z))
		pad := per - (b.Len() - start) - len("</description></item>\n")
		b.WriteString(sentence(max(pad, 20)))
		b.WriteString("</description></item>\n")
	}
	b.WriteString("</channel></rss>\n")
	body := b.Bytes()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=UTF-8")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
	})
	mux.HandleFunc("GET /v6/latest/USD", func(w http.ResponseWriter, r *http.Request) {
		upd := day.Add(time.Minute)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"result":"success","time_last_update_unix":%d,"time_next_update_unix":%d,"base_code":"USD","rates":{"USD":1,"KGS":87.45,"KZT":478.95,"TJS":10.92,"TMT":3.5,"UZS":12707.57}}`,
			upd.Unix(), upd.Add(24*time.Hour).Unix())
	})
	fmt.Fprintf(os.Stderr, "feed: %d items, %d bytes\n", *n, len(body))
	os.WriteFile(filepath.Join(*out, "size"), []byte(fmt.Sprintln(len(body))), 0o600)
	os.WriteFile(filepath.Join(*out, "addr"), []byte(ln.Addr().String()+"\n"), 0o600)
	http.Serve(ln, mux)
}
EOF
say "building steppe and the feed server"
go build -o "$work/steppe" . || exit 1
printf 'module bigserve\n\ngo %s\n' "$(go env GOVERSION | sed 's/^go//; s/^\([0-9]*\.[0-9]*\).*/\1/')" >"$work/gen/go.mod"
(cd "$work/gen" && GOWORK=off GOFLAGS= go build -o "$work/bigserve" .) || exit 1
"$work/bigserve" -items "$items" -bytes "$bytes" -out "$work/srv" 2>"$work/srv.log" &
srv_pid=$!
for _ in $(seq 1 600); do [ -s "$work/srv/addr" ] && break; sleep 0.1; done
[ -s "$work/srv/addr" ] || { say "the feed server did not start: $(cat "$work/srv.log")"; exit 1; }
addr=$(cat "$work/srv/addr") size=$(cat "$work/srv/size")
url="http://$addr/feed.xml"

export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share \
  XDG_CACHE_HOME=$work/home/.cache LC_ALL=C.UTF-8
cat >"$work/steppe.toml" <<EOF
fetch_timeout = "60s"
${max_items:+max_items = $max_items}

[[feeds]]
name = "Long history"
url = "$url"

[rates]
providers = ["erapi"]
[rates.endpoints]
erapi = "http://$addr"
EOF
echo "$url" >"$work/urls"
cat >"$work/newsboat.conf" <<'EOF'
reload-threads 1
refresh-on-startup no
auto-reload no
confirm-exit no
download-retries 1
download-timeout 600
EOF

rss() { awk -F': ' '/Maximum resident set size/{printf "%.1f MB", $2/1024}' "$1"; }
wall() { awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$1"; }
cpu() { awk -F': ' '/User time/{u=$2} /System time/{s=$2} END{printf "%.1f s", u+s}' "$1"; }

mb=$(awk -v b="$size" 'BEGIN{printf "%.1f", b/1e6}')
echo "feed: $items items, $mb MB, $url; steppe's max_items: ${max_items:-default (5000)}"
for r in $(seq 1 "$rounds"); do
  d=$work/steppe.$r
  /usr/bin/time -v -o "$work/t.steppe.$r" "$work/steppe" --config "$work/steppe.toml" --data-dir "$d" refresh \
    >"$work/steppe.$r.out" 2>&1 || { say "steppe refresh failed:"; cat "$work/steppe.$r.out" >&2; }
  line=$(grep '^Long history' "$work/steppe.$r.out")
  echo "steppe   round $r: wall $(wall "$work/t.steppe.$r"), cpu $(cpu "$work/t.steppe.$r"), peak RSS $(rss "$work/t.steppe.$r") — $line"
  if command -v sqlite3 >/dev/null; then
    echo "         stored: $(sqlite3 "$d/steppe.db" "SELECT count(*) FROM articles") articles; the feed's note: $(sqlite3 "$d/steppe.db" "SELECT last_note FROM feeds")"
  fi

  c=$work/newsboat.$r; mkdir -p "$c"
  /usr/bin/time -v -o "$work/t.newsboat.$r" newsboat -u "$work/urls" -C "$work/newsboat.conf" -c "$c/cache.db" -x reload \
    >"$work/newsboat.$r.out" 2>&1 || { say "newsboat reload failed:"; tail -5 "$work/newsboat.$r.out" >&2; }
  stored=$(newsboat -u "$work/urls" -C "$work/newsboat.conf" -c "$c/cache.db" -x print-unread 2>/dev/null | awk '{print $1; exit}')
  rm -f "$c/cache.db.lock"
  echo "newsboat round $r: wall $(wall "$work/t.newsboat.$r"), cpu $(cpu "$work/t.newsboat.$r"), peak RSS $(rss "$work/t.newsboat.$r") — ${stored:-?} unread articles stored"
  rm -rf "$d" "$c"
done
