package io.troupe.runtime.internal.node;

import io.troupe.api.ConfigurationException;
import io.troupe.runtime.Journal;
import io.troupe.runtime.JournalInUseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Guards a journal directory for one process: creates it (and the database file) readable by its owner only, and
 * holds an exclusive lock for as long as the node runs, so that a second process gets a clear error at once
 * instead of waiting on the database. The operating system releases the lock when the process dies, even by
 * kill -9.
 */
final class JournalGuard implements AutoCloseable {
    private static final String LOCK_FILE = "troupe.lock";
    /** The file H2 keeps the journal in, for the directory {@code troupe} URL name. */
    private static final String DATABASE_FILE = "troupe.mv.db";

    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");

    private final FileChannel channel;
    private final FileLock lock;

    private JournalGuard(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Prepares and locks the journal's directory; null for a journal that has none.
     *
     * @throws ConfigurationException if the directory cannot be created
     * @throws JournalInUseException if another process uses it
     */
    static @Nullable JournalGuard acquire(Journal journal) {
        if (!(journal instanceof Journal.H2File file)) {
            return null;
        }
        Path directory = file.directory();
        try {
            createOwnerOnly(directory);
            Path database = directory.resolve(DATABASE_FILE);
            if (!Files.exists(database)) {
                // Created empty and owner-only before H2 opens it, so the journal is never readable by others.
                createFile(database);
            }
            Path lockFile = directory.resolve(LOCK_FILE);
            if (!Files.exists(lockFile)) {
                createFile(lockFile);
            }
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this JVM holds it already
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new JournalInUseException(directory, holder);
            }
            String me = "pid " + ProcessHandle.current().pid() + ", started " + Instant.now() + ", "
                    + ProcessHandle.current()
                            .info()
                            .commandLine()
                            .map(JournalGuard::shorten)
                            .orElse("java");
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new JournalGuard(channel, lock);
        } catch (IOException e) {
            throw new ConfigurationException("Cannot use the journal directory " + directory + ": " + e
                    + ". Check that it can be created and written by this user, or choose another with --journal.");
        }
    }

    private static void createOwnerOnly(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return; // an existing directory keeps the permissions its owner gave it
        }
        Path parent = directory.getParent();
        if (parent != null && !Files.exists(parent)) {
            createOwnerOnly(parent);
        }
        try {
            Files.createDirectory(directory, attributes(OWNER_DIRECTORY));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(directory)) {
                throw e;
            }
        }
    }

    private static void createFile(Path file) throws IOException {
        try {
            Files.createFile(file, attributes(OWNER_FILE));
        } catch (FileAlreadyExistsException e) {
            // another process created it first: fine
        }
    }

    private static FileAttribute<?>[] attributes(Set<PosixFilePermission> permissions) {
        boolean posix = java.nio.file.FileSystems.getDefault()
                .supportedFileAttributeViews()
                .contains("posix");
        return posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(1024);
            int read = channel.read(buffer, 0);
            return read <= 0 ? "" : new String(buffer.array(), 0, read, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static String shorten(String command) {
        List<String> words = List.of(command.split(" "));
        String last = words.isEmpty()
                ? command
                : String.join(" ", words.subList(Math.max(0, words.size() - 4), words.size()));
        return last.length() > 120 ? last.substring(0, 119) + "…" : last;
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the process is stopping; the operating system releases the lock with it
        }
    }
}
