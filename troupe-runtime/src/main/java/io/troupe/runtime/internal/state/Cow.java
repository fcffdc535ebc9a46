package io.troupe.runtime.internal.state;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map field of the state that a {@link Draft} shares with the state it forked from until one of them writes to
 * it; the first write copies it. An empty field holds no map until its first write. Keeps insertion order. Used from
 * one thread at a time.
 */
final class Cow<K, V> {
    /** The map; a {@link LinkedHashMap} once owned, shared (or empty and immutable) until then. */
    private Map<K, V> map;

    private boolean owned;

    Cow() {
        this.map = Collections.emptyMap(); // tolerates null keys in lookups, as a LinkedHashMap does
        this.owned = false;
    }

    private Cow(Map<K, V> map) {
        this.map = map;
        this.owned = false;
    }

    /** A field for a fork: it shares the map, and neither this field nor the fork's may write it in place again. */
    Cow<K, V> fork() {
        owned = false;
        return new Cow<>(map);
    }

    /** The map, for reading only. */
    Map<K, V> read() {
        return Collections.unmodifiableMap(map);
    }

    V get(K key) {
        return map.get(key);
    }

    V getOrDefault(K key, V fallback) {
        return map.getOrDefault(key, fallback);
    }

    boolean containsKey(K key) {
        return map.containsKey(key);
    }

    boolean isEmpty() {
        return map.isEmpty();
    }

    /** The map, for writing: copied first if it is shared. */
    LinkedHashMap<K, V> write() {
        if (!owned) {
            map = new LinkedHashMap<>(map);
            owned = true;
        }
        return (LinkedHashMap<K, V>) map;
    }
}
