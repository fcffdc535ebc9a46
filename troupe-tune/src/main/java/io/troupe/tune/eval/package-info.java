/**
 * Evaluation of a team on a set of cases: each case is a task and a rubric (checks on the result, checks on the
 * journal, and an optional judge model), and runs can be compared side by side (base against tuned, API against
 * local) on score, cost and latency. Journaled runs can become cases, so a team's history becomes its regression
 * suite.
 */
@NullMarked
package io.troupe.tune.eval;

import org.jspecify.annotations.NullMarked;
