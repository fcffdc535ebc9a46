package io.troupe.tools;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.troupe.api.Checks;
import io.troupe.api.tool.Sink;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.api.tool.ToolInvocation;
import io.troupe.api.tool.ToolTraits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code files}: reads, lists and (when allowed) writes text files inside one workspace folder.
 *
 * <p>Arguments: {@code {"action": "read" | "list" | "write", "path": "notes/todo.txt", "content": "..."}} ({@code
 * content} only for {@code write}; {@code path} {@code "."} lists the workspace). Results: {@code {"path", "content"}}
 * for read, {@code {"path", "entries": [{"name", "type", "size"}]}} for list, {@code {"path", "bytes"}} for write.
 *
 * <p>Limits: paths are relative to the workspace, and no path leaves it: not with {@code ..}, not through a symbolic
 * link (every existing part of the path is resolved and checked, and the final file is opened without following a
 * link). Files of at most {@code maxBytes}, UTF-8 text only; 1,000 entries per list; writes only with {@code write}.
 */
public final class FilesTool extends BuiltInTool {
    /** The argument schema. */
    public static final String SCHEMA = """
            {"type":"object","properties":{\
            "action":{"enum":["read","list","write"],"description":"read a file, list a folder, or write a file"},\
            "path":{"type":"string","minLength":1,"maxLength":1000,\
            "description":"A path relative to the workspace, such as notes/todo.txt; '.' is the workspace itself"},\
            "content":{"type":"string","description":"The text to write (write only)"}},\
            "required":["action","path"],"additionalProperties":false}""";

    private static final int MAX_ENTRIES = 1000;

    /**
     * The limits of a {@code files} tool.
     *
     * @param workspace the folder the tool works in; it must exist
     * @param write whether the tool may write files
     * @param maxBytes the largest file read or written
     */
    public record Settings(Path workspace, boolean write, long maxBytes) {
        /** 1 MB. */
        public static final long DEFAULT_MAX_BYTES = 1_000_000;

        public Settings {
            Checks.notNull(workspace, "files workspace");
            if (maxBytes < 1) {
                throw new IllegalArgumentException("files maxBytes must be positive, got " + maxBytes);
            }
        }
    }

    private final ToolDefinition definition;
    private final Settings settings;
    private final Path root;

    /**
     * @param name the tool's name, {@code files} by default
     * @throws IllegalArgumentException if the workspace is not an existing folder
     */
    public FilesTool(String name, Settings settings) {
        this.settings = settings;
        try {
            this.root = settings.workspace().toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "the files workspace " + settings.workspace() + " does not exist; create the folder first", e);
        }
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("the files workspace " + root + " is not a folder");
        }
        this.definition = new ToolDefinition(
                name,
                (settings.write() ? "Reads, writes and lists" : "Reads and lists")
                        + " text files in the workspace folder. Paths are relative to the workspace.",
                SCHEMA);
    }

    @Override
    public ToolDefinition definition() {
        return definition;
    }

    /** Its {@code path} goes to the file system, inside the workspace: a guard checks it for traversal. */
    @Override
    public ToolTraits traits() {
        return ToolTraits.NONE.withSink("path", Sink.path(root.toString()));
    }

    @Override
    String run(Arguments arguments, ToolInvocation invocation) throws ToolRefusal, IOException {
        String action = arguments.string("action");
        String path = arguments.string("path");
        return switch (action) {
            case "read" -> read(path);
            case "list" -> list(path);
            case "write" -> write(path, arguments.string("content"));
            default -> throw new ToolRefusal("unknown action '" + action + "'; use read, list or write");
        };
    }

    private String read(String path) throws ToolRefusal, IOException {
        Path file = existing(path);
        if (!Files.isRegularFile(file)) {
            throw new ToolRefusal("'" + path + "' is not a file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, settings.maxBytes() + 1));
        }
        if (bytes.length > settings.maxBytes()) {
            throw new ToolRefusal("'" + path + "' is larger than the limit of " + settings.maxBytes() + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ToolRefusal("'" + path + "' is not UTF-8 text");
        }
        return Arguments.object()
                .put("path", relative(file))
                .put("content", text)
                .toString();
    }

    private String list(String path) throws ToolRefusal, IOException {
        Path folder = existing(path);
        if (!Files.isDirectory(folder)) {
            throw new ToolRefusal("'" + path + "' is not a folder");
        }
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path child : entries) {
                children.add(child);
            }
        }
        children.sort(null);
        ArrayNode list = Arguments.JSON.createArrayNode();
        for (Path child : children.subList(0, Math.min(children.size(), MAX_ENTRIES))) {
            boolean link = Files.isSymbolicLink(child);
            boolean dir = !link && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS);
            var entry = list.addObject()
                    .put("name", child.getFileName().toString())
                    .put("type", link ? "link" : dir ? "folder" : "file");
            if (!link && !dir) {
                entry.put("size", Files.size(child));
            }
        }
        var result = Arguments.object().put("path", relative(folder));
        result.set("entries", list);
        if (children.size() > MAX_ENTRIES) {
            result.put("truncated", children.size() - MAX_ENTRIES + " more entries not listed");
        }
        return result.toString();
    }

    private String write(String path, String content) throws ToolRefusal, IOException {
        if (!settings.write()) {
            throw new ToolRefusal("this files tool is read-only; writing needs 'write: true' in the spec");
        }
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > settings.maxBytes()) {
            throw new ToolRefusal("the content is larger than the limit of " + settings.maxBytes() + " bytes");
        }
        Path target = inside(path);
        if (target.equals(root)) {
            throw new ToolRefusal("'" + path + "' is the workspace itself, not a file");
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        if (!parent.toRealPath().startsWith(root)) { // a folder on the way is a link out of the workspace
            throw escapes(path);
        }
        if (Files.isSymbolicLink(target)) {
            throw new ToolRefusal("'" + path + "' is a symbolic link; links are not written through");
        }
        try (OutputStream out = Files.newOutputStream(
                target,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) { // a link swapped in after the check is refused by the OS
            out.write(bytes);
        }
        return Arguments.object()
                .put("path", relative(target))
                .put("bytes", bytes.length)
                .toString();
    }

    /** {@code path} resolved inside the workspace, checked lexically: absolute paths and {@code ..} are refused. */
    private Path inside(String path) throws ToolRefusal {
        Path relative;
        try {
            relative = Path.of(path);
        } catch (InvalidPathException e) {
            throw new ToolRefusal("'" + path + "' is not a valid path");
        }
        if (relative.isAbsolute() || path.startsWith("/") || path.startsWith("\\")) {
            throw new ToolRefusal("'" + path + "' is absolute; give a path relative to the workspace");
        }
        Path resolved = root.resolve(relative).normalize();
        if (!resolved.startsWith(root)) {
            throw escapes(path);
        }
        return resolved;
    }

    /** {@code path}, which must exist, with every link resolved, still inside the workspace. */
    private Path existing(String path) throws ToolRefusal, IOException {
        Path resolved = inside(path);
        Path real;
        try {
            real = resolved.toRealPath();
        } catch (NoSuchFileException e) {
            throw new ToolRefusal("'" + path + "' does not exist; list the workspace to see what is there");
        }
        if (!real.startsWith(root)) {
            throw escapes(path);
        }
        return real;
    }

    private static ToolRefusal escapes(String path) {
        return new ToolRefusal("'" + path + "' leads outside the workspace; only files inside it can be used");
    }

    private String relative(Path path) {
        String relative = root.relativize(path).toString();
        return relative.isEmpty() ? "." : relative;
    }
}
