package io.troupe.api.team;

import io.troupe.api.Checks;
import io.troupe.api.protocol.Message;
import java.math.BigDecimal;

/**
 * A transfer in a run's ledger, in the budget's unit (US dollars). The payer's spending grows by {@code amount} and
 * counts against its agent budget; the payee's shrinks by as much, so the ledger always sums to zero.
 *
 * @param from the paying agent, or {@link Message#COORDINATOR} for the team itself
 * @param to the agent paid, or {@link Message#COORDINATOR}
 * @param amount a positive amount
 * @param reason what the payment is for, e.g. "won the vickrey auction for message 7f3a…"
 */
public record Payment(String from, String to, BigDecimal amount, String reason) {
    public Payment {
        Checks.notBlank(from, "Payment from");
        Checks.notBlank(to, "Payment to");
        Checks.notNull(amount, "Payment amount");
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("Payment amount must be positive, got " + amount);
        }
        if (from.equals(to)) {
            throw new IllegalArgumentException("Payment from '" + from + "' to itself");
        }
        Checks.notBlank(reason, "Payment reason");
    }

    @Override
    public String toString() {
        return from + " → " + to + " " + amount.toPlainString() + " (" + reason + ")";
    }
}
