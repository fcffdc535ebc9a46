package io.troupe.runtime;

import static io.troupe.runtime.GroupChatMechanismTest.MEMBERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.troupe.api.ModelException;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.Usage;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.run.JournalEvent.AnswerRejected;
import io.troupe.api.team.ConversationView;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.MechanismSpec.SpeakerSelection;
import io.troupe.api.team.NextAction;
import io.troupe.api.team.Payment;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.mechanism.GroupChat;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.RunRecord;
import io.troupe.testkit.ScriptedModel;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A group chat whose selector agent names the next speaker as structured output. Whatever the selector answers, the
 * next speaker is a member and the chat goes on.
 */
class GroupChatSelectionTest {
    private static final Match SELECTOR = Match.system("You moderate");
    private static final List<String> PROTOCOL = List.of(
            "@team→alice REQUEST",
            "alice→@team INFORM",
            "@team→moderator QUERY",
            "moderator→@team INFORM",
            "@team→carol REQUEST",
            "carol→@team INFORM");

    @Test
    void llm_followsTheSelectorsValidPick() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("Alice plans"), Reply.text("What will it cost?"))
                .on(SELECTOR, Reply.text("{\"next\":\"carol\",\"reason\":\"carol owns the budget\"}"))
                .on(Match.system("Carol plans"), Reply.text("Ten thousand."));

        RunRecord run = GroupChatMechanismTest.run(model, chat());

        assertThat(run.result()).isEqualTo("Ten thousand.");
        assertThat(run.protocol()).containsExactlyElementsOf(PROTOCOL);
        DecisionRecord pick = run.decisions().getLast();
        assertThat(pick.kind()).isEqualTo("speaker");
        assertThat(pick.rule()).isEqualTo("llm-selector");
        assertThat(pick.chosen()).isEqualTo("carol");
        assertThat(pick.reason()).isEqualTo("selector 'moderator' chose carol: carol owns the budget");
        assertThat(pick.option("carol").input()).isEqualTo("{\"next\":\"carol\",\"reason\":\"carol owns the budget\"}");
        assertThat(pick.options()).extracting(DecisionRecord.Option::agent).containsExactlyElementsOf(MEMBERS);

        // The selector is asked with the chat so far and a schema that allows members only.
        assertThat(run.messages().get(2).body())
                .isEqualTo(GroupChatMechanismTest.TASK + "\n\nConversation so far:\n[alice] What will it cost?\n\n"
                        + "Who should speak next? Members: alice, bob, carol.");
        ModelRequest query = model.requests().get(1);
        assertThat(query.responseSchema()).contains("\"enum\":[\"alice\",\"bob\",\"carol\"]");
        assertThat(run.ofType(AnswerRejected.class)).isEmpty();
        model.verify();
    }

    @Test
    void llm_anInvalidPickIsRepairedByTheRuntimeAndTheRepairedPickIsUsed() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("Alice plans"), Reply.text("What will it cost?"))
                .on(SELECTOR, Reply.text("{\"next\":\"mallory\"}"))
                .on(SELECTOR, Reply.text("{\"next\":\"carol\"}"))
                .on(Match.system("Carol plans"), Reply.text("Ten thousand."));

        RunRecord run = GroupChatMechanismTest.run(model, chat());

        assertThat(run.result()).isEqualTo("Ten thousand.");
        assertThat(run.protocol()).containsExactlyElementsOf(PROTOCOL);
        assertThat(run.ofType(AnswerRejected.class)).singleElement().satisfies(rejected -> {
            assertThat(rejected.agentId()).isEqualTo("moderator");
            assertThat(rejected.reason()).contains("enum");
        });
        DecisionRecord pick = run.decisions().getLast();
        assertThat(pick.rule()).isEqualTo("llm-selector");
        assertThat(pick.chosen()).isEqualTo("carol");
        assertThat(pick.option("carol").input()).isEqualTo("{\"next\":\"carol\"}");
        model.verify();
    }

    @Test
    void llm_anAnswerThatIsNotJsonIsRepairedToo() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("Alice plans"), Reply.text("What will it cost?"))
                .on(SELECTOR, Reply.text("Carol should speak next."))
                .on(SELECTOR, Reply.text("{\"next\":\"carol\"}"))
                .on(Match.system("Carol plans"), Reply.text("Ten thousand."));

        RunRecord run = GroupChatMechanismTest.run(model, chat());

        assertThat(run.result()).isEqualTo("Ten thousand.");
        assertThat(run.protocol()).containsExactlyElementsOf(PROTOCOL);
        assertThat(run.ofType(AnswerRejected.class))
                .singleElement()
                .satisfies(rejected -> assertThat(rejected.reason()).contains("not valid JSON"));
        assertThat(run.decisions().getLast().chosen()).isEqualTo("carol");
        model.verify();
    }

    @Test
    void llm_aSelectorThatKeepsNamingNonMembers_fallsBackToRoundRobin() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("Alice plans"), Reply.text("What will it cost?"))
                .on(SELECTOR, Reply.text("{\"next\":\"mallory\"}"))
                .on(SELECTOR, Reply.text("{\"next\":\"eve\"}"))
                .on(SELECTOR, Reply.text("{\"next\":\"trent\"}"))
                .on(Match.system("Bob plans"), Reply.text("Ask carol."));

        RunRecord run = GroupChatMechanismTest.run(model, chat());

        assertThat(run.result()).isEqualTo("Ask carol.");
        assertFallback(run, "round-robin (selector failed: answered FAILURE)");
        assertThat(run.ofType(AnswerRejected.class)).hasSize(3);
        assertThat(run.decisions().getLast().reason())
                .startsWith("selector 'moderator' gave no usable choice (agent 'moderator' gave invalid tool calls or"
                        + " answers 3 times in a row")
                .endsWith("; bob follows alice in the member order");
        model.verify();
    }

    @Test
    void llm_aSelectorThatNeverAnswersWithJson_fallsBackToRoundRobin() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("Alice plans"), Reply.text("What will it cost?"))
                .on(SELECTOR, Reply.text("Carol."))
                .on(SELECTOR, Reply.text("Carol, I said."))
                .on(SELECTOR, Reply.text("CAROL!"))
                .on(Match.system("Bob plans"), Reply.text("Ask carol."));

        RunRecord run = GroupChatMechanismTest.run(model, chat());

        assertThat(run.result()).isEqualTo("Ask carol.");
        assertFallback(run, "round-robin (selector failed: answered FAILURE)");
        assertThat(run.ofType(AnswerRejected.class))
                .hasSize(3)
                .allSatisfy(rejected -> assertThat(rejected.reason()).contains("not valid JSON"));
        model.verify();
    }

    @Test
    void llm_aSelectorModelError_fallsBackToRoundRobin() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("Alice plans"), Reply.text("What will it cost?"))
                .on(SELECTOR, Reply.fail(new ModelException.NonRetriable("401")))
                .on(Match.system("Bob plans"), Reply.text("Ask carol."));

        RunRecord run = GroupChatMechanismTest.run(model, chat());

        assertThat(run.result()).isEqualTo("Ask carol.");
        assertFallback(run, "round-robin (selector failed: answered FAILURE)");
        assertThat(run.decisions().getLast().reason())
                .isEqualTo("selector 'moderator' gave no usable choice (the model call failed: 401);"
                        + " bob follows alice in the member order");
        model.verify();
    }

    @Test
    void llm_theSelectorIsAskedBeforeEveryTurnButTheFirst() {
        ScriptedModel model = new ScriptedModel()
                .on(Match.system("Alice plans"), Reply.text("What will it cost?"))
                .on(SELECTOR, Reply.text("{\"next\":\"carol\"}"))
                .on(Match.system("Carol plans"), Reply.text("Ten thousand."))
                .on(SELECTOR, Reply.fail(new ModelException.NonRetriable("503")))
                .on(Match.system("Alice plans"), Reply.text("Approved."));

        RunRecord run = GroupChatMechanismTest.run(model, chat(3));

        assertThat(run.result()).isEqualTo("Approved.");
        assertThat(run.decisions())
                .extracting(DecisionRecord::chosen, DecisionRecord::rule)
                .containsExactly(
                        tuple("alice", "first-member"),
                        tuple("carol", "llm-selector"),
                        tuple("alice", "round-robin (selector failed: answered FAILURE)"));
        assertThat(run.decisions()).allSatisfy(d -> assertThat(MEMBERS).contains(d.chosen()));
        // The second query shows the whole chat so far.
        assertThat(run.messages().get(6).body())
                .contains("Conversation so far:\n[alice] What will it cost?\n[carol] Ten thousand.");
        model.verify();
    }

    @Test
    void llm_aSelectorPayloadNamingANonMember_isNeverFollowed() {
        // The runtime's schema check keeps such payloads out; the mechanism still must not follow one.
        NextAction action = afterSelectorAnswer("{\"next\":\"mallory\"}");

        DecisionRecord pick = ((NextAction.Decide) action).decision();
        assertThat(pick.rule()).isEqualTo("round-robin (selector failed: named 'mallory', not a member)");
        assertThat(pick.chosen()).isEqualTo("bob");
    }

    @Test
    void llm_aSelectorPayloadThatIsNotJson_fallsBackToRoundRobin() {
        NextAction action = afterSelectorAnswer("carol, obviously");

        DecisionRecord pick = ((NextAction.Decide) action).decision();
        assertThat(pick.rule()).isEqualTo("round-robin (selector failed: answer is not JSON)");
        assertThat(pick.chosen()).isEqualTo("bob");
        assertThat(pick.reason())
                .isEqualTo("selector 'moderator' gave no usable choice (answer is not JSON); bob follows alice in the"
                        + " member order");
    }

    /** What the mechanism does when the selector's INFORM carries {@code payload}, after alice opened the chat. */
    private static NextAction afterSelectorAnswer(String payload) {
        MechanismSpec.GroupChat spec =
                new MechanismSpec.GroupChat(MEMBERS, SpeakerSelection.LLM, "moderator", List.of(), 5, null);
        Message.Builder template = Message.builder().conversationId("c1").sender(Message.COORDINATOR);
        Message opening = template.to("alice")
                .performative(Performative.REQUEST)
                .body("Plan the launch")
                .build();
        Message said = opening.reply("alice", Performative.INFORM, "What will it cost?", null);
        Message query = template.to("moderator")
                .performative(Performative.QUERY)
                .body("Who should speak next?")
                .build();
        Message answer = query.reply("moderator", Performative.INFORM, payload, payload);
        DecisionRecord first = DecisionRecord.of(
                "speaker",
                null,
                "first-member",
                MEMBERS.stream()
                        .map(m -> DecisionRecord.Option.scored(m, null, null))
                        .toList(),
                "alice",
                "alice opens the chat as the first member");
        ConversationView view = new ConversationView() {
            @Override
            public String conversationId() {
                return "c1";
            }

            @Override
            public String task() {
                return "Plan the launch";
            }

            @Override
            public TeamSpec team() {
                return chat();
            }

            @Override
            public List<Message> messages() {
                return List.of(opening, said, query, answer);
            }

            @Override
            public List<Message> awaitingReply() {
                return List.of();
            }

            @Override
            public boolean deadlinePassed(String messageId) {
                return false;
            }

            @Override
            public boolean isLate(Message reply) {
                return false;
            }

            @Override
            public List<DecisionRecord> decisions() {
                return List.of(first);
            }

            @Override
            public List<Payment> payments() {
                return List.of();
            }

            @Override
            public BigDecimal remainingCost(String agentId) {
                return BigDecimal.ONE;
            }

            @Override
            public Instant now() {
                return Instant.EPOCH;
            }

            @Override
            public Usage usage() {
                return Usage.ZERO;
            }

            @Override
            public Message.Builder newMessage() {
                return template;
            }
        };
        return new GroupChat(spec).next(view);
    }

    private static void assertFallback(RunRecord run, String rule) {
        assertThat(run.protocol())
                .containsExactly(
                        "@team→alice REQUEST",
                        "alice→@team INFORM",
                        "@team→moderator QUERY",
                        "moderator→@team FAILURE",
                        "@team→bob REQUEST",
                        "bob→@team INFORM");
        DecisionRecord pick = run.decisions().getLast();
        assertThat(pick.kind()).isEqualTo("speaker");
        assertThat(pick.rule()).isEqualTo(rule);
        assertThat(pick.chosen()).isEqualTo("bob");
        assertThat(MEMBERS).contains(pick.chosen());
    }

    private static TeamSpec chat() {
        return chat(2);
    }

    private static TeamSpec chat(int maxTurns) {
        return GroupChatMechanismTest.members()
                .member(AgentSpec.of("moderator", "m", "You moderate a planning chat."))
                .mechanism(new MechanismSpec.GroupChat(
                        MEMBERS, SpeakerSelection.LLM, "moderator", List.of(), maxTurns, null))
                .build();
    }
}
