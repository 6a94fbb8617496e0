#!/usr/bin/env bash
# The one place that finds or starts the RabbitMQ broker: sourced by ./run-local.sh and ./run-tests.sh, run as
# `scripts/broker.sh check` by the root pom before the tests of a bare `./mvnw verify`.
#
# broker_provision run|tests   finds a broker, or starts one, and exports RABBITMQ_HOST/PORT/HTTP_PORT/USERNAME/
#                              PASSWORD for it (tests with a container engine: nothing, Testcontainers/Dev Services
#                              start the broker). First that works:
#   1. RABBITMQ_HOST given: that broker (tests: it must answer, management API included).
#   2. run only: a broker already answering on localhost:RABBITMQ_PORT (default 5672).
#   3. a container engine that can run RABBITMQ_IMAGE (default rabbitmq:3.13-management): run → a container on
#      RABBITMQ_PORT and 15672; tests → Testcontainers and Dev Services, as without this script.
#   4. RabbitMQ installed from the OS packages: a private node (below).
#   5. tests only: a broker that answers on localhost:RABBITMQ_PORT with its management API on RABBITMQ_HTTP_PORT
#      (default 5672, 15672), when RabbitMQ is not installed here.
#   6. not installed: install it (apt-get on Debian/Ubuntu, with sudo when not root; Homebrew on macOS), then 4.
#   Otherwise it stops at once with one message: what is missing and the command that fixes it.
# broker_release                stops what broker_provision started (a broker it found is left alone).
#
# The private node runs the installed package's own scripts as the current user, entirely under
# target/rabbitmq/<run|tests>/: its own node name (rabbitworks-<run|tests>-<port>@localhost), Erlang cookie (home/),
# config (etc/), data (data/), logs (log/), listening on 127.0.0.1 only: AMQP and management on free ports for the
# tests (RABBITMQ_PORT and 15672, or a free port, for run-local), distribution on a free port. The system's broker,
# if any, is not touched. bin/ has rabbitmqctl & co. bound to that node (the tests find them first on the PATH, for
# stop_app/start_app). Logs are kept after it stops; the data is wiped at the next start.
set -o pipefail

BROKER_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BROKER_IMAGE=${RABBITMQ_IMAGE:-rabbitmq:3.13-management}
BROKER_STARTED=""        # container:<engine>:<name> | node:<dir>
BROKER_DESCRIPTION=""
BROKER_NODE_PID=""
BROKER_EPMD_WAS_UP=""
BROKER_INSTALL_NOTE=""   # why an install was not possible, for the final message
BROKER_FIX=""            # the command that fixes it

broker_say() { printf '[broker] %s\n' "$*" >&2; }

# Up to $1 seconds for the rest of the line (no timeout command on macOS: then without a limit).
broker_timeout() {
  local seconds=$1; shift
  if command -v timeout >/dev/null 2>&1; then timeout "$seconds" "$@"; else "$@"; fi
}

broker_is_local() { case "$1" in localhost | 127.* | ::1 | "[::1]") return 0 ;; *) return 1 ;; esac; }

# An AMQP 0-9-1 broker answers on host:port: it replies to the protocol header with a method frame.
broker_amqp_answers() {
  broker_timeout 6 bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf "AMQP\x00\x00\x09\x01" >&3
    IFS= read -r -n 1 -t 5 frame <&3 || exit 1
    [ "$frame" = $'"'"'\x01'"'"' ]' _ "$1" "$2" 2>/dev/null
}

