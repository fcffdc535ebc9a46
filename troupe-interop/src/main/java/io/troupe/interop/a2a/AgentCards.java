package io.troupe.interop.a2a;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.team.Member;
import io.troupe.api.team.TeamSpec;
import io.troupe.interop.a2a.wire.AgentCard;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The Agent Card of a team: the team as one skill and each agent as another, described by its role, instructions,
 * capabilities and tools; streaming on, push notifications off, the performatives extension declared, and bearer
 * authentication when the server has a token. Pure functions.
 */
public final class AgentCards {
    /** The media types a Troupe agent reads and writes. */
    public static final List<String> MODES = List.of("text/plain", "application/json");

    private static final int MAX_DESCRIPTION = 400;

    private AgentCards() {}

    /**
     * The card of {@code team} served at {@code rpcUrl}.
     *
     * @param name the agent's name
     * @param tools a tool's description by name, when the runtime has the tool
     * @param bearer whether clients must send a bearer token
     * @param version the agent's version (the spec's digest, say)
     */
    public static AgentCard of(
            String name,
            TeamSpec team,
            String rpcUrl,
            Function<String, Optional<String>> tools,
            boolean bearer,
            String version) {
        List<AgentCard.Skill> skills = new ArrayList<>();
        List<AgentSpec> agents = agents(team);
        skills.add(new AgentCard.Skill(
                "team",
                team.name(),
                describeTeam(team, agents),
                List.of("team", team.mechanism().kind()),
                null,
                null,
                null));
        for (AgentSpec agent : agents) {
            Set<String> tags = new LinkedHashSet<>();
            tags.add(agent.role());
            tags.addAll(agent.capabilities());
            tags.addAll(agent.tools());
            StringBuilder description = new StringBuilder(
                    shorten(agent.instructions().isBlank() ? "Acts as " + agent.role() + "." : agent.instructions()));
            if (!agent.tools().isEmpty()) {
                description.append(" Tools: ");
                List<String> described = new ArrayList<>();
                for (String tool : agent.tools()) {
                    described.add(tools.apply(tool)
                            .map(text -> tool + " (" + shorten(text) + ")")
                            .orElse(tool));
                }
                description.append(String.join(", ", described)).append('.');
            }
            skills.add(new AgentCard.Skill(
                    agent.id(), agent.role(), description.toString(), List.copyOf(tags), null, null, null));
        }
        Map<String, AgentCard.SecurityScheme> schemes = null;
        List<AgentCard.SecurityRequirement> requirements = null;
        if (bearer) {
            schemes = Map.of(
                    "bearer",
                    new AgentCard.SecurityScheme(
                            new AgentCard.HttpAuth("The token the Troupe server was started with", "Bearer", null)));
            requirements =
                    List.of(new AgentCard.SecurityRequirement(Map.of("bearer", new AgentCard.StringList(List.of()))));
        }
        return new AgentCard(
                name,
                describeTeam(team, agents),
                List.of(new AgentCard.Interface(rpcUrl, A2a.BINDING, null, A2a.VERSION)),
                new AgentCard.Provider("https://troupe.io", "Troupe"),
                version,
                null,
                new AgentCard.Capabilities(true, false, List.of(Performatives.declaration()), false),
                schemes,
                requirements,
                MODES,
                MODES,
                List.copyOf(skills),
                null);
    }

    private static String describeTeam(TeamSpec team, List<AgentSpec> agents) {
        List<String> members = new ArrayList<>();
        for (Member member : team.members()) {
            members.add(member.id() + " (" + member.role() + ")");
        }
        String text = "Troupe team '" + team.name() + "' (" + team.mechanism().kind() + "): "
                + String.join(", ", members) + ".";
        if (agents.size() == 1 && !agents.getFirst().instructions().isBlank()) {
            text += " " + shorten(agents.getFirst().instructions());
        }
        return text;
    }

    private static List<AgentSpec> agents(TeamSpec team) {
        List<AgentSpec> agents = new ArrayList<>();
        for (Member member : team.members()) {
            switch (member) {
                case Member.Agent agent -> agents.add(agent.spec());
                case Member.Subteam subteam -> agents.addAll(agents(subteam.team()));
            }
        }
        return agents;
    }

    private static String shorten(@Nullable String text) {
        String line = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return line.length() > MAX_DESCRIPTION ? line.substring(0, MAX_DESCRIPTION - 1) + "…" : line;
    }
}
