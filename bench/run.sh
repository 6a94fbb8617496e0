#!/usr/bin/env bash
# Benchmarks: RabbitMQ PerfTest and our four services side by side on one running broker (management plugin on).
# Usage: bench/run.sh [--quick] [--only=footprint,publish,drain,fanout,rpc,scaling] [--out=bench/results] [--help]
# (--only=rpc: the RPC scenario alone, ≈ 5 min: the raw RpcServer + RpcClient pair against POST /rpc/fib.)
# Broker: RABBITMQ_HOST/PORT/USERNAME/PASSWORD (default localhost:5672 guest/guest), RABBITMQ_HTTP_PORT (15672);
# everything runs in the virtual host BENCH_VHOST (default bench), created and emptied by the run.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ " $* " == *" --help "* ]]; then
  sed -n '2,6p' bench/run.sh | sed 's/^# //'
  exit 0
fi
./mvnw -B -q package -DskipTests -pl producer-service,worker-service,log-subscriber-service,rpc-service,bench -am
exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.rabbitworks.bench.Bench "$@"