# Something answers HTTP on host:port (any status line).
broker_http_answers() {
  broker_timeout 6 bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf "GET $3 HTTP/1.0\r\nHost: $1\r\nConnection: close\r\n\r\n" >&3
    IFS= read -r -t 5 status <&3 || exit 1
    case "$status" in HTTP/*) exit 0 ;; *) exit 1 ;; esac' _ "$1" "$2" "${3:-/}" 2>/dev/null
}

# The HTTP status code of GET http://host:port/path (empty when nothing answers).
broker_http_status() {
  broker_timeout 6 bash -c '
    exec 3<>"/dev/tcp/$1/$2" || exit 1
    printf "GET $3 HTTP/1.0\r\nHost: $1\r\nConnection: close\r\n\r\n" >&3
    IFS= read -r -t 5 status <&3 || exit 1
    set -- $status; echo "$2"' _ "$1" "$2" "$3" 2>/dev/null || true
}

broker_port_free() {
  ! broker_timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null || return 1
  if command -v ss >/dev/null 2>&1 && [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ]; then return 1; fi
  return 0
}

# A free TCP port in 20000-32767 (below Linux's ephemeral range), none of the arguments, nor RabbitMQ's defaults.
broker_free_port() {
  local port taken
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 12768))
    taken=""
    for other in "$@" 25672 15692 4369; do [ "$port" = "$other" ] && taken=1; done
    [ -z "$taken" ] && broker_port_free "$port" && { echo "$port"; return 0; }
  done
  return 1
}

# ---- container engine ----------------------------------------------------------------------------------------------

# For the tests: Testcontainers finds an engine (docker CLI answering, or DOCKER_HOST with Podman's socket) and the
# image is there or can be pulled.
broker_testcontainers_engine() {
  local engine
  for engine in docker podman; do
    command -v "$engine" >/dev/null 2>&1 || continue
    if [ "$engine" = podman ]; then
      # Testcontainers reaches Podman only through its Docker-compatible socket.
      [ -n "${DOCKER_HOST:-}" ] || continue
      broker_timeout 20 podman --url "$DOCKER_HOST" info >/dev/null 2>&1 || continue
    else
      broker_timeout 20 docker info >/dev/null 2>&1 || continue
    fi
    broker_image_ready "$engine" && { echo "$engine"; return 0; }
  done
  return 1
}

# The image is there, or the engine pulls it now.
broker_image_ready() {
  local engine=$1
  local -a cli=("$engine")
  [ "$engine" = podman ] && [ -n "${DOCKER_HOST:-}" ] && cli=(podman --url "$DOCKER_HOST")
  "${cli[@]}" image inspect "$BROKER_IMAGE" >/dev/null 2>&1 && return 0
  broker_say "pulling $BROKER_IMAGE with $engine"
  broker_timeout 300 "${cli[@]}" pull -q "$BROKER_IMAGE" >/dev/null 2>&1 && return 0
  broker_say "$engine cannot pull $BROKER_IMAGE: not using $engine"
  return 1
}

# For run-local: a container broker on RABBITMQ_PORT and 15672 (or a free port), started here.
broker_start_container() {
  local engine http name="rabbitworks-rabbitmq"
  for engine in docker podman; do
    command -v "$engine" >/dev/null 2>&1 || continue
    broker_timeout 20 "$engine" info >/dev/null 2>&1 || continue
    broker_image_ready "$engine" || continue
    http=${RABBITMQ_HTTP_PORT:-15672}
    broker_port_free "$http" || http=$(broker_free_port "$RABBITMQ_PORT")
    "$engine" rm -f "$name" >/dev/null 2>&1 || true   # a leftover of an earlier run
    broker_say "starting $BROKER_IMAGE with $engine: $engine run -d --rm --name $name -p $RABBITMQ_PORT:5672 -p $http:15672 ..."
    if "$engine" run -d --rm --name "$name" -p "$RABBITMQ_PORT:5672" -p "$http:15672" \
        -e RABBITMQ_DEFAULT_USER="$RABBITMQ_USERNAME" -e RABBITMQ_DEFAULT_PASS="$RABBITMQ_PASSWORD" \
        "$BROKER_IMAGE" >/dev/null; then
      BROKER_STARTED="container:$engine:$name"
      export RABBITMQ_HTTP_PORT=$http
      if broker_await "$RABBITMQ_HOST" "$RABBITMQ_PORT" "$http" 120 ""; then
        BROKER_DESCRIPTION="container $name ($BROKER_IMAGE, $engine), started by this script"
        return 0
      fi
      broker_say "the container did not answer within 120 s; its log:"
      "$engine" logs --tail 30 "$name" >&2 2>&1 || true
      broker_release
    fi
  done
  return 1
}

# ---- the installed package -----------------------------------------------------------------------------------------

# The directory with the package's own rabbitmq-server, rabbitmqctl ... (not Debian's wrappers in /usr/sbin, which
# switch to the rabbitmq user and the system node's files).
broker_sbin() {
  local dir=/usr/lib/rabbitmq/bin   # Debian, Ubuntu, and RabbitMQ's own .deb and .rpm packages
  [ -x "$dir/rabbitmq-server" ] && { echo "$dir"; return 0; }
  if command -v brew >/dev/null 2>&1; then
    dir="$(brew --prefix rabbitmq 2>/dev/null)/sbin"
    [ -x "$dir/rabbitmq-server" ] && { echo "$dir"; return 0; }
  fi
  dir=$(command -v rabbitmq-server 2>/dev/null) || return 1
  dir=$(dirname "$dir")
  [ -x "$dir/rabbitmqctl" ] && { echo "$dir"; return 0; }
  return 1
}

# Root, or sudo (without a password prompt when there is no terminal to type it): sets BROKER_SUDO ("" or "sudo").
broker_privileged() {
  BROKER_SUDO=""
  [ "$(id -u)" = 0 ] && return 0
  if ! command -v sudo >/dev/null 2>&1; then
    BROKER_INSTALL_NOTE="installing it needs root: not root, and there is no sudo"; return 1
  fi
  BROKER_SUDO=sudo
  sudo -n true 2>/dev/null && return 0
  [ -t 0 ] && return 0
  BROKER_INSTALL_NOTE="installing it needs root: not root, and sudo asks for a password with no terminal to type it"
  return 1
}

# Installs RabbitMQ from the OS packages, saying which command it runs first.
broker_install() {
  local sudo
  if command -v apt-get >/dev/null 2>&1; then
    BROKER_FIX="apt-get update && apt-get install -y rabbitmq-server && $(broker_command)"
    [ "$(id -u)" = 0 ] || BROKER_FIX="su -c 'apt-get update && apt-get install -y rabbitmq-server' && $(broker_command)"
    broker_privileged || return 1
    sudo=$BROKER_SUDO
    [ -n "$sudo" ] && BROKER_FIX="sudo apt-get update && sudo apt-get install -y rabbitmq-server && $(broker_command)"
    broker_say "RabbitMQ is not installed: installing it from the OS packages (≈ 15 s):"
    broker_say "  ${sudo:+$sudo }apt-get update && ${sudo:+$sudo }apt-get install -y rabbitmq-server"
    # The package's post-install would start the OS's own node (rabbit@host on 5672) where an init system runs:
    # not wanted (this project runs its own node) and racing ours for the port. A policy-rc.d, only if there is
    # none, denies that one start while this script runs (it removes itself once it is stale) and goes after.
    local policy=/usr/sbin/policy-rc.d placed=""
    if [ ! -e "$policy" ] && $sudo tee "$policy" >/dev/null 2>&1 <<POLICY; then
#!/bin/sh
# Written by RabbitWorks' scripts/broker.sh (pid $$) for its apt-get install of rabbitmq-server, removed after it:
# the package's own service is not started then. Every other start is allowed; stale, this file removes itself.
if kill -0 $$ 2>/dev/null; then
  case "\$1" in rabbitmq-server | rabbitmq-server.service) exit 101 ;; esac
else
  rm -f "$policy"
fi
exit 0
POLICY
      $sudo chmod 755 "$policy" && placed=1
    fi
    local installed=""
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq \
      && $sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
        rabbitmq-server >/dev/null \
      && installed=1
    [ -z "$placed" ] || $sudo rm -f "$policy"
    [ -n "$installed" ] || { BROKER_INSTALL_NOTE="apt-get could not install it (see above)"; return 1; }
  elif command -v brew >/dev/null 2>&1; then
    BROKER_FIX="brew install rabbitmq && $(broker_command)"
    broker_say "RabbitMQ is not installed: installing it with Homebrew: brew install rabbitmq"
    brew install rabbitmq || { BROKER_INSTALL_NOTE="brew could not install it (see above)"; return 1; }
  else
    if [ "$(uname -s)" = Darwin ]; then
      BROKER_INSTALL_NOTE="there is no Homebrew to install it with"
      BROKER_FIX="install Homebrew (https://brew.sh), then: brew install rabbitmq && $(broker_command)"
    else
      BROKER_INSTALL_NOTE="there is no apt-get (Debian/Ubuntu) or Homebrew to install it with"
      BROKER_FIX="RABBITMQ_HOST=<host of a RabbitMQ broker> $(broker_command)"
      [ "$(broker_command)" = ./run-tests.sh ] \
        && BROKER_FIX="RABBITMQ_HOST=<host of a RabbitMQ broker with the management plugin> $(broker_command)"
    fi
    return 1
  fi
  broker_sbin >/dev/null || { BROKER_INSTALL_NOTE="its rabbitmq-server is not found after the install"; return 1; }
}

broker_command() { echo "${BROKER_COMMAND:-./run-tests.sh}"; }

# ---- the private node ----------------------------------------------------------------------------------------------

broker_pid_alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# Stops a node that an earlier, killed run left in dir; refuses a dir that a live run uses.
broker_stop_leftover() {
  local dir=$1 pid owner
  [ -f "$dir/node.pid" ] || return 0
  pid=$(cat "$dir/node.pid" 2>/dev/null); owner=$(cat "$dir/owner.pid" 2>/dev/null)
  broker_pid_alive "$pid" || return 0
  case "$(ps -o args= -p "$pid" 2>/dev/null)" in *rabbitmq-server*) ;; *) return 0 ;; esac
  if [ -n "$owner" ] && [ "$owner" != "$$" ] && broker_pid_alive "$owner"; then
    broker_say "$dir is in use by another run (pid $owner); wait for it to end, or stop it."
    return 1
  fi
  broker_say "stopping the node an earlier run left in $dir"
  broker_kill_node "$pid"
}

broker_kill_node() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 240); do broker_pid_alive "$pid" || return 0; sleep 0.25; done
  broker_say "the node did not stop within 60 s: killing it"
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
}

broker_epmd() {
  command -v epmd >/dev/null 2>&1 && { echo epmd; return 0; }
  local erts
  erts=$(ls -d /usr/lib/erlang/erts-*/bin 2>/dev/null | tail -1)
  [ -n "$erts" ] && [ -x "$erts/epmd" ] && { echo "$erts/epmd"; return 0; }
  return 1
}

