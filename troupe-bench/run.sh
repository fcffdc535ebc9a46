#!/usr/bin/env bash
# Builds Troupe and runs its benchmarks, each in its own JVM, then prints a summary table.
#
#   troupe-bench/run.sh                 # everything: prompts, cpu, jmh, e2e, market (about 9 minutes on 2 busy cores)
#   troupe-bench/run.sh prompts cpu     # a subset, in the order given: prompts | cpu | seam | steps | jmh | e2e | market
#                                       # | startup | idle | models | guard | tune | interop | server | sharding
#                                       # | tracing
#   SKIP_BUILD=1 troupe-bench/run.sh e2e
#
# Environment: JAVA_HOME (defaults to Temurin 25 when present), SKIP_BUILD=1 to reuse the last build,
# BENCH_JVM_OPTS for extra JVM flags (e.g. a JFR recording), JMH_OPTS to replace the JMH options,
# TROUPE_MODEL_DIR for models and tune (the directory that holds stories260K.gguf; neither is in the default set).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  # A reactor build: nothing goes to ~/.m2, and target/classpath.txt names the modules' own jars.
  echo "Building (./mvnw -q -DskipTests package -pl troupe-bench -am)..." >&2
  (cd "$root" && ./mvnw -q -DskipTests package -pl troupe-bench -am)
fi
classpath="$here/target/classes:$(cat "$here/target/classpath.txt")"

# -Xmx2g is the heap target of the end-to-end benchmark; JDK 24+ also needs the flags Pekko and H2 rely on.
feature="$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
jvm_opts=(-Xmx2g)
if [[ "${feature%%.*}" -ge 24 ]]; then
  jvm_opts+=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
fi
# shellcheck disable=SC2206
jvm_opts+=(${BENCH_JVM_OPTS:-})

figures="$(mktemp)"
trap 'rm -f "$figures" "$figures.jmh.csv"' EXIT

bench() {
  echo "== $*" >&2
  "$java" "${jvm_opts[@]}" -cp "$classpath" "$@" 2> >(grep -v -e '^WARNING' >&2) | tee -a "$figures"
}

run_prompts() { bench io.troupe.bench.PromptEconomyBench; }

# The HTTP API: runs started per second, and server-sent events per second to one client.
run_server() { bench io.troupe.bench.ServerBench h2 20 16; }

# Cluster Sharding: asks per second on 1 and 3 nodes (three actor systems in one JVM), latency per cross-node hop.
run_sharding() { bench io.troupe.bench.ShardingBench 10 256; }

run_cpu() {
  bench io.troupe.bench.CpuPerStepBench memory 15 20 64 3
  bench io.troupe.bench.CpuPerStepBench h2 10 20 64 3
  bench io.troupe.bench.CpuPerStepBench postgres 10 20 64 3
}

# Time until ready: a fresh JVM each time, three times per journal.
# On JDK 25, then the same with an AOT cache (classes loaded and linked ahead of time) trained by one run: a cache
# needs a class path of jars, the same at training and use.
run_startup() {
  for journal in memory h2; do
    for _ in 1 2 3; do bench io.troupe.bench.StartupBench "$journal"; done
  done
  if [[ "${feature%%.*}" -ge 25 ]]; then
    local jars aot
    jars="$(ls "$here"/target/troupe-bench-*.jar | head -n 1):$(cat "$here/target/classpath.txt")"
    aot="$here/target/startup.aot"
    echo "== training an AOT cache: $aot" >&2
    rm -f "$aot"
    "$java" "${jvm_opts[@]}" -XX:AOTCacheOutput="$aot" -cp "$jars" io.troupe.bench.StartupBench memory >/dev/null 2>&1
    for journal in memory h2; do
      for _ in 1 2 3; do
        echo "== StartupBench $journal (AOT cache)" >&2
        "$java" "${jvm_opts[@]}" -XX:AOTCache="$aot" -cp "$jars" io.troupe.bench.StartupBench "$journal" \
          2> >(grep -v -e '^WARNING' >&2) | tee -a "$figures"
      done
    done
  fi
}

# What a started runtime costs while it does nothing (goal ≤ 1 ms/s).
run_idle() {
  bench io.troupe.bench.IdleCost memory 10
  bench io.troupe.bench.IdleCost h2 10
}

# The interception seam: none registered, then three that let everything through; end to end (CPU per step), and
# the planner's check per interception point alone (SeamCostBench, from troupe-runtime's test classes).
run_seam() {
  bench io.troupe.bench.CpuPerStepBench memory 15 20 64 3 0
  bench io.troupe.bench.CpuPerStepBench memory 15 20 64 3 3
  echo "== io.troupe.runtime.internal.turn.SeamCostBench" >&2
  "$java" "${jvm_opts[@]}" -cp "$root/troupe-runtime/target/test-classes:$classpath" \
    io.troupe.runtime.internal.turn.SeamCostBench 5 2> >(grep -v -e '^WARNING' >&2) | tee -a "$figures"
}

