package io.troupe.interop.mcp;

/**
 * The names agents use for MCP tools. MCP allows names Troupe does not ({@code files.read}, 128 characters): the
 * local name is the prefix and the MCP name with every character outside {@code [A-Za-z0-9_-]} replaced by
 * {@code _}, an {@code x} in front if it would not start with a letter, cut to 64 characters.
 */
final class ToolNames {
    private ToolNames() {}

    /** The name agents use for the tool {@code mcpName} of a server with {@code prefix}. */
    static String local(String prefix, String mcpName) {
        StringBuilder name = new StringBuilder(prefix.length() + mcpName.length() + 1);
        String joined = prefix + mcpName;
        for (int i = 0; i < joined.length(); i++) {
            char c = joined.charAt(i);
            boolean ok =
                    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
            name.append(ok ? c : '_');
        }
        if (name.isEmpty() || !Character.isLetter(name.charAt(0)) || name.charAt(0) > 'z') {
            name.insert(0, 'x');
        }
        return name.length() > 64 ? name.substring(0, 64) : name.toString();
    }
}
