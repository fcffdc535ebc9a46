package io.troupe.guard.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An audit store in a JSONL file, one entry per line, with the chain's head in a sidecar file
 * ({@code <file>.head}) that is replaced atomically after each append. Each append is forced to disk. Files are
 * created readable and writable by their owner only (on POSIX file systems). Thread-safe within one process; one
 * process should write a given file.
 */
public final class JsonlAuditStore implements AuditStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path file;
    private final Path headFile;

    /** A store in {@code file}, created on first append. */
    public JsonlAuditStore(Path file) {
        this.file = file.toAbsolutePath();
        this.headFile = this.file.resolveSibling(this.file.getFileName() + ".head");
    }

    /** The store of run {@code runId} in {@code directory}: {@code <directory>/<runId>.audit.jsonl}. */
    public static JsonlAuditStore forRun(Path directory, String runId) {
        if (!RUN_ID.matcher(runId).matches() || runId.contains("..")) {
            throw new IllegalArgumentException("run id '" + runId + "' cannot name an audit file: use letters, digits,"
                    + " '.', '_' and '-' only");
        }
        return new JsonlAuditStore(directory.resolve(runId + ".audit.jsonl"));
    }

    /** The log file. */
    public Path file() {
        return file;
    }

    @Override
    public synchronized void appendAll(List<String> lines, ChainHead head) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
                throw new IllegalArgumentException("an audit line must not contain line breaks");
            }
            text.append(line).append('\n');
        }
        createPrivate(file);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(false);
        }
        Path temporary = headFile.resolveSibling(headFile.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        createPrivate(temporary);
        Files.writeString(
                temporary,
                "{\"seq\":" + head.seq() + ",\"hash\":\"" + head.hash() + "\"}\n",
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE,
                StandardOpenOption.SYNC);
        try {
            Files.move(temporary, headFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, headFile, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public synchronized List<String> lines() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    /**
     * Whether the log is chained with a key (HMAC-SHA256), as its first entry says; false for an empty log or a first
     * line that is no entry (which verifying reports).
     */
    public synchronized boolean keyed() throws IOException {
        for (String line : lines()) {
            if (!line.isBlank()) {
                try {
                    return AuditCodec.HMAC.equals(
                            JSON.readTree(line).path("alg").asText());
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    return false;
                }
            }
        }
        return false;
    }

    @Override
    public synchronized Optional<ChainHead> head() throws IOException {
        if (!Files.exists(headFile)) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(Files.readString(headFile));
            if (node == null
                    || !node.path("seq").canConvertToLong()
                    || !node.path("hash").isTextual()) {
                throw new IOException("the audit head " + headFile + " is damaged");
            }
            return Optional.of(
                    new ChainHead(node.get("seq").asLong(), node.get("hash").asText()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException("the audit head " + headFile + " is not valid JSON", e);
        }
    }

    /** Creates {@code directory} and the parents it lacks readable by their owner only, as the journal's are. */
    private static void createPrivateDirectories(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return; // an existing directory keeps the permissions its owner gave it
        }
        Path parent = directory.toAbsolutePath().getParent();
        if (parent != null) {
            createPrivateDirectories(parent);
        }
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectory(
                        directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectory(directory);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            if (!Files.isDirectory(directory)) {
                throw e;
            }
        }
    }

    private static void createPrivate(Path path) throws IOException {
        if (Files.exists(path)) {
            return;
        }
        Path parent = path.getParent();
        if (parent != null) {
            createPrivateDirectories(parent);
        }
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(path);
        }
    }
}
