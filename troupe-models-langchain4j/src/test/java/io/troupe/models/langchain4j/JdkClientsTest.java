package io.troupe.models.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;

class JdkClientsTest {

    @Test
    void oneEndpointsClientsShareOneJdkClientPerConnectTimeout() {
        JdkClients clients = new JdkClients("http://127.0.0.1:11434");

        assertThat(clients.get(Duration.ofSeconds(60))).isSameAs(clients.get(Duration.ofSeconds(60)));
        assertThat(clients.get(null)).isSameAs(clients.get(null));
        assertThat(clients.get(Duration.ofSeconds(5))).isNotSameAs(clients.get(Duration.ofSeconds(60)));
        assertThat(clients.get(Duration.ofSeconds(5)).connectTimeout()).contains(Duration.ofSeconds(5));
    }

    @Test
    void aPlainHttpEndpointSetsUpNoTlsWhileAnHttpsOneGetsTheDefaultContext() throws Exception {
        assertThat(new JdkClients("http://localhost:8000/v1").get(null).sslContext())
                .isSameAs(JdkClients.LAZY_TLS);
        assertThat(new JdkClients(" HTTP://LOCALHOST:8000/v1").get(null).sslContext())
                .isSameAs(JdkClients.LAZY_TLS);
        assertThat(new JdkClients("https://api.openai.com/v1").get(null).sslContext())
                .isSameAs(SSLContext.getDefault());
    }

    @Test
    void onlyAnHttpSchemeIsPlain() {
        assertThat(JdkClients.isPlainHttp("http://10.0.0.2:11434")).isTrue();
        assertThat(JdkClients.isPlainHttp("https://api.anthropic.com")).isFalse();
        assertThat(JdkClients.isPlainHttp("ftp://example.org")).isFalse();
        assertThat(JdkClients.isPlainHttp("not a url")).isFalse();
        assertThat(JdkClients.isPlainHttp("localhost:8000")).isFalse();
    }

    @Test
    void theLazyContextIsTheDefaultOneOnceUsed() throws Exception {
        SSLContext defaults = SSLContext.getDefault();

        SSLEngine engine = JdkClients.LAZY_TLS.createSSLEngine("example.org", 443);

        assertThat(engine.getPeerHost()).isEqualTo("example.org");
        assertThat(engine.getEnabledProtocols())
                .containsExactly(defaults.createSSLEngine().getEnabledProtocols());
        assertThat(JdkClients.LAZY_TLS.getDefaultSSLParameters().getProtocols())
                .containsExactly(defaults.getDefaultSSLParameters().getProtocols());
        assertThat(JdkClients.LAZY_TLS.getClientSessionContext()).isSameAs(defaults.getClientSessionContext());
    }
}
