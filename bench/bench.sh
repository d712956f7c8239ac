#!/usr/bin/env bash
# Runs the benchmarks from the repository root after `mvn -B -o -q -pl bench package -DskipTests`:
#   bench/bench.sh <scenario> --flag=value ...     (bench/README.md has the command of every figure)
# BENCH_JAVA_OPTS adds JVM flags (default heap 6 GiB), e.g. a Flight Recording.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck disable=SC2086  # BENCH_JAVA_OPTS is split into flags on purpose
exec java --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
  -Xmx6g -Djava.awt.headless=true ${BENCH_JAVA_OPTS:-} \
  -Dkubemock.classes=kube-mock/target/classes -Dkubemock.classpath.file=kube-mock/target/runtime-classpath.txt \
  -cp "bench/target/classes:$(cat bench/target/runtime-classpath.txt)" io.shardgate.bench.Bench "$@"
