package io.troupe.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Map;

/**
 * The server's OpenAPI 3.1 description, {@code GET /openapi.json}: the server's own paths from {@code openapi.json}
 * beside this class, and the paths extensions describe. The {@code servers} entry is the address the client used.
 */
final class OpenApi {
    private final ObjectNode document;

    OpenApi() {
        try (InputStream in = OpenApi.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("openapi.json is missing from the server's jar");
            }
            document = (ObjectNode) Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("openapi.json cannot be read", e);
        }
    }

    /** Adds every path of the {@code {"paths": {...}}} document {@code resource} beside this class. */
    void addAll(String resource) {
        try (InputStream in = OpenApi.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the server's jar");
            }
            ((ObjectNode) Json.MAPPER.readTree(in).get("paths"))
                    .properties()
                    .forEach(path -> add(path.getKey(), (ObjectNode) path.getValue()));
        } catch (IOException e) {
            throw new IllegalStateException(resource + " cannot be read", e);
        }
    }

    synchronized void add(String path, ObjectNode pathItem) {
        ObjectNode paths = (ObjectNode) document.get("paths");
        if (paths.has(path)) {
            throw new IllegalArgumentException("the OpenAPI document describes " + path + " already");
        }
        paths.set(path, pathItem);
    }

    /** The described paths and their methods, in upper case: for tests that compare them with the routes. */
    synchronized Map<String, java.util.Set<String>> operations() {
        Map<String, java.util.Set<String>> operations = new java.util.TreeMap<>();
        for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> path :
                document.get("paths").properties()) {
            java.util.Set<String> methods = new java.util.TreeSet<>();
            for (Iterator<String> names = path.getValue().fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("parameters") && !name.equals("summary") && !name.equals("description")) {
                    methods.add(name.toUpperCase(java.util.Locale.ROOT));
                }
            }
            operations.put(path.getKey(), methods);
        }
        return operations;
    }

    void serve(Context ctx) {
        ObjectNode copy;
        synchronized (this) {
            copy = document.deepCopy();
        }
        ArrayNode servers = copy.putArray("servers");
        servers.addObject().put("url", RunRoutes.base(ctx));
        ctx.contentType("application/json").result(Json.write(copy));
    }
}
