/**
 * Benchmarks of the Troupe runtime: CPU and allocation per agent step (JMH and process CPU time), end-to-end
 * latency and heap of many concurrent runs, and prompt economy. Each prints figures; none is a timed unit test.
 * Run them all with {@code troupe-bench/run.sh}.
 */
@NullMarked
package io.troupe.bench;

import org.jspecify.annotations.NullMarked;
