#!/bin/sh
# The one-time step before `kubectl apply -f deploy` (docs/deploy.md, "Secrets"): creates the namespace and the
# Secrets the manifests use, with random values, each only if it does not exist yet. deploy/ itself holds no
# Secret, so applying it again never puts a value back; running this again keeps every existing Secret (the
# Erlang cookie the nodes share, a password someone rotated) and only creates a missing one.
# kubectl reads only *.yaml, *.yml and *.json from a directory, so `kubectl apply -f deploy` skips this file.
#
#   deploy/create-secrets.sh     kubectl's current context; KUBECTL names another client (e.g. "minikube kubectl --")
set -eu

namespace=rabbitworks
here=$(dirname "$0")
kubectl=${KUBECTL:-kubectl}

# n random bytes as 2n hex digits: safe in a URL, in a shell and as an Erlang cookie.
random() {
  od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'
}

# create NAME APP COMPONENT KEY=VALUE...: a generic Secret labelled as the objects of deploy/, unless a Secret
# named NAME exists (then it is left as it is: never replaced, never patched).
create() {
  name=$1 app=$2 component=$3
  shift 3
  if [ -n "$($kubectl -n "$namespace" get secret "$name" --ignore-not-found -o name)" ]; then
    echo "secret/$name exists: kept"
    return
  fi
  literals=
  for pair in "$@"; do
    literals="$literals --from-literal=$pair"
  done
  # Keys and values are names and hex digits: splitting $literals on spaces is safe.
  # shellcheck disable=SC2086
  $kubectl -n "$namespace" create secret generic "$name" $literals
  $kubectl -n "$namespace" label secret "$name" "app.kubernetes.io/name=$app" \
    app.kubernetes.io/part-of=rabbitworks "app.kubernetes.io/component=$component"
}

$kubectl apply -f "$here/00-namespace.yaml"

# The broker's administrator (RABBITMQ_DEFAULT_USER/PASS: read on the first boot of an empty cluster only; the
# broker-users Job logs in with it) and the Erlang cookie the three nodes and their CLI tools share.
create rabbitmq-admin rabbitmq broker username=admin "password=$(random 24)"
create rabbitmq-erlang-cookie rabbitmq broker "cookie=$(random 32)"

# One broker user per row of the permission table (22-broker-users.yaml): the broker-users Job gives each its
# password and permissions. keda is for deploy/optional/keda-worker.yaml.
for user in producer worker log-subscriber rpc keda; do
  create "rabbitmq-user-$user" broker-users broker-users "username=$user" "password=$(random 24)"
done
