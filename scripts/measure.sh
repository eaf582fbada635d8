#!/usr/bin/env bash
# Outside-in measurements of steppe's speed and memory budgets (issue 5):
# builds the binary, seeds stores, serves generated feeds on loopback, runs
# steppe in tmux and prints one line per budget with the figure.
#
#   bash scripts/measure.sh          (needs tmux; about two minutes)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "measure.sh needs tmux (apt-get install tmux)"; exit 1; }

work=$(mktemp -d)
sock="steppe-measure-$$-0"
runs=0
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; [ -n "${srv_pid:-}" ] && kill "$srv_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

go build -o "$work/steppe" .
go build -o "$work/fixture" ./scripts/fixture
printf 'page_size = 0\nfeeds = []\n' > "$work/offline.toml"
hz=$(getconf CLK_TCK)
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# start_tmux DATA_DIR: runs steppe offline at 100x30; the shell writes its start
# time in ms just before exec, so the figure is process start to first frame.
start_tmux() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  runs=$((runs + 1)); sock="steppe-measure-$$-$runs"   # a fresh server each time
  tmux -L "$sock" -f /dev/null new-session -d -x 100 -y 30 \
    "echo \$(( \$(date +%s%N) / 1000000 )) > $work/start; exec $work/steppe --offline --config $work/offline.toml --data-dir $1"
}
pane_pid() { tmux -L "$sock" list-panes -F '#{pane_pid}'; }
wait_screen() { # wait_screen TEXT TIMEOUT_S -> prints ms when seen
  local deadline=$(( $(now_ms) + $2 * 1000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    if tmux -L "$sock" capture-pane -p 2>/dev/null | grep -qF "$1"; then now_ms; return 0; fi
    sleep 0.002
  done
  echo "timeout"; return 1
}

# 1. First frame with 10,000 stored articles (best and median of 5).
"$work/fixture" seed -n 10000 -data "$work/d10k"
times=()
for i in 1 2 3 4 5; do
  rm -f "$work/start"
  start_tmux "$work/d10k"
  seen=$(wait_screen "Viewing results" 10)
  times+=( $(( seen - $(cat "$work/start") )) )
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n | tr '\n' ' ')
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
echo "first frame, 10,000 articles:        ${median} ms median (runs: ${sorted% }) — budget 100 ms"

# 2. Idle CPU over 30 s with the ticker moving.
pid=$(pane_pid)
sleep 2
t0=$(awk '{print $14+$15}' "/proc/$pid/stat")
sleep 30
t1=$(awk '{print $14+$15}' "/proc/$pid/stat")
cpu=$(awk -v a="$t0" -v b="$t1" -v hz="$hz" 'BEGIN{printf "%.2f", (b-a)/hz/30*100}')
echo "idle CPU, ticker moving, 30 s:       ${cpu}% of one core — budget 2%"

# 3. Resident memory with 100,000 stored articles while paging.
"$work/fixture" seed -n 100000 -data "$work/d100k"
start_tmux "$work/d100k"
wait_screen "Viewing results" 20 >/dev/null
pid=$(pane_pid)
for i in $(seq 1 300); do tmux -L "$sock" send-keys PageDown; done
tmux -L "$sock" send-keys G; sleep 0.5
for i in $(seq 1 300); do tmux -L "$sock" send-keys PageUp; done
tmux -L "$sock" send-keys g; sleep 1
rss=$(awk '/VmRSS/{print int($2/1024)}' "/proc/$pid/status")
hwm=$(awk '/VmHWM/{print int($2/1024)}' "/proc/$pid/status")
echo "memory, 100,000 articles, paging:    ${rss} MB resident, ${hwm} MB peak — budget 80 MB"
tmux -L "$sock" kill-server 2>/dev/null || true

# 4. steppe refresh of 50 loopback feeds of 200 items each (fresh store).
"$work/fixture" serve -feeds 50 -items 200 -config "$work/gen.toml" & srv_pid=$!
for i in $(seq 1 50); do [ -s "$work/gen.toml" ] && break; sleep 0.1; done
t0=$(now_ms)
"$work/steppe" --config "$work/gen.toml" --data-dir "$work/dref" refresh > "$work/refresh.out"
t1=$(now_ms)
ok=$(grep -c "200 new" "$work/refresh.out" || true)
echo "refresh, 50 feeds x 200 items:       $(( t1 - t0 )) ms wall (${ok}/50 feeds stored 200 new) — budget 2000 ms"
