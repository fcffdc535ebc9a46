package io.troupe.api.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PermissionsTest {

    @Test
    void all_allowsAnyToolAndAnyDelegate() {
        assertThat(Permissions.ALL.allowsTool("search")).isTrue();
        assertThat(Permissions.ALL.allowsTool("anything-else")).isTrue();
        assertThat(Permissions.ALL.allowsDelegationTo("writer")).isTrue();
    }

    @Test
    void allowsTool_explicitList_allowsOnlyListedTools() {
        Permissions permissions = new Permissions(Set.of("search", "fetch"), Set.of());

        assertThat(permissions.allowsTool("search")).isTrue();
        assertThat(permissions.allowsTool("fetch")).isTrue();
        assertThat(permissions.allowsTool("delete")).isFalse();
    }

    @Test
    void allowsDelegationTo_explicitList_allowsOnlyListedAgents() {
        Permissions permissions = new Permissions(Set.of(), Set.of("writer"));

        assertThat(permissions.allowsDelegationTo("writer")).isTrue();
        assertThat(permissions.allowsDelegationTo("editor")).isFalse();
    }

    @Test
    void allowsTool_wildcardToolsOnly_doesNotAllowDelegation() {
        Permissions permissions = new Permissions(Set.of(Permissions.ANY), Set.of());

        assertThat(permissions.allowsTool("search")).isTrue();
        assertThat(permissions.allowsDelegationTo("writer")).isFalse();
    }

    @Test
    void allowsDelegationTo_wildcardDelegatesOnly_doesNotAllowTools() {
        Permissions permissions = new Permissions(Set.of(), Set.of("*"));

        assertThat(permissions.allowsDelegationTo("anyone")).isTrue();
        assertThat(permissions.allowsTool("search")).isFalse();
    }

    @Test
    void constructor_nullTools_namesTheField() {
        assertThatThrownBy(() -> new Permissions(null, Set.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Permissions tools must not be null");
    }

    @Test
    void constructor_nullDelegates_namesTheField() {
        assertThatThrownBy(() -> new Permissions(Set.of(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Permissions delegates must not be null");
    }

    @Test
    void constructor_givenSets_areCopied() {
        Set<String> tools = new HashSet<>(Set.of("search"));
        Permissions permissions = new Permissions(tools, Set.of());

        tools.add("delete");

        assertThat(permissions.allowsTool("delete")).isFalse();
    }

    @Test
    void intersect_keepsWhatBothAllow_andAnyIsTheIdentity() {
        Permissions manager = Permissions.ALL.withTools("search", "notes").withData("public");
        Permissions worker = Permissions.ALL.withTools("search", "transfer").withDelegates("clerk");

        Permissions acting = worker.intersect(manager);

        assertThat(acting.tools()).containsExactlyInAnyOrder("search");
        assertThat(acting.delegates()).containsExactly("clerk");
        assertThat(acting.data()).containsExactly("public");
        assertThat(acting.allowsTool("transfer")).isFalse();
        assertThat(Permissions.ALL.intersect(worker)).isEqualTo(worker);
    }

    @Test
    void none_allowsNothing() {
        assertThat(Permissions.NONE.allowsTool("search")).isFalse();
        assertThat(Permissions.NONE.allowsDelegationTo("writer")).isFalse();
        assertThat(Permissions.NONE.allowsData("customers")).isFalse();
        assertThat(Permissions.NONE.withData("customers").allowsData("customers"))
                .isTrue();
    }

    @Test
    void twoArgumentConstructor_allowsEveryDataScope() {
        assertThat(new Permissions(Set.of(), Set.of()).allowsData("anything")).isTrue();
    }
}
