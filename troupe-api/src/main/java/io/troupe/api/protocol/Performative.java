package io.troupe.api.protocol;

/**
 * What a message does, after FIPA ACL. The set is closed so that mechanisms can switch over it exhaustively.
 */
public enum Performative {
    /** Asks the receiver to perform an action; answered by INFORM (done), FAILURE or REFUSE. */
    REQUEST,
    /** States a fact or a result; the usual answer to REQUEST and QUERY. */
    INFORM,
    /** Asks the receiver for information without asking it to act. */
    QUERY,
    /** Call for proposals: opens a contract-net round or an auction. */
    CFP,
    /** A bid in answer to a CFP. */
    PROPOSE,
    /** Accepts a proposal: the sender awards the task to the receiver, who answers INFORM or FAILURE. */
    ACCEPT,
    /** Rejects a proposal. */
    REJECT,
    /** Declines a REQUEST or a CFP. */
    REFUSE,
    /** The receiver tried to act and failed; the body says why. */
    FAILURE,
    /** Withdraws an earlier REQUEST or CFP. */
    CANCEL;

    /** Whether this performative asks the receiver to answer. */
    public boolean expectsReply() {
        return switch (this) {
            case REQUEST, QUERY, CFP, ACCEPT -> true;
            case INFORM, PROPOSE, REJECT, REFUSE, FAILURE, CANCEL -> false;
        };
    }
}
