#!/usr/bin/env bash
# Builds a faster-starting layout of the adapter for JDK 17 to 24: the jar extracted (Spring Boot's "tools" jar
# mode) plus a class data sharing (CDS) archive of the classes a start-up loads, already parsed and verified, so
# the next start maps them instead of loading them from the jars. JDK 25 and later have the AOT cache, which
# does more (aot-cache.sh). See docs/benchmarks.md section 3 for what each gains.
#
# usage: docker/cds-archive.sh [jar] [destination]
#   jar          default adapter/target/sp-fhir-adapter.jar (./mvnw -B package -DskipTests builds it)
#   destination  default adapter/target/cds
# env:  JAVA     the java launcher to use, default "java"; the archive only works with that same JDK build (with
#                another one, or a changed jar, the JVM says so and starts without it: slower, never wrong).
# Then run what it prints last: $JAVA -XX:SharedArchiveFile=<destination>/app.jsa -jar <destination>/sp-fhir-adapter.jar
# with <destination> as an absolute path (the archive only matches the class path it was made with), and
# ADAPTER_FHIR_VALIDATOR_EARLY_START=true, which pays off with the archive (docs/operations.md).
#
# How: a training start records the classes it loads (-XX:DumpLoadedClassList), on a throw-away in-memory H2
# database, and exits as soon as the application context has started (spring.context.exit=onRefresh), by when the
# validator warm-up (started early, beside Spring's start-up) has loaded HAPI's validator; nothing is sent anywhere.
# A static archive is then dumped from that list (-Xshare:dump). Not Spring Boot's one-step
# -XX:ArchiveClassesAtExit: on OpenJDK 17.0.15 (Debian's build) both it and a static dump of the full list crash
# the JVM while archiving lambda proxy classes (SystemDictionaryShared::adjust_lambda_proxy_class_dictionary), so
# the list's "@lambda-proxy" and "@lambda-form-invoker" lines are left out: those few classes are still made at
# run time, as without an archive.
# The archive is about 175 MB: it is build output, never commit it.
set -euo pipefail

JAVA="${JAVA:-java}"
JAR="${1:-adapter/target/sp-fhir-adapter.jar}"
DEST="${2:-adapter/target/cds}"

feature=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')
if [ -z "$feature" ] || [ "${feature%%.*}" -lt 17 ]; then
  echo "cds-archive.sh: $JAVA is Java ${feature:-unknown}; the adapter needs JDK 17 or later (set JAVA)" >&2
  exit 2
fi
if [ ! -f "$JAR" ]; then
  echo "cds-archive.sh: no $JAR; build it first: ./mvnw -B package -DskipTests" >&2
  exit 2
fi

rm -rf "$DEST"
"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$DEST"
# An absolute path: the archive records the class path it was dumped with and is only used with the same one.
APP_JAR="$(cd "$DEST" && pwd)/$(basename "$JAR")"

# Training run, on the embedded defaults (simulator and development issuer on, as the README's run command; the
# classes they load are recorded too) with an in-memory H2 database and free ports, so it needs nothing else and
# collides with nothing.
ADAPTER_SIMULATOR_ENABLED=true ADAPTER_SECURITY_DEV_MODE=true ADAPTER_FHIR_VALIDATOR_EARLY_START=true \
  "$JAVA" -Xmx768m -XX:DumpLoadedClassList="$DEST/classes.lst" -Dspring.context.exit=onRefresh \
  -jar "$APP_JAR" \
  --spring.datasource.url="jdbc:h2:mem:cds-training;DB_CLOSE_DELAY=-1" \
  --server.port=0 --adapter.simulator.port=0

grep -v -e '@lambda-proxy' -e '@lambda-form-invoker' "$DEST/classes.lst" > "$DEST/classes.archived.lst"
# The class path must be the one the adapter is run with (-jar puts the jar and its manifest's Class-Path on it).
# Classes from signed jars (Saxon) cannot be archived; the JVM names each as it skips it.
"$JAVA" -Xshare:dump -XX:SharedClassListFile="$DEST/classes.archived.lst" -XX:SharedArchiveFile="$DEST/app.jsa" \
  -Xlog:cds=error -cp "$APP_JAR"
rm "$DEST/classes.lst" "$DEST/classes.archived.lst"
# Fail here rather than start slowly later: -Xshare:on refuses to start when the archive cannot be used.
"$JAVA" -Xshare:on -XX:SharedArchiveFile="$DEST/app.jsa" -cp "$APP_JAR" -version 2>/dev/null || {
  echo "cds-archive.sh: the JVM cannot use $DEST/app.jsa with $APP_JAR" >&2
  exit 1
}

ls -l "$DEST/app.jsa"
ARCHIVE="$(dirname "$APP_JAR")/app.jsa"
echo "Run: ADAPTER_FHIR_VALIDATOR_EARLY_START=true $JAVA -Xmx768m -XX:SharedArchiveFile=$ARCHIVE -jar $APP_JAR"
