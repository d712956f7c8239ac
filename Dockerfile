# Shardgate node image. Build from the repository root:  docker build -t shardgate/node:0.1.0 .
# Stage 1 builds the runnable jar with Maven and a JDK; stage 2 is a JRE only, running as a non-root user.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The whole reactor: Maven reads every module's pom, even of modules it does not build (.dockerignore keeps
# build output and .git out).
COPY . .
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -pl node -am package -DskipTests

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 shardgate && useradd --system --uid 10001 --gid 10001 --no-create-home shardgate
COPY --from=build /src/node/target/shardgate-node.jar /app/shardgate-node.jar
# The SBOM of what the jar carries (CycloneDX JSON), for image scanners.
COPY --from=build /src/node/target/shardgate-node.cdx.json /app/shardgate-node.cdx.json
# The default run (no flags) serves these manifests; in Kubernetes the node reads the API instead.
COPY --from=build /src/examples /app/examples
WORKDIR /app
USER 10001:10001
# ADS (gRPC), admin (/metrics /healthz /readyz /debug), Hazelcast member port.
EXPOSE 18000 9090 5701
# Hazelcast's module flags (the root pom's hazelcast.add-opens; the jar's manifest carries them too). Heap and
# out-of-memory behaviour come from JAVA_TOOL_OPTIONS (deploy/k8s/base/statefulset.yaml).
ENTRYPOINT ["java", "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED", "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED", "-jar", "/app/shardgate-node.jar"]
