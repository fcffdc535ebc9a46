package io.troupe.cli;

import io.troupe.server.TroupeServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code troupe serve}: Troupe as a service on one machine, until stopped with Ctrl-C or SIGTERM. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serves the Troupe API over HTTP: start runs from specs, follow their events, decide approvals.",
            "Unfinished runs in the journal resume when the server starts. Stop it with Ctrl-C or SIGTERM."
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  troupe serve --spec-dir examples",
            "  curl -s localhost:8080/api/runs -H 'Content-Type: application/json' \\",
            "       -d '{\"spec\": \"story-workshop\"}'",
            "  TROUPE_API_TOKEN=$(openssl rand -hex 32) troupe serve --host 0.0.0.0 --journal ./troupe-data",
            "  troupe serve --journal jdbc:postgresql://db:5432/troupe   # user and password from the environment"
        })
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ServeOptions options = new ServeOptions();

    @Override
    public Integer call() throws InterruptedException {
        return serve(options.builder(), options);
    }

    /**
     * Starts the server, prints where it is, and waits until the JVM is asked to stop, or until the node stops by
     * itself (a node of a cluster that was downed): then it says why and returns {@link Main#UNAVAILABLE}, so that
     * whatever supervises the process starts it again.
     */
    static int serve(TroupeServer.Builder builder, ServeOptions options) throws InterruptedException {
        TroupeServer server = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean asked = new AtomicBoolean();
        AtomicReference<String> byItself = new AtomicReference<>();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            asked.set(true);
                            System.err.println("Stopping: runs in progress stay in the journal and resume at the next"
                                    + " start, or on the cluster's other nodes");
                            server.close();
                            stopped.countDown();
                        },
                        "troupe-serve-stop"));
        server.node().stopped().thenAccept(reason -> {
            if (!asked.get()) {
                byItself.set(reason);
                stopped.countDown();
            }
        });
        System.err.println(options.banner(server));
        stopped.await();
        String reason = byItself.get();
        if (reason != null) {
            System.err.println("error: " + reason);
            return Main.UNAVAILABLE;
        }
        return Main.OK;
    }
}
