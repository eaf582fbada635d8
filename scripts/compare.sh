#!/usr/bin/env bash
# steppe side by side with newsboat (issue 12): builds steppe from this
# checkout, serves 50 generated WordPress-shaped RSS feeds x 200 items and
# an exchange-rate endpoint on 127.0.0.1 (scripts/feedgen), installs
# newsboat if it is missing, and measures both programs, interleaved, for
# three rounds:
#
#   fresh refresh (empty store / cache), wall   steppe refresh      | newsboat -x reload
#   refresh again, nothing changed (304s), wall  the same, again     | the same, again
#   peak memory of the fresh refresh             /usr/bin/time -v, Maximum resident set size
#   first frame with the 10,000 articles         exec to marker on screen, tmux 100x30
# then once: `--version` process start (median of 20) and idle CPU over 30 s.
# Rounds alternate who goes first (steppe in odd rounds, newsboat in even).
#
#   bash scripts/compare.sh        (one to two minutes; needs go, awk; installs
#                                   newsboat, time and tmux with apt-get if missing)
#
# It prints each figure per round with its median, then a table with the
# ratio steppe/newsboat and the goal. It exits 0 when every figure was
# measured, met or not (it is a report), 1 when something could not be.
set -uo pipefail
cd "$(dirname "$0")/.."
export no_proxy=127.0.0.1,localhost NO_PROXY=127.0.0.1,localhost # curl (newsboat) honours proxies, even for loopback

rounds=3 nfeeds=50 nitems=200 seed=1
total=$((nfeeds * nitems))

