#!/usr/bin/env bash
# The live stream's cost to ingest, before and after it was taken off the agents' links (issue
# 21), in one run: a steady fleet with two stream clients (as dashboards) and a `vigia top`
# connected, first against a baseline collector, then against this checkout's, on the same
# machine and simulator. Prints p99 sample->ack and the collector's CPU per sample of each.
#
#   scripts/bench/stream-viewers.sh 19000 300s          # what bench/RESULTS.md reports
#   scripts/bench/stream-viewers.sh 200 30s             # a quick check that it all works
#
# BASELINE_JAR: the baseline's vigia-collector.jar; else BASELINE_REV (default: the commit before
# the stream's hand-off queue) is built in a temporary worktree. VIEWERS (default 2) and TOP
# (default 1) as in scripts/bench-fleet; other variables (HEAP, STORE, ...) pass through to it.
set -euo pipefail
cd "$(dirname "$0")/../.."
agents=${1:?usage: scripts/bench/stream-viewers.sh AGENTS DURATION}
duration=${2:?DURATION}
export VIEWERS=${VIEWERS:-2} TOP=${TOP:-1}
base=${BASELINE_JAR:-}
if [ -z "$base" ]; then
  change=$(git log --format=%H -1 --grep="StreamHub: the agents' links only hand changes over")
  rev=${BASELINE_REV:-$change^}
  tree=$(mktemp -d)
  trap 'git worktree remove --force "$tree" >/dev/null 2>&1 || true' EXIT
  git worktree add --detach "$tree" "$rev" >/dev/null
  echo "stream-viewers: building the baseline collector at $(git rev-parse --short "$rev")"
  mvn -q -o -f "$tree/pom.xml" -pl collector -am package -DskipTests
  base=$tree/collector/target/vigia-collector.jar
fi
[ -f collector/target/vigia-collector.jar ] || mvn -q -o -pl collector -am package -DskipTests
before=bench/target/stream-before-$agents
after=bench/target/stream-after-$agents
COLLECTOR_JAR=$base OUT=$before scripts/bench-fleet steady "$agents" "$duration"
OUT=$after scripts/bench-fleet steady "$agents" "$duration"
echo
echo "stream-viewers: $agents agents at 1 s for $duration, $VIEWERS stream clients, top=$TOP"
for run in before after; do
  dir=$before
  [ $run = after ] && dir=$after
  echo "$run ($dir):"
  tail -n +2 "$dir/viewers.txt"
done