# broker_start_node label amqp_port http_port: the private node, started in the background; waits until it answers.
broker_start_node() {
  local label=$1 amqp=$2 http=$3 sbin dir dist node epmd
  sbin=$(broker_sbin) || return 1
  dir="$BROKER_ROOT/target/rabbitmq/$label"
  broker_stop_leftover "$dir" || return 1
  dist=$(broker_free_port "$amqp" "$http") || { broker_say "no free port for Erlang distribution"; return 1; }
  node="rabbitworks-$label-$amqp@localhost"
  rm -rf "$dir"
  mkdir -p "$dir/home" "$dir/etc" "$dir/data" "$dir/log" "$dir/bin"
  # Its own Erlang cookie: the node and its CLI tools read it from this HOME, and no other node accepts it.
  (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/home/.erlang.cookie")
  chmod 400 "$dir/home/.erlang.cookie"
  cat >"$dir/etc/rabbitmq.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$amqp
management.tcp.ip = 127.0.0.1
management.tcp.port = $http
default_user = $RABBITMQ_USERNAME
default_pass = $RABBITMQ_PASSWORD
CONF
  echo '[rabbitmq_management].' >"$dir/etc/enabled_plugins"
  : >"$dir/etc/rabbitmq-env.conf"
  mkdir -p "$dir/etc/conf.d"
  {
    echo "# The environment of the node $node and of its CLI tools (bin/)."
    printf 'export %s=%q\n' \
      HOME "$dir/home" \
      RABBITMQ_NODENAME "$node" \
      RABBITMQ_USE_LONGNAME false \
      RABBITMQ_CONF_ENV_FILE "$dir/etc/rabbitmq-env.conf" \
      RABBITMQ_CONFIG_FILE "$dir/etc/rabbitmq.conf" \
      RABBITMQ_CONFIG_FILES "$dir/etc/conf.d" \
      RABBITMQ_ADVANCED_CONFIG_FILE "$dir/etc/advanced.config" \
      RABBITMQ_ENABLED_PLUGINS_FILE "$dir/etc/enabled_plugins" \
      RABBITMQ_MOTD_FILE "$dir/etc/motd" \
      RABBITMQ_MNESIA_BASE "$dir/data" \
      RABBITMQ_LOG_BASE "$dir/log" \
      RABBITMQ_PID_FILE "$dir/data/beam.pid" \
      RABBITMQ_DIST_PORT "$dist" \
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS "-kernel inet_dist_use_interface {127,0,0,1}"
  } >"$dir/env"
  local tool
  for tool in rabbitmqctl rabbitmq-diagnostics rabbitmq-plugins rabbitmq-queues rabbitmq-upgrade rabbitmq-streams; do
    [ -x "$sbin/$tool" ] || continue
    printf '#!/usr/bin/env bash\n# %s for the node %s only.\n. %q\nexec %q "$@"\n' \
      "$tool" "$node" "$dir/env" "$sbin/$tool" >"$dir/bin/$tool"
    chmod +x "$dir/bin/$tool"
  done

  BROKER_EPMD_WAS_UP=""
  epmd=$(broker_epmd) && "$epmd" -names >/dev/null 2>&1 && BROKER_EPMD_WAS_UP=1
  broker_say "starting a private RabbitMQ node ($node, $("$sbin/rabbitmqctl" version 2>/dev/null || echo "from $sbin")):"
  broker_say "  AMQP 127.0.0.1:$amqp, management http://127.0.0.1:$http, files in ${dir#"$BROKER_ROOT"/}"
  # Its own session: Ctrl-C in the terminal does not reach it; broker_release stops it in order.
  local -a detach=()
  command -v setsid >/dev/null 2>&1 && detach=(setsid)
  (
    # shellcheck disable=SC1091
    . "$dir/env"
    cd "$dir/data"
    exec ${detach[@]+"${detach[@]}"} "$sbin/rabbitmq-server"
  ) >"$dir/log/console.log" 2>&1 </dev/null &
  BROKER_NODE_PID=$!
  echo "$BROKER_NODE_PID" >"$dir/node.pid"
  echo "$$" >"$dir/owner.pid"
  BROKER_STARTED="node:$dir"
  if broker_await 127.0.0.1 "$amqp" "$http" 120 "$BROKER_NODE_PID"; then
    BROKER_DESCRIPTION="private node $node, started by this script (rabbitmqctl for it: ${dir#"$BROKER_ROOT"/}/bin/rabbitmqctl)"
    return 0
  fi
  broker_say "the node did not come up; the end of its log (${dir#"$BROKER_ROOT"/}/log):"
  tail -n 20 "$dir/log/console.log" "$dir/log/$node.log" >&2 2>/dev/null || true
  broker_release
  return 1
}

# broker_await host amqp http seconds pid: until AMQP and the management API answer (or pid ends).
broker_await() {
  local host=$1 amqp=$2 http=$3 seconds=$4 pid=$5 start=$SECONDS
  while [ $((SECONDS - start)) -lt "$seconds" ]; do
    if [ -n "$pid" ] && ! broker_pid_alive "$pid"; then return 1; fi
    broker_amqp_answers "$host" "$amqp" && broker_http_answers "$host" "$http" / && return 0
    sleep 0.5
  done
  return 1
}

# ---- provision / release / check -----------------------------------------------------------------------------------

broker_defaults() {
  export RABBITMQ_PORT="${RABBITMQ_PORT:-5672}"
  export RABBITMQ_USERNAME="${RABBITMQ_USERNAME:-guest}" RABBITMQ_PASSWORD="${RABBITMQ_PASSWORD:-guest}"
}

# The one message when no broker can be had, then exit 1.
broker_unavailable() {
  local what=$1
  {
    [ -n "${BROKER_CHECKING:-}" ] || echo
    echo "No RabbitMQ broker $what: $BROKER_MISSING${BROKER_INSTALL_NOTE:+; $BROKER_INSTALL_NOTE}."
    echo "Fix: $BROKER_FIX"
    [ -n "${BROKER_CHECKING:-}" ] || echo
  } >&2
  exit 1
}

broker_provision() {
  local mode=$1 engine http
  broker_defaults
  local given_host=${RABBITMQ_HOST:-}
  if [ -n "$given_host" ] && { [ "$mode" = tests ] || ! broker_is_local "$given_host"; }; then
    export RABBITMQ_HTTP_PORT="${RABBITMQ_HTTP_PORT:-15672}"
    if ! broker_amqp_answers "$given_host" "$RABBITMQ_PORT"; then
      BROKER_MISSING="RABBITMQ_HOST=$given_host but nothing answers AMQP on $given_host:$RABBITMQ_PORT"
      BROKER_FIX="start that broker, or run without RABBITMQ_HOST: $(broker_command)"; broker_unavailable "to use"
    fi
    if [ "$mode" = tests ] && ! broker_http_answers "$given_host" "$RABBITMQ_HTTP_PORT" /; then
      BROKER_MISSING="the broker at $given_host:$RABBITMQ_PORT has no management API on port $RABBITMQ_HTTP_PORT (the tests use it)"
      BROKER_FIX="rabbitmq-plugins enable rabbitmq_management (on that broker), or set RABBITMQ_HTTP_PORT"
      broker_unavailable "to use"
    fi
    # system-tests take a container when an engine answers, unless told otherwise: the broker given is the one.
    [ "$mode" = tests ] && export SYSTEM_TESTS_BROKER="${SYSTEM_TESTS_BROKER:-local}"
    BROKER_DESCRIPTION="the broker at $given_host:$RABBITMQ_PORT (RABBITMQ_HOST, not started by this script)"
    return 0
  fi

  if [ "$mode" = run ]; then
    export RABBITMQ_HOST="${RABBITMQ_HOST:-localhost}"
    if broker_amqp_answers "$RABBITMQ_HOST" "$RABBITMQ_PORT"; then
      BROKER_DESCRIPTION="the broker already answering on $RABBITMQ_HOST:$RABBITMQ_PORT (not started by this script)"
      return 0
    fi
    broker_say "no broker answers on $RABBITMQ_HOST:$RABBITMQ_PORT"
    broker_start_container && return 0
  else
    if engine=$(broker_testcontainers_engine); then
      export QUARKUS_RABBITMQ_DEVSERVICES_IMAGE_NAME="${QUARKUS_RABBITMQ_DEVSERVICES_IMAGE_NAME:-$BROKER_IMAGE}"
      export SYSTEM_TESTS_RABBITMQ_IMAGE="${SYSTEM_TESTS_RABBITMQ_IMAGE:-$BROKER_IMAGE}"
      BROKER_DESCRIPTION="containers of $BROKER_IMAGE ($engine), started by the tests (Testcontainers, Dev Services)"
      return 0
    fi
  fi

  if ! broker_sbin >/dev/null; then
    if [ "$mode" = tests ] && broker_amqp_answers localhost "$RABBITMQ_PORT" \
        && broker_http_answers localhost "${RABBITMQ_HTTP_PORT:-15672}" /; then
      export RABBITMQ_HOST=localhost RABBITMQ_HTTP_PORT="${RABBITMQ_HTTP_PORT:-15672}"
      export SYSTEM_TESTS_BROKER="${SYSTEM_TESTS_BROKER:-local}"
      BROKER_DESCRIPTION="the broker already answering on localhost:$RABBITMQ_PORT (not started by this script)"
      return 0
    fi
    BROKER_MISSING="no Docker/Podman engine can run $BROKER_IMAGE, and RabbitMQ is not installed"
    [ "$mode" = run ] && BROKER_MISSING="none answers on $RABBITMQ_HOST:$RABBITMQ_PORT, $BROKER_MISSING"
    [ "$mode" = tests ] && BROKER_MISSING="none is given (RABBITMQ_HOST), $BROKER_MISSING"
    broker_install || broker_unavailable "$([ "$mode" = tests ] && echo "for the tests" || echo "to run the services on")"
  fi

  if [ "$mode" = run ]; then
    if broker_amqp_answers "$RABBITMQ_HOST" "$RABBITMQ_PORT"; then   # e.g. the package's own node, started meanwhile
      BROKER_DESCRIPTION="the broker answering on $RABBITMQ_HOST:$RABBITMQ_PORT (not started by this script)"
      return 0
    fi
    http=${RABBITMQ_HTTP_PORT:-15672}
    broker_port_free "$http" || http=$(broker_free_port "$RABBITMQ_PORT")
    broker_start_node run "$RABBITMQ_PORT" "$http" || { echo "The private RabbitMQ node did not start." >&2; exit 1; }
    export RABBITMQ_HOST=127.0.0.1 RABBITMQ_HTTP_PORT=$http
  else
    local amqp
    amqp=$(broker_free_port) && http=$(broker_free_port "$amqp") || { echo "No free ports for the broker." >&2; exit 1; }
    broker_start_node tests "$amqp" "$http" || { echo "The private RabbitMQ node did not start." >&2; exit 1; }
    export RABBITMQ_HOST=127.0.0.1 RABBITMQ_PORT=$amqp RABBITMQ_HTTP_PORT=$http
    export SYSTEM_TESTS_BROKER="${SYSTEM_TESTS_BROKER:-local}"
    # The tests' rabbitmqctl (system-tests restart the broker with it) is the one bound to this node.
    export PATH="$BROKER_ROOT/target/rabbitmq/tests/bin:$PATH"
  fi
}

broker_release() {
  local started=$BROKER_STARTED epmd errexit=""
  BROKER_STARTED=""
  # On Ctrl-C a pipe reader (| tee) may be gone already: a failed write must not end the shell before the stop.
  trap '' PIPE
  case $- in *e*) errexit=1; set +e ;; esac
  case "$started" in
    container:*)
      local rest=${started#container:}
      broker_say "stopping the broker container ${rest#*:}"
      "${rest%%:*}" rm -f "${rest#*:}" >/dev/null 2>&1 || true
      ;;
    node:*)
      local dir=${started#node:}
      broker_say "stopping the private RabbitMQ node (its logs stay in ${dir#"$BROKER_ROOT"/}/log)"
      broker_kill_node "$BROKER_NODE_PID"
      rm -f "$dir/node.pid" "$dir/owner.pid"
      # epmd, which the node started when none ran, goes too once no node is registered with it.
      if [ -z "$BROKER_EPMD_WAS_UP" ] && epmd=$(broker_epmd); then
        if ! "$epmd" -names 2>/dev/null | grep -q '^name '; then "$epmd" -kill >/dev/null 2>&1 || true; fi
      fi
      ;;
  esac
  [ -z "$errexit" ] || set -e
}

