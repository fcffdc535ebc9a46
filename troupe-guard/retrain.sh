#!/usr/bin/env bash
# Retrains the shipped prompt-injection classifier on the training split of the synthetic corpus (InjectionCorpus,
# in the test tree) and overwrites src/main/resources/io/troupe/guard/injection/injection-classifier-v1.json.
# Then run InjectionDetectionTest, which measures the new weights on the held-out split:
#   troupe-guard/retrain.sh && ./mvnw -q -pl troupe-guard -am verify -Dtest=InjectionDetectionTest -Dsurefire.failIfNoSpecifiedTests=false
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
classpath_file="$root/troupe-guard/target/retrain-classpath.txt"

cd "$root"
./mvnw -q -pl troupe-guard -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
"$java" -Xmx2g -cp "troupe-guard/target/test-classes:troupe-guard/target/classes:$(cat "$classpath_file")" \
  io.troupe.guard.injection.RetrainInjectionClassifier "$@" 2> >(grep -v -e '^SLF4J' -e '^WARN' >&2)
