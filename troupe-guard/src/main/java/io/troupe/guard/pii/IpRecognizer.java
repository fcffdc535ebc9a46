package io.troupe.guard.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IP addresses: dotted-quad IPv4 with octets up to 255 (not a version number: "v1.2.3.4", "version 10.0.0.1"
 * are rejected), and IPv6 in full, compressed or IPv4-embedded form, validated group by group.
 */
final class IpRecognizer implements Recognizer {
    private static final String OCTET = "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern V4 = Pattern.compile(
            "(?<![\\p{L}\\p{N}._\\-])" + OCTET + "(?:\\." + OCTET + "){3}(?![\\p{L}\\p{N}_]|\\.\\d|-\\d)");
    private static final Pattern V6 = Pattern.compile("(?<![\\p{L}\\p{N}_:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:" + OCTET
            + "(?:\\." + OCTET + "){3}|[0-9A-Fa-f]{1,4})?(?![\\p{L}\\p{N}_:]|\\.\\d)");
    private static final Pattern VERSION_CUE = Pattern.compile(
            "(?iu)(?<![\\p{L}])(v|version|ver\\.?|release|build|firmware|sdk|api|release|rev\\.?|revision|update|patch|"
                    + "oid|isbn)\\s*:?\\s*$");
    private static final Pattern IP_CUE =
            Pattern.compile("(?iu)(ip|address|addr|host|server|client|gateway|dns|from|login|adresse|direcci[óo]n)");

    @Override
    public List<PiiEntity> find(String text) {
        List<PiiEntity> found = new ArrayList<>();
        if (text.indexOf('.') >= 0) {
            Matcher m = V4.matcher(text);
            while (m.find()) {
                if (Context.cueBefore(text, m.start(), 16, VERSION_CUE)) {
                    continue;
                }
                double confidence = Context.cueBefore(text, m.start(), 30, IP_CUE) ? 0.97 : 0.9;
                found.add(new PiiEntity(PiiType.IP_ADDRESS, m.start(), m.end(), m.group(), confidence));
            }
        }
        if (text.indexOf(':') >= 0) {
            Matcher m = V6.matcher(text);
            while (m.find()) {
                String candidate = m.group();
                if (validV6(candidate)) {
                    found.add(new PiiEntity(PiiType.IP_ADDRESS, m.start(), m.end(), candidate, 0.93));
                }
            }
        }
        return found;
    }

    /** Whether {@code s} is an IPv6 address that is unlikely to be a time, a MAC address or a C++ scope. */
    static boolean validV6(String s) {
        int doubleColon = s.indexOf("::");
        if (doubleColon != s.lastIndexOf("::") && doubleColon >= 0) {
            return false;
        }
        String body = s;
        int ipv4Groups = 0;
        int lastColon = s.lastIndexOf(':');
        if (s.indexOf('.') > lastColon) {
            body = s.substring(0, lastColon + 1) + "0:0";
            ipv4Groups = 2;
        }
        String[] parts = body.split(":", -1);
        int groups = 0;
        boolean hasDigit = false;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty()) {
                boolean edge = (i == 0 || i == parts.length - 1) && doubleColon >= 0;
                boolean inDouble = doubleColon >= 0;
                if (!edge && !inDouble) {
                    return false;
                }
                continue;
            }
            if (p.length() > 4) {
                return false;
            }
            groups++;
            hasDigit |= p.chars().anyMatch(Character::isDigit);
        }
        if (doubleColon < 0) {
            // Full form: eight groups, no empty ones. Times (12:30:45) and MAC addresses (six groups) fail here.
            return groups == 8 && !body.startsWith(":") && !body.endsWith(":");
        }
        if (s.startsWith(":") && !s.startsWith("::") || s.endsWith(":") && !s.endsWith("::")) {
            return false;
        }
        if (groups > 7) {
            return false;
        }
        // "::1", "fe80::1": compressed forms need a digit somewhere so that "std::cafe" is not an address.
        return (hasDigit || ipv4Groups > 0) && (groups >= 1 || s.equals("::"));
    }
}
