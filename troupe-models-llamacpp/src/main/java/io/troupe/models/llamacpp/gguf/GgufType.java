package io.troupe.models.llamacpp.gguf;

import java.util.Optional;

/** The type of a GGUF metadata value, with its id in the file format and its width in bytes (0 if variable). */
public enum GgufType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    STRING(8, 0),
    ARRAY(9, 0),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private final int id;
    private final int width;

    GgufType(int id, int width) {
        this.id = id;
        this.width = width;
    }

    /** The id written in the file. */
    public int id() {
        return id;
    }

    /** The width in bytes of a value of this type; 0 for strings and arrays. */
    public int width() {
        return width;
    }

    /** Whether values of this type are integers ({@link GgufValue.Int}). */
    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    /** The type with file id {@code id}, if there is one. */
    public static Optional<GgufType> byId(long id) {
        for (GgufType type : values()) {
            if (type.id == id) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
