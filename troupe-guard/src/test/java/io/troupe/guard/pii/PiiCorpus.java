package io.troupe.guard.pii;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A synthetic, labelled PII corpus, generated deterministically: carrier sentences in seven languages with values
 * of every type in varied formats, benign look-alikes (orders, dates, versions, ISBNs, tracking numbers, invalid
 * checksums) and hand-written hard cases. Gold spans are written inline as {@code [[TYPE:value]]}.
 */
final class PiiCorpus {
    /** One sample: the text and its gold entities. */
    record Sample(String text, List<Gold> gold) {}

    /** A gold entity. */
    record Gold(PiiType type, int start, int end) {}

    private static final Pattern MARK = Pattern.compile("\\[\\[([A-Z_]+):(.+?)]]");

    private final Random random;

    PiiCorpus(long seed) {
        this.random = new Random(seed);
    }

    /** Parses {@code [[TYPE:value]]} markup into a sample. */
    static Sample parse(String marked) {
        StringBuilder text = new StringBuilder();
        List<Gold> gold = new ArrayList<>();
        Matcher m = MARK.matcher(marked);
        int at = 0;
        while (m.find()) {
            text.append(marked, at, m.start());
            int start = text.length();
            text.append(m.group(2));
            gold.add(new Gold(PiiType.valueOf(m.group(1)), start, text.length()));
            at = m.end();
        }
        text.append(marked, at, marked.length());
        return new Sample(text.toString(), gold);
    }

    /** {@code perType} generated samples for each carrier kind, the look-alikes and the hand-written cases. */
    List<Sample> samples(int perType) {
        List<String> marked = new ArrayList<>();
        for (int i = 0; i < perType; i++) {
            marked.add(fill(pick(EMAIL_CARRIERS), "[[EMAIL:" + email() + "]]"));
            marked.add(fill(pick(PHONE_CARRIERS), "[[PHONE:" + phone() + "]]"));
            marked.add(fill(pick(CARD_CARRIERS), "[[CREDIT_CARD:" + card() + "]]"));
            marked.add(fill(pick(IBAN_CARRIERS), "[[IBAN:" + iban() + "]]"));
            marked.add(fill(pick(SSN_CARRIERS), "[[US_SSN:" + ssn() + "]]"));
            marked.add(fill(pick(IP_CARRIERS), "[[IP_ADDRESS:" + ip() + "]]"));
            marked.add(fill(pick(NAME_CARRIERS), "[[PERSON:" + personName() + "]]"));
            marked.add(fill(pick(ADDRESS_CARRIERS), "[[ADDRESS:" + address() + "]]"));
            marked.add(mixed());
            if (i % 2 == 0) {
                marked.add(harder());
            }
            marked.add(lookAlike());
            marked.add(lookAlike());
        }
        marked.addAll(HARD_CASES);
        return marked.stream().map(PiiCorpus::parse).toList();
    }

    private String fill(String carrier, String value) {
        return carrier.replace("{}", value);
    }

    /** Cases the rules are not built around: unlisted given names without cues, unusual address forms. */
    private String harder() {
        String unlisted = pick(new String[] {
            "Siobhan Kelleher",
            "Oluwaseun Adeyemi",
            "Thandiwe Nkosi",
            "Bartholomew Crane",
            "Dagny Halvorsen",
            "Esperanza Ruiz",
            "Ignacio Vidal",
            "Marguerite Fontaine",
            "Aleksandr Petrov",
            "Björn Lindqvist",
            "Keanu Kahale",
            "Nizhoni Begay"
        });
        return switch (random.nextInt(8)) {
            case 0 -> "[[PERSON:" + unlisted + "]] approved the budget yesterday.";
            case 1 -> "The report was reviewed by [[PERSON:" + unlisted + "]] and returned.";
            case 2 -> "Dear [[PERSON:" + unlisted + "]], welcome aboard.";
            case 3 -> "Signed by [[PERSON:" + unlisted.toLowerCase() + "]] on the last page.";
            case 4 -> "Deliver to [[ADDRESS:PO Box " + (100 + random.nextInt(900)) + ", Anchorage, AK 99501]].";
            case 5 -> "Ci vediamo in [[ADDRESS:via Garibaldi " + (1 + random.nextInt(99)) + "]] alle 8.";
            case 6 ->
                "The number is [[PHONE:" + (200 + random.nextInt(700)) + " " + (200 + random.nextInt(700)) + " "
                        + (1000 + random.nextInt(8999)) + "]], ask for Sam.";
            default -> "Text [[PHONE:07" + (100000000 + random.nextInt(899999999)) + "]] to confirm.";
        };
    }

