package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CliLoggingTest {
    private final LoggerContext context = new LoggerContext();

    @AfterEach
    void clearProperties() {
        System.clearProperty("troupe.cluster.log");
        System.clearProperty("logback.configurationFile");
        System.clearProperty(Main.COMMAND_PROPERTY);
        context.stop();
    }

    @Test
    void logsWarningsToStandardError_andClusterMembershipWhenAsked() {
        System.setProperty("troupe.cluster.log", "INFO");
        CliLogging logging = new CliLogging();

        assertThat(logging.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(root.getAppender("STDERR")).isInstanceOfSatisfying(ConsoleAppender.class, appender -> {
            assertThat(appender.getTarget()).isEqualTo("System.err");
            assertThat(appender.isStarted()).isTrue();
        });
        assertThat(context.getLogger("org.apache.pekko.cluster").getLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("ai.djl.util.cuda").getLevel()).isEqualTo(Level.ERROR);
        assertThat(context.getLogger("io.troupe").getEffectiveLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void heartbeatDelayWarnings_areLeftOut_forANodeAlone_butNotForAClusterNode() {
        System.setProperty(Main.COMMAND_PROPERTY, "run");
        new CliLogging().configure(context);
        assertThat(context.getLogger("org.apache.pekko.cluster.ClusterHeartbeat")
                        .getEffectiveLevel())
                .isEqualTo(Level.ERROR);

        LoggerContext node = new LoggerContext();
        System.setProperty(Main.COMMAND_PROPERTY, "node");
        new CliLogging().configure(node);
        assertThat(node.getLogger("org.apache.pekko.cluster.ClusterHeartbeat").getEffectiveLevel())
                .isEqualTo(Level.WARN);
        node.stop();
    }

    @Test
    void aConfigurationFileNamedOnTheCommandLine_configuresLoggingInstead() {
        System.setProperty("logback.configurationFile", "custom.xml");

        assertThat(new CliLogging().configure(context)).isEqualTo(Configurator.ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR"))
                .isNull();
    }
}
