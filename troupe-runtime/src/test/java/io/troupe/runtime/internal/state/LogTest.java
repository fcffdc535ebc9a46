package io.troupe.runtime.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTest {

    @Test
    void append_leavesEveryEarlierVersionUnchanged() {
        Log<String> one = Log.<String>empty().append("a");
        Log<String> two = one.append("b");
        Log<String> branch = one.append("c"); // a second append to the same version copies

        assertThat(one).containsExactly("a");
        assertThat(two).containsExactly("a", "b");
        assertThat(branch).containsExactly("a", "c");
        assertThat(two.isLatest()).isTrue();
        assertThat(one.isLatest()).isFalse();
    }

    @Test
    void empty_isSharedButNeverWrittenTo() {
        Log<String> a = Log.<String>empty().append("a");
        Log<String> b = Log.<String>empty().append("b");

        assertThat(a).containsExactly("a");
        assertThat(b).containsExactly("b");
        assertThat(Log.<String>empty()).isEmpty();
    }
}
