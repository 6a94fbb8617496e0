#!/usr/bin/env bash
# A real RabbitMQ cluster of N nodes (default 3) on this machine, from the OS packages, for the cluster system tests
# (system-tests: ClusterFailoverIT) or by hand. Every node is a private node as scripts/broker.sh starts one (its
# own node name, config, data, logs, AMQP/management/distribution ports on 127.0.0.1, the package's own scripts run
# as the current user, in its own session), and the N nodes share ONE private Erlang cookie, so they can cluster
# with each other and with nothing else. No other node on this machine is touched (the tests' broker of
# ./run-tests.sh included): the names carry the port, the files are all under DIR.
#
#   scripts/cluster.sh up DIR [N]          starts N nodes under DIR and clusters them: nodes 2..N
#                                          `stop_app; join_cluster <node 1>; start_app`. Writes DIR/nodes, one line
#                                          per node: "<i> <name> <amqp port> <management port> <dist port>".
#                                          Nodes a killed earlier run left in DIR are stopped first.
#   scripts/cluster.sh down DIR            stops every node of DIR (logs stay in DIR/n<i>/log)
#   scripts/cluster.sh stop-node DIR i     stops node i's Erlang VM (rabbitmqctl stop: a clean shutdown)
#   scripts/cluster.sh kill-node DIR i     SIGKILL of node i's Erlang VM (a crash)
#   scripts/cluster.sh start-node DIR i    starts node i's VM again on its data (it rejoins the cluster); waits
#                                          until AMQP and the management API answer
#   scripts/cluster.sh ctl DIR i TOOL ARGS runs TOOL (rabbitmqctl, rabbitmq-queues, rabbitmq-diagnostics ...)
#                                          for node i, e.g. `ctl DIR 2 rabbitmqctl stop_app`
#
# CLUSTER_OWNER_PID (default: this script's parent) is recorded as the owner of the nodes: `up` refuses a DIR whose
# nodes belong to an owner still alive, and stops those of an owner that is gone. The user is RABBITMQ_USERNAME /
# RABBITMQ_PASSWORD (default guest/guest).
set -euo pipefail

CLUSTER_SCRIPTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/broker.sh
. "$CLUSTER_SCRIPTS/broker.sh"

cluster_say() { printf '[cluster] %s\n' "$*" >&2; }
cluster_die() { cluster_say "$*"; exit 1; }

cluster_owner() { echo "${CLUSTER_OWNER_PID:-$PPID}"; }

# Fields of node i from DIR/nodes: name amqp http dist.
cluster_node_field() {
  local dir=$1 i=$2 field=$3
  awk -v i="$i" -v f="$field" '$1 == i { print $f }' "$dir/nodes"
}

cluster_node_count() { wc -l <"$1/nodes" | tr -d ' '; }

# Stops what an earlier run left in DIR (every n*/node.pid still alive); refuses nodes of a live owner.
cluster_stop_leftovers() {
  local dir=$1 ndir pid owner
  for ndir in "$dir"/n*; do
    [ -f "$ndir/node.pid" ] || continue
    pid=$(cat "$ndir/node.pid" 2>/dev/null); owner=$(cat "$ndir/owner.pid" 2>/dev/null || true)
    broker_pid_alive "$pid" || continue
    case "$(ps -o args= -p "$pid" 2>/dev/null)" in *rabbitmq-server*) ;; *) continue ;; esac
    if [ -n "$owner" ] && [ "$owner" != "$(cluster_owner)" ] && broker_pid_alive "$owner"; then
      cluster_die "$ndir is in use by another run (pid $owner); wait for it to end, or stop it."
    fi
    cluster_say "stopping the node an earlier run left in $ndir"
    broker_kill_node "$pid"
  done
}

