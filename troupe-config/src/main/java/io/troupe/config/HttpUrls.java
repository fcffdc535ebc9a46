package io.troupe.config;

import java.net.URI;
import java.net.URISyntaxException;
import org.jspecify.annotations.Nullable;

/** The check of a URL that a spec gives for a server: http or https, with a host and, if any, a port that exists. */
final class HttpUrls {
    private HttpUrls() {}

    /** What is wrong with {@code url} as a server's address ("is not an http or https URL", say), or null. */
    static @Nullable String problem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not an http or https URL";
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            return "is not an http or https URL";
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            return "has port " + uri.getPort() + ", which no server can listen on (ports are 1 to 65535)";
        }
        return null;
    }
}
