#!/usr/bin/env bash
# Chaos: signal a local Shardgate node process started by the chaos harness, or act on a Shardgate pod (--k8s).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: kill-node.sh [options] [NODE]

Sends a signal to one local Shardgate node process started by the chaos harness
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

Kubernetes mode (--k8s): acts on a pod of the Shardgate StatefulSet through kubectl (current context).
  --k8s                 act on pods instead of local processes
  --namespace NS        the pods' namespace (default: shardgate)
  --selector SEL        label selector of the node pods
                        (default: app.kubernetes.io/name=shardgate,app.kubernetes.io/component=control-plane)
  --mode MODE           delete (default): kubectl delete pod --grace-period=0 --force (the pod is gone at
                          once; the StatefulSet recreates it)
                        kill9 (or kill): kill -9 of the JVM inside the pod (the container restarts)
                        freeze: SIGSTOP the JVM inside the pod for --freeze SECONDS, then SIGCONT
                        term: SIGTERM the JVM inside the pod (graceful hand-over)
                        (kill9, freeze and term need shareProcessNamespace: true, as deploy/k8s/overlays/chaos sets, so
                        that the JVM is not the pod's PID 1, which ignores SIGKILL and SIGSTOP sent from inside)
  --container NAME      the node's container (default: shardgate)
  --jar NAME            the JVM signalled is the java process running -jar .../NAME (default: shardgate-node.jar)
  NODE is then a pod name; without it a random Running pod that is not being deleted is chosen.

Both modes:
  -c, --check CMD       after each action, run CMD (with bash -c) every second until it succeeds and print
                        how long that took (e.g. a script that asserts every Envoy holds its domains)
  --check-timeout SECS  give up on CMD after SECS seconds (default: 120); the script then exits 1

Kubernetes examples:
  kill-node.sh --k8s                                  # force-delete a random Shardgate pod
  kill-node.sh --k8s --mode kill9 --interval 60 -n 5  # kill -9 a random node's JVM every minute, 5 times
  kill-node.sh --k8s --mode freeze --freeze 10 shardgate-1 --check ./check-envoys.sh
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
k8s=0
namespace="shardgate"
selector="app.kubernetes.io/name=shardgate,app.kubernetes.io/component=control-plane"
mode="delete"
container="shardgate"
jar="shardgate-node.jar"
check=""
check_timeout=120

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
    --k8s) k8s=1; shift ;;
    --namespace) [[ $# -ge 2 ]] || die "$1 needs a value"; namespace="$2"; shift 2 ;;
    --namespace=*) namespace="${1#*=}"; shift ;;
    --selector) [[ $# -ge 2 ]] || die "$1 needs a value"; selector="$2"; shift 2 ;;
    --selector=*) selector="${1#*=}"; shift ;;
    --mode) [[ $# -ge 2 ]] || die "$1 needs a value"; mode="$2"; shift 2 ;;
    --mode=*) mode="${1#*=}"; shift ;;
    -c|--check) [[ $# -ge 2 ]] || die "$1 needs a value"; check="$2"; shift 2 ;;
    --check=*) check="${1#*=}"; shift ;;
    --container) [[ $# -ge 2 ]] || die "$1 needs a value"; container="$2"; shift 2 ;;
    --container=*) container="${1#*=}"; shift ;;
    --jar) [[ $# -ge 2 ]] || die "$1 needs a value"; jar="$2"; shift 2 ;;
    --jar=*) jar="${1#*=}"; shift ;;
    --check-timeout) [[ $# -ge 2 ]] || die "$1 needs a value"; check_timeout="$2"; shift 2 ;;
    --check-timeout=*) check_timeout="${1#*=}"; shift ;;
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
[[ "$check_timeout" =~ $number ]] || die "--check-timeout wants whole seconds, got $check_timeout"

# Runs --check until it succeeds; prints the time since the action.
await_check() {
  [[ -n "$check" ]] || return 0
  local start=$SECONDS
  until bash -c "$check" >/dev/null 2>&1; do
    if (( SECONDS - start >= check_timeout )); then
      echo "$(date +%T) check did not succeed within ${check_timeout}s: $check" >&2
      exit 1
    fi
    sleep 1
  done
  echo "$(date +%T) converged in $((SECONDS - start))s (check: $check)"
}

if [[ "$k8s" -eq 1 ]]; then
  case "$mode" in
    delete|kill9|term) ;;
    kill) mode="kill9" ;;
    freeze) [[ -n "$freeze" ]] || die "--mode freeze needs --freeze SECONDS" ;;
    *) die "unsupported --mode $mode (delete, kill9, freeze, term)" ;;
  esac
  command -v kubectl >/dev/null || die "kubectl not found on PATH"

  # Running pods not being deleted: one line "name<TAB>deletionTimestamp" each, the timestamp empty if none.
  running_pods() {
    kubectl get pods --namespace "$namespace" --selector "$selector" --field-selector status.phase=Running \
      --output 'jsonpath={range .items[*]}{.metadata.name}{"\t"}{.metadata.deletionTimestamp}{"\n"}{end}' |
      while IFS=$'\t' read -r name deleting; do
        if [[ -n "$name" && -z "$deleting" ]]; then echo "$name"; fi
      done
  }

  # Run by sh inside the pod with $1 = jar name, $2 = signal: signals every java process running -jar .../$1
  # (not this shell, whose own command line holds the name too); fails if there is none.
  # shellcheck disable=SC2016 # expanded by the pod's sh, not here
  in_pod='found=; for d in /proc/[0-9]*; do p=${d#/proc/}; [ "$p" = "$$" ] && continue; [ "$(cat "$d/comm" 2>/dev/null)" = java ] || continue; case "$(tr "\000" " " < "$d/cmdline" 2>/dev/null)" in *" -jar "*"$1"*) if [ "$p" = 1 ]; then echo "the JVM is this pod'"'"'s PID 1, which ignores signals sent from inside: install with deploy/k8s/overlays/chaos (shareProcessNamespace: true)" >&2; exit 4; fi; kill -s "$2" "$p" && found=1;; esac; done; [ -n "$found" ] || { echo "no java -jar .../$1 process in this pod" >&2; exit 3; }'

  signal_jvm() {
    local pod="$1" sig="$2"
    kubectl exec --namespace "$namespace" "$pod" -c "$container" -- sh -c "$in_pod" kill-node "$jar" "$sig" ||
      die "could not send SIG$sig to the JVM in $namespace/$pod"
  }

  k8s_round() {
    local pod="$node"
    if [[ -z "$pod" ]]; then
      local listed
      listed="$(running_pods)" || die "cannot list the pods of namespace $namespace (kubectl get pods failed)"
      [[ -n "$listed" ]] || die "no Running pod (not being deleted) matches $selector in namespace $namespace"
      local -a pods=()
      mapfile -t pods <<< "$listed"
      pod="${pods[RANDOM % ${#pods[@]}]}"
    fi
    echo "$(date +%T) $mode $namespace/$pod"
    case "$mode" in
      delete) kubectl delete pod --namespace "$namespace" "$pod" --grace-period=0 --force --wait=false ;;
      kill9) signal_jvm "$pod" KILL ;;
      term) signal_jvm "$pod" TERM ;;
      freeze)
        signal_jvm "$pod" STOP
        sleep "$freeze"
        echo "$(date +%T) thaw $namespace/$pod"
        signal_jvm "$pod" CONT ;;
    esac
    await_check
  }

  round=0
  while :; do
    k8s_round
    round=$((round + 1))
    [[ -n "$interval" ]] || break
    [[ -z "$count" || "$round" -lt "$count" ]] || break
    sleep "$interval"
  done
  exit 0
fi

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
  await_check
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
