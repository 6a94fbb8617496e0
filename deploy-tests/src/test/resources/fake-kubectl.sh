#!/bin/sh
# A stand-in for kubectl with the few calls deploy/create-secrets.sh may make, each as kubectl answers it, on a
# cluster kept as files under $FAKE_KUBE: <namespace>/secrets/<name> holds KEY=VALUE lines, <namespace>/labels/<name>
# the labels. Every call is logged in calls.log; any other call fails (exit 2), so the script cannot do more
# than these unnoticed (no apply, replace, patch or delete of a Secret).
state=${FAKE_KUBE:?FAKE_KUBE is not set}
printf '%s\n' "$*" >>"$state/calls.log"

unexpected() {
  echo "fake kubectl: unexpected call: $*" >&2
  exit 2
}

if [ "$1" = apply ]; then
  [ $# -eq 3 ] && [ "$2" = -f ] || unexpected "$@"
  [ -f "$3" ] || { echo "error: the path \"$3\" does not exist" >&2; exit 1; }
  printf '%s\n' "$3" >>"$state/applied"
  exit 0
fi

[ "$1" = -n ] && [ -n "$2" ] || unexpected "$@"
namespace=$2
shift 2
secrets=$state/$namespace/secrets
labels=$state/$namespace/labels
mkdir -p "$secrets" "$labels"

case "$1 $2" in
  "get secret")
    [ $# -eq 6 ] && [ "$4 $5 $6" = "--ignore-not-found -o name" ] || unexpected "$@"
    if [ -f "$secrets/$3" ]; then
      echo "secret/$3"
    fi
    exit 0
    ;;
  "create secret")
    [ "$3" = generic ] && [ -n "$4" ] || unexpected "$@"
    name=$4
    shift 4
    if [ -f "$secrets/$name" ]; then
      echo "Error from server (AlreadyExists): secrets \"$name\" already exists" >&2
      exit 1
    fi
    : >"$secrets/.$name"
    for arg in "$@"; do
      case $arg in
        --from-literal=*=*) printf '%s\n' "${arg#--from-literal=}" >>"$secrets/.$name" ;;
        *) rm -f "$secrets/.$name"; unexpected create secret generic "$name" "$@" ;;
      esac
    done
    mv "$secrets/.$name" "$secrets/$name"
    echo "secret/$name created"
    exit 0
    ;;
  "label secret")
    [ -f "$secrets/$3" ] || { echo "Error from server (NotFound): secrets \"$3\" not found" >&2; exit 1; }
    name=$3
    shift 3
    for arg in "$@"; do
      case $arg in
        *=*) printf '%s\n' "$arg" >>"$labels/$name" ;;
        *) unexpected label secret "$name" "$@" ;;
      esac
    done
    echo "secret/$name labeled"
    exit 0
    ;;
esac
unexpected -n "$namespace" "$@"
