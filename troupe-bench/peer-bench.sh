#!/usr/bin/env bash
# Runs ../shared/peer-bench (baseline, LangChain4j, ADK and Troupe side by side against llmsim) on this worktree's
# Troupe, without installing anything into ~/.m2: peer-bench is copied to a scratch directory, its Troupe target is
# compiled against the reactor's target/classes, and its other targets are built as usual.
#
#   troupe-bench/peer-bench.sh [bench.sh runner options, e.g. --quick]
#
# Environment: PEER_BENCH (default /work/shared/peer-bench), PEER_BENCH_WORK (default /tmp/troupe-peer-bench),
# JAVA_HOME (default Temurin 25). The report is $PEER_BENCH_WORK/results/latest.md; copy it to troupe-bench/results/.
#
# The Troupe target differs from peer-bench's in two lines, both forced by today's API: its outcome switch names
# Outcome.Cancelled (added since), and W3 starts its 500 runs with troupe.submit, which returns at once as the target's
# own comment says troupe.run did when it was written (troupe.run now waits until each run's start is journaled).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
source_dir="${PEER_BENCH:-/work/shared/peer-bench}"
work="${PEER_BENCH_WORK:-/tmp/troupe-peer-bench}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"

rm -rf "$work"
cp -r "$source_dir" "$work"
chmod -R u+w "$work"

target="$work/peer-troupe/src/main/java/bench/troupe/TroupeTarget.java"
sed -i \
  -e 's/            case Outcome.Failed failed -> throw new IllegalStateException(failed.describe());/&\n            case Outcome.Cancelled cancelled -> throw new IllegalStateException(cancelled.describe());/' \
  -e 's/RunHandle run = troupe.run(pipeline, topic);/RunHandle run = troupe.submit(pipeline, topic, Map.of());/' \
  -e 's/W3: {@code troupe.run} returns at once/W3: {@code troupe.submit} returns at once/' \
  "$target"
grep -q 'Outcome.Cancelled' "$target" && grep -q 'troupe.submit(pipeline' "$target" \
  || { echo "peer-bench's TroupeTarget changed: update $0" >&2; exit 1; }

echo "Building Troupe (reactor, nothing installed)..." >&2
classpath_file="$work/troupe-classpath.txt"
(cd "$root" && ./mvnw -q compile dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$classpath_file" -pl troupe-models-langchain4j -am)
# Test-only jars that the reactor's classpath lists are no part of a Troupe application.
troupe_cp="$root/troupe-models-langchain4j/target/classes:$(tr ':' '\n' <"$classpath_file" \
  | grep -v -E 'junit|opentest4j|apiguardian|assertj|byte-buddy' | paste -sd:)"

echo "Building peer-bench's harness, LangChain4j and ADK targets..." >&2
(cd "$work" && mvn -B -q -Dstyle.color=never package -DskipTests -pl harness,peer-langchain4j,peer-adk)
# The Troupe target runs from jars, as an application ships: the reactor's classes directories, the harness's and the
# target's own classes are packed into jars (JDK 25's AOT cache, below, takes classes from jars only). The runner puts
# peer-troupe/target/classes first on the class path; it stays empty. A jar under harness/target/ is not counted as the
# framework's by the report.
jars="$work/troupe-jars"
mkdir -p "$jars" "$work/peer-troupe/target/classes" "$work/peer-troupe/target/compiled"
javac -d "$work/peer-troupe/target/compiled" -cp "$troupe_cp:$work/harness/target/classes" "$target"
jar --create --file "$jars/peer-troupe.jar" -C "$work/peer-troupe/target/compiled" .
jar --create --file "$work/harness/target/harness.jar" -C "$work/harness/target/classes" .
packed=()
for entry in $(tr ':' ' ' <<<"$troupe_cp"); do
  if [ -d "$entry" ]; then
    module="$(basename "$(dirname "$(dirname "$entry")")")"
    jar --create --file "$jars/$module.jar" -C "$entry" .
    packed+=("$jars/$module.jar")
  else
    packed+=("$entry")
  fi
done
(IFS=:; echo "$jars/peer-troupe.jar:${packed[*]}:$work/harness/target/harness.jar") >"$work/peer-troupe/target/classpath.txt"

# PEER_BENCH_AOT=1 adds a target, troupe-aot: the in-memory Troupe target started with a JDK 25 AOT cache (the classes
# a run loads, linked ahead of time, and the methods' profiles: JEPs 483, 514 and 515), made by a training run of the
# same target on peer-bench's quick run (all workloads, 2 samples each) before the measured run. The troupe and
# troupe-h2 rows are unchanged; the other frameworks run without a cache.
if [ "${PEER_BENCH_AOT:-0}" = 1 ]; then
  cache="$work/troupe.aot"
  echo "Training Troupe's AOT cache on a quick run of its target..." >&2
  (cd "$work" && "$JAVA_HOME/bin/java" -Xmx1g -Dsun.net.httpserver.maxIdleConnections=2000 \
    -Dsun.net.httpserver.nodelay=true -cp harness/target/classes bench.harness.Runner --quick \
    --out "$work/aot-training" --target "troupe-training bench.troupe.TroupeTarget peer-troupe \
    --sun-misc-unsafe-memory-access=allow -XX:AOTCacheOutput=$cache -Xlog:aot=warning" >&2)
  [ -s "$cache" ] || { echo "The training run made no AOT cache: see $work/aot-training" >&2; exit 1; }
  sed -i "s|^  \"troupe-h2 .*|&\n  \"troupe-aot   bench.troupe.TroupeTarget       peer-troupe  --sun-misc-unsafe-memory-access=allow -XX:AOTCache=$cache\"|" \
    "$work/bench.sh"
  grep -q troupe-aot "$work/bench.sh" || { echo "peer-bench's bench.sh changed: update $0" >&2; exit 1; }
fi

echo "Load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
(cd "$work" && ./bench.sh --skip-build "$@")
echo "Load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
