#!/usr/bin/env bash
# Builds a fast-start layout of the adapter: the jar extracted (Spring Boot's "tools" jar mode) plus an AOT cache
# (JDK 25 and later, JEP 483/514/515) recorded from a training start of the adapter. The cache holds the classes
# loaded and linked, and the method profiles, of a start-up that ran the validator warm-up, so the next start skips
# most of that work. See docs/benchmarks.md section 3 for what it gains.
#
# usage: docker/aot-cache.sh [jar] [destination]
#   jar          default adapter/target/sp-fhir-adapter.jar (./mvnw -B package -DskipTests builds it)
#   destination  default adapter/target/fast-start
# env:  JAVA     the java launcher to use, default "java"; it must be JDK 25 or later, and the cache only works
#                with that same JDK build (a cache from another JVM is ignored, with a warning, not fatal).
#       JAVA_TOOL_OPTIONS  read by the training run as by any JVM: set it as you will run the adapter (the collector
#                is part of what the cache records; Dockerfile.fast-start sets it before calling this script).
# Then run:  $JAVA -XX:AOTCache=<destination>/app.aot -jar <destination>/sp-fhir-adapter.jar
# (add ADAPTER_FHIR_VALIDATOR_EARLY_START=true, see docs/operations.md).
#
# The training run starts the adapter on a throw-away in-memory H2 database and exits as soon as the application
# context has started (spring.context.exit=onRefresh), once the validator warm-up has run; nothing is sent anywhere. The cache is about 180 MB: it is build output, never commit it.
set -euo pipefail

JAVA="${JAVA:-java}"
JAR="${1:-adapter/target/sp-fhir-adapter.jar}"
DEST="${2:-adapter/target/fast-start}"

feature=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
if [ -z "$feature" ] || [ "${feature%%.*}" -lt 25 ]; then
  echo "aot-cache.sh: $JAVA is Java ${feature:-unknown}; an AOT cache needs JDK 25 or later (set JAVA)" >&2
  exit 2
fi
if [ ! -f "$JAR" ]; then
  echo "aot-cache.sh: no $JAR; build it first: ./mvnw -B package -DskipTests" >&2
  exit 2
fi

rm -rf "$DEST"
"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$DEST"

# Training run, on the embedded defaults (simulator and development issuer on, as the README's run command; the
# classes they load are recorded too) with an in-memory H2 database and free ports, so it needs nothing else and
# collides with nothing. -Xmx768m as the images run it.
ADAPTER_SIMULATOR_ENABLED=true ADAPTER_SECURITY_DEV_MODE=true ADAPTER_FHIR_VALIDATOR_EARLY_START=true \
  "$JAVA" -Xmx768m -XX:AOTCacheOutput="$DEST/app.aot" -Dspring.context.exit=onRefresh \
  -jar "$DEST/$(basename "$JAR")" \
  --spring.datasource.url="jdbc:h2:mem:aot-training;DB_CLOSE_DELAY=-1" \
  --server.port=0 --adapter.simulator.port=0

ls -l "$DEST/app.aot"
echo "Run: $JAVA -Xmx768m -XX:AOTCache=$DEST/app.aot -jar $DEST/$(basename "$JAR")"
