#!/usr/bin/env bash
# The agent's footprint on a monitored machine, side by side with the peers in the same run.
#
# Runs the Vigia agent (every family, 1 s interval, sending to a local collector) and, when they
# are installed, collectd (cpu, memory, load, interface, disk, df every second, sent with its
# network plugin) and prometheus-node-exporter (scraped every second); after a warm-up it
# measures each for the same window and prints RSS, PSS (/proc/PID/smaps_rollup), CPU
# milliseconds and percent of one core (/proc/PID/stat).
#
# The Vigia agent runs through scripts/vigia-agent with its default JVM flags and class data
# sharing archive, as installed. BASELINE_JAR adds a second Vigia agent to the same run, from
# another build (e.g. main's), started with BASELINE_OPTS (default: the launcher's flags before
# issue 8), so the two are compared under the same load.
#
#   scripts/bench/footprint.sh                 # 20 s warm-up, 60 s measured
#   WARMUP=30 MEASURE=180 scripts/bench/footprint.sh
#   BASELINE_JAR=/tmp/main/agent/target/vigia-agent.jar scripts/bench/footprint.sh
#   apt-get install collectd-core prometheus-node-exporter    # for the side-by-side rows
set -euo pipefail
cd "$(dirname "$0")/../.."
WARMUP=${WARMUP:-20}
MEASURE=${MEASURE:-60}
BASELINE_OPTS=${BASELINE_OPTS:--Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss256k}
[ -f agent/target/vigia-agent.jar ] || mvn -q package -DskipTests
# The archive install.sh makes, made again whenever the jar is newer.
if [ ! -f agent/target/vigia-agent.jsa ] || [ agent/target/vigia-agent.jar -nt agent/target/vigia-agent.jsa ]; then
  rm -f agent/target/vigia-agent.jsa
  scripts/vigia-agent --make-cds-archive >/dev/null
fi
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

port=$((20000 + RANDOM % 20000))
VIGIA_JAVA_OPTS=-Xmx128m scripts/vigia-collector --listen 127.0.0.1:$port --http 127.0.0.1:$((port + 1)) \
  >"$work/collector.log" 2>&1 &
pids+=($!)
sleep 2
scripts/vigia-agent --collector 127.0.0.1:$port --interval 1s --id footprint \
  --metrics cpu,memory,disk,net >"$work/agent.log" 2>&1 &
agent=$!
pids+=($agent)
names=("vigia-agent")
procs=($agent)
if [ -n "${BASELINE_JAR:-}" ]; then
  java $BASELINE_OPTS -jar "$BASELINE_JAR" --collector 127.0.0.1:$port --interval 1s \
    --id footprint-baseline --metrics cpu,memory,disk,net >"$work/baseline.log" 2>&1 &
  pids+=($!)
  names+=("vigia-agent (baseline)")
  procs+=($!)
fi

if command -v collectd >/dev/null; then
  cat >"$work/collectd.conf" <<CONF
Interval 1
FQDNLookup false
LoadPlugin cpu
LoadPlugin memory
LoadPlugin load
LoadPlugin interface
LoadPlugin disk
LoadPlugin df
LoadPlugin swap
LoadPlugin network
<Plugin cpu>
  ReportByCpu true
  ValuesPercentage true
</Plugin>
<Plugin network>
  Server "127.0.0.1" "$((port + 2))"
</Plugin>
CONF
  collectd -f -C "$work/collectd.conf" -P "$work/collectd.pid" >"$work/collectd.log" 2>&1 &
  pids+=($!)
  names+=("collectd")
  procs+=($!)
fi
if command -v prometheus-node-exporter >/dev/null; then
  prometheus-node-exporter --web.listen-address=127.0.0.1:$((port + 3)) >"$work/ne.log" 2>&1 &
  ne=$!
  pids+=($ne)
  names+=("node_exporter (scraped 1/s)")
  procs+=($ne)
  ( while sleep 1; do curl -s -o /dev/null "http://127.0.0.1:$((port + 3))/metrics" || true; done ) &
  pids+=($!)
fi

ticks() { awk '{ sub(/.*\) /, ""); split($0, f, " "); print f[12] + f[13] }' "/proc/$1/stat"; }
kib() { awk -v k="$2" '$1 == k ":" { print $2 }' "$1"; }

echo "footprint: $(date -u '+%Y-%m-%d %H:%M UTC'), warming up ${WARMUP}s, then measuring ${MEASURE}s ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
sleep "$WARMUP"
declare -A start
for p in "${procs[@]}"; do start[$p]=$(ticks "$p"); done
sleep "$MEASURE"
hz=$(getconf CLK_TCK)
printf '%-28s %8s %8s %10s %12s %8s\n' "process" "RSS MiB" "PSS MiB" "CPU ms" "% of 1 core" "threads"
for i in "${!procs[@]}"; do
  p=${procs[$i]}
  if [ ! -d "/proc/$p" ]; then
    printf '%-28s exited early; see its log in %s\n' "${names[$i]}" "$work"
    continue
  fi
  used=$(( $(ticks "$p") - ${start[$p]} ))
  rss=$(kib "/proc/$p/status" VmRSS)
  pss=$(kib "/proc/$p/smaps_rollup" Pss)
  threads=$(ls "/proc/$p/task" | wc -l)
  awk -v n="${names[$i]}" -v r="$rss" -v s="$pss" -v u="$used" -v hz="$hz" -v m="$MEASURE" -v t="$threads" \
    'BEGIN { printf "%-28s %8.1f %8.1f %10d %12.2f %8d\n", n, r/1024, s/1024, u*1000/hz, 100*u/hz/m, t }'
done
echo "(load at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