    private String mixed() {
        return switch (random.nextInt(4)) {
            case 0 ->
                "Kunde [[PERSON:" + personName() + "]], Tel. [[PHONE:" + phone() + "]], E-Mail [[EMAIL:" + email()
                        + "]], IBAN [[IBAN:" + iban() + "]].";
            case 1 ->
                "Customer record: email=[[EMAIL:" + email() + "]]; ssn=[[US_SSN:" + ssn() + "]]; card "
                        + "[[CREDIT_CARD:" + card() + "]]; last login from [[IP_ADDRESS:" + ip() + "]].";
            case 2 ->
                "{\"name\": \"[[PERSON:" + personName() + "]]\", \"phone\": \"[[PHONE:" + phone()
                        + "]]\", \"iban\": \"[[IBAN:" + iban() + "]]\"}";
            default ->
                "Envoyez la facture à [[EMAIL:" + email() + "]] et livrez au [[ADDRESS:" + address()
                        + "]]; appelez le [[PHONE:" + phone() + "]] si besoin.";
        };
    }

    // ---- values ---------------------------------------------------------------------------------------------

    private static final String[] FIRST = {
        "anna", "john", "maria", "li", "jürgen", "chloé", "ahmed", "sofia", "kenji", "olga", "pierre", "lucía", "raj",
        "emma", "noah", "fatima", "lars", "giulia"
    };
    private static final String[] LAST = {
        "smith",
        "müller",
        "garcia",
        "rossi",
        "dubois",
        "kowalski",
        "tanaka",
        "nguyen",
        "okafor",
        "jensen",
        "silva",
        "ivanova",
        "o'neil",
        "van-dijk",
        "schmidt",
        "martin"
    };
    private static final String[] DOMAINS = {
        "example.com",
        "mail.example.org",
        "firma.de",
        "correo.es",
        "exemple.fr",
        "posta.it",
        "uni-heidelberg.de",
        "company.co.uk",
        "startup.io",
        "gmail.com",
        "outlook.com",
        "dept.gov.au",
        "müller-bau.de",
        "例え.jp"
    };
    private static final String[] GIVEN = {
        "James", "Maria", "Jürgen", "Chloé", "Ahmed", "Sofia", "Kenji", "Olga", "Pierre", "Lucía", "Raj", "Emma",
        "Noah", "Fatima", "Lars", "Giulia", "Priya", "Wei", "Sarah", "Thomas"
    };
    private static final String[] SURNAMES = {
        "Smith",
        "Müller",
        "García",
        "Rossi",
        "Dubois",
        "Kowalski",
        "Tanaka",
        "Nguyen",
        "Okafor",
        "Jensen",
        "Silva",
        "Ivanova",
        "O'Neil",
        "van Dijk",
        "Schmidt",
        "Martin",
        "Fernández",
        "Bianchi",
        "Lefèvre",
        "Andersson"
    };

    private String email() {
        String first = pick(FIRST);
        String last = pick(LAST);
        String local = switch (random.nextInt(6)) {
            case 0 -> first + "." + last;
            case 1 -> first.charAt(0) + last;
            case 2 -> first + "_" + last + random.nextInt(100);
            case 3 -> first + "+" + pick(new String[] {"news", "shop", "work"});
            case 4 -> last.toUpperCase() + "." + first;
            default -> first + random.nextInt(10000);
        };
        return local + "@" + pick(DOMAINS);
    }

    private String phone() {
        int a = 200 + random.nextInt(700);
        int b = 200 + random.nextInt(700);
        String four = String.format("%04d", random.nextInt(10000));
        return switch (random.nextInt(14)) {
            case 0 -> "+1 (" + a + ") " + b + "-" + four;
            case 1 -> "(" + a + ") " + b + "-" + four;
            case 2 -> a + "-" + b + "-" + four;
            case 3 -> a + "." + b + "." + four;
            case 4 -> "+44 20 " + (7000 + random.nextInt(3000)) + " " + four;
            case 5 -> "+49 30 " + (10000000 + random.nextInt(89999999));
            case 6 -> "+33 " + (1 + random.nextInt(9)) + " " + two() + " " + two() + " " + two() + " " + two();
            case 7 -> "0049 " + (151 + random.nextInt(30)) + " " + (1000000 + random.nextInt(8999999));
            case 8 ->
                "+34 " + (600 + random.nextInt(99)) + " " + (100 + random.nextInt(899)) + " "
                        + (100 + random.nextInt(899));
            case 9 -> "+39 06 " + (1000 + random.nextInt(8999)) + " " + four;
            case 10 -> "+81 3-" + (1000 + random.nextInt(8999)) + "-" + four;
            case 11 -> "+91 " + (90000 + random.nextInt(9999)) + " " + (10000 + random.nextInt(89999));
            case 12 -> "030 " + (1000000 + random.nextInt(8999999));
            default -> "06 " + two() + " " + two() + " " + two() + " " + two();
        };
    }

