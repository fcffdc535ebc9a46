package io.troupe.cli;

import io.troupe.server.TroupeServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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

    /** Starts the server, prints where it is, and waits until the JVM is asked to stop. */
    static int serve(TroupeServer.Builder builder, ServeOptions options) throws InterruptedException {
        TroupeServer server = builder.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            System.err.println(
                                    "Stopping: runs in progress stay in the journal and resume at the next start");
                            server.close();
                            stopped.countDown();
                        },
                        "troupe-serve-stop"));
        System.err.println(options.banner(server));
        stopped.await();
        return Main.OK;
    }
}