# The up-front check of a bare `./mvnw verify` (root pom): will the tests have a broker? Provisions nothing.
broker_check() {
  broker_defaults
  BROKER_COMMAND=./run-tests.sh BROKER_CHECKING=1
  local http=${RABBITMQ_HTTP_PORT:-15672}
  if [ -n "${RABBITMQ_HOST:-}" ]; then
    if ! broker_amqp_answers "$RABBITMQ_HOST" "$RABBITMQ_PORT"; then
      BROKER_MISSING="RABBITMQ_HOST=$RABBITMQ_HOST but nothing answers AMQP on $RABBITMQ_HOST:$RABBITMQ_PORT"
      BROKER_FIX="start that broker, or unset RABBITMQ_HOST and run ./run-tests.sh (it starts one)"
      broker_unavailable "for the tests"
    fi
    if ! broker_http_answers "$RABBITMQ_HOST" "$http" /; then
      BROKER_MISSING="the broker at $RABBITMQ_HOST:$RABBITMQ_PORT has no management API on port $http (the tests use it)"
      BROKER_FIX="rabbitmq-plugins enable rabbitmq_management (on that broker), or set RABBITMQ_HTTP_PORT"
      broker_unavailable "for the tests"
    fi
    echo "[broker] the tests use the broker at $RABBITMQ_HOST:$RABBITMQ_PORT (RABBITMQ_HOST)"
    return 0
  fi
  local engine
  for engine in docker podman; do
    command -v "$engine" >/dev/null 2>&1 || continue
    if [ "$engine" = podman ]; then
      [ -n "${DOCKER_HOST:-}" ] && broker_timeout 20 podman --url "$DOCKER_HOST" info >/dev/null 2>&1 || continue
    else
      broker_timeout 20 docker info >/dev/null 2>&1 || continue
    fi
    echo "[broker] the tests start broker containers ($engine answers)"
    return 0
  done
  if broker_amqp_answers localhost "$RABBITMQ_PORT" && broker_http_answers localhost "$http" /; then
    echo "[broker] the tests use the broker on localhost:$RABBITMQ_PORT"
    return 0
  fi
  BROKER_MISSING="RABBITMQ_HOST is not set, no Docker/Podman engine answers, and nothing answers on localhost:$RABBITMQ_PORT"
  BROKER_FIX="./run-tests.sh   (the same tests; it finds or starts a broker: a private RabbitMQ node, installed from the OS packages when needed)"
  broker_unavailable "for the tests"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  case "${1:-}" in
    check) broker_check ;;
    *) echo "usage: scripts/broker.sh check   (the functions are for ./run-local.sh and ./run-tests.sh)" >&2; exit 2 ;;
  esac
fi
