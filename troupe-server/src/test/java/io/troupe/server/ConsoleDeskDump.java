package io.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.run.RunHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConsoleDeskDump {
    @Test
    void dump() throws Exception {
        ConsoleDesk desk = new ConsoleDesk();
        try (TroupeServer server = desk.start()) {
            RunHandle golden = ConsoleDesk.runToEnd(server, ConsoleDesk.desk(), "Translate the manual into German");
            Api api = new Api(server.uri(), null);
            String events = api.get("/api/runs/" + golden.conversationId() + "/events").response().body();
            Files.writeString(Path.of("target/golden-events.json"), events);
            Files.writeString(Path.of("target/golden-explain.json"), api.get("/api/runs/" + golden.conversationId() + "/explain").response().body());
            Files.writeString(Path.of("target/golden-state.json"), api.get("/api/runs/" + golden.conversationId() + "/state?at=10").response().body());
            RunHandle variant = ConsoleDesk.runToEnd(server, ConsoleDesk.desk(), "VARIANT: Translate the manual into German");
            Files.writeString(Path.of("target/golden-diff.json"), api.get("/api/runs/" + golden.conversationId() + "/diff?with=" + variant.conversationId()).response().body());
            assertThat(events).contains("auction");
        }
    }
}
