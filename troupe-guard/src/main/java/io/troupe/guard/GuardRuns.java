package io.troupe.guard;

import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Point;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.guard.audit.AuditRecorder;
import io.troupe.guard.audit.ChainHead;
import io.troupe.guard.audit.JsonlAuditStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs a guard has seen: their {@link RunTree}s, and, once the guard is bound to its runtime, each run followed
 * through its events, so that its audit log records its journal and its tree is dropped when it ends. Thread-safe.
 */
final class GuardRuns implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GuardRuns.class);
    private static final Object END = new Object();
    private static final Duration FOLLOW_WAIT = Duration.ofMinutes(10);

    private final Binding binding;
    private final @Nullable AuditPolicy audit;
    private final Clock clock;
    private final UnaryOperator<String> scrub;
    private final Map<String, RunTree> trees = new ConcurrentHashMap<>();
    private final Set<String> followed = ConcurrentHashMap.newKeySet();
    private final Map<String, AuditRecorder> recorders = new ConcurrentHashMap<>();
    /** Why the audit log of a run cannot be written, by run: its calls are then blocked (fail closed). */
    private final Map<String, String> broken = new ConcurrentHashMap<>();

    private final List<Thread> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;

    GuardRuns(Binding binding, @Nullable AuditPolicy audit, Clock clock, UnaryOperator<String> scrub) {
        this.binding = binding;
        this.audit = audit;
        this.clock = clock;
        this.scrub = scrub;
    }

    Binding binding() {
        return binding;
    }

    /** The tree of the run in {@code context}; the task of a top-level run marks it as started in this process. */
    RunTree tree(Interception.Context context, Point point) {
        String root = RunTree.root(context.conversationId());
        RunTree tree = trees.computeIfAbsent(root, RunTree::new);
        if (point == Point.TASK && context.parentConversationId() == null) {
            tree.started();
        }
        if (point != Point.TASK) {
            follow(context.conversationId());
        }
        return tree;
    }

    /** The tree of run {@code conversationId}, created if needed (outside an interception: a tool's run). */
    RunTree treeOf(String conversationId) {
        return trees.computeIfAbsent(RunTree.root(conversationId), RunTree::new);
    }

    /** Forgets the tree of {@code conversationId}'s top-level run. */
    void forget(String conversationId) {
        RunTree tree = trees.remove(RunTree.root(conversationId));
        if (tree != null) {
            tree.clear();
        }
    }

    /** How many run trees the guard keeps. */
    int size() {
        return trees.size();
    }

    // ---- Following runs ----

    /** Follows run {@code conversationId} through its events, once, when the guard is bound. */
    void follow(String conversationId) {
        if (closed || !followed.add(conversationId)) {
            return;
        }
        Thread worker = Thread.ofVirtual()
                .name("troupe-guard-" + conversationId)
                .unstarted(() -> {
                    try {
                        Troupe troupe = binding.await(FOLLOW_WAIT);
                        if (troupe == null || closed) {
                            return;
                        }
                        RunHandle handle = troupe.attach(conversationId);
                        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
                        handle.journalEvents().subscribe(new Flow.Subscriber<>() {
                            @Override
                            public void onSubscribe(Flow.Subscription subscription) {
                                subscription.request(Long.MAX_VALUE);
                            }

                            @Override
                            public void onNext(RunEvent event) {
                                events.add(event);
                            }

                            @Override
                            public void onError(Throwable error) {
                                events.add(END);
                            }

                            @Override
                            public void onComplete() {
                                events.add(END);
                            }
                        });
                        consume(conversationId, events);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        LOG.warn("the guard cannot follow run {}: {}", conversationId, e.getMessage());
                        broken.putIfAbsent(conversationId, "the guard cannot follow the run: " + e.getMessage());
                    } finally {
                        unfollow(conversationId);
                    }
                });
        workers.add(worker);
        worker.start();
    }

    private void consume(String conversationId, BlockingQueue<Object> events) throws InterruptedException {
        while (true) {
            List<Object> batch = new ArrayList<>();
            batch.add(events.take());
            events.drainTo(batch);
            List<JournalEvent> journal = new ArrayList<>(batch.size());
            boolean done = false;
            for (Object event : batch) {
                if (event == END) {
                    done = true;
                } else if (event instanceof JournalEvent e) {
                    journal.add(e);
                }
            }
            take(conversationId, journal);
            if (done) {
                return;
            }
        }
    }

    /** Takes the next journal events of a run: records them and keeps the tree's view of the run. */
    private void take(String conversationId, List<JournalEvent> journal) {
        for (JournalEvent event : journal) {
            if (event instanceof JournalEvent.RunStarted started) {
                RunTree tree = trees.get(RunTree.root(conversationId));
                if (tree != null) {
                    tree.task(conversationId, started.task());
                }
            }
        }
        AuditRecorder recorder = recorder(conversationId);
        if (recorder != null && !journal.isEmpty()) {
            try {
                recorder.record(journal);
            } catch (RuntimeException e) {
                broken.putIfAbsent(conversationId, "its audit log cannot be written: " + e.getMessage());
                LOG.warn("the audit log of run {} cannot be written: {}", conversationId, e.getMessage());
            }
        }
        boolean finished = journal.stream().anyMatch(JournalEvent.RunFinished.class::isInstance);
        if (finished) {
            recorders.remove(conversationId);
            if (RunTree.root(conversationId).equals(conversationId)) {
                forget(conversationId);
            }
        }
    }

    // ---- The audit log ----

    /** The recorder of run {@code conversationId}, opened on first use; null without an audit log or if broken. */
    @Nullable
    AuditRecorder recorder(String conversationId) {
        if (audit == null || broken.containsKey(conversationId)) {
            return null;
        }
        try {
            return recorders.computeIfAbsent(conversationId, id -> {
                try {
                    return AuditRecorder.open(
                            id,
                            JsonlAuditStore.forRun(audit.directory(), id),
                            audit.key(),
                            clock,
                            AuditInterceptor.NAME,
                            scrub);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (RuntimeException e) {
            broken.putIfAbsent(conversationId, "its audit log cannot be opened: " + e.getMessage());
            return null;
        }
    }

    /** Why the audit log of {@code conversationId} cannot be kept, or null when it can. */
    @Nullable
    String auditProblem(String conversationId) {
        return broken.get(conversationId);
    }

    /** The audit head of {@code conversationId}, or the empty head before anything is recorded. */
    ChainHead auditHead(String conversationId) {
        AuditRecorder recorder = recorder(conversationId);
        return recorder == null ? ChainHead.EMPTY : recorder.head();
    }

    /**
     * Brings up to date the audit logs of runs that ended while no guard recorded them (a process stopped between
     * journaling the end of a run and recording it). Runs that have not ended catch up when they resume.
     */
    void catchUp() {
        if (audit == null || !Files.isDirectory(audit.directory())) {
            return;
        }
        Thread worker = Thread.ofVirtual().name("troupe-guard-audit-catch-up").unstarted(() -> {
            Troupe troupe = binding.now();
            if (troupe == null) {
                return;
            }
            try (Stream<Path> files = Files.list(audit.directory())) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".audit.jsonl"))
                        .toList()) {
                    String name = file.getFileName().toString();
                    catchUp(troupe, name.substring(0, name.length() - ".audit.jsonl".length()));
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("the audit logs in {} cannot be brought up to date: {}", audit.directory(), e.getMessage());
            }
        });
        workers.add(worker);
        worker.start();
    }

    private void catchUp(Troupe troupe, String conversationId) {
        if (closed || !followed.add(conversationId)) {
            return;
        }
        try {
            AuditRecorder recorder = recorder(conversationId);
            if (recorder == null || recorder.finished()) {
                return;
            }
            Transcript transcript =
                    troupe.replay(conversationId).toCompletableFuture().join();
            if (transcript.events().isEmpty() || !(transcript.events().getLast() instanceof JournalEvent.RunFinished)) {
                return; // it records the rest when the run resumes
            }
            recorder.record(transcript.events());
        } finally {
            recorders.remove(conversationId);
            unfollow(conversationId);
        }
    }

    private void unfollow(String conversationId) {
        synchronized (followed) {
            followed.remove(conversationId);
            followed.notifyAll();
        }
    }

    /**
     * Waits until no follower records run {@code conversationId} or its child runs any more (a finished run's events
     * have all reached its audit log), at most {@code wait}; whether that came.
     */
    boolean awaitRecorded(String conversationId, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (followed) {
            while (followed.stream().anyMatch(id -> id.equals(conversationId) || id.startsWith(conversationId + "."))) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                followed.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
        workers.forEach(Thread::interrupt);
    }
}
