#!/usr/bin/env bash
# Builds the four services, starts a broker when none answers, starts the services, and stops
# everything it started on Ctrl-C.
#   RABBITMQ_HOST/PORT/USERNAME/PASSWORD/VIRTUAL_HOST  the broker to use (default localhost:5672 guest/guest)
#   SKIP_BUILD=1                                         reuse the jars already in */target
set -euo pipefail
cd "$(dirname "$0")"

export RABBITMQ_HOST="${RABBITMQ_HOST:-localhost}" RABBITMQ_PORT="${RABBITMQ_PORT:-5672}"
export RABBITMQ_USERNAME="${RABBITMQ_USERNAME:-guest}" RABBITMQ_PASSWORD="${RABBITMQ_PASSWORD:-guest}"
LOG_DIR=target/run-logs
SERVICES=(producer-service:8080 worker-service:8081 log-subscriber-service:8082 rpc-service:8083)
pids=()
broker_started=""

cleanup() {
  trap - INT TERM EXIT
  echo; echo "Stopping..."
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  case "$broker_started" in
    container:*) "${broker_started#container:}" rm -f rabbitworks-rabbitmq >/dev/null 2>&1 || true ;;
    local) rabbitmqctl -q stop >/dev/null 2>&1 || true ;;
  esac
  echo "Stopped."
}
trap cleanup INT TERM EXIT

broker_answers() { (exec 3<>"/dev/tcp/$RABBITMQ_HOST/$RABBITMQ_PORT") 2>/dev/null; }

container_engine() {
  for engine in docker podman; do
    if command -v "$engine" >/dev/null 2>&1 && "$engine" info >/dev/null 2>&1; then echo "$engine"; return; fi
  done
}

start_broker() {
  local engine
  engine=$(container_engine)
  if [ -n "$engine" ] && {
    echo "No broker on $RABBITMQ_HOST:$RABBITMQ_PORT: starting rabbitmq:3.13-management with $engine"
    "$engine" run -d --rm --name rabbitworks-rabbitmq -p "$RABBITMQ_PORT:5672" -p 15672:15672 \
      -e RABBITMQ_DEFAULT_USER="$RABBITMQ_USERNAME" -e RABBITMQ_DEFAULT_PASS="$RABBITMQ_PASSWORD" \
      "${RABBITMQ_IMAGE:-rabbitmq:3.13-management}" >/dev/null
  }; then
    broker_started="container:$engine"
  elif command -v rabbitmq-server >/dev/null 2>&1; then
    # No container engine, or it could not run the image (e.g. no registry): the OS package.
    echo "No broker on $RABBITMQ_HOST:$RABBITMQ_PORT: starting the local rabbitmq-server"
    rabbitmq-server -detached
    rabbitmqctl -q await_startup --timeout 120
    rabbitmq-plugins -q enable rabbitmq_management >/dev/null || true
    broker_started="local"
  else
    echo "No broker on $RABBITMQ_HOST:$RABBITMQ_PORT, no Docker/Podman and no rabbitmq-server." >&2
    echo "Install one (e.g. 'apt-get install rabbitmq-server') or set RABBITMQ_HOST." >&2
    exit 1
  fi
  for _ in $(seq 1 120); do broker_answers && return; sleep 1; done
  echo "The broker did not come up." >&2; exit 1
}

if [ -z "${SKIP_BUILD:-}" ]; then
  echo "Building (./mvnw package -DskipTests)..."
  ./mvnw -B -q package -DskipTests
fi

broker_answers || { [ "$RABBITMQ_HOST" = localhost ] || [ "$RABBITMQ_HOST" = 127.0.0.1 ]; } || {
  echo "The broker at $RABBITMQ_HOST:$RABBITMQ_PORT does not answer." >&2; exit 1; }
broker_answers || start_broker

mkdir -p "$LOG_DIR"
for entry in "${SERVICES[@]}"; do
  name=${entry%%:*}; port=${entry##*:}
  QUARKUS_HTTP_PORT=$port java -jar "$name/target/quarkus-app/quarkus-run.jar" >"$LOG_DIR/$name.log" 2>&1 &
  pids+=($!)
done

echo "Waiting for the services to be ready..."
for entry in "${SERVICES[@]}"; do
  name=${entry%%:*}; port=${entry##*:}
  for _ in $(seq 1 60); do
    curl -fsS "http://localhost:$port/q/health/ready" >/dev/null 2>&1 && break
    sleep 1
  done
  curl -fsS "http://localhost:$port/q/health/ready" >/dev/null 2>&1 \
    && echo "  $name  http://localhost:$port  (ready; log: $LOG_DIR/$name.log)" \
    || echo "  $name  http://localhost:$port  NOT READY, see $LOG_DIR/$name.log"
done

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
Ctrl-C stops everything this script started.
TRY
wait
