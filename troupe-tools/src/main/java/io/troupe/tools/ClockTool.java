package io.troupe.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.api.Checks;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.api.tool.ToolInvocation;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * {@code clock}: the current date and time, in UTC and in a time zone. Models do not know what day it is.
 *
 * <p>Arguments: {@code {"zone": "Europe/Oslo"}} (optional; the tool's default zone otherwise). Result: {@code
 * {"utc": "2026-01-02T03:04:05Z", "zone": "Europe/Oslo", "local": "2026-01-02T04:04:05+01:00", "dayOfWeek":
 * "FRIDAY", "epochMillis": ...}}.
 */
public final class ClockTool extends BuiltInTool {
    /** The argument schema. */
    public static final String SCHEMA = """
            {"type":"object","properties":{"zone":{"type":"string","maxLength":64,\
            "description":"An IANA time zone such as Europe/Oslo; the tool's default zone if omitted"}},\
            "additionalProperties":false}""";

    private final ToolDefinition definition;
    private final Clock clock;
    private final ZoneId zone;

    /**
     * @param name the tool's name, {@code clock} by default
     * @param clock the time source
     * @param zone the zone used when the call names none
     */
    public ClockTool(String name, Clock clock, ZoneId zone) {
        this.definition = new ToolDefinition(
                name, "Tells the current date, time and day of the week, in UTC and in a time zone.", SCHEMA);
        this.clock = Checks.notNull(clock, "clock");
        this.zone = Checks.notNull(zone, "zone");
    }

    @Override
    public ToolDefinition definition() {
        return definition;
    }

    @Override
    String run(Arguments arguments, ToolInvocation invocation) throws ToolRefusal {
        String asked = arguments.optionalString("zone");
        ZoneId target;
        try {
            target = asked == null ? zone : ZoneId.of(asked);
        } catch (DateTimeException e) {
            throw new ToolRefusal("unknown time zone '" + asked + "'; use an IANA name such as Europe/Oslo or UTC");
        }
        Instant now = clock.instant();
        ZonedDateTime local = now.atZone(target);
        ObjectNode result = Arguments.object()
                .put("utc", DateTimeFormatter.ISO_INSTANT.format(now))
                .put("zone", target.getId())
                .put("local", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(local))
                .put("dayOfWeek", local.getDayOfWeek().name())
                .put("epochMillis", now.toEpochMilli());
        return result.toString();
    }
}