work=$(mktemp -d "${TMPDIR:-/tmp}/steppe-compare.XXXXXX")
socks=() srv_pid="" failed=0
cleanup() {
  local s
  for s in "${socks[@]}"; do tmux -S "$s" kill-server 2>/dev/null; done
  [ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'echo; echo "compare.sh: interrupted" >&2; exit 130' INT TERM HUP

say() { echo "$*" >&2; }                    # progress, to stderr
problem() { say "PROBLEM: $*"; failed=1; }  # something could not be measured
notes=()
note() { say "  note: $*"; notes+=("$*"); }   # measured, but not under the intended conditions
now_us() { REPLY=${EPOCHREALTIME//[!0-9]/}; }
exec {nap_fd}<> <(:)                        # sleep without a fork: read -t on a pipe nobody writes
nap() { read -r -t "$1" -u "$nap_fd" _; }

# --- tools -------------------------------------------------------------------
apt_install() { # apt_install PACKAGE...
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { say "compare.sh: need root or sudo to install $*"; return 1; }
    sudo=sudo
  fi
  say "installing $* with apt-get"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >"$work/apt.log" 2>&1 ||
    { $sudo apt-get update >>"$work/apt.log" 2>&1 &&
      $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@" >>"$work/apt.log" 2>&1; } ||
    { tail -5 "$work/apt.log" >&2; return 1; }
}
command -v go >/dev/null || { say "compare.sh needs go"; exit 1; }
command -v awk >/dev/null || { say "compare.sh needs awk"; exit 1; }
missing=()
command -v tmux >/dev/null || missing+=(tmux)
[ -x /usr/bin/time ] || missing+=(time)
command -v newsboat >/dev/null || missing+=(newsboat)
if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}" || exit 1; fi
newsboat=$(command -v newsboat)

# --- build, generate, serve --------------------------------------------------
say "building steppe and the feed generator"
go build -o "$work/steppe" . || exit 1
go build -o "$work/feedgen" ./scripts/feedgen || exit 1
steppe=$work/steppe
steppe_ver=$("$steppe" --version 2>/dev/null | head -1)
[[ $steppe_ver == steppe* ]] || steppe_ver="steppe $steppe_ver"
rev=$(git rev-parse --short HEAD 2>/dev/null) && { git diff --quiet HEAD 2>/dev/null || rev+="+changes"; steppe_ver+=" ($rev)"; }
newsboat_ver=$("$newsboat" -v 2>/dev/null | head -1 | awk '{print $1, $2}')

mkdir -p "$work/srv" "$work/home"
"$work/feedgen" -feeds "$nfeeds" -items "$nitems" -seed "$seed" -out "$work/srv" 2>"$work/feedgen.log" &
srv_pid=$!
for _ in $(seq 1 300); do [ -s "$work/srv/addr" ] && break; nap 0.05; done
[ -s "$work/srv/addr" ] || { say "feedgen did not start: $(cat "$work/feedgen.log")"; exit 1; }
addr=$(cat "$work/srv/addr") port=${addr##*:}
first_title=$(head -1 "$work/srv/titles")
cfg=$work/srv/steppe.toml urls=$work/srv/urls

# server_stats: the feed requests answered since the last call ("ok=N notmodified=M other=K").
server_stats() {
  local fd line
  exec {fd}<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET /_stats HTTP/1.0\r\nHost: %s\r\n\r\n' "$addr" >&"$fd"
  while IFS= read -r line <&"$fd"; do case $line in ok=*) REPLY=$line ;; esac; done
  exec {fd}<&-
}

# Both programs run with a home of their own (newsboat creates nothing in
# yours) and a UTF-8 locale; newsboat gets its own cache per run.
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share \
  XDG_CACHE_HOME=$work/home/.cache LC_ALL=C.UTF-8
cat >"$work/newsboat.conf" <<'EOF'
reload-threads 8
refresh-on-startup no
auto-reload no
show-read-feeds yes
confirm-exit no
download-retries 1
download-timeout 60
EOF
nbargs=(-u "$urls" -C "$work/newsboat.conf")
# launch START_FILE CMD...: what tmux runs; it writes the time in µs just
# before exec, so the figure runs from exec to the first frame.
cat >"$work/launch" <<'EOF'
#!/usr/bin/env bash
out=$1; shift
echo "${EPOCHREALTIME//[!0-9]/}" >"$out"
exec "$@"
EOF
chmod +x "$work/launch"

# --- measuring helpers -------------------------------------------------------
declare -A val # val[figure,program,round]
maxrss_mb() { awk -F': ' '/Maximum resident set size/{printf "%.1f", $2/1024}' "$1"; }
ms() { awk -v us="$1" 'BEGIN{printf "%.0f", us/1000}'; }
secs() { awk -v us="$1" 'BEGIN{printf "%.3f", us/1e6}'; }

# timed FIGURE PROG ROUND TIMEFILE CMD...: wall time of CMD (under /usr/bin/time -v).
timed() {
  local fig=$1 prog=$2 r=$3 tf=$4 t0 rc; shift 4
  now_us; t0=$REPLY
  timeout --foreground 300 /usr/bin/time -v -o "$tf" "$@" >"$tf.out" 2>"$tf.err"; rc=$?
  now_us
  if [ "$rc" -ne 0 ]; then
    problem "$prog $fig (round $r) exited $rc: $(tail -3 "$tf.err" "$tf.out" | tr '\n' ' ' | cut -c1-300)"
    return 1
  fi
  val[$fig,$prog,$r]=$(secs $((REPLY - t0)))
}

# check_stats WHAT WANT: the server answered WANT (e.g. ok=50) for the last run.
check_stats() {
  server_stats || { problem "no stats from the feed server"; return; }
  case " ${REPLY} " in
  *" $2 "*) ;;
  *) note "$1: the server answered ${REPLY} (expected $2)" ;;
  esac
}

# start_pane START_FILE CMD...: a fresh tmux server at 100x30 running CMD; sets sock.
start_pane() {
  sock="$work/tmux.${#socks[@]}" # a fresh tmux server each time, its socket in the work dir
  socks+=("$sock")
  local start=$1; shift
  rm -f "$start"
  tmux -S "$sock" -f /dev/null new-session -d -x 100 -y 30 "exec $(printf '%q ' "$work/launch" "$start" "$@")"
}
# wait_screen REGEX TIMEOUT_S: polls the pane every 2 ms; sets seen (µs).
wait_screen() {
  local deadline screen t
  now_us; deadline=$((REPLY + $2 * 1000000))
  while :; do
    now_us; t=$REPLY # the capture's start: the frame was on screen by the time tmux answered
    screen=$(tmux -S "$sock" capture-pane -p 2>/dev/null)
    if [[ $screen =~ $1 ]]; then seen=$t; return 0; fi
    [ "$t" -gt "$deadline" ] && { last_screen=$screen; return 1; }
    nap 0.002
  done
}
stop_pane() { tmux -S "$sock" kill-server 2>/dev/null; }

steppe_marker="Viewing results [0-9]+ - [0-9]+ of $total"
newsboat_marker="\\($nitems/$nitems\\) +$first_title"

# frame PROG ROUND MARKER CMD...: exec to first frame in ms.
frame() {
  local prog=$1 r=$2 marker=$3 start; shift 3
  start=$work/start.$prog.$r
  start_pane "$start" "$@"
  if wait_screen "$marker" 20 && [ -s "$start" ]; then
    val[frame,$prog,$r]=$(ms $((seen - $(cat "$start"))))
  else
    problem "$prog first frame (round $r): marker /$marker/ not seen in 20 s; screen: $(printf '%s' "${last_screen:-}" | tr -s ' \n' ' ' | cut -c1-300)"
  fi
  stop_pane
}

# --- rounds ------------------------------------------------------------------
run_steppe() {
  local r=$1 d=$work/steppe.$r
  say "round $r: steppe"
  rm -rf "$d"; mkdir -p "$d"
  server_stats # reset
  if timed fresh steppe "$r" "$work/t.steppe.fresh.$r" "$steppe" --config "$cfg" --data-dir "$d" refresh; then
    val[rss,steppe,$r]=$(maxrss_mb "$work/t.steppe.fresh.$r")
    local stored; stored=$(grep -c " $nitems new" "$work/t.steppe.fresh.$r.out")
    [ "$stored" -eq "$nfeeds" ] || note "steppe stored $nitems new for $stored of $nfeeds feeds"
    grep -q "5/5 rates" "$work/t.steppe.fresh.$r.out" || note "steppe rates: $(grep '^rates' "$work/t.steppe.fresh.$r.out")"
  fi
  check_stats "steppe fresh refresh" "ok=$nfeeds"
  timed again steppe "$r" "$work/t.steppe.again.$r" "$steppe" --config "$cfg" --data-dir "$d" refresh
  check_stats "steppe refresh again" "notmodified=$nfeeds"
  frame steppe "$r" "$steppe_marker" "$steppe" --offline --config "$cfg" --data-dir "$d"
}
run_newsboat() {
  local r=$1 d=$work/newsboat.$r
  say "round $r: newsboat"
  rm -rf "$d"; mkdir -p "$d"
  server_stats
  if timed fresh newsboat "$r" "$work/t.newsboat.fresh.$r" "$newsboat" "${nbargs[@]}" -c "$d/cache.db" -x reload; then
    val[rss,newsboat,$r]=$(maxrss_mb "$work/t.newsboat.fresh.$r")
  fi
  check_stats "newsboat fresh reload" "ok=$nfeeds"
  # newsboat 2.21 stores a feed's ETag/Last-Modified only from its second
  # fetch on (the first fetch updates a row not yet written), so its second
  # reload downloads everything again; its third is the first with 304s,
  # and that is the figure. The second is shown beside it.
  timed again2 newsboat "$r" "$work/t.newsboat.again2.$r" "$newsboat" "${nbargs[@]}" -c "$d/cache.db" -x reload
  server_stats; val[again2stats,newsboat,$r]=$REPLY
  timed again newsboat "$r" "$work/t.newsboat.again.$r" "$newsboat" "${nbargs[@]}" -c "$d/cache.db" -x reload
  check_stats "newsboat reload again (third reload)" "notmodified=$nfeeds"
  if [ "$r" -eq 1 ]; then
    local unread; unread=$("$newsboat" "${nbargs[@]}" -c "$d/cache.db" -x print-unread 2>&1 | awk '/unread/{print $1; exit}')
    [ "$unread" = "$total" ] || note "newsboat holds ${unread:-?} unread articles, not $total"
  fi
  frame newsboat "$r" "$newsboat_marker" "$newsboat" "${nbargs[@]}" -c "$d/cache.db"
  rm -f "$d/cache.db.lock"
}
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then run_steppe "$r"; run_newsboat "$r"; else run_newsboat "$r"; run_steppe "$r"; fi
  if [ "$r" -lt "$rounds" ]; then rm -rf "$work/steppe.$r" "$work/newsboat.$r"; fi
done

# --- process start -----------------------------------------------------------
say "process start: 20 runs each"
startup() { # startup PROG CMD...: median ms of 20 runs of CMD
  local prog=$1 i t0 runs=(); shift
  for i in $(seq 1 20); do
    now_us; t0=$REPLY
    "$@" >/dev/null 2>&1 || { problem "$prog: '$*' exited $?"; return; }
    now_us; runs+=($((REPLY - t0)))
  done
  val[version,$prog,1]=$(printf '%s\n' "${runs[@]}" | sort -n | awk '{a[NR]=$1} END{printf "%.1f", (a[10]+a[11])/2000}')
}
startup steppe "$steppe" --version
startup newsboat "$newsboat" -v

# --- idle CPU ----------------------------------------------------------------
# Both run side by side in their own tmux for the same 30 s, on the last
# round's store and cache; steppe offline with its ticker scrolling, newsboat
# on its feed list with no reloading.
say "idle CPU: 30 s"
hz=$(getconf CLK_TCK)
d=$work/steppe.$rounds
start_pane "$work/start.idle.steppe" "$steppe" --offline --config "$cfg" --data-dir "$d"
sock_s=$sock
wait_screen "$steppe_marker" 20 || problem "steppe dashboard did not show its list for the idle figure"
rm -f "$work/newsboat.$rounds/cache.db.lock"
start_pane "$work/start.idle.newsboat" "$newsboat" "${nbargs[@]}" -c "$work/newsboat.$rounds/cache.db"
sock_n=$sock
wait_screen "$newsboat_marker" 20 || problem "newsboat did not show its feed list for the idle figure"
pid_s=$(tmux -S "$sock_s" list-panes -F '#{pane_pid}') pid_n=$(tmux -S "$sock_n" list-panes -F '#{pane_pid}')
for p in "$pid_s:steppe" "$pid_n:newsboat"; do # the pane's process is the program itself (exec all the way)
  [ "$(cat "/proc/${p%%:*}/comm" 2>/dev/null)" = "${p#*:}" ] || problem "pane process ${p%%:*} is not ${p#*:}"
done
nap 2
line1() { tmux -S "$1" capture-pane -p -S 0 -E 0; }
tick_a=$(line1 "$sock_s")
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null; }
c0_s=$(cpu_ticks "$pid_s") c0_n=$(cpu_ticks "$pid_n")
nap 1
tick_b=$(line1 "$sock_s")
nap 29
c1_s=$(cpu_ticks "$pid_s") c1_n=$(cpu_ticks "$pid_n")
if [ "$tick_a" = "$tick_b" ]; then note "steppe's first line did not move in 1 s: '$tick_a'"; fi
for p in steppe newsboat; do
  if [ "$p" = steppe ]; then c0=$c0_s c1=$c1_s; else c0=$c0_n c1=$c1_n; fi
  if [ -n "$c0" ] && [ -n "$c1" ]; then
    val[idle,$p,1]=$(awk -v a="$c0" -v b="$c1" -v hz="$hz" 'BEGIN{printf "%.2f", (b - a) / hz / 30 * 100}')
  else
    problem "$p exited during the idle figure"
  fi
done
tmux -S "$sock_s" kill-server 2>/dev/null; tmux -S "$sock_n" kill-server 2>/dev/null

# --- report ------------------------------------------------------------------
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{if (NR == 0) print "n/a"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
med() { # med FIG PROG N: median of the rounds measured
  local r vs=()
  for r in $(seq 1 "$3"); do [ -n "${val[$1,$2,$r]:-}" ] && vs+=("${val[$1,$2,$r]}"); done
  if [ ${#vs[@]} -eq 0 ]; then echo n/a; else median "${vs[@]}"; fi
}
ratio() { [ "$1" = n/a ] || [ "$2" = n/a ] && { echo n/a; return; }; awk -v a="$1" -v b="$2" 'BEGIN{if (b > 0) printf "%.3g", a / b; else print "n/a"}'; }
# verdict KIND LIMIT STEPPE NEWSBOAT: "met" / "not met" / "n/a", from the
# medians themselves, not the rounded ratio
verdict() {
  local ref=1
  if [ "$1" = ratio ]; then ref=$4; fi
  [ "$3" = n/a ] || [ "$ref" = n/a ] && { echo n/a; return; }
  awk -v v="$3" -v l="$2" -v ref="$ref" 'BEGIN{print (v <= l * ref) ? "met" : "not met"}'
}

figs=(fresh again rss frame version idle)
declare -A title unit goal kind limit n
title[fresh]="fresh refresh, empty store (wall)"; unit[fresh]=s; kind[fresh]=ratio; limit[fresh]=0.4; goal[fresh]="≤ 0.4× newsboat"
title[again]="refresh again, nothing changed (wall)"; unit[again]=s; kind[again]=ratio; limit[again]=0.1; goal[again]="≤ 0.1× newsboat"
title[rss]="peak memory during the fresh refresh"; unit[rss]=MB; kind[rss]=ratio; limit[rss]=1; goal[rss]="≤ newsboat"
title[frame]="first frame, 10,000 articles, from exec"; unit[frame]=ms; kind[frame]=abs; limit[frame]=50; goal[frame]="≤ 50 ms"
title[version]="process start (--version / -v), median of 20"; unit[version]=ms; kind[version]=abs; limit[version]=15; goal[version]="≤ 15 ms"
title[idle]="idle CPU over 30 s (steppe: ticker moving)"; unit[idle]="% of a core"; kind[idle]=abs; limit[idle]=1; goal[idle]="≤ 1 % of a core"
for f in fresh again rss frame; do n[$f]=$rounds; done
n[version]=1 n[idle]=1

cpu=$(awk -F': *' '/^model name/{print $2; exit}' /proc/cpuinfo)

echo
echo "steppe vs newsboat, $(date -u +%F), $(nproc) cores, ${cpu:-unknown CPU}, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$steppe_ver; $newsboat_ver (reload-threads 8); $nfeeds feeds x $nitems items on 127.0.0.1"
for f in "${figs[@]}"; do
  echo
  echo "${title[$f]}, ${unit[$f]}   (goal: steppe ${goal[$f]})"
  if [ "${n[$f]}" -gt 1 ]; then
    printf '  %-10s' ""; for r in $(seq 1 "${n[$f]}"); do printf '%10s' "round $r"; done; printf '%10s\n' median
  fi
  for p in steppe newsboat; do
    printf '  %-10s' "$p"
    if [ "${n[$f]}" -gt 1 ]; then for r in $(seq 1 "${n[$f]}"); do printf '%10s' "${val[$f,$p,$r]:-n/a}"; done; fi
    printf '%10s\n' "$(med "$f" "$p" "${n[$f]}")"
  done
  if [ "$f" = again ]; then
    printf '  %-10s' "newsboat*"; for r in $(seq 1 "$rounds"); do printf '%10s' "${val[again2,newsboat,$r]:-n/a}"; done
    printf '%10s\n' "$(med again2 newsboat "$rounds")"
    echo "  newsboat's figure is its 3rd reload, the first answered with 304s; newsboat* is its 2nd, which"
    echo "  downloads everything again (newsboat keeps ETag/Last-Modified only from a feed's 2nd fetch on;"
    echo "  server, round 1: ${val[again2stats,newsboat,1]:-?})"
  fi
done

fmt() { [ "$1" = n/a ] && echo n/a || echo "$1 $u"; }
echo
echo "| figure | steppe | newsboat | steppe/newsboat | goal | |"
echo "|---|---|---|---|---|---|"
for f in "${figs[@]}"; do
  s=$(med "$f" steppe "${n[$f]}") nbv=$(med "$f" newsboat "${n[$f]}")
  q=$(ratio "$s" "$nbv")
  u=${unit[$f]}; [ "$u" = "% of a core" ] && u=%
  echo "| ${title[$f]} | $(fmt "$s") | $(fmt "$nbv") | $( [ "$q" = n/a ] && echo n/a || echo "${q}×") | ${goal[$f]} | $(verdict "${kind[$f]}" "${limit[$f]}" "$s" "$nbv") |"
done
echo
if [ ${#notes[@]} -eq 0 ]; then
  echo "checks passed: every fresh refresh got $nfeeds x 200 OK and every timed refresh again $nfeeds x 304 from the server;"
  echo "steppe stored $nitems new articles for each feed and 5/5 rates, newsboat held $total unread articles, steppe's ticker moved."
else
  echo "checks that did not pass (the figures above are measured, but not as intended):"
  printf '  - %s\n' "${notes[@]}"
fi
if [ "$failed" -ne 0 ]; then
  echo
  echo "some figures could not be measured (see PROBLEM above)"
  exit 1
fi
exit 0
