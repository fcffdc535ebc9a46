package io.troupe.guard.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Credentials: keys and tokens whose format names them (cloud and AI providers' API keys, source-hosting and chat
 * tokens, signed web tokens, private key blocks), a bearer token, the password of a connection URL, and the value
 * after a label such as {@code password:}, {@code api_key=} or "the password is" when it looks like one (no spaces,
 * six characters or more, with a digit or a symbol; not a placeholder such as {@code ****} or {@code ${VAR}}).
 */
final class SecretRecognizer implements Recognizer {
    /** Formats that name their issuer: a match is a credential whatever the words around it. */
    private static final Pattern KEYED = Pattern.compile("(?<![A-Za-z0-9_\\-])(?:"
            + "(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}" // AWS access key ids
            + "|gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}" // GitHub
            + "|glpat-[A-Za-z0-9_\\-]{20,}" // GitLab
            + "|sk-(?:proj-|svcacct-|admin-|ant-(?:api|admin)\\d\\d-)?[A-Za-z0-9_\\-]{20,}" // OpenAI, Anthropic
            + "|(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}" // Stripe
            + "|xox[abposr]-[A-Za-z0-9\\-]{10,}" // Slack
            + "|AIza[A-Za-z0-9_\\-]{35}" // Google API keys
            + "|hf_[A-Za-z0-9]{30,}" // Hugging Face
            + "|npm_[A-Za-z0-9]{36}" // npm
            + "|eyJ[A-Za-z0-9_\\-]{8,}\\.eyJ[A-Za-z0-9_\\-]{8,}\\.[A-Za-z0-9_\\-]{8,}" // JSON web tokens
            + ")(?![A-Za-z0-9_\\-])");

    private static final Pattern PRIVATE_KEY =
            Pattern.compile("-----BEGIN (?:[A-Z0-9]+ ){0,3}PRIVATE KEY-----[A-Za-z0-9+/=\\s:,\\-]{0,16384}?"
                    + "-----END (?:[A-Z0-9]+ ){0,3}PRIVATE KEY-----");
    private static final Pattern BEARER =
            Pattern.compile("(?i)(?<![\\p{L}])bearer\\s+([A-Za-z0-9\\-._~+/]{20,}=*)(?![A-Za-z0-9\\-._~+/=])");
    /** {@code scheme://user:password@host}: the password. */
    private static final Pattern URL_PASSWORD =
            Pattern.compile("(?i)\\b[a-z][a-z0-9+.\\-]{1,20}://[^\\s:/@]{1,64}:([^\\s:/@]{3,128})@[^\\s/]");

    private static final Pattern LABELLED = Pattern.compile(
            "(?i)(?<![\\p{L}_])(?:password|passwd|pwd|passphrase|pass ?code|secret(?:[_ \\-]?key)?|client[_ \\-]?secret"
                    + "|api[_ \\-]?key|access[_ \\-]?key|auth[_ \\-]?token|access[_ \\-]?token|token|kennwort|passwort"
                    + "|mot de passe|contrase[ñn]a)[\"']?\\s*(?:([:=])|\\b(?:is|ist|est|es)\\b)\\s*[\"']?([^\\s\"',;]{6,128}?)(?=[.:)]*(?:[\\s\"',;]|$))");
    private static final Set<String> NOT_A_SECRET = Set.of(
            "required",
            "optional",
            "none",
            "null",
            "undefined",
            "true",
            "false",
            "empty",
            "unknown",
            "changeme",
            "redacted",
            "hidden",
            "provided",
            "missing",
            "invalid",
            "expired",
            "incorrect",
            "wrong",
            "secret",
            "password",
            "example",
            "string",
            "xxxxxx");

    @Override
    public List<PiiEntity> find(String text) {
        List<PiiEntity> found = new ArrayList<>();
        add(found, KEYED.matcher(text), 0, 0.97);
        if (text.contains("PRIVATE KEY-----")) {
            add(found, PRIVATE_KEY.matcher(text), 0, 0.99);
        }
        add(found, BEARER.matcher(text), 1, 0.9);
        if (text.contains("://")) {
            add(found, URL_PASSWORD.matcher(text), 1, 0.99); // over the e-mail address "password@host" seems to be
        }
        Matcher labelled = LABELLED.matcher(text);
        while (labelled.find()) {
            String value = labelled.group(2);
            if (looksLikeASecret(value, labelled.group(1) != null)) {
                found.add(new PiiEntity(PiiType.SECRET, labelled.start(2), labelled.end(2), value, 0.85));
            }
        }
        return found;
    }

    private static void add(List<PiiEntity> found, Matcher m, int group, double confidence) {
        while (m.find()) {
            found.add(new PiiEntity(PiiType.SECRET, m.start(group), m.end(group), m.group(group), confidence));
        }
    }

    /**
     * Whether the value after a label reads as a credential rather than a word, a placeholder or a reference: with a
     * digit or a symbol, or, after a colon or an equals sign, twelve letters or more (after "is", a long word is a
     * word: "the password is automatically generated").
     */
    static boolean looksLikeASecret(String value, boolean assigned) {
        String core = value.replaceAll("[!?]+$", ""); // "Sommer2024!" is a password; "expired!" is a word
        String lower = core.toLowerCase(Locale.ROOT);
        if (NOT_A_SECRET.contains(lower)
                || value.chars().allMatch(c -> c == '*' || c == 'x' || c == 'X' || c == '.' || c == '•')
                || value.startsWith("${")
                || value.startsWith("{{")
                || value.startsWith("<")
                || value.startsWith("$")
                || value.startsWith("%")) {
            return false;
        }
        boolean digitOrSymbol = core.chars().anyMatch(c -> !Character.isLetter(c));
        return digitOrSymbol || (assigned && core.length() >= 12);
    }
}