# Writes node i's files (config, env, CLI wrappers) under DIR/n<i>.
cluster_write_node() {
  local dir=$1 i=$2 name=$3 amqp=$4 http=$5 dist=$6 sbin=$7 ndir="$1/n$2"
  mkdir -p "$ndir/etc/conf.d" "$ndir/data" "$ndir/log" "$ndir/bin"
  cat >"$ndir/etc/rabbitmq.conf" <<CONF
listeners.tcp.1 = 127.0.0.1:$amqp
management.tcp.ip = 127.0.0.1
management.tcp.port = $http
default_user = $RABBITMQ_USERNAME
default_pass = $RABBITMQ_PASSWORD
# Queue statistics (consumers, leader) every second rather than 5: the tests poll them.
collect_statistics_interval = 1000
CONF
  echo '[rabbitmq_management].' >"$ndir/etc/enabled_plugins"
  : >"$ndir/etc/rabbitmq-env.conf"
  {
    echo "# The environment of the node $name and of its CLI tools (bin/); HOME holds the cluster's cookie."
    printf 'export %s=%q\n' \
      HOME "$dir/home" \
      RABBITMQ_NODENAME "$name" \
      RABBITMQ_USE_LONGNAME false \
      RABBITMQ_CONF_ENV_FILE "$ndir/etc/rabbitmq-env.conf" \
      RABBITMQ_CONFIG_FILE "$ndir/etc/rabbitmq.conf" \
      RABBITMQ_CONFIG_FILES "$ndir/etc/conf.d" \
      RABBITMQ_ADVANCED_CONFIG_FILE "$ndir/etc/advanced.config" \
      RABBITMQ_ENABLED_PLUGINS_FILE "$ndir/etc/enabled_plugins" \
      RABBITMQ_MOTD_FILE "$ndir/etc/motd" \
      RABBITMQ_MNESIA_BASE "$ndir/data" \
      RABBITMQ_LOG_BASE "$ndir/log" \
      RABBITMQ_PID_FILE "$ndir/data/beam.pid" \
      RABBITMQ_DIST_PORT "$dist" \
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS "-kernel inet_dist_use_interface {127,0,0,1}"
  } >"$ndir/env"
  local tool
  for tool in rabbitmqctl rabbitmq-diagnostics rabbitmq-plugins rabbitmq-queues rabbitmq-upgrade rabbitmq-streams; do
    [ -x "$sbin/$tool" ] || continue
    printf '#!/usr/bin/env bash\n# %s for the node %s only.\n. %q\nexec %q "$@"\n' \
      "$tool" "$name" "$ndir/env" "$sbin/$tool" >"$ndir/bin/$tool"
    chmod +x "$ndir/bin/$tool"
  done
}

# Starts node i's VM in the background (its own session, output to its log) and waits until it answers.
cluster_launch() {
  local dir=$1 i=$2 sbin ndir="$1/n$2" name amqp http pid
  sbin=$(broker_sbin) || cluster_die "RabbitMQ is not installed (no rabbitmq-server found)"
  name=$(cluster_node_field "$dir" "$i" 2); amqp=$(cluster_node_field "$dir" "$i" 3)
  http=$(cluster_node_field "$dir" "$i" 4)
  [ -n "$name" ] || cluster_die "no node $i in $dir/nodes"
  local -a detach=()
  command -v setsid >/dev/null 2>&1 && detach=(setsid)
  (
    # shellcheck disable=SC1091
    . "$ndir/env"
    cd "$ndir/data"
    exec ${detach[@]+"${detach[@]}"} "$sbin/rabbitmq-server"
  ) >>"$ndir/log/console.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$ndir/node.pid"
  cluster_owner >"$ndir/owner.pid"
  cluster_say "node $i: $name, AMQP 127.0.0.1:$amqp, management http://127.0.0.1:$http (pid $pid)"
  if ! broker_await 127.0.0.1 "$amqp" "$http" 180 "$pid"; then
    cluster_say "node $i did not come up; the end of its log ($ndir/log):"
    tail -n 30 "$ndir/log/console.log" >&2 2>/dev/null || true
    return 1
  fi
}

cluster_ctl() {
  local dir=$1 i=$2 tool=$3; shift 3
  [ -x "$dir/n$i/bin/$tool" ] || cluster_die "no $tool for node $i in $dir"
  broker_timeout 120 "$dir/n$i/bin/$tool" -n "$(cluster_node_field "$dir" "$i" 2)" "$@"
}

