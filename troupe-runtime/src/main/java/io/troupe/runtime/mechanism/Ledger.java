package io.troupe.runtime.mechanism;

import io.troupe.api.team.Payment;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Ledger helpers for markets: payments that skip zero amounts, and balances that always sum to zero. */
final class Ledger {
    private Ledger() {}

    /** A payment of {@code amount} from {@code from} to {@code to}, or none when the amount is zero. */
    public static List<Payment> pay(String from, String to, BigDecimal amount, String reason) {
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("a market never pays a negative amount, got " + amount.toPlainString());
        }
        return amount.signum() == 0 ? List.of() : List.of(new Payment(from, to, amount, reason));
    }

    /** Each party's net payments (paid minus received), in order of first appearance, as the run's transcript. */
    public static Map<String, BigDecimal> balances(List<Payment> payments) {
        Map<String, BigDecimal> balances = new LinkedHashMap<>();
        for (Payment payment : payments) {
            balances.merge(payment.from(), payment.amount(), BigDecimal::add);
            balances.merge(payment.to(), payment.amount().negate(), BigDecimal::add);
        }
        return balances;
    }
}
