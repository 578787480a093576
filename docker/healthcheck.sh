#!/bin/bash
# Container health check: GET /actuator/health/liveness on this container and succeed on HTTP 200 only.
# The eclipse-temurin images do not guarantee curl or wget (newer images ship neither), so this speaks
# HTTP/1.0 over bash's /dev/tcp; bash and the coreutils are part of the Ubuntu base image.
# Liveness answers 200 when the application is live and 503 when it is not.
set -eu

port="${ADAPTER_HTTP_PORT:-8080}"

exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET /actuator/health/liveness HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3

status_line=""
IFS= read -r -t 5 status_line <&3 || true
exec 3<&-

case "${status_line}" in
  "HTTP/1."?" 200"*) exit 0 ;;
  *) echo "liveness: ${status_line:-no answer}" >&2; exit 1 ;;
esac
