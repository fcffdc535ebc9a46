package io.troupe.models.llamacpp.gguf;

import java.util.ArrayList;
import java.util.List;

/**
 * A GGUF metadata value: an integer of some width, a float, a boolean, a string, or an array of one element type.
 *
 * <p>Each value keeps its exact file type, so that reading a file and writing it again gives the same bytes, and so
 * that a check can tell a FLOAT32 from a FLOAT64 (llama.cpp aborts the process on some type mismatches).
 */
public sealed interface GgufValue {

    /** The value's type in the file. */
    GgufType type();

    /** An integer of type UINT8 to INT64; unsigned 64-bit values above {@code Long.MAX_VALUE} are kept as raw bits. */
    record Int(GgufType type, long value) implements GgufValue {
        public Int {
            if (!type.isInteger()) {
                throw new IllegalArgumentException("GgufValue.Int needs an integer type, got " + type);
            }
        }
    }

    /** A FLOAT32. */
    record F32(float value) implements GgufValue {
        @Override
        public GgufType type() {
            return GgufType.FLOAT32;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof F32 f && Float.floatToRawIntBits(f.value) == Float.floatToRawIntBits(value);
        }

        @Override
        public int hashCode() {
            return Float.floatToRawIntBits(value);
        }
    }

    /** A FLOAT64. */
    record F64(double value) implements GgufValue {
        @Override
        public GgufType type() {
            return GgufType.FLOAT64;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof F64 f && Double.doubleToRawLongBits(f.value) == Double.doubleToRawLongBits(value);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(Double.doubleToRawLongBits(value));
        }
    }

    /** A BOOL. */
    record Bool(boolean value) implements GgufValue {
        @Override
        public GgufType type() {
            return GgufType.BOOL;
        }
    }

    /** A STRING (UTF-8 in the file). */
    record Str(String value) implements GgufValue {
        @Override
        public GgufType type() {
            return GgufType.STRING;
        }
    }

    /** An ARRAY whose items all have {@code elementType}. */
    record Arr(GgufType elementType, List<GgufValue> items) implements GgufValue {
        public Arr {
            items = List.copyOf(items);
            for (GgufValue item : items) {
                if (item.type() != elementType) {
                    throw new IllegalArgumentException(
                            "a GGUF array of " + elementType + " cannot hold a " + item.type());
                }
            }
        }

        @Override
        public GgufType type() {
            return GgufType.ARRAY;
        }
    }

    static Int uint32(long value) {
        return new Int(GgufType.UINT32, value);
    }

    static Int int32(int value) {
        return new Int(GgufType.INT32, value);
    }

    static Int uint64(long value) {
        return new Int(GgufType.UINT64, value);
    }

    static F32 float32(float value) {
        return new F32(value);
    }

    static Str string(String value) {
        return new Str(value);
    }

    static Bool bool(boolean value) {
        return new Bool(value);
    }

    /** An array of strings. */
    static Arr strings(List<String> values) {
        List<GgufValue> items = new ArrayList<>(values.size());
        for (String value : values) {
            items.add(new Str(value));
        }
        return new Arr(GgufType.STRING, items);
    }

    /** An array of FLOAT32. */
    static Arr floats(float[] values) {
        List<GgufValue> items = new ArrayList<>(values.length);
        for (float value : values) {
            items.add(new F32(value));
        }
        return new Arr(GgufType.FLOAT32, items);
    }

    /** An array of INT32. */
    static Arr ints(int[] values) {
        List<GgufValue> items = new ArrayList<>(values.length);
        for (int value : values) {
            items.add(new Int(GgufType.INT32, value));
        }
        return new Arr(GgufType.INT32, items);
    }
}
