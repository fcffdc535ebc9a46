package io.troupe.api.run;

import io.troupe.api.Checks;
import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Point;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A call or message that an interceptor holds until a person approves or denies it, with {@link
 * Troupe#approve} or {@link Troupe#deny}.
 *
 * @param conversationId the run that waits
 * @param key the interception's key in that run
 * @param point where the run waits
 * @param agentId the agent concerned, or null
 * @param interceptor the interceptor that asked
 * @param reason why it asked
 * @param subject what is held: the model call, tool call or message
 * @param requestedAt when the run started to wait, if known
 */
public record PendingApproval(
        String conversationId,
        String key,
        Point point,
        @Nullable String agentId,
        String interceptor,
        String reason,
        Interception.Subject subject,
        @Nullable Instant requestedAt) {
    public PendingApproval {
        Checks.notBlank(conversationId, "PendingApproval conversationId");
        Checks.notBlank(key, "PendingApproval key");
        Checks.notNull(point, "PendingApproval point");
        Checks.notBlank(interceptor, "PendingApproval interceptor");
        Checks.notNull(reason, "PendingApproval reason");
        Checks.notNull(subject, "PendingApproval subject");
    }
}
