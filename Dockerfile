# Shardgate node image. Build from the repository root:  docker build -t shardgate/node:0.1.0 .
# Stage 1 builds the runnable jar with Maven and a JDK; stage 2 is a JRE only, running as a non-root user.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY translator translator
COPY sharding sharding
COPY cluster-state cluster-state
COPY kube-mock kube-mock
COPY xds-client xds-client
COPY node node
COPY chaos chaos
COPY deploy deploy
COPY examples examples
COPY docs docs
RUN mvn -B -q -pl node -am package -DskipTests

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 shardgate && useradd --system --uid 10001 --gid 10001 --no-create-home shardgate
COPY --from=build /src/node/target/shardgate-node.jar /app/shardgate-node.jar
COPY --from=build /src/examples /app/examples
WORKDIR /app
USER 10001:10001
# ADS (gRPC), admin (/metrics /healthz /readyz /debug), Hazelcast member port.
EXPOSE 18000 9090 5701
# The jar's manifest carries the --add-opens Hazelcast needs; JAVA_TOOL_OPTIONS sets heap and OOM behaviour.
ENTRYPOINT ["java", "-jar", "/app/shardgate-node.jar"]
