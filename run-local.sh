#!/usr/bin/env bash
# Runs everything: a broker, then the four services from their jars; Ctrl-C stops everything it started.
# The broker (scripts/broker.sh, the same logic as ./run-tests.sh): the one answering on RABBITMQ_HOST:RABBITMQ_PORT
# (default localhost:5672); else a container when Docker or Podman can run RABBITMQ_IMAGE
# (default rabbitmq:3.13-management); else a private RabbitMQ node under target/rabbitmq/run from the OS packages,
# installed first when missing (apt-get, sudo when not root; Homebrew on macOS).
#   RABBITMQ_HOST/PORT/USERNAME/PASSWORD/VIRTUAL_HOST  the broker to use (default localhost:5672 guest/guest)
#   SKIP_BUILD=1                                         reuse the jars already in */target
set -euo pipefail
cd "$(dirname "$0")"
BROKER_COMMAND=./run-local.sh
# shellcheck source=scripts/broker.sh
. scripts/broker.sh

LOG_DIR=target/run-logs
SERVICES=(producer-service:8080 worker-service:8081 log-subscriber-service:8082 rpc-service:8083)
pids=()

cleanup() {
  trap - INT TERM EXIT
  # A pipe reader (| tee) gone with Ctrl-C: failed writes must not end the shell before everything is stopped.
  trap '' PIPE; set +e
  [ "${#pids[@]}" -gt 0 ] || [ -n "$BROKER_STARTED" ] || return 0
  echo; echo "Stopping..."
  for pid in ${pids[@]+"${pids[@]}"}; do kill "$pid" 2>/dev/null || true; done
  for pid in ${pids[@]+"${pids[@]}"}; do wait "$pid" 2>/dev/null || true; done
  broker_release
  echo "Stopped."
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The service's readiness: an HTTP 200 from /q/health/ready (no curl needed).
ready() { [ "$(broker_http_status localhost "$1" /q/health/ready)" = 200 ]; }

for entry in "${SERVICES[@]}"; do
  port=${entry##*:}
  if ! broker_port_free "$port"; then
    echo "Port $port (${entry%%:*}) is taken: stop what listens there (an earlier ./run-local.sh?) and try again." >&2
    exit 1
  fi
done

broker_provision run
echo "Broker: amqp://$RABBITMQ_HOST:$RABBITMQ_PORT, $BROKER_DESCRIPTION"

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "Building (./mvnw -B -q package -DskipTests, about a minute)..."
  ./mvnw -B -q package -DskipTests
fi

mkdir -p "$LOG_DIR"
for entry in "${SERVICES[@]}"; do
  name=${entry%%:*}; port=${entry##*:}
  QUARKUS_HTTP_PORT=$port java -jar "$name/target/quarkus-app/quarkus-run.jar" >"$LOG_DIR/$name.log" 2>&1 &
  pids+=($!)
done

echo "Waiting for the services to be ready..."
not_ready=0
for entry in "${SERVICES[@]}"; do
  name=${entry%%:*}; port=${entry##*:}
  for _ in $(seq 1 120); do ready "$port" && break; sleep 0.5; done
  if ready "$port"; then
    echo "  $name  http://localhost:$port  (ready; log: $LOG_DIR/$name.log)"
  else
    echo "  $name  http://localhost:$port  NOT READY, see $LOG_DIR/$name.log"; not_ready=1
  fi
done
[ -n "${RABBITMQ_HTTP_PORT:-}" ] && echo "  RabbitMQ management  http://localhost:$RABBITMQ_HTTP_PORT  ($RABBITMQ_USERNAME / $RABBITMQ_PASSWORD)"

cat <<'TRY'

Try it:
  curl -i -X POST localhost:8080/tasks -H 'Content-Type: text/plain' -d 'hello...'
  curl -i -X POST localhost:8080/broadcast -H 'Content-Type: text/plain' -d 'to everyone'
  curl -i -X POST localhost:8080/logs/error -H 'Content-Type: text/plain' -d 'disk full'
  curl -i -X POST localhost:8080/events/mysql.error -H 'Content-Type: text/plain' -d 'too many connections'
  curl -i -X POST localhost:8080/rpc/fib -H 'Content-Type: text/plain' -d '30'
  curl -s 'localhost:8082/logs?limit=10'          # what the log subscriber received (task events too)
  curl -N localhost:8082/logs/stream               # live, server-sent events
  open http://localhost:8080/q/swagger-ui          # the producer's API
TRY
command -v curl >/dev/null 2>&1 || echo "  (curl is not installed here: apt-get install curl)"
[ "$not_ready" = 0 ] || echo "Some services are not ready: see their logs above."
echo "Ctrl-C stops everything this script started."
wait
