#!/usr/bin/env bash
# The dashboard with thousands of feeds (issue 13): serves N generated feeds
# on loopback (scripts/fixture), starts steppe on a fresh store in tmux at
# 100x30 while every feed is being refreshed, and measures, for N = 1,000
# and 10,000:
#
#   first frame        exec to the first screen with the count line
#   e opens            the key to the sources pane on screen
#   e scrolls          pgdown in the pane to the screen moving
#   e closes           the key to the list back on screen
#   quit               Q to the process gone
#   memory             peak resident set (VmHWM) before quitting
#
#   bash scripts/scale.sh [N ...]     (needs tmux; about a minute)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "scale.sh needs tmux (apt-get install tmux)"; exit 1; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

work=$(mktemp -d)
sock="steppe-scale-$$"
srv_pid=""
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  [ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/steppe" .
go build -o "$work/fixture" ./scripts/fixture
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
screen() { tmux -L "$sock" capture-pane -p 2>/dev/null || true; }
# until PATTERN REGEX TIMEOUT_S: prints the ms when the screen matches.
until_screen() {
  local deadline=$(( $(now_ms) + $2 * 1000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    if screen | grep -qE "$1"; then now_ms; return 0; fi
    sleep 0.002
  done
  echo "timeout"; return 1
}

printf '%-8s %12s %10s %10s %10s %8s %10s\n' feeds "first frame" "e opens" "e scrolls" "e closes" quit "memory"
for n in "${sizes[@]}"; do
  rm -f "$work/cfg.toml"
  "$work/fixture" serve -feeds "$n" -items 3 -config "$work/cfg.toml" & srv_pid=$!
  for _ in $(seq 1 200); do [ -s "$work/cfg.toml" ] && break; sleep 0.05; done
  rm -rf "$work/data"
  tmux -L "$sock" kill-server 2>/dev/null || true
  tmux -L "$sock" -f /dev/null new-session -d -x 100 -y 30 \
    "echo \$(( \$(date +%s%N) / 1000000 )) > $work/start; exec $work/steppe --config $work/cfg.toml --data-dir $work/data"
  seen=$(until_screen 'Viewing results|No articles' 60)
  first=$(( seen - $(cat "$work/start") ))
  pid=$(tmux -L "$sock" list-panes -F '#{pane_pid}')
  sleep 3 # eight feeds at a time are being fetched meanwhile

  t0=$(now_ms); tmux -L "$sock" send-keys e
  t1=$(until_screen '^ Sources' 60); eopen=$(( t1 - t0 ))
  t0=$(now_ms); tmux -L "$sock" send-keys PageDown
  t1=$(until_screen '↑ [0-9]+ more' 60); escroll=$(( t1 - t0 ))
  t0=$(now_ms); tmux -L "$sock" send-keys e
  t1=$(until_screen 'Viewing results|No articles' 60); eclose=$(( t1 - t0 ))
  hwm=$(awk '/VmHWM/{print int($2/1024)}' "/proc/$pid/status")

  t0=$(now_ms); tmux -L "$sock" send-keys Q
  # gone: no such process, or a zombie tmux has not reaped yet
  while [ -e "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; do sleep 0.002; done
  quit=$(( $(now_ms) - t0 ))
  printf '%-8s %9s ms %7s ms %7s ms %7s ms %5s ms %7s MB\n' "$n" "$first" "$eopen" "$escroll" "$eclose" "$quit" "$hwm"
  kill "$srv_pid" 2>/dev/null || true; wait "$srv_pid" 2>/dev/null || true; srv_pid=""
done
