#!/usr/bin/env bash
# Chaos: send a signal to a local Shardgate node process started by the chaos harness.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: kill-node.sh [options] [NODE]

Sends a signal to one LOCAL Shardgate node process started by the chaos harness
(io.shardgate.chaos.LocalCluster), found through its pid file $CHAOS_DIR/nodes/<name>.pid.
Without NODE, a random node whose process is alive is chosen (every time, with --interval).

Options:
  -d, --dir DIR         chaos directory holding nodes/<name>.pid (default: $CHAOS_DIR, else ./chaos-run)
  -s, --signal SIG      KILL (default), TERM, STOP (freeze) or CONT (thaw); with or without SIG prefix
  -f, --freeze SECONDS  freeze: send STOP, wait SECONDS, then send CONT to the same node
  -i, --interval SECS   repeat every SECS seconds (the node is chosen again each time)
  -n, --count N         with --interval, stop after N rounds (default: until interrupted)
  -l, --list            list the nodes and whether their processes are alive, then exit
  -h, --help            this text

Examples:
  CHAOS_DIR=/tmp/chaos kill-node.sh                 # kill -9 a random node
  kill-node.sh --dir /tmp/chaos --signal TERM node-1
  kill-node.sh --dir /tmp/chaos --freeze 5 node-2   # SIGSTOP for 5 s (longer than --failure-timeout), SIGCONT
  kill-node.sh --dir /tmp/chaos --interval 30 -n 3  # kill -9 a random live node every 30 s, 3 times

Kubernetes mode (deleting or freezing pods of a Shardgate StatefulSet) is not implemented yet: it is a
later issue. This script only acts on local processes listed in the pid directory.
USAGE
}

die() { echo "kill-node.sh: $*" >&2; exit 2; }

dir="${CHAOS_DIR:-./chaos-run}"
signal="KILL"
freeze=""
interval=""
count=""
list=0
node=""

while [[ $# -gt 0 ]]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    -d|--dir) [[ $# -ge 2 ]] || die "$1 needs a value"; dir="$2"; shift 2 ;;
    --dir=*) dir="${1#*=}"; shift ;;
    -s|--signal) [[ $# -ge 2 ]] || die "$1 needs a value"; signal="$2"; shift 2 ;;
    --signal=*) signal="${1#*=}"; shift ;;
    -f|--freeze) [[ $# -ge 2 ]] || die "$1 needs a value"; freeze="$2"; shift 2 ;;
    --freeze=*) freeze="${1#*=}"; shift ;;
    -i|--interval) [[ $# -ge 2 ]] || die "$1 needs a value"; interval="$2"; shift 2 ;;
    --interval=*) interval="${1#*=}"; shift ;;
    -n|--count) [[ $# -ge 2 ]] || die "$1 needs a value"; count="$2"; shift 2 ;;
    --count=*) count="${1#*=}"; shift ;;
    -l|--list) list=1; shift ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [[ -z "$node" ]] || die "only one NODE may be given"; node="$1"; shift ;;
  esac
done

signal="${signal^^}"
signal="${signal#SIG}"
case "$signal" in
  KILL|TERM|STOP|CONT|INT) ;;
  *) die "unsupported signal $signal (KILL, TERM, STOP, CONT)" ;;
esac
number='^[0-9]+$'
[[ -z "$freeze" || "$freeze" =~ $number ]] || die "--freeze wants whole seconds, got $freeze"
[[ -z "$interval" || "$interval" =~ $number ]] || die "--interval wants whole seconds, got $interval"
[[ -z "$count" || "$count" =~ $number ]] || die "--count wants a number, got $count"
piddir="$dir/nodes"
[[ -d "$piddir" ]] || die "no pid directory $piddir (is the harness running? set --dir or CHAOS_DIR)"

pid_of() {
  local file="$piddir/$1.pid"
  [[ -f "$file" ]] || die "no pid file $file"
  local pid
  pid="$(tr -dc '0-9' < "$file")"
  [[ -n "$pid" ]] || die "empty pid file $file"
  echo "$pid"
}

alive() { kill -0 "$1" 2>/dev/null; }

live_nodes() {
  local f name
  for f in "$piddir"/*.pid; do
    [[ -e "$f" ]] || continue
    name="$(basename "$f" .pid)"
    if alive "$(pid_of "$name")"; then echo "$name"; fi
  done
}

if [[ "$list" -eq 1 ]]; then
  for f in "$piddir"/*.pid; do
    [[ -e "$f" ]] || continue
    name="$(basename "$f" .pid)"
    pid="$(pid_of "$name")"
    if alive "$pid"; then echo "$name $pid alive"; else echo "$name $pid dead"; fi
  done
  exit 0
fi

one_round() {
  local target="$node"
  if [[ -z "$target" ]]; then
    local -a live=()
    mapfile -t live < <(live_nodes)
    [[ ${#live[@]} -gt 0 ]] || die "no live node in $piddir"
    target="${live[RANDOM % ${#live[@]}]}"
  fi
  local pid
  pid="$(pid_of "$target")"
  alive "$pid" || die "node $target (pid $pid) is not running"
  if [[ -n "$freeze" ]]; then
    echo "$(date +%T) SIGSTOP $target (pid $pid) for ${freeze}s"
    kill -STOP "$pid"
    sleep "$freeze"
    echo "$(date +%T) SIGCONT $target (pid $pid)"
    kill -CONT "$pid" || true
  else
    echo "$(date +%T) SIG$signal $target (pid $pid)"
    kill -s "$signal" "$pid"
  fi
}

if [[ -z "$interval" ]]; then
  one_round
  exit 0
fi

round=0
while [[ -z "$count" || "$round" -lt "$count" ]]; do
  one_round
  round=$((round + 1))
  if [[ -z "$count" || "$round" -lt "$count" ]]; then sleep "$interval"; fi
done
