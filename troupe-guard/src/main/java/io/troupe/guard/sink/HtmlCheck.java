package io.troupe.guard.sink;

import io.troupe.guard.internal.HtmlEntities;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Script injection in HTML that will be rendered: script-capable elements ({@code script}, {@code iframe},
 * {@code object}, {@code embed}, {@code base}, refresh {@code meta}…), event-handler attributes
 * ({@code onload=}, {@code onerror=}…), {@code javascript:}, {@code vbscript:} and {@code data:text/html} URLs in
 * link and source attributes (entity- and whitespace-obfuscated ones too), {@code srcdoc}, and CSS expressions.
 * Plain formatting ({@code <b>}, {@code <a href="https://…">}), comparison signs in text and attribute names that
 * merely start with "on" pass.
 */
public final class HtmlCheck implements SinkCheck {
    private static final Pattern TAG_NAME = Pattern.compile("<\\s*([a-zA-Z][\\w:-]{0,64})");
    /** How far a tag's attributes are read; longer tags are cut there. */
    private static final int MAX_TAG = 8192;

    private static final Pattern ATTRIBUTE =
            Pattern.compile("([^\\s\"'>/=]+)(?:\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+)))?");
    private static final Set<String> DANGEROUS_TAGS = Set.of(
            "script",
            "iframe",
            "frame",
            "frameset",
            "object",
            "embed",
            "applet",
            "base",
            "portal",
            "import",
            "xml",
            "xss");
    private static final Set<String> URL_ATTRIBUTES = Set.of(
            "href",
            "src",
            "action",
            "formaction",
            "xlink:href",
            "data",
            "poster",
            "background",
            "lowsrc",
            "dynsrc",
            "code",
            "codebase",
            "cite",
            "longdesc",
            "usemap",
            "ping",
            "manifest",
            "srcset",
            "to",
            "values",
            "from",
            "by");
    private static final Pattern EVENT = Pattern.compile(
            "on(?:load|unload|beforeunload|error|abort|click|dblclick|auxclick|contextmenu|mouse\\w*|key\\w*|focus\\w*|"
                    + "blur|change|submit|reset|select|input|invalid|toggle|animation\\w*|transition\\w*|pointer\\w*|"
                    + "touch\\w*|drag\\w*|drop|scroll\\w*|wheel|copy|cut|paste|begin|end|repeat|show|canplay\\w*|"
                    + "play\\w*|pause|ended|message|hashchange|pageshow|pagehide|popstate|resize|loadstart|loadend|"
                    + "progress|formdata|search|securitypolicyviolation|readystatechange|afterprint|beforeprint|"
                    + "storage|online|offline|volumechange|timeupdate|seek\\w*|waiting|stalled|suspend|emptied|"
                    + "durationchange|ratechange|cuechange|close|cancel|fullscreen\\w*|slotchange|beforeinput|"
                    + "beforetoggle|content\\w*|zoom|filterchange|start|finish|bounce|activate|deactivate|help|"
                    + "mozfullscreen\\w*|webkit\\w*)");
    private static final Pattern SCRIPT_URL = Pattern.compile(
            "^(?:javascript|vbscript|livescript|data\\s*:\\s*text/html|"
                    + "data\\s*:\\s*image/svg\\+xml|data\\s*:\\s*application/(?:x-)?(?:javascript|ecmascript|xhtml))",
            Pattern.CASE_INSENSITIVE);

    @Override
    public String sink() {
        return "html";
    }

    @Override
    public List<Violation> check(String html) {
        Map<String, Violation> found = new LinkedHashMap<>();
        for (Tag tag : tags(html)) {
            String name = tag.name();
            String attributes = tag.attributes();
            if (DANGEROUS_TAGS.contains(name)) {
                put(found, "html.script-element", "the HTML contains a <" + name + "> element");
            }
            if (name.equals("meta") && attributes.toLowerCase(Locale.ROOT).contains("refresh")) {
                put(found, "html.meta-refresh", "the HTML contains a <meta http-equiv=refresh> redirect");
            }
            if (name.equals("style")
                    && styleDanger(html.substring(tag.end(), Math.min(html.length(), tag.end() + 4000)))) {
                put(
                        found,
                        "html.css-script",
                        "a <style> block runs script (expression(), behavior or javascript: URLs)");
            }
            Matcher a = ATTRIBUTE.matcher(attributes);
            while (a.find()) {
                String attribute = a.group(1).toLowerCase(Locale.ROOT);
                String raw = a.group(2) != null ? a.group(2) : a.group(3) != null ? a.group(3) : a.group(4);
                boolean hasValue = raw != null;
                String value = hasValue ? HtmlEntities.decode(raw) : "";
                if (EVENT.matcher(attribute).matches() && hasValue) {
                    put(
                            found,
                            "html.event-handler",
                            "the element <" + name + "> has an event handler attribute " + attribute);
                }
                if (attribute.equals("srcdoc")) {
                    put(found, "html.srcdoc", "the element <" + name + "> embeds a document through srcdoc");
                }
                if (URL_ATTRIBUTES.contains(attribute)
                        && SCRIPT_URL.matcher(compact(value)).find()) {
                    put(
                            found,
                            "html.script-url",
                            "the attribute " + attribute + " of <" + name + "> holds a script URL");
                }
                if (attribute.equals("style") && styleDanger(value)) {
                    put(
                            found,
                            "html.css-script",
                            "a style attribute runs script (expression(), behavior or javascript: URLs)");
                }
            }
        }
        return List.copyOf(found.values());
    }

    /** A start tag: its lower-case name, its attribute text, and where it ends. */
    private record Tag(String name, String attributes, int end) {}

    /** The start tags of {@code html}, read by hand so that quoted '>' and very long tags cost linear time. */
    private static List<Tag> tags(String html) {
        List<Tag> tags = new ArrayList<>();
        Matcher name = TAG_NAME.matcher(html);
        int from = 0;
        while (from < html.length() && name.find(from)) {
            int i = name.end();
            int limit = Math.min(html.length(), i + MAX_TAG);
            char quote = 0;
            while (i < limit) {
                char c = html.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '>') {
                    break;
                } else if (c == '<') {
                    break; // an unclosed tag: the next one starts here
                }
                i++;
            }
            tags.add(new Tag(
                    name.group(1).toLowerCase(Locale.ROOT),
                    html.substring(name.end(), i),
                    Math.min(html.length(), i + 1)));
            from = Math.max(i, name.end());
        }
        return tags;
    }

    private static void put(Map<String, Violation> found, String code, String message) {
        found.putIfAbsent(code, new Violation(code, message));
    }

    private static boolean styleDanger(String css) {
        String c = compact(HtmlEntities.decode(css)).toLowerCase(Locale.ROOT).replace("\\", "");
        return c.contains("expression(")
                || c.contains("behavior:")
                || c.contains("-moz-binding")
                || c.contains("javascript:")
                || c.contains("vbscript:");
    }

    /** Without whitespace and control characters, which browsers ignore inside a URL scheme. */
    private static String compact(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c > 0x20) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
