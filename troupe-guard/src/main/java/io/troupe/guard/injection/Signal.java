package io.troupe.guard.injection;

/**
 * One part of the detector that fired: a rule, the classifier or the judge.
 *
 * @param id the rule id ({@code override.ignore-previous}), the model id ({@code model.minilm-lr-v1}) or
 *     {@code judge}
 * @param kind {@code rule}, {@code model} or {@code judge}
 * @param score its weight or probability, from 0 to 1
 * @param view where it fired: {@code text}, {@code leet}, {@code hidden} or {@code decoded}
 */
public record Signal(String id, String kind, double score, String view) {}