# What tracing adds to an agent step with a real model call: on and off in one JVM, interleaved (goal ≤ 5%); the
# loopback model server takes the OTLP export in its own JVM. Then with one run in ten traced (--otel-sample 0.1).
run_tracing() {
  bench io.troupe.bench.TracingStepBench 90 5 16 32
  bench io.troupe.bench.TracingStepBench 60 5 12 32 0.1
  # The same share counted by JFR's CPU-time sampler: every run traced, one in ten, metrics only, no telemetry.
  for share in 1 0.1 0 -1; do bench io.troupe.bench.TracingShareBench 60 20 32 "$share"; done
}

# The marginal cost of a step, apart from the fixed cost of a run: pipelines of 1 and 9 agents.
run_steps() {
  bench io.troupe.bench.CpuPerStepBench memory 15 15 64 1
  bench io.troupe.bench.CpuPerStepBench memory 15 15 64 9
}

run_jmh() {
  # shellcheck disable=SC2206
  local opts=(${JMH_OPTS:--wi 3 -i 5 -w 2s -r 2s -f 1 -prof gc})
  echo "== JMH AgentStepBenchmark ${opts[*]}" >&2
  "$java" "${jvm_opts[@]}" -cp "$classpath" org.openjdk.jmh.Main AgentStepBenchmark "${opts[@]}" \
    -jvmArgs "${jvm_opts[*]}" -rf csv -rff "$figures.jmh.csv" 2> >(grep -v -e '^WARNING' >&2) \
    | grep -v -e '^WARNING'
  # Benchmark,Mode,Threads,Samples,Score,Score Error (99.9%),Unit,Param: journal
  awk -F, 'NR > 1 {
      gsub(/"/, "");
      metric = $1;
      sub(/^.*AgentStepBenchmark\./, "", metric);
      if (metric == "oneRun" || metric == "runs64") {
        printf "FIGURE\tJMH %s time/step, %s\t%.1f\tµs\t± %.1f (99.9%%)\n", metric, $8, $5, $6
      } else if (metric ~ /gc.alloc.rate.norm$/) {
        sub(/:gc.alloc.rate.norm/, "", metric);
        printf "FIGURE\tJMH %s allocated/step, %s\t%.0f\tB\t± %.0f\n", metric, $8, $5, $6
      }
    }' "$figures.jmh.csv" | tee -a "$figures"
}

# One contract-net round with 100 bidders on a model that answers after 200 ms: about two latencies, not 100.
run_market() {
  bench io.troupe.bench.MarketBench memory 100 200 7
  bench io.troupe.bench.MarketBench h2 100 200 5
}

run_e2e() {
  bench io.troupe.bench.EndToEndBench memory 10000 200 2 10000
  # The H2 journal is an order of magnitude slower per step: one smaller warm-up round keeps the run short.
  bench io.troupe.bench.EndToEndBench h2 10000 200 1 2000
}

# Model adapters against their baselines: Troupe's llama.cpp adapter against de.kherud:llama called directly (needs
# TROUPE_MODEL_DIR), and OpenAiCompatible (LangChain4j) against a raw HttpClient POST to a loopback server.
run_models() {
  bench io.troupe.bench.LocalModelBench
  bench io.troupe.bench.HttpProviderBench
}

# The added latency per guarded call: PII, injection rules, the embedding classifier, sink checks, audit appends.
run_guard() { bench io.troupe.bench.GuardBench; }

# LoRA training in Java (needs TROUPE_MODEL_DIR): tokens/s on stories260K and a generated 20M-parameter llama with 1
# and 2 threads, GFLOP/s against a plain matmul, and generation with an adapter through Troupe against llama.cpp.
run_tune() {
  bench --add-modules jdk.incubator.vector io.troupe.bench.TuneBench
}

# Interop: the latency an A2A hop adds to a member, the A2A server's requests/s, and OpenAI-compatible serving's
# tokens/s against the in-process model (needs TROUPE_MODEL_DIR).
run_interop() {
  bench io.troupe.bench.InteropBench a2a 200 16 10
  bench io.troupe.bench.InteropBench openai 20 256
}

targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  targets=(prompts cpu jmh e2e market)
fi
for target in "${targets[@]}"; do
  case "$target" in
    prompts | cpu | seam | steps | jmh | e2e | market | startup | idle | models | guard | tune | interop | server | sharding | tracing) "run_$target" ;;
    *) echo "Unknown benchmark '$target': use prompts, cpu, seam, steps, jmh, e2e, market, startup, idle, models, guard, tune, interop, server, sharding or tracing" >&2; exit 2 ;;
  esac
done

echo
echo "Summary ($("$java" -version 2>&1 | head -1), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
awk -F'\t' '$1 == "FIGURE" {
    printf "  %-52s %12s %-6s %s\n", $2, $3, $4, $5
  }' "$figures"
