package io.troupe.guard.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hash-chained audit log: every edit, deletion, insertion, reordering or truncation is found and located. */
class AuditChainTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private static final int ENTRIES = 6;

    @TempDir
    Path dir;

    private JsonlAuditStore store;
    private Path file;

    @BeforeEach
    void writeLog() throws IOException {
        store = JsonlAuditStore.forRun(dir, "run-42");
        file = store.file();
        AuditLog log = AuditLog.open(store, null, CLOCK);
        for (AuditEvent event : events()) {
            log.append("run-42", event);
        }
    }

    static List<AuditEvent> events() {
        return List.of(
                new AuditEvent.ModelCall(
                        2, "planner", "gpt", ContentHash.of("prompt"), ContentHash.of("answer"), true, 120, 40),
                new AuditEvent.Verdict(
                        "step:4:output",
                        "TOOL_OUTPUT",
                        "reader",
                        "injection",
                        "block",
                        "the result of tool 'fetch' looks like a prompt injection",
                        "fnv64:0123456789abcdef"),
                new AuditEvent.CapabilityDenied(
                        "executor", "delete_all_files", "not_permitted", "This agent is not permitted to use it."),
                new AuditEvent.Approval(
                        "t1:tool:5:0", "executor", "approved", "alice", "looks right", ContentHash.of("{}")),
                new AuditEvent.ToolCall(
                        6, "executor", "send_email", ContentHash.of("{}"), ContentHash.of("sent"), true),
                new AuditEvent.Verdict(
                        "step:7:answer",
                        "MODEL_ANSWER",
                        "writer",
                        "pii",
                        "replace",
                        "redacted 1 EMAIL",
                        "fnv64:fedcba9876543210"));
    }

    private AuditVerifier.Result verify() throws IOException {
        return new AuditVerifier(null).verify(store);
    }

    private List<String> lines() throws IOException {
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    private void write(List<String> lines) throws IOException {
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    @Test
    void untouchedLog_isIntactWithItsHead() throws IOException {
        AuditVerifier.Result result = verify();

        ChainHead recorded = store.head().orElseThrow();
        assertThat(result).isInstanceOfSatisfying(AuditVerifier.Result.Intact.class, intact -> {
            assertThat(intact.entries()).isEqualTo(ENTRIES);
            assertThat(intact.head()).isEqualTo(recorded);
        });
    }

    @Test
    void entries_holdHashesNotContent() throws IOException {
        String log = Files.readString(file);

        assertThat(log)
                .doesNotContain("Ignore all previous instructions")
                .doesNotContain("bob@example.com")
                .doesNotContain("prompt\"")
                .contains(ContentHash.of("prompt"));
        assertThat(lines().get(0))
                .startsWith("{\"seq\":1,\"time\":\"2026-01-02T03:04:05Z\",\"run\":\"run-42\",\"index\":-1,"
                        + "\"alg\":\"sha256\",\"type\":\"model-call\"");
    }

    @ParameterizedTest(name = "editing entry {0} is found at entry {0}")
    @ValueSource(ints = {1, 3, 6})
    void editingAnyEntry_isDetectedAtThatEntry(int seq) throws IOException {
        List<String> lines = lines();
        lines.set(seq - 1, lines.get(seq - 1).replaceFirst("\"agent\":\"(\\w+)\"", "\"agent\":\"mallory\""));
        write(lines);

        assertThat(verify())
                .isEqualTo(new AuditVerifier.Result.Broken(
                        seq,
                        seq,
                        "edited",
                        "entry " + seq + " (line " + seq + ") was edited: its hash does not match its content"));
    }

    @Test
    void editingAnEntryAndItsHash_isDetectedAtTheNextEntry() throws IOException {
        // An attacker who recomputes the edited entry's hash (plain SHA-256 is public) breaks the next link.
        List<String> lines = lines();
        AuditCodec codec = new AuditCodec(null);
        AuditEntry original = codec.decode(lines.get(1)).entry();
        AuditEntry forged = codec.seal(
                2,
                original.time(),
                "run-42",
                -1,
                new AuditEvent.CapabilityDenied("reader", "tool", "x", "forged"),
                original.previousHash());
        lines.set(1, codec.encode(forged));
        write(lines);

        assertThat(verify()).isInstanceOfSatisfying(AuditVerifier.Result.Broken.class, broken -> {
            assertThat(broken.seq()).isEqualTo(3);
            assertThat(broken.kind()).isEqualTo("missing-or-reordered");
        });
    }

    @ParameterizedTest(name = "deleting entry {0} is found at entry {0}")
    @ValueSource(ints = {1, 2, 5})
    void deletingAnEntry_isDetectedWhereItWas(int seq) throws IOException {
        List<String> lines = lines();
        lines.remove(seq - 1);
        write(lines);

        assertThat(verify()).isInstanceOfSatisfying(AuditVerifier.Result.Broken.class, broken -> {
            assertThat(broken.seq()).isEqualTo(seq);
            assertThat(broken.line()).isEqualTo(seq);
            assertThat(broken.message()).contains("entry " + (seq + 1) + " where entry " + seq + " belongs");
        });
    }

    @Test
    void swappingTwoEntries_isDetectedAtTheFirst() throws IOException {
        List<String> lines = lines();
        String third = lines.get(2);
        lines.set(2, lines.get(3));
        lines.set(3, third);
        write(lines);

        assertThat(verify()).isInstanceOfSatisfying(AuditVerifier.Result.Broken.class, broken -> {
            assertThat(broken.seq()).isEqualTo(3);
            assertThat(broken.kind()).isEqualTo("missing-or-reordered");
        });
    }

    @Test
    void truncatingTheTail_isDetectedThroughTheHead() throws IOException {
        List<String> lines = lines();
        write(lines.subList(0, 4));

        assertThat(verify())
                .isEqualTo(new AuditVerifier.Result.Broken(
                        5,
                        0,
                        "truncated",
                        "the log ends at entry 4 but its head records 6 entries: entries 5 to 6 were removed"));
    }

    @Test
    void truncatingTheTailAndTheHead_isDetectedAgainstAHeadKeptElsewhere() throws IOException {
        ChainHead kept = store.head().orElseThrow();
        write(lines().subList(0, 5));
        Files.writeString(dir.resolve("run-42.audit.jsonl.head"), "{\"seq\":5,\"hash\":\"" + ChainHead.GENESIS + "\"}");

        assertThat(new AuditVerifier(null).verify(store, kept))
                .isInstanceOfSatisfying(
                        AuditVerifier.Result.Broken.class,
                        broken -> assertThat(broken.kind()).isEqualTo("truncated"));
    }

    @Test
    void garbageLine_isReportedAsMalformedWithItsLine() throws IOException {
        List<String> lines = lines();
        lines.add(3, "not json at all");
        write(lines);

        assertThat(verify())
                .isEqualTo(new AuditVerifier.Result.Broken(
                        4, 4, "malformed", "line 4 is not an audit entry (not valid JSON)"));
    }

    @Test
    void keyedLog_cannotBeReChainedWithoutTheKey() throws IOException {
        byte[] key = "a secret key of the operator".getBytes(StandardCharsets.UTF_8);
        JsonlAuditStore keyed = new JsonlAuditStore(dir.resolve("keyed.jsonl"));
        AuditLog log = AuditLog.open(keyed, key, CLOCK);
        events().forEach(e -> log.append("run-1", e));
        assertThat(keyed.keyed())
                .as("the log says it is keyed, so a verifier can ask for the key")
                .isTrue();
        assertThat(store.keyed()).isFalse();
        assertThat(new JsonlAuditStore(dir.resolve("empty.jsonl")).keyed()).isFalse();
        assertThat(new AuditVerifier(key).verify(keyed)).isInstanceOf(AuditVerifier.Result.Intact.class);
        assertThat(new AuditVerifier(null).verify(keyed))
                .as("a keyed log is not verified as a plain one")
                .isEqualTo(new AuditVerifier.Result.Broken(
                        1,
                        1,
                        "malformed",
                        "line 1 is not an audit entry (the log is chained with HMAC-SHA256: verify it with its key)"));
        byte[] other = "another key, not the operator's".getBytes(StandardCharsets.UTF_8);
        assertThat(new AuditVerifier(other).verify(keyed))
                .as("nor with another key")
                .isInstanceOfSatisfying(
                        AuditVerifier.Result.Broken.class,
                        b -> assertThat(b.kind()).isEqualTo("edited"));
    }

    @Test
    void reopening_continuesTheChain() throws IOException {
        AuditLog reopened = AuditLog.open(store, null, CLOCK);

        AuditEntry next = reopened.append("run-42", events().get(0));

        assertThat(next.seq()).isEqualTo(ENTRIES + 1);
        assertThat(verify())
                .isInstanceOfSatisfying(
                        AuditVerifier.Result.Intact.class,
                        intact -> assertThat(intact.entries()).isEqualTo(ENTRIES + 1));
    }

    @Test
    void opening_aBrokenLog_refusesToAppend() throws IOException {
        List<String> lines = lines();
        lines.remove(1);
        write(lines);

        assertThatThrownBy(() -> AuditLog.open(store, null, CLOCK))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith(
                        "the audit log is broken, so nothing more is appended to it: line 2 holds entry 3");
    }

    @Test
    void files_areReadableByTheirOwnerOnly() throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void folders_itCreates_areReadableByTheirOwnerOnly() throws IOException {
        Path audit = dir.resolve("new").resolve("audit");
        AuditLog.open(JsonlAuditStore.forRun(audit, "run-7"), null, CLOCK).append("run-7", events().getFirst());

        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            for (Path folder : List.of(dir.resolve("new"), audit)) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)))
                        .as(folder.toString())
                        .isEqualTo("rwx------");
            }
        }
    }

    @Test
    void events_refuseRawContentWhereAHashBelongs() {
        assertThatThrownBy(() ->
                        new AuditEvent.ToolCall(1, "a", "t", "{\"to\":\"bob@example.com\"}", ContentHash.of("x"), true))
                .hasMessageStartingWith("argumentsHash must be a content hash 'sha256:<64 hex>' (use ContentHash.of)");
        assertThatThrownBy(() -> JsonlAuditStore.forRun(dir, "../escape"))
                .hasMessageContaining("cannot name an audit file");
        assertThat(Set.of(ContentHash.of("a"), ContentHash.of("b"))).hasSize(2);
    }
}
