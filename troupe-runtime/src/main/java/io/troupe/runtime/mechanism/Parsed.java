package io.troupe.runtime.mechanism;

/**
 * The result of reading a JSON answer: the value, or the problem with the text. A bad bid is an expected outcome
 * (the bidder is excluded and the problem recorded as the reason), so it is a value, not an exception.
 *
 * @param <T> the value read
 */
sealed interface Parsed<T> {

    /** The answer was read. */
    record Ok<T>(T value) implements Parsed<T> {}

    /** The answer could not be read, and why, in words fit for a decision record. */
    record Invalid<T>(String problem) implements Parsed<T> {}
}
