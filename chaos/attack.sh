#!/usr/bin/env bash
# The client attack suite at full size against a real node process at -Xmx665m (docs/security.md,
# "Hostile clients: measured"). Builds the node jar and the suite through the reactor first.
#   chaos/attack.sh [--scale=heavy|light] [--dir=DIR]
# Exit status 0 when every attack was held.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mvn -B -q -pl node,chaos -am package -DskipTests
mvn -B -q -f chaos/pom.xml dependency:build-classpath -Dmdep.outputFile=target/cp.txt
# Reactor modules from their build output: ~/.m2 may hold older snapshots of them.
cp="chaos/target/classes:xds-client/target/classes:sharding/target/classes:$(cat chaos/target/cp.txt)"
exec java -cp "$cp" io.shardgate.chaos.attack.ClientAttacks --node-jar=node/target/shardgate-node.jar \
    --examples=examples "$@"
