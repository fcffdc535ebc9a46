package io.troupe.runtime.internal.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.CBORGenerator;
import java.io.NotSerializableException;
import java.util.Optional;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import org.apache.pekko.serialization.jackson.JacksonJsonSerializer;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.jspecify.annotations.Nullable;

/**
 * Pekko's Jackson serializer ({@code jackson-cbor}, {@code jackson-json} or {@code jackson-cbor-264}), made when it is
 * first used rather than when the actor system starts.
 *
 * <p>Pekko creates every configured serializer at start, and each Jackson one builds an {@code ObjectMapper} with its
 * modules: about a fifth of a node's start-up work, spent even by a node that never serializes (a cluster of one on
 * the in-memory journal). This wrapper has the same binding name and identifier as the serializer it stands for, so
 * what it writes is exactly what that serializer writes, and journals written before or without it read the same.
 * Configured in {@code troupe-defaults.conf} under {@code pekko.actor.serializers}. Thread-safe.
 */
public final class LazyJacksonSerializer extends SerializerWithStringManifest {
    private final ExtendedActorSystem system;
    private final String bindingName;
    private final int identifier;
    private volatile @Nullable SerializerWithStringManifest delegate;

    /** The constructor Pekko calls: the actor system and the serializer's binding name. */
    public LazyJacksonSerializer(ExtendedActorSystem system, String bindingName) {
        this.system = system;
        this.bindingName = bindingName;
        this.identifier =
                system.settings().config().getInt("pekko.actor.serialization-identifiers.\"" + bindingName + "\"");
    }

    @Override
    public int identifier() {
        return identifier;
    }

    @Override
    public String manifest(Object o) {
        return delegate().manifest(o);
    }

    @Override
    public byte[] toBinary(Object o) {
        return delegate().toBinary(o);
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        return delegate().fromBinary(bytes, manifest);
    }

    /**
     * Lets the CBOR mapper of {@code bindingName} write a string with a lone UTF-16 surrogate (a task, a reason or a
     * model's answer with a {@code \\ud800} escape: valid JSON, not valid Unicode) with U+FFFD in its place, as
     * Jackson's JSON output does, instead of failing: a journal write that fails stops the run's entity, and the
     * event would be written again and again. Pekko's serializer takes the mapper that the provider made first for its
     * binding name, so the one configured here.
     */
    private static void lenientUtf(ExtendedActorSystem system, String bindingName) {
        ObjectMapper mapper =
                JacksonObjectMapperProvider.get(system).getOrCreate(bindingName, Optional.of(new CBORFactory()));
        if (mapper.getFactory() instanceof CBORFactory cbor) {
            cbor.configure(CBORGenerator.Feature.LENIENT_UTF_ENCODING, true);
        }
    }

    private SerializerWithStringManifest delegate() {
        SerializerWithStringManifest made = delegate;
        if (made == null) {
            synchronized (this) {
                made = delegate;
                if (made == null) {
                    if (bindingName.equals("jackson-cbor")) {
                        lenientUtf(system, bindingName);
                        made = new JacksonCborSerializer(system, bindingName);
                    } else {
                        made = new JacksonJsonSerializer(system, bindingName);
                    }
                    if (made.identifier() != identifier) {
                        throw new IllegalStateException("serializer '" + bindingName + "' has identifier "
                                + made.identifier() + ", its lazy stand-in " + identifier);
                    }
                    delegate = made;
                }
            }
        }
        return made;
    }
}
