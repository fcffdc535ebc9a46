package io.troupe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which profiler samples count as telemetry's: frames are the classes of a sample's Java frames, innermost first. */
class TracingShareBenchTest {
    @Test
    void theExportPath_isTelemetrysWhereverItStands() {
        assertThat(TracingShareBench.isTelemetry(List.of(
                        "java.util.HashMap",
                        "io.opentelemetry.exporter.internal.marshal.StatelessMarshalerUtil",
                        "io.opentelemetry.sdk.trace.export.BatchSpanProcessor$Worker",
                        "java.lang.Thread")))
                .isTrue();
        assertThat(TracingShareBench.isTelemetry(List.of(
                        "sun.nio.ch.SocketDispatcher",
                        "jdk.internal.net.http.HttpClientImpl",
                        "io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSender",
                        "java.util.concurrent.ThreadPoolExecutor")))
                .isTrue();
    }

    @Test
    void jdkCodeCalledByTelemetry_isTelemetrys() {
        assertThat(TracingShareBench.isTelemetry(List.of(
                        "java.util.HashMap",
                        "java.lang.String",
                        "io.troupe.telemetry.RunSpans",
                        "io.troupe.telemetry.RunFollower",
                        "io.troupe.runtime.internal.node.RunListeners")))
                .isTrue();
        assertThat(TracingShareBench.isTelemetry(List.of("io.micrometer.core.instrument.Timer")))
                .isTrue();
    }

    @Test
    void workRunUnderATraceContext_isNotTelemetrys() {
        // A model call runs inside OpenTelemetry's Context.wrap: the call's own work is the runtime's.
        assertThat(TracingShareBench.isTelemetry(List.of(
                        "java.util.concurrent.CompletableFuture",
                        "io.troupe.models.langchain4j.LangChain4jModel",
                        "io.opentelemetry.context.Context",
                        "java.lang.VirtualThread")))
                .isFalse();
        assertThat(TracingShareBench.isTelemetry(
                        List.of("java.util.concurrent.ForkJoinPool", "org.apache.pekko.dispatch.Mailbox")))
                .isFalse();
        assertThat(TracingShareBench.isTelemetry(List.of("java.lang.Object", "java.lang.Thread")))
                .isFalse();
    }

    @Test
    void aSample_isPlacedOnTheExportPath_elseByItsInnermostTroupeClass() {
        assertThat(TracingShareBench.where(List.of(
                        "io.opentelemetry.sdk.internal.AttributesMap",
                        "io.opentelemetry.sdk.trace.SdkSpan",
                        "io.troupe.telemetry.RunSpans",
                        "io.troupe.telemetry.RunFollower")))
                .isEqualTo("RunSpans");
        assertThat(TracingShareBench.where(List.of(
                        "io.opentelemetry.exporter.internal.marshal.Serializer",
                        "io.opentelemetry.sdk.trace.export.BatchSpanProcessor$Worker",
                        "java.lang.Thread")))
                .isEqualTo("export");
        assertThat(TracingShareBench.where(List.of(
                        "io.opentelemetry.exporter.internal.marshal.Serializer",
                        "io.troupe.telemetry.Telemetry$Counted",
                        "io.opentelemetry.sdk.trace.export.BatchSpanProcessor$Worker")))
                .isEqualTo("export");
        assertThat(TracingShareBench.where(List.of("io.micrometer.core.instrument.Timer", "java.lang.Thread")))
                .isEqualTo("elsewhere");
    }
}
