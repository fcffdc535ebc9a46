package io.troupe.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.troupe.api.ConfigurationException;
import io.troupe.api.run.PendingApproval;
import io.troupe.runtime.TroupeNode;

/**
 * The approvals API: what runs wait for a person to approve (held by an interceptor that asked for a human), and
 * the decisions, which go through {@link io.troupe.api.run.Troupe#approve} and {@code deny} on whichever node the
 * run lives.
 */
final class ApprovalRoutes {
    private final TroupeNode node;
    private final ServerLimits limits;

    ApprovalRoutes(TroupeNode node, ServerLimits limits) {
        this.node = node;
        this.limits = limits;
    }

    /** {@code GET /api/approvals?run=id}: oldest first. */
    void list(Context ctx) {
        String run = ctx.queryParam("run");
        ArrayNode approvals = EventJson.array();
        for (PendingApproval approval : node.approvals()) {
            if (run == null || run.equals(approval.conversationId())) {
                approvals.add(EventJson.approval(approval, RunRoutes.base(ctx)));
            }
        }
        ObjectNode json = Json.object();
        json.set("approvals", approvals);
        ctx.json(json);
    }

    /** {@code POST /api/approvals/{id}/approve} or {@code /deny}, with an optional {@code {"by", "note"}}. */
    void decide(Context ctx, boolean approve) {
        String id = ctx.pathParam("id");
        String[] runAndKey = EventJson.approvalOf(id);
        if (runAndKey == null) {
            throw ApiException.notFound(
                    "approval_not_found", "'" + id + "' is not an approval id; GET /api/approvals lists them");
        }
        ObjectNode body = Json.body(ctx, limits.maxBodyBytes(), true);
        Json.onlyFields(body, java.util.Set.of("by", "note"), "a decision takes an optional \"by\" and \"note\"");
        String by = Json.text(body, "by");
        String note = Json.text(body, "note");
        by = by == null || by.isBlank() ? "api" : by.strip();
        if (by.length() > 200 || (note != null && note.length() > 4000)) {
            throw ApiException.badRequest("invalid_field", "'by' takes at most 200 characters and 'note' 4000");
        }
        try {
            if (approve) {
                node.approve(runAndKey[0], runAndKey[1], by, note == null ? "" : note);
            } else {
                node.deny(runAndKey[0], runAndKey[1], by, note == null ? "" : note);
            }
        } catch (ConfigurationException e) {
            throw ApiException.notFound(
                    "approval_not_found",
                    "Run " + runAndKey[0] + " holds nothing for a person at '" + runAndKey[1]
                            + "': it was decided already, the run ended, or there is no such run. GET /api/approvals"
                            + " lists what waits");
        }
        ObjectNode json = Json.object();
        json.put("id", id);
        json.put("run", runAndKey[0]);
        json.put("key", runAndKey[1]);
        json.put("decision", approve ? "approved" : "denied");
        json.put("by", by);
        ctx.json(json);
    }
}
