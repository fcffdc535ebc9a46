package io.troupe.models.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.ModelException;
import java.net.ConnectException;
import java.nio.channels.UnresolvedAddressException;
import org.junit.jupiter.api.Test;

/** Which failures of the network another attempt, or the next model of a fallback chain, may get past. */
class ErrorMapperTest {
    private final ErrorMapper mapper = new ErrorMapper(
            new Endpoint("OpenAI-compatible", "gpt", "http://no-such-host.invalid/v1", null, "check the model", null));

    @Test
    void anUnresolvableHost_isRetriable_likeARefusedConnection() {
        // Offline looks like this: a fallback model on this machine can still answer.
        ModelException unresolved = mapper.map(new RuntimeException(new UnresolvedAddressException()));
        assertThat(unresolved).isInstanceOf(ModelException.Retriable.class);
        assertThat(unresolved.getMessage())
                .isEqualTo("OpenAI-compatible model 'gpt' at http://no-such-host.invalid/v1: cannot resolve the host;"
                        + " is this machine online, and is the base URL http://no-such-host.invalid/v1 right?");

        assertThat(mapper.map(new RuntimeException(new ConnectException("Connection refused"))))
                .isInstanceOf(ModelException.Retriable.class);
    }

    @Test
    void anAnswerWithoutChoices_isNamedSo_notAsAJavaException() {
        // What LangChain4j throws when a server answers 200 with "choices": [].
        IndexOutOfBoundsException empty = new IndexOutOfBoundsException("Index 0 out of bounds for length 0");
        empty.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("java.util.ImmutableCollections$ListN", "get", null, 1),
            new StackTraceElement("dev.langchain4j.model.openai.InternalOpenAiHelper", "aiMessageFrom", null, 1)
        });

        ModelException mapped = mapper.map(new RuntimeException(empty));

        assertThat(mapped).isInstanceOf(ModelException.NonRetriable.class);
        assertThat(mapped.getMessage())
                .contains("answered with a response that has no usable choice (an empty \"choices\" list")
                .doesNotContain("IndexOutOfBounds");
        // The same exception from elsewhere is still reported as it is.
        assertThat(mapper.map(new IndexOutOfBoundsException("Index 0")).getMessage())
                .contains("failed unexpectedly: java.lang.IndexOutOfBoundsException");
    }
}
