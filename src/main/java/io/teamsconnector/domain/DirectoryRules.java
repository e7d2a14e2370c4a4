package io.teamsconnector.domain;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What makes a directory user an expert, and how names and phone numbers are compared (BEHAVIOR.md,
 * Directory requirements). Plain Java.
 */
public final class DirectoryRules {

    /** {@code +} then 8 to 15 digits, the first not 0. */
    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{7,14}");
    /** What people write inside phone numbers and E.164 leaves out. */
    private static final Pattern PHONE_PUNCTUATION = Pattern.compile("[\\s\\-()\\[\\].]");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    /** A query that is only a phone number: digits, an optional leading +, and punctuation. */
    private static final Pattern PHONE_QUERY = Pattern.compile("\\+?[\\d\\s\\-()\\[\\].]+");

    private DirectoryRules() {
    }

    /** Lower case without accents: how names are stored for search and how queries are compared. */
    public static String fold(String text) {
        if (text == null) {
            return null;
        }
        String decomposed = Normalizer.normalize(text.trim(), Normalizer.Form.NFKD);
        return MARKS.matcher(decomposed).replaceAll("").toLowerCase(Locale.ROOT);
    }

    /** The number in E.164 once spaces, dashes, brackets and dots are removed; empty if it is not E.164. */
    public static Optional<String> e164(String phone) {
        if (phone == null) {
            return Optional.empty();
        }
        String compact = PHONE_PUNCTUATION.matcher(phone).replaceAll("");
        return E164.matcher(compact).matches() ? Optional.of(compact) : Optional.empty();
    }

    /** The E.164 numbers among {@code phones}, in order. */
    public static List<String> e164Phones(List<String> phones) {
        List<String> out = new ArrayList<>();
        if (phones != null) {
            for (String phone : phones) {
                e164(phone).filter(p -> !out.contains(p)).ifPresent(out::add);
            }
        }
        return out;
    }

    /** An expert: enabled (or not known to be disabled), with a job title, a department and an E.164 phone. */
    public static boolean isExpert(Boolean accountEnabled, String jobTitle, String department, List<String> phones) {
        return !Boolean.FALSE.equals(accountEnabled) && jobTitle != null && !jobTitle.isBlank()
                && department != null && !department.isBlank() && !e164Phones(phones).isEmpty();
    }

    /**
     * The E.164 number a query means when it is a full phone number (digits and punctuation only; the
     * leading {@code +} may be left out); empty when it is a name query.
     */
    public static Optional<String> phoneQuery(String query) {
        if (query == null || !PHONE_QUERY.matcher(query.trim()).matches()) {
            return Optional.empty();
        }
        String compact = PHONE_PUNCTUATION.matcher(query.trim()).replaceAll("");
        return e164(compact.startsWith("+") ? compact : "+" + compact);
    }
}
