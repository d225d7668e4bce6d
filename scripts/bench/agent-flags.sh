#!/usr/bin/env bash
# Runs three Vigia agents side by side with different JVM flags against one local collector, and
# prints each one's RSS, PSS and CPU over 40 s after a 20 s warm-up (bench/RESULTS.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
port=$((40000 + RANDOM % 20000))
VIGIA_JAVA_OPTS=-Xmx128m scripts/vigia-collector --listen 127.0.0.1:$port \
  --http 127.0.0.1:$((port + 1)) >/dev/null 2>&1 &
col=$!
sleep 3
base="-Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k"
lean="-Dio.netty.allocator.type=unpooled -XX:ReservedCodeCacheSize=8m -XX:MaxMetaspaceSize=40m -XX:CICompilerCount=1 -XX:-UsePerfData"
sets=("$base" "$base $lean"
  "$base $lean -Xmx16m -XX:MaxDirectMemorySize=8m -XX:MaxHeapFreeRatio=20 -XX:MinHeapFreeRatio=10")
pids=()
for i in "${!sets[@]}"; do
  VIGIA_JAVA_OPTS="${sets[$i]}" scripts/vigia-agent --collector 127.0.0.1:$port --interval 1s \
    --id flags-$i >/dev/null 2>&1 &
  pids+=($!)
done
trap 'kill "${pids[@]}" $col 2>/dev/null || true' EXIT
ticks() { awk '{ sub(/.*\) /, ""); split($0, f, " "); print f[12] + f[13] }' "/proc/$1/stat"; }
sleep 20
declare -A t0
for p in "${pids[@]}"; do t0[$p]=$(ticks "$p"); done
sleep 40
hz=$(getconf CLK_TCK)
for i in "${!pids[@]}"; do
  p=${pids[$i]}
  echo "RSS $(awk '/VmRSS/{print $2}' "/proc/$p/status") KiB, PSS $(awk '/^Pss:/{print $2}' \
    "/proc/$p/smaps_rollup") KiB, CPU $(( ($(ticks "$p") - ${t0[$p]}) * 1000 / hz )) ms/40 s: ${sets[$i]}"
done
