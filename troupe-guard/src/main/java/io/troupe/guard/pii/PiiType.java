package io.troupe.guard.pii;

/** A kind of personal data; its name is the label of its placeholders ({@code <EMAIL_1>}) and of scan output. */
public enum PiiType {
    /** An e-mail address. */
    EMAIL,
    /** A phone number, national or international. */
    PHONE,
    /** A payment card number (13–19 digits, Luhn-checked, with a known issuer prefix). */
    CREDIT_CARD,
    /** An International Bank Account Number (per-country length, mod-97 checksum). */
    IBAN,
    /** A US Social Security Number (with the invalid-area rules). */
    US_SSN,
    /** An IPv4 or IPv6 address. */
    IP_ADDRESS,
    /** A person's name (rules: titles, cue phrases and a first-name list; lower recall). */
    PERSON,
    /** A street address (rules: a number and a street-type word in several languages; lower recall). */
    ADDRESS,
    /**
     * A credential: an API key or token in its issuer's format, a private key block, a bearer token, a connection
     * URL's password, or the value after a label such as {@code password:}.
     */
    SECRET;

    /** Whether values of this type carry a checksum or a strict format, so that detection is precise. */
    public boolean validated() {
        return this == CREDIT_CARD
                || this == IBAN
                || this == US_SSN
                || this == EMAIL
                || this == IP_ADDRESS
                || this == SECRET;
    }
}
