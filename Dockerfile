# `autoscaler serve` in a container. Build from the repository root:
#   docker build -t autoscaler .
# Run it with its config and state mounted and its secrets from an env file (README, "Running in production"):
#   docker run -d -p 8080:8080 --env-file /etc/autoscaler/autoscaler.env \
#     -v /etc/autoscaler:/etc/autoscaler:ro -v autoscaler-state:/var/lib/autoscaler autoscaler
# The build stage downloads Maven dependencies from Maven Central and nothing else.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests package -pl autoscaler-examples -am

FROM eclipse-temurin:17-jre
# /usr/bin/java: the same command line as packaging/autoscaler.service
RUN ln -s "$JAVA_HOME/bin/java" /usr/bin/java \
 && useradd --system --uid 10001 --home-dir /var/lib/autoscaler --shell /usr/sbin/nologin autoscaler \
 && mkdir -p /etc/autoscaler /var/lib/autoscaler \
 && chown autoscaler:autoscaler /var/lib/autoscaler && chmod 0700 /var/lib/autoscaler
COPY --from=build /src/autoscaler-examples/target/autoscaler.jar /opt/autoscaler/autoscaler.jar
COPY LICENSE NOTICE README.md /opt/autoscaler/
COPY packaging/autoscaler.yaml /etc/autoscaler/autoscaler.yaml
# config (read only) and state (the RSA and Ed25519 keys, the admin API's endpoint set: keep this volume)
VOLUME ["/etc/autoscaler", "/var/lib/autoscaler"]
# relative paths (a config without state_dir) land in the state volume
WORKDIR /var/lib/autoscaler
USER autoscaler
EXPOSE 8080
ENTRYPOINT ["/usr/bin/java", "-Xmn64m", "-jar", "/opt/autoscaler/autoscaler.jar", "serve", "--config", "/etc/autoscaler/autoscaler.yaml"]
