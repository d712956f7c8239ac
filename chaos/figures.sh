#!/usr/bin/env bash
# Failover figures for docs/benchmarks.md: runs the chaos scenario RUNS times per cluster shape at DOMAINS
# domains and prints every run's per-fault figures and their medians.
#   chaos/figures.sh [DOMAINS=3000] [RUNS=5]
# Needs the node jar (mvn -B -pl node -am package -DskipTests) and chaos's classes (mvn -B -pl chaos -am
# test-compile). Three nodes: kill -9, the replacement's join, freeze (6 s, failure timeout 3 s), SIGTERM and its
# replacement's join. Two nodes: freeze and wake. 6 shards, 6 Delta clients per shard, a domain every 200 ms.
set -euo pipefail
cd "$(dirname "$0")"
domains="${1:-3000}"
runs="${2:-5}"
out="target/figures-${domains}"
mkdir -p "$out"
[ -f target/cp.txt ] || mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt
cp="target/classes:$(cat target/cp.txt)"

run() { # name nodes faults
  for i in $(seq 1 "$runs"); do
    java -cp "$cp" io.shardgate.chaos.ChaosScenario --node-jar=../node/target/shardgate-node.jar \
      --dir="$(mktemp -d)" --nodes="$2" --shards=6 --clients-per-shard=6 --initial-domains="$domains" \
      --domain-interval-ms=200 --faults="$3" --freeze-s=6 --failure-timeout-s=3 --wait-s=120 \
      > "$out/$1-$i.txt" 2>&1 || echo "run $1-$i failed (see $out/$1-$i.txt)"
    grep -E '^no fault|^fault |^RESULT' "$out/$1-$i.txt" | sed "s/^/$1-$i: /"
  done
}
run three 3 kill,freeze,term
run two 2 freeze

median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) print "-"; else print a[int((NR+1)/2)]}'; }
echo "=== medians over $runs runs at $domains domains (ms) ==="
for shape in three two; do
  quiet=$(grep -h "^no fault" "$out"/$shape-*.txt | sed -n 's/.*longest delivery \([0-9]*\) ms.*/\1/p' | median)
  echo "$shape nodes, no fault: longest delivery $quiet"
done
for f in KILL REJOIN FREEZE TERM; do
  conv=$(grep -h "^fault $f " "$out"/three-*.txt | sed -n 's/.*converged in \([0-9]*\) ms.*/\1/p' | median)
  gap=$(grep -h "^fault $f " "$out"/three-*.txt | sed -n 's/.*longest unserved \([0-9]*\) ms.*/\1/p' | median)
  echo "3 nodes $f: converged $conv, longest unserved $gap"
done
conv=$(grep -h "^fault FREEZE " "$out"/two-*.txt | sed -n 's/.*converged in \([0-9]*\) ms.*/\1/p' | median)
gap=$(grep -h "^fault FREEZE " "$out"/two-*.txt | sed -n 's/.*longest unserved \([0-9]*\) ms.*/\1/p' | median)
echo "2 nodes FREEZE: converged $conv, longest unserved $gap"
