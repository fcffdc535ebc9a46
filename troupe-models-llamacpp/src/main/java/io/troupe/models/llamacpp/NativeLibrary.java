package io.troupe.models.llamacpp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Puts llama.cpp's native library where {@code de.kherud:llama} finds it without extracting it again. Left to itself,
 * the binding copies the library out of its jar into the temporary directory on every start, prints {@code Extracted
 * 'libjllama.so' ...} on standard output, and tries to delete other files there. Here the library is copied once
 * into Troupe's cache, {@code ~/.cache/troupe/native/llama-VERSION}, and the binding is pointed at it. Nothing is
 * done when the user chose a library path, or when the cache cannot be written: the binding then does as it always
 * did. Idempotent and thread-safe.
 */
final class NativeLibrary {
    private static final String VERSION = "4.1.0";
    private static final String LIB_PATH = "de.kherud.llama.lib.path";
    private static final String TMP_DIR = "de.kherud.llama.tmpdir";

    private NativeLibrary() {}

    /** Prepares the library before the binding's first use. */
    static synchronized void prepare() {
        if (System.getProperty(LIB_PATH) != null) {
            return;
        }
        String resource = resource();
        if (resource == null) {
            return;
        }
        Path dir = cacheDir();
        try (InputStream in = NativeLibrary.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return;
            }
            Files.createDirectories(dir);
            Path target = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
            if (!Files.isRegularFile(target)) {
                Path part = Files.createTempFile(dir, "troupe-", ".part");
                try {
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(part);
                }
            }
            // The binding cleans files named jllama* and llama* in its tmpdir; this folder holds only libjllama.
            System.setProperty(TMP_DIR, dir.toString());
            System.setProperty(LIB_PATH, dir.toString());
        } catch (IOException | SecurityException e) {
            // The binding extracts the library itself, as it always did.
        }
    }

    /** {@code ~/.cache/troupe/native/llama-VERSION}, or {@code $XDG_CACHE_HOME/troupe/...} when that is set. */
    private static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("troupe").resolve("native").resolve("llama-" + VERSION);
    }

    /** The jar resource of the library for this platform, as the binding lays them out; null if unknown. */
    private static @Nullable String resource() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String folder;
        if (os.contains("linux")) {
            folder = "Linux";
        } else if (os.contains("mac") || os.contains("darwin")) {
            folder = "Mac";
        } else if (os.contains("windows")) {
            folder = "Windows";
        } else {
            return null;
        }
        String cpu = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> null;
        };
        if (cpu == null || System.getProperty("java.vm.vendor", "").contains("Android")) {
            return null;
        }
        return "de/kherud/llama/" + folder + "/" + cpu + "/" + System.mapLibraryName("jllama");
    }
}
