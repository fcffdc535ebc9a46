package io.troupe.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;

/**
 * The command line's logging, set up in code rather than from a {@code logback.xml}: reading XML costs half a second
 * of every start. The command's standard output is the transcript, so logs go to standard error, and only when
 * something is wrong (WARN); {@code -Dtroupe.cluster.log=INFO} shows cluster membership and split-brain decisions
 * (joins, leaves, downing), and {@code -Dtroupe.log.time=...} prefixes a pattern (such as {@code %d{HH:mm:ss.SSS} }).
 * With {@code -Dlogback.configurationFile=FILE}, that file configures logging instead. Found by Logback through
 * {@code META-INF/services}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class CliLogging extends ContextAwareBase implements Configurator {
    /** Logback's system property naming a configuration file. */
    private static final String CONFIG_FILE = "logback.configurationFile";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty(CONFIG_FILE) != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        NopStatusListener quiet = new NopStatusListener();
        context.getStatusManager().add(quiet);

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(System.getProperty("troupe.log.time", "") + "%-5level %logger{36} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        // DJL's tokenizer (under the in-process embeddings) warns about CUDA on every machine without a GPU.
        context.getLogger("ai.djl.util.cuda").setLevel(Level.ERROR);
        context.getLogger("org.apache.pekko.cluster")
                .setLevel(Level.toLevel(System.getProperty("troupe.cluster.log"), Level.WARN));
        if (!"node".equals(System.getProperty(Main.COMMAND_PROPERTY))
                && System.getProperty("troupe.cluster.log") == null) {
            // A node alone in its cluster (every command but 'troupe node') has nobody to send heartbeats to; Pekko
            // still warns when its heartbeat timer ran late, which on a busy machine interleaves a transcript.
            context.getLogger("org.apache.pekko.cluster.ClusterHeartbeat").setLevel(Level.ERROR);
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
