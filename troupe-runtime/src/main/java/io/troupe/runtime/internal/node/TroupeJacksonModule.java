package io.troupe.runtime.internal.node;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunEvent;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.Member;
import java.util.List;

/**
 * Teaches Jackson the API's sealed hierarchies without annotating the API (which depends on the JDK alone).
 *
 * <p>Every sealed interface gets a type property {@code @type} whose value is the record's name relative to its
 * package, such as {@code JournalEvent$MessageSent}. The subtypes come from {@link Class#getPermittedSubclasses()},
 * so a new record in a sealed hierarchy needs no change here. Registered through
 * {@code pekko.serialization.jackson.jackson-modules}.
 */
public final class TroupeJacksonModule extends SimpleModule {
    private static final long serialVersionUID = 1L;

    /** The sealed roots whose values appear as fields or list elements in serialized messages. */
    static final List<Class<?>> SEALED_ROOTS = List.of(
            RunEvent.class,
            ChatMessage.class,
            Receivers.class,
            MechanismSpec.class,
            Outcome.class,
            Member.class,
            Verdict.class,
            Interception.Subject.class);

    public TroupeJacksonModule() {
        super("troupe-api");
        for (Class<?> root : SEALED_ROOTS) {
            register(root);
        }
    }

    private void register(Class<?> type) {
        if (type.isSealed()) {
            setMixInAnnotation(type, Polymorphic.class);
            for (Class<?> sub : type.getPermittedSubclasses()) {
                register(sub);
            }
        } else {
            registerSubtypes(new NamedType(type, typeName(type)));
        }
    }

    static String typeName(Class<?> type) {
        String name = type.getName();
        return name.substring(type.getPackageName().length() + 1);
    }

    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "@type")
    private interface Polymorphic {}
}