    private String two() {
        return String.format("%02d", random.nextInt(100));
    }

    private String card() {
        String[] prefixes = {"4", "4", "51", "55", "2221", "34", "37", "6011", "65", "3530", "36", "62"};
        String prefix = pick(prefixes);
        int length = switch (prefix) {
            case "34", "37" -> 15;
            case "36" -> 14;
            default -> 16;
        };
        StringBuilder digits = new StringBuilder(prefix);
        while (digits.length() < length - 1) {
            digits.append(random.nextInt(10));
        }
        for (int check = 0; check < 10; check++) {
            if (Checksums.luhn(digits.toString() + check)) {
                digits.append(check);
                break;
            }
        }
        String d = digits.toString();
        return switch (random.nextInt(3)) {
            case 0 -> d;
            case 1 ->
                length == 15 ? d.substring(0, 4) + " " + d.substring(4, 10) + " " + d.substring(10) : group(d, " ");
            default ->
                length == 15 ? d.substring(0, 4) + "-" + d.substring(4, 10) + "-" + d.substring(10) : group(d, "-");
        };
    }

    private static String group(String d, String separator) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < d.length(); i += 4) {
            if (i > 0) {
                out.append(separator);
            }
            out.append(d, i, Math.min(d.length(), i + 4));
        }
        return out.toString();
    }

    private String iban() {
        String[][] formats = {
            {"DE", "n18"},
            {"GB", "a4n14"},
            {"FR", "n23"},
            {"ES", "n20"},
            {"IT", "a1n22"},
            {"NL", "a4n10"},
            {"BE", "n12"},
            {"CH", "n17"},
            {"AT", "n16"},
            {"PL", "n24"},
            {"PT", "n21"},
            {"IE", "a4n14"},
            {"SE", "n20"},
            {"NO", "n11"},
            {"DK", "n14"}
        };
        String[] format = pick(formats);
        StringBuilder bban = new StringBuilder();
        Matcher m = Pattern.compile("([an])(\\d+)").matcher(format[1]);
        while (m.find()) {
            for (int i = 0; i < Integer.parseInt(m.group(2)); i++) {
                bban.append(
                        m.group(1).equals("a") ? (char) ('A' + random.nextInt(26)) : (char) ('0' + random.nextInt(10)));
            }
        }
        String iban = withCheckDigits(format[0], bban.toString());
        return random.nextBoolean() ? iban : group(iban, " ");
    }

    static String withCheckDigits(String country, String bban) {
        String rearranged = bban + country + "00";
        StringBuilder numeric = new StringBuilder();
        for (char c : rearranged.toCharArray()) {
            numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        int check = 98
                - new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue();
        return country + String.format("%02d", check) + bban;
    }

    private String ssn() {
        int area;
        do {
            area = 1 + random.nextInt(899);
        } while (area == 666);
        String s = String.format("%03d-%02d-%04d", area, 1 + random.nextInt(99), 1 + random.nextInt(9999));
        return s;
    }

    private String ip() {
        return switch (random.nextInt(5)) {
            case 0, 1 ->
                (1 + random.nextInt(223)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                        + (1 + random.nextInt(254));
            case 2 -> "2001:db8:" + hex() + ":" + hex() + "::" + hex();
            case 3 -> "fe80::" + hex() + ":" + hex() + ":" + hex() + ":" + hex();
            default -> "2001:0db8:" + hex4() + ":" + hex4() + ":" + hex4() + ":" + hex4() + ":" + hex4() + ":" + hex4();
        };
    }

    private String hex() {
        return Integer.toHexString(1 + random.nextInt(0xfffe));
    }

    private String hex4() {
        return String.format("%04x", random.nextInt(0x10000));
    }

    private String personName() {
        return pick(GIVEN) + " " + pick(SURNAMES);
    }

    private String address() {
        int n = 1 + random.nextInt(250);
        return switch (random.nextInt(6)) {
            case 0 ->
                n + " " + pick(new String[] {"Baker", "Oak", "Maple", "Elm", "High", "Church", "Park"}) + " "
                        + pick(new String[] {"Street", "Avenue", "Road", "Lane", "Drive", "St.", "Blvd"});
            case 1 ->
                n + " " + pick(new String[] {"Main", "Pine", "Cedar"}) + " Street, Springfield, IL "
                        + (60000 + random.nextInt(9999));
            case 2 ->
                pick(new String[] {"Haupt", "Bahnhof", "Goethe", "Schiller", "Linden"})
                        + pick(new String[] {"straße", "weg", "allee", "platz"}) + " " + n;
            case 3 ->
                n + " rue " + pick(new String[] {"de la Paix", "Victor Hugo", "du Faubourg Saint-Honoré", "des Lilas"});
            case 4 ->
                pick(new String[] {
                            "Calle Mayor",
                            "Via Roma",
                            "Rua Augusta",
                            "Avenida de la Constitución",
                            "Piazza Navona",
                            "Calle de Alcalá"
                        })
                        + " " + n;
            default -> pick(new String[] {"Keizersgracht", "Prinsengracht", "Damstraat", "Kalverstraat"}) + " " + n;
        };
    }

    // ---- carriers -------------------------------------------------------------------------------------------

    private static final String[] EMAIL_CARRIERS = {
        "Please send the signed contract to {} by Friday.",
        "Bitte schicken Sie die Unterlagen an {} zurück.",
        "Pour toute question, écrivez à {}.",
        "Puede contactarnos en {} en cualquier momento.",
        "Scrivimi a {} per i dettagli.",
        "Contact: {}",
        "Reply-To: <{}>",
        "mailto:{}",
        "Neem contact op via {} voor meer informatie.",
        "Envie um e-mail para {}, por favor.",
        "{} wrote: the meeting moved to 3pm.",
        "cc {}; bcc nobody",
    };
    private static final String[] PHONE_CARRIERS = {
        "You can reach me at {} after 6pm.",
        "Call {} to confirm your appointment.",
        "Tel.: {}",
        "Phone: {} (mobile)",
        "Rufen Sie uns an unter {}.",
        "Mein Handy: {}",
        "Appelez-moi au {} demain.",
        "Llámame al {} cuando puedas.",
        "Il mio numero di telefono è {}.",
        "Ligue para {} amanhã.",
        "Bel me op {} als je vragen hebt.",
        "WhatsApp: {}",
        "Our hotline {} is open 24/7.",
        "Contact number {} — ask for the front desk.",
    };
    private static final String[] CARD_CARRIERS = {
        "My card number is {}, expiry 04/27.",
        "Charge it to {} please.",
        "Kreditkarte: {}",
        "Numéro de carte : {}",
        "Tarjeta {} caduca el mes que viene.",
        "Visa {} was declined.",
        "{} is the card on file.",
        "payment_method: {}",
        "Pay with {} and keep the receipt.",
        "La carta {} è stata bloccata.",
    };
    private static final String[] IBAN_CARRIERS = {
        "Please transfer the deposit to {}.",
        "IBAN: {}",
        "Überweisen Sie den Betrag auf {} (Verwendungszweck: Miete).",
        "Virement sur le compte {} avant le 5.",
        "Mi IBAN es {}.",
        "Bonifico su {} entro fine mese.",
        "Account {} belongs to the landlord.",
        "Rekeningnummer {} staat op naam van de vereniging.",
    };
    private static final String[] SSN_CARRIERS = {
        "SSN: {}",
        "My social security number is {}.",
        "Employee SSN {} on the W-2 form.",
        "The applicant's SSN ({}) must be verified.",
        "{} is listed as the taxpayer's social security number.",
        "Social Security No. {}",
        "Please confirm SSN {} before filing.",
    };
    private static final String[] IP_CARRIERS = {
        "Login from {} blocked after five attempts.",
        "The server at {} is down.",
        "Connect to {} on port 22.",
        "Client IP: {}",
        "Die Anfrage kam von {}.",
        "Adresse IP {} bannie.",
        "ping {} -c 4",
        "Allowed hosts: {}, localhost",
    };
    private static final String[] NAME_CARRIERS = {
        "My name is {} and I need help with my order.",
        "Dear {},\nthank you for your message.",
        "Best regards,\n{}",
        "Patient: {}, age 54",
        "Ich heiße {} und wohne in Berlin.",
        "Je m'appelle {} et j'habite à Lyon.",
        "Me llamo {} y tengo una pregunta.",
        "Mi chiamo {}, piacere.",
        "Meeting with {} moved to Thursday.",
        "{} approved the budget yesterday.",
        "Hello {}, your package has shipped.",
        "Name: {}",
    };
    private static final String[] ADDRESS_CARRIERS = {
        "Ship it to {}.",
        "I live at {}.",
        "Lieferadresse: {}",
        "Adresse : {}",
        "Dirección: {}",
        "Our office moved to {} last year.",
        "Indirizzo: {}",
        "Bezorgadres: {}",
    };

    // ---- benign look-alikes: no PII at all ------------------------------------------------------------------

    private String lookAlike() {
        int kind = random.nextInt(22);
        return switch (kind) {
            case 0 -> "Order #" + (100000000 + random.nextInt(899999999)) + " has shipped.";
            case 1 -> "Invoice no. " + (2024000 + random.nextInt(9999)) + "-" + random.nextInt(100) + " is due.";
            case 2 -> "Meeting on " + (2020 + random.nextInt(6)) + "-" + two1() + "-" + two1() + " at 10:30.";
            case 3 -> "Released on " + two1() + "/" + two1() + "/" + (2000 + random.nextInt(26)) + ".";
            case 4 ->
                "Upgrade to version " + random.nextInt(20) + "." + random.nextInt(20) + "." + random.nextInt(99) + "."
                        + random.nextInt(9999) + " today.";
            case 5 ->
                "Requires v" + random.nextInt(5) + "." + random.nextInt(30) + "." + random.nextInt(10) + " or later.";
            case 6 ->
                "ISBN 978-" + random.nextInt(10) + "-" + (10 + random.nextInt(89)) + "-"
                        + (100000 + random.nextInt(899999)) + "-" + random.nextInt(10);
            case 7 ->
                "Tracking number 1Z" + (100 + random.nextInt(899)) + "AA1" + (10000000 + random.nextInt(89999999));
            case 8 ->
                "USPS tracking: 9400 " + (1000 + random.nextInt(8999)) + " " + (1000 + random.nextInt(8999))
                        + " " + (1000 + random.nextInt(8999)) + " " + (1000 + random.nextInt(8999)) + " "
                        + (10 + random.nextInt(89));
            case 9 -> "Total: $" + (1 + random.nextInt(9)) + "," + (100 + random.nextInt(899)) + "." + two1();
            case 10 -> "The build finished at 12:" + two1() + ":" + two1() + " with 0 errors.";
            case 11 -> "Device MAC 00:1A:2B:" + hexByte() + ":" + hexByte() + ":" + hexByte();
            case 12 -> "Reference number " + badLuhn16() + " for your records.";
            case 13 -> "Coordinates: 48." + (1000 + random.nextInt(8999)) + ", 2." + (1000 + random.nextInt(8999));
            case 14 -> "SKU 555-" + (1000 + random.nextInt(8999)) + " is out of stock.";
            case 15 ->
                "Account DE00 " + (1000 + random.nextInt(8999)) + " " + (1000 + random.nextInt(8999))
                        + " 0000 0000 00 is a test value with a wrong checksum.";
            case 16 ->
                pick(new String[] {"666", "000", "912", "987"}) + "-" + two1() + "-" + (1000 + random.nextInt(8999))
                        + " is not a valid SSN.";
            case 17 -> "Commit " + Long.toHexString(random.nextLong()) + " fixed the build.";
            case 18 -> "Pi is about 3.14159 and e is 2.71828.";
            case 19 -> "Windows 10.0." + (19000 + random.nextInt(3000)) + "." + random.nextInt(2000) + " is installed.";
            case 20 -> "Call std::vector<int>::size() to get the count.";
            default ->
                "Ticket " + (1000 + random.nextInt(8999)) + "-" + (1000 + random.nextInt(8999)) + "-"
                        + (1000 + random.nextInt(8999)) + "-" + (1000 + random.nextInt(8999)) + " was closed.";
        };
    }

    private String two1() {
        return String.format("%02d", 1 + random.nextInt(12));
    }

    private String hexByte() {
        return String.format("%02X", random.nextInt(256));
    }

    private String badLuhn16() {
        while (true) {
            StringBuilder d = new StringBuilder("4");
            while (d.length() < 16) {
                d.append(random.nextInt(10));
            }
            if (!Checksums.luhn(d)) {
                return d.toString();
            }
        }
    }

    private <T> T pick(T[] options) {
        return options[random.nextInt(options.length)];
    }

    /** Hand-written hard cases and look-alikes. */
    static final List<String> HARD_CASES = List.of(
            "Write to [[EMAIL:first.last+tag@sub.example.co.uk]] or [[EMAIL:ÉLODIE.dupont@exemple.fr]].",
            "Email me at [[EMAIL:jane_doe99@example.com]].",
            "Not an email: user@localhost, @handle, a@b, foo@bar.",
            "Contact: [[EMAIL:jane [at] example [dot] com]]",
            "Card [[CREDIT_CARD:4111 1111 1111 1111]] and amex [[CREDIT_CARD:3782 822463 10005]].",
            "Test card [[CREDIT_CARD:5555555555554444]] was approved.",
            "4111 1111 1111 1112 fails the Luhn check and is not a card.",
            "Order number 4111111111111111 for the test shop.",
            "Tracking number 1234 5678 9012 3452 is with the courier.",
            "ISBN-13: 978-0-306-40615-7 and ISBN 0-306-40615-2.",
            "IBAN [[IBAN:GB82 WEST 1234 5698 7654 32]] (UK) and [[IBAN:DE89370400440532013000]] (DE).",
            "Bad IBAN: GB82 WEST 1234 5698 7654 33 (checksum off by one).",
            "Bad IBAN length: DE8937040044053201300 is one short.",
            "[[IBAN:NL91ABNA0417164300]] is the club's account.",
            "SSN [[US_SSN:078-05-1121]] vs. invalid 000-12-3456, 666-45-6789 and 901-23-4567.",
            "Her SSN is [[US_SSN:219 09 9999]].",
            "SSN: [[US_SSN:536225118]]",
            "Phone 123-45-6789? No: that is a part number.",
            "Server [[IP_ADDRESS:192.168.1.20]] and [[IP_ADDRESS:2001:db8::8a2e:370:7334]] and [[IP_ADDRESS:::1]].",
            "Version 1.2.3.4 and v10.0.0.1 are releases, not addresses; 256.1.1.1 is not an IP.",
            "The meeting is at 10:30:15 and the MAC is 3C:22:FB:11:22:33.",
            "Call [[PHONE:+1 (415) 555-0132]] or text [[PHONE:+44 7700 900123]].",
            "Appelez le [[PHONE:+33 1 42 68 53 00]] ou le [[PHONE:01 42 68 53 00]].",
            "Telefon: [[PHONE:+49 (0)30 901820]]",
            "Ring [[PHONE:020 7946 0958]] for the London office.",
            "Dates 2024-05-17, 17.05.2024 and 05/17/2024 are not phone numbers.",
            "Price 1.299,00 EUR, quantity 12, order 2024-000123.",
            "Dr. [[PERSON:Amelia Watson]] will see you now.",
            "Frau [[PERSON:Schneider]] hat angerufen.",
            "Sincerely,\n[[PERSON:Robert Jones]]",
            "Dear Customer, your order is ready.",
            "Hello World is the first program.",
            "Best Practices for Java (2024 edition).",
            "[[PERSON:Maria García]] and [[PERSON:Thomas Müller]] will attend.",
            "Visit us at [[ADDRESS:221B Baker Street, London NW1 6XE]].",
            "Send mail to [[ADDRESS:1600 Pennsylvania Avenue, Washington, DC 20500]].",
            "Wir wohnen in der [[ADDRESS:Goethestraße 12, 10115 Berlin]].",
            "Rendez-vous au [[ADDRESS:8 rue de Rivoli, 75004 Paris]].",
            "Oficina: [[ADDRESS:Calle de Alcalá 45, 28014 Madrid]].",
            "Street names like Main Street or Baker Street alone are not addresses.",
            "Chapter 12 Road Safety covers 3 Avenues of approach.",
            "Hash sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 is fine.",
            "{\"user\":{\"email\":\"[[EMAIL:ops@example.net]]\",\"ip\":\"[[IP_ADDRESS:10.0.0.12]]\"}}",
            "Das Konto [[IBAN:AT61 1904 3002 3457 3201]] gehört Herrn [[PERSON:Peter Huber]].",
            "Für Rückfragen: [[PHONE:+43 1 58858 0]] oder [[EMAIL:office@beispiel.at]].",
            "Numéro de commande 12345678901 et colis 6A12345678901.",
            "FedEx 7489 1234 5678 arrived; DHL JD014600006540837812 too.",
            "The year 1999 and the range 200-300 are not numbers to hide.");
}
