package io.troupe.api.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiversTest {

    private static final String NAME_RULE =
            "does not match [A-Za-z][A-Za-z0-9_-]{0,63} (a letter, then letters, digits, '_' or '-', at most 64 characters)";

    @Test
    void agents_validIds_keepsThemInOrder() {
        Receivers receivers = Receivers.agents("writer", "editor", "a_1-b");

        assertThat(receivers).isInstanceOf(Receivers.Agents.class);
        assertThat(((Receivers.Agents) receivers).ids()).containsExactly("writer", "editor", "a_1-b");
    }

    @Test
    void agents_none_isRejected() {
        assertThatThrownBy(Receivers::agents)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("receiver ids must name at least one agent");
    }

    @Test
    void agents_invalidName_namesTheValueAndTheRule() {
        assertThatThrownBy(() -> Receivers.agents("writer", "the editor"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Receiver id 'the editor' " + NAME_RULE);
    }

    @Test
    void agents_nameLongerThan64Characters_isRejected() {
        String tooLong = "a".repeat(65);

        assertThatThrownBy(() -> Receivers.agents(tooLong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Receiver id '" + tooLong + "' " + NAME_RULE);
    }

    @Test
    void agents_nameOf64Characters_isAccepted() {
        String longest = "a".repeat(64);

        assertThat(((Receivers.Agents) Receivers.agents(longest)).ids()).containsExactly(longest);
    }

    @Test
    void agents_coordinator_isAllowed() {
        assertThat(((Receivers.Agents) Receivers.agents(Message.COORDINATOR)).ids())
                .containsExactly(Message.COORDINATOR);
    }

    @Test
    void agentsRecord_nullElement_namesTheList() {
        List<String> ids = Arrays.asList("writer", null);

        assertThatThrownBy(() -> new Receivers.Agents(ids))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an element of receiver ids must not be null");
    }

    @Test
    void agentsRecord_laterChangesToTheGivenList_doNotLeakIn() {
        List<String> ids = new ArrayList<>(List.of("writer"));
        Receivers.Agents agents = new Receivers.Agents(ids);

        ids.add("editor");

        assertThat(agents.ids()).containsExactly("writer");
    }

    @Test
    void role_validName_addressesTheRole() {
        assertThat(Receivers.role("reviewer")).isEqualTo(new Receivers.Role("reviewer"));
    }

    @Test
    void role_invalidName_namesTheValueAndTheRule() {
        assertThatThrownBy(() -> Receivers.role("-reviewer"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Receiver role '-reviewer' " + NAME_RULE);
    }

    @Test
    void role_null_isRejected() {
        assertThatThrownBy(() -> Receivers.role(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Receiver role must not be null");
    }

    @Test
    void everyone_isAnEveryone() {
        assertThat(Receivers.everyone()).isEqualTo(new Receivers.Everyone());
    }
}
