package io.troupe.models.langchain4j;

import java.net.URI;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.jspecify.annotations.Nullable;

/**
 * The JDK HTTP clients of one model's endpoint: its plain and streaming LangChain4j clients share one (one connection
 * pool, one selector thread), per connect timeout.
 *
 * <p>A JDK client sets up TLS when it is built: the default {@link SSLContext} reads the trust store, about 200 ms
 * of a process's start-up. An endpoint whose base URL is plain {@code http://} (a local server: Ollama, vLLM,
 * llama.cpp) never speaks TLS, since the clients call only its base URL and follow no redirects; its client gets
 * {@link #LAZY_TLS}, which sets up the default context only if it is ever used. Thread-safe.
 */
final class JdkClients {
    private final boolean plainHttp;
    private final Map<Optional<Duration>, java.net.http.HttpClient> byConnectTimeout = new HashMap<>();

    /** The clients of the endpoint at {@code baseUrl}. */
    JdkClients(String baseUrl) {
        this.plainHttp = isPlainHttp(baseUrl);
    }

    /** Builders of LangChain4j clients over this endpoint's JDK clients. */
    RetryAfterHttpClient.Builder builder() {
        return new RetryAfterHttpClient.Builder(this);
    }

    /** The JDK client with {@code connectTimeout} (none: the JDK's default), built on first use. */
    synchronized java.net.http.HttpClient get(@Nullable Duration connectTimeout) {
        return byConnectTimeout.computeIfAbsent(Optional.ofNullable(connectTimeout), timeout -> {
            java.net.http.HttpClient.Builder builder = java.net.http.HttpClient.newBuilder()
                    .executor(Runnable::run); // see RetryAfterHttpClient's class comment
            timeout.ifPresent(builder::connectTimeout);
            if (plainHttp) {
                builder.sslContext(LAZY_TLS).sslParameters(new SSLParameters());
            }
            return builder.build();
        });
    }

    static boolean isPlainHttp(String baseUrl) {
        try {
            String scheme = URI.create(baseUrl.strip()).getScheme();
            return scheme != null && scheme.toLowerCase(Locale.ROOT).equals("http");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The JDK's default TLS context, set up when first used rather than when a client is built. Its parameters are
     * the default ones: a client given {@code new SSLParameters()} leaves the engine's defaults (protocols, cipher
     * suites) as they are and sets host name verification itself.
     */
    static final SSLContext LAZY_TLS = new SSLContext(new LazyDefault(), null, "Default") {};

    private static final class LazyDefault extends SSLContextSpi {
        private static SSLContext context() {
            try {
                return SSLContext.getDefault();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("this JDK has no default TLS context", e);
            }
        }

        @Override
        protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random)
                throws KeyManagementException {
            throw new KeyManagementException("the default TLS context is initialized by the JDK");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return context().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return context().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return context().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return context().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return context().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return context().getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return context().getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return context().getSupportedSSLParameters();
        }
    }
}
