package io.troupe.guard.pii;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretRecognizerTest {
    private final PiiDetector detector = PiiDetector.builder().build();

    private List<String> secrets(String text) {
        return detector.detect(text).stream()
                .filter(e -> e.type() == PiiType.SECRET)
                .map(PiiEntity::text)
                .toList();
    }

    @Test
    void findsKeysAndTokensByTheirIssuersFormat() {
        assertThat(secrets("aws AKIAIOSFODNN7EXAMPLE and sk-proj-abcdefghijklmnopqrstuvwx12 here"))
                .containsExactly("AKIAIOSFODNN7EXAMPLE", "sk-proj-abcdefghijklmnopqrstuvwx12");
        assertThat(secrets("token ghp_abcdefghijklmnopqrstuvwxyz0123456789 for the repo"))
                .containsExactly("ghp_abcdefghijklmnopqrstuvwxyz0123456789");
        assertThat(secrets("xoxb-1234567890-abcdefghij, sk_live_abcdefghijklmnop1234 and "
                        + "AIzaSyA-abcdefghijklmnopqrstuvwxyz01234"))
                .containsExactly(
                        "xoxb-1234567890-abcdefghij",
                        "sk_live_abcdefghijklmnop1234",
                        "AIzaSyA-abcdefghijklmnopqrstuvwxyz01234");
        assertThat(secrets("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlMTIz ok"))
                .containsExactly("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlMTIz");
    }

    @Test
    void findsPrivateKeyBlocksBearerTokensAndConnectionPasswords() {
        String key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7x\n-----END RSA PRIVATE KEY-----";
        assertThat(secrets("here: " + key + " done")).containsExactly(key);
        assertThat(secrets("Authorization: Bearer abcDEF123456ghiJKL789012"))
                .containsExactly("abcDEF123456ghiJKL789012");
        assertThat(secrets("url postgres://app:s3cr3tPass@db.internal:5432/orders"))
                .containsExactly("s3cr3tPass");
    }

    @Test
    void findsTheValueAfterALabel_whenItLooksLikeACredential() {
        assertThat(secrets("password: hunter22")).containsExactly("hunter22");
        assertThat(secrets("api_key=\"Zx81-kq_00aa\"")).containsExactly("Zx81-kq_00aa");
        assertThat(secrets("Das Passwort ist Sommer2024!")).containsExactly("Sommer2024!");
        assertThat(secrets("password=correcthorsebattery")).containsExactly("correcthorsebattery");
        assertThat(secrets("the password is automatically generated")).isEmpty();
    }

    @Test
    void leavesWordsPlaceholdersAndLookAlikesAlone() {
        assertThat(secrets("The password field is required. Password: ******** (hidden)"))
                .isEmpty();
        assertThat(secrets("token = ${GITHUB_TOKEN}, api_key: <your key>, secret: {{ vault.key }}"))
                .isEmpty();
        assertThat(secrets("Reset your password: click the link. The token is expired. The secret is out!"))
                .isEmpty();
        assertThat(secrets("we use sk-learn and the ask-price; AKIA is a prefix; bearer bonds"))
                .isEmpty();
        assertThat(secrets("see https://example.com/a:b@c and mailto:ann@example.com"))
                .isEmpty();
    }
}
