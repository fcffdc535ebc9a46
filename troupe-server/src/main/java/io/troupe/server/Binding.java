package io.troupe.server;

import io.javalin.Javalin;
import io.troupe.api.ConfigurationException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/**
 * Where a server listens, and whether it may listen there without a token: on loopback it may; beyond loopback it
 * needs one, unless the operator allows an unauthenticated server on a private address (a pod network behind a
 * mesh that authenticates, say). A public address, or every interface, without a token is refused. {@link #listen}
 * starts the server there.
 */
final class Binding {
    private Binding() {}

    /** What kind of address {@code host} is. */
    enum Reach {
        LOOPBACK,
        PRIVATE,
        PUBLIC
    }

    static Reach reach(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new ConfigurationException("Cannot listen on '" + host + "': the name does not resolve; give an"
                    + " address such as 127.0.0.1 or 0.0.0.0");
        }
        Reach reach = Reach.LOOPBACK;
        for (InetAddress address : addresses) {
            if (address.isAnyLocalAddress()) {
                return Reach.PUBLIC; // every interface, public ones included
            }
            if (!address.isLoopbackAddress()) {
                boolean privateAddress =
                        address.isSiteLocalAddress() || address.isLinkLocalAddress() || isUniqueLocal(address);
                reach = privateAddress && reach != Reach.PUBLIC ? Reach.PRIVATE : Reach.PUBLIC;
            }
        }
        return reach;
    }

    private static boolean isUniqueLocal(InetAddress address) {
        byte[] bytes = address.getAddress();
        return bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc; // fc00::/7
    }

    /**
     * Checks that a server may listen on {@code host} with {@code token}.
     *
     * @throws ConfigurationException if it may not, saying how to fix it
     */
    static void check(String host, @Nullable String token, boolean allowUnauthenticated) {
        if (token != null) {
            String problem = BearerAuth.problem(token);
            if (problem != null) {
                throw new ConfigurationException("The API token cannot be used: " + problem);
            }
            return;
        }
        Reach reach = reach(host);
        if (reach == Reach.LOOPBACK || (reach == Reach.PRIVATE && allowUnauthenticated)) {
            return;
        }
        throw new ConfigurationException("Refusing to listen on " + host
                + (reach == Reach.PUBLIC ? " (a public address, or every interface)" : " (beyond loopback)")
                + " without a token: anyone who reaches it could run teams on your models and keys. Set"
                + " TROUPE_API_TOKEN or pass --token-file FILE (clients then send 'Authorization: Bearer <token>'),"
                + " or listen on 127.0.0.1"
                + (reach == Reach.PRIVATE ? ", or pass --allow-unauthenticated for a private network you trust" : ""));
    }

    /**
     * Starts {@code app}, which listens on {@code host}:{@code port}.
     *
     * @throws ConfigurationException if it cannot (the port is taken, say), with the cause and what to do
     */
    static void listen(Javalin app, String host, int port) {
        try {
            app.start();
        } catch (RuntimeException e) {
            throw new ConfigurationException("Cannot listen on " + host + ":" + port + ": " + rootMessage(e)
                    + ". Choose another port with --port, or stop what uses it");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return String.valueOf(cause.getMessage());
    }
}
