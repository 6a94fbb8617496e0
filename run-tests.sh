#!/usr/bin/env bash
# Runs every test: ./mvnw -B verify, with a broker. Finds or starts one first (scripts/broker.sh, the same logic as
# ./run-local.sh): the broker of RABBITMQ_HOST if given; else broker containers (Testcontainers, Dev Services) when
# Docker or Podman can run them; else a private RabbitMQ node under target/rabbitmq/tests, from the OS packages,
# installed first when missing (apt-get, sudo when not root; Homebrew on macOS). A broker it started is stopped at
# the end, on Ctrl-C too.
#   ./run-tests.sh [more Maven arguments, e.g. -pl producer-service -am, -Dtest=...]
set -euo pipefail
cd "$(dirname "$0")"
BROKER_COMMAND=./run-tests.sh
# shellcheck source=scripts/broker.sh
. scripts/broker.sh

trap 'broker_release' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

broker_provision tests
echo "Broker for the tests: $BROKER_DESCRIPTION"
echo "Running: ./mvnw -B verify $*"
./mvnw -B verify "$@"
