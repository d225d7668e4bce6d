#!/usr/bin/env bash
# Runs Vigia agents side by side, the same jar with the JVM flags of scripts/vigia-agent added one
# step at a time, against one local collector, and prints each one's RSS, PSS, CPU and threads
# over MEASURE seconds (default 40) after a WARMUP (default 20) (bench/RESULTS.md, "Agent
# footprint"). All run at once, so they share the machine's load.
set -euo pipefail
cd "$(dirname "$0")/../.."
WARMUP=${WARMUP:-20}
MEASURE=${MEASURE:-40}
[ -f agent/target/vigia-agent.jar ] || mvn -q package -DskipTests
if [ ! -f agent/target/vigia-agent.jsa ] || [ agent/target/vigia-agent.jar -nt agent/target/vigia-agent.jsa ]; then
  rm -f agent/target/vigia-agent.jsa
  scripts/vigia-agent --make-cds-archive >/dev/null
fi
port=$((40000 + RANDOM % 20000))
VIGIA_JAVA_OPTS=-Xmx128m scripts/vigia-collector --listen 127.0.0.1:$port \
  --http 127.0.0.1:$((port + 1)) >/dev/null 2>&1 &
col=$!
sleep 3
old="-Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k"
heap="-Xms4m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20"
jit="-XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=16m -XX:-UsePerfData -Dio.netty.allocator.type=unpooled"
cds="-Xshare:auto -XX:SharedArchiveFile=agent/target/vigia-agent.jsa -Xlog:cds=off"
warm="-XX:CompileThresholdScaling=0.05 -XX:+IgnoreUnrecognizedVMOptions -XX:TrimNativeHeapInterval=30000 -Dio.netty.jfr.enabled=false"
warm="$warm -XX:+UnlockDiagnosticVMOptions -XX:AsyncDeflationInterval=5000"
# MALLOC_ARENA_MAX=2 was tried too and left out: it saved 0.2 MB, within the noise.
labels=("1 before: $old" "2 + heap from 4 MB: $heap" "3 + JIT, perf data, Netty: $jit"
  "4 (3) + class data sharing archive" "5 (4) + early JIT, heap trim, no Netty JFR, monitor deflation every 5 s: the launcher's default")
sets=("$old" "$old $heap" "$old $heap $jit" "$old $heap $jit $cds" "$old $heap $jit $cds $warm")
pids=()
for i in "${!sets[@]}"; do
  java ${sets[$i]} -jar agent/target/vigia-agent.jar \
    --collector 127.0.0.1:$port --interval 1s --id flags-$i >/dev/null 2>&1 &
  pids+=($!)
done
trap 'kill "${pids[@]}" $col 2>/dev/null || true' EXIT
ticks() { awk '{ sub(/.*\) /, ""); split($0, f, " "); print f[12] + f[13] }' "/proc/$1/stat"; }
echo "agent-flags: $(date -u '+%Y-%m-%d %H:%M UTC'), ${WARMUP}s warm-up, ${MEASURE}s measured (load $(cut -d' ' -f1-3 /proc/loadavg))"
sleep "$WARMUP"
declare -A t0
for p in "${pids[@]}"; do t0[$p]=$(ticks "$p"); done
sleep "$MEASURE"
hz=$(getconf CLK_TCK)
for i in "${!pids[@]}"; do
  p=${pids[$i]}
  echo "RSS $(awk '/VmRSS/{print $2}' "/proc/$p/status") KiB, PSS $(awk '/^Pss:/{print $2}' \
    "/proc/$p/smaps_rollup") KiB, CPU $(( ($(ticks "$p") - ${t0[$p]}) * 1000 / hz )) ms/${MEASURE} s, $(ls /proc/$p/task | wc -l) threads: ${labels[$i]}"
done
echo "(load at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