cluster_up() {
  local dir=$1 count=${2:-3} sbin i amqp http dist taken=() name
  [ "$count" -ge 1 ] || cluster_die "N must be at least 1"
  sbin=$(broker_sbin) || cluster_die "RabbitMQ is not installed (no rabbitmq-server found)"
  broker_defaults
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  cluster_stop_leftovers "$dir"
  rm -rf "$dir"/n* "$dir/home" "$dir/nodes"
  mkdir -p "$dir/home"
  # The one cookie of this cluster: its nodes and their CLI tools read it from this HOME; no other node accepts it.
  (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$dir/home/.erlang.cookie")
  chmod 400 "$dir/home/.erlang.cookie"
  : >"$dir/nodes"
  for i in $(seq 1 "$count"); do
    amqp=$(broker_free_port ${taken[@]+"${taken[@]}"}) && taken+=("$amqp")
    http=$(broker_free_port "${taken[@]}") && taken+=("$http")
    dist=$(broker_free_port "${taken[@]}") && taken+=("$dist")
    [ -n "$amqp" ] && [ -n "$http" ] && [ -n "$dist" ] || cluster_die "no free ports for node $i"
    name="rabbitworks-c$i-$amqp@localhost"
    echo "$i $name $amqp $http $dist" >>"$dir/nodes"
    cluster_write_node "$dir" "$i" "$name" "$amqp" "$http" "$dist" "$sbin"
  done
  cluster_say "starting $count RabbitMQ nodes ($("$sbin/rabbitmqctl" version 2>/dev/null || echo "from $sbin")), files in $dir"
  # Side by side: each takes ≈ 10 s to boot on 2 cores.
  local -a launches=()
  for i in $(seq 1 "$count"); do
    cluster_launch "$dir" "$i" &
    launches+=($!)
  done
  local failed=""
  for pid in "${launches[@]}"; do wait "$pid" || failed=1; done
  [ -z "$failed" ] || { cluster_down "$dir"; cluster_die "a node did not start"; }
  local first
  first=$(cluster_node_field "$dir" 1 2)
  for i in $(seq 2 "$count"); do
    cluster_say "node $i joins $first"
    cluster_ctl "$dir" "$i" rabbitmqctl -q stop_app >/dev/null \
      && cluster_ctl "$dir" "$i" rabbitmqctl -q join_cluster "$first" >/dev/null \
      && cluster_ctl "$dir" "$i" rabbitmqctl -q start_app >/dev/null \
      || { cluster_down "$dir"; cluster_die "node $i could not join $first"; }
  done
  cluster_ctl "$dir" 1 rabbitmqctl -q await_online_nodes "$count" >/dev/null \
    || { cluster_down "$dir"; cluster_die "the cluster did not see $count nodes online"; }
  cluster_say "cluster of $count nodes up: $(cut -d' ' -f2 "$dir/nodes" | tr '\n' ' ')"
}

# The VM of node i (its beam.smp): the child of the rabbitmq-server script.
cluster_vm_pid() {
  local dir=$1 i=$2 pid
  pid=$(cat "$dir/n$i/data/beam.pid" 2>/dev/null || true)
  if [ -z "$pid" ] || ! broker_pid_alive "$pid"; then
    pid=$(ps -o pid= --ppid "$(cat "$dir/n$i/node.pid" 2>/dev/null || echo 0)" 2>/dev/null | head -1 | tr -d ' ')
  fi
  echo "$pid"
}

cluster_await_exit() {
  local pid=$1
  for _ in $(seq 1 240); do broker_pid_alive "$pid" || return 0; sleep 0.25; done
  return 1
}

cluster_stop_node() {
  local dir=$1 i=$2 pid
  pid=$(cat "$dir/n$i/node.pid" 2>/dev/null || true)
  cluster_ctl "$dir" "$i" rabbitmqctl -q stop >/dev/null || true
  if [ -n "$pid" ] && ! cluster_await_exit "$pid"; then broker_kill_node "$pid"; fi
  rm -f "$dir/n$i/node.pid"
}

cluster_kill_node() {
  local dir=$1 i=$2 vm pid
  vm=$(cluster_vm_pid "$dir" "$i"); pid=$(cat "$dir/n$i/node.pid" 2>/dev/null || true)
  [ -n "$vm" ] || cluster_die "node $i has no running VM"
  kill -KILL "$vm"
  # The rabbitmq-server script above it ends with it.
  [ -z "$pid" ] || cluster_await_exit "$pid" || kill -KILL "$pid" 2>/dev/null || true
  rm -f "$dir/n$i/node.pid"
}

cluster_down() {
  local dir=$1 i pid
  [ -f "$dir/nodes" ] || return 0
  for i in $(cut -d' ' -f1 "$dir/nodes"); do
    pid=$(cat "$dir/n$i/node.pid" 2>/dev/null || true)
    broker_pid_alive "$pid" || continue
    cluster_say "stopping node $i"
    broker_kill_node "$pid" &
  done
  wait
  rm -f "$dir"/n*/node.pid "$dir"/n*/owner.pid
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  command=${1:-}; dir=${2:-}
  [ -n "$command" ] && [ -n "$dir" ] || { sed -n '2,24p' "$0" >&2; exit 2; }
  case "$command" in
    up) cluster_up "$dir" "${3:-3}" ;;
    down) cluster_down "$(cd "$dir" && pwd)" ;;
    stop-node) cluster_stop_node "$(cd "$dir" && pwd)" "${3:?node number}" ;;
    kill-node) cluster_kill_node "$(cd "$dir" && pwd)" "${3:?node number}" ;;
    start-node)
      dir=$(cd "$dir" && pwd); broker_defaults
      pid=$(cat "$dir/n${3:?node number}/node.pid" 2>/dev/null || true)
      broker_pid_alive "$pid" && cluster_die "node $3 runs already (pid $pid)"
      cluster_launch "$dir" "$3"
      ;;
    ctl) shift 2; i=${1:?node number}; shift; cluster_ctl "$(cd "$dir" && pwd)" "$i" "$@" ;;
    *) sed -n '2,24p' "$0" >&2; exit 2 ;;
  esac
fi
