#!/usr/bin/env bash
# The README's pictures, drawn by the real program: builds steppe, runs
# `steppe --demo` in tmux at 100x30 (true colour), goes to the list, the
# reader, the feeds pane and the rates pane, captures each screen with its
# colours (`tmux capture-pane -e`) and renders it to SVG with
# github.com/charmbracelet/freeze. Run it after changing what a screen
# shows, so that the README never shows a screen steppe no longer draws.
#
#   bash scripts/pictures.sh     (needs tmux and Go; fetches freeze with go run)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tmux >/dev/null || { echo "pictures.sh needs tmux (apt-get install tmux)"; exit 1; }
out=scripts/pictures
freeze="go run github.com/charmbracelet/freeze@v0.2.2"
work=$(mktemp -d)
sock="steppe-pictures-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

go build -o "$work/steppe" .
mkdir -p "$out"
tmux -L "$sock" -f /dev/null new-session -d -x 100 -y 30 \
  "env TERM=xterm-256color COLORTERM=truecolor $work/steppe --demo --data-dir $work/data"

wait_for() { # wait_for TEXT: until the screen shows TEXT (20 s at most)
  for _ in $(seq 1 200); do
    tmux -L "$sock" capture-pane -p | grep -qF -- "$1" && return 0
    sleep 0.1
  done
  echo "pictures.sh: the screen never showed: $1" >&2
  tmux -L "$sock" capture-pane -p >&2
  exit 1
}
shoot() { # shoot NAME: the screen as it is, to $out/NAME.svg
  sleep 0.5 # let the ticker and spinner settle into a frame
  tmux -L "$sock" capture-pane -e -p > "$work/$1.ans"
  $freeze --language ansi --window --padding 20 --margin 0 -o "$out/$1.svg" < "$work/$1.ans" >/dev/null
  echo "wrote $out/$1.svg"
}

wait_for "Viewing results 1 - "
wait_for "rates updated"
tmux -L "$sock" send-keys Space # pause the ticker for a still picture
shoot dashboard
tmux -L "$sock" send-keys Enter
wait_for "What the sample shows"
shoot reader
tmux -L "$sock" send-keys q F
wait_for "All feeds"
shoot feeds
tmux -L "$sock" send-keys Escape; sleep 0.2; tmux -L "$sock" send-keys '$'
wait_for "History: the publications"
shoot rates
tmux -L "$sock" send-keys Q
