package io.troupe.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.troupe.api.team.Member;

/** {@code GET /api/specs}: the specs in the server's spec folder, which clients start runs from by name. */
final class SpecRoutes {
    private final Specs specs;

    SpecRoutes(Specs specs) {
        this.specs = specs;
    }

    void list(Context ctx) {
        ArrayNode list = EventJson.array();
        specs.folder().specs().forEach((name, spec) -> {
            ObjectNode entry = list.addObject();
            entry.put("name", name);
            entry.put("team", spec.scenario().team().name());
            entry.put("mechanism", spec.scenario().team().mechanism().getClass().getSimpleName());
            ArrayNode members = entry.putArray("members");
            for (Member member : spec.scenario().team().members()) {
                members.add(member.id());
            }
            entry.put("task", spec.scenario().task());
            entry.put("sha256", spec.sha256());
        });
        specs.folder().broken().forEach((name, problems) -> {
            ObjectNode entry = list.addObject();
            entry.put("name", name);
            entry.put("problems", problems);
        });
        ObjectNode json = Json.object();
        json.set("specs", list);
        ctx.json(json);
    }
}
