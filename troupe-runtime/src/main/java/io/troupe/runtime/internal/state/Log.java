package io.troupe.runtime.internal.state;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An immutable list whose versions share storage: {@link #append} returns a new version in amortised O(1) and
 * leaves this one unchanged. Made for the linear history of a fold, where each version is extended at most once;
 * extending an older version again copies its items, so every version stays correct whatever the order.
 *
 * <p>Versions may be read from any thread once safely published; appends are made from one thread at a time.
 */
public final class Log<T> extends AbstractList<T> implements RandomAccess {
    private static final Log<?> EMPTY = new Log<>(new ArrayList<>(0), 0);

    private final ArrayList<T> items;
    private final int size;

    private Log(ArrayList<T> items, int size) {
        this.items = items;
        this.size = size;
    }

    /** The empty log. */
    @SuppressWarnings("unchecked")
    public static <T> Log<T> empty() {
        return (Log<T>) EMPTY;
    }

    /** A log of {@code items}, in order. */
    public static <T> Log<T> of(List<? extends T> items) {
        ArrayList<T> copy = new ArrayList<>(items);
        return new Log<>(copy, copy.size());
    }

    /** This log with {@code item} at the end. */
    public Log<T> append(T item) {
        Objects.requireNonNull(item, "item");
        if (isLatest()) {
            items.add(item);
            return new Log<>(items, size + 1);
        }
        ArrayList<T> copy = new ArrayList<>(Math.max(8, size * 2));
        copy.addAll(items.subList(0, size));
        copy.add(item);
        return new Log<>(copy, size + 1);
    }

    /** Whether no other version has appended to the storage this one shares, so that appending needs no copy. */
    public boolean isLatest() {
        return items.size() == size && this != EMPTY;
    }

    @Override
    public T get(int index) {
        Objects.checkIndex(index, size);
        return items.get(index);
    }

    @Override
    public int size() {
        return size;
    }
}
