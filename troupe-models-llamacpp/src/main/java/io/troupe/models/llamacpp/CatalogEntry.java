package io.troupe.models.llamacpp;

import java.util.regex.Pattern;

/**
 * A model that {@link ModelManager} knows how to download and verify.
 *
 * @param name the name users ask for, such as {@code stories260K}
 * @param path where the file lives, relative to the manager's base URL (Hugging Face by default)
 * @param sha256 the file's SHA-256, lower-case hex; a download that does not match is deleted
 * @param size the file's size in bytes
 * @param licence the licence of the weights, for the user to honour
 */
public record CatalogEntry(String name, String path, String sha256, long size, String licence) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    public CatalogEntry {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("CatalogEntry name must match " + NAME.pattern()
                    + " (letters, digits, '.', '_', '-'), got '" + name + "'");
        }
        if (path == null || path.isBlank() || path.startsWith("/") || !path.endsWith(".gguf")) {
            throw new IllegalArgumentException("CatalogEntry path of '" + name
                    + "' must be a relative URL path ending in .gguf, got '" + path + "'");
        }
        sha256 = Sha256.normalize(sha256, "CatalogEntry sha256 of '" + name + "'");
        if (size <= 0) {
            throw new IllegalArgumentException("CatalogEntry size of '" + name + "' must be positive, got " + size);
        }
        if (licence == null || licence.isBlank()) {
            throw new IllegalArgumentException("CatalogEntry licence of '" + name + "' must not be blank");
        }
    }

    /** The file name in the cache: the last segment of {@link #path()}. */
    public String fileName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
