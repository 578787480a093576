package io.github.spfhir.adapter.domain.referral;

import java.util.regex.Pattern;

/**
 * Parser errors quote the position, which a sender needs, and sometimes the offending text, which may be patient
 * data. This keeps the first and drops the second.
 */
final class ParserMessages {

    private static final Pattern QUOTED = Pattern.compile("(\"[^\"]{4,}\"|'[^']{4,}')");
    /** HAPI names the element in {@code [element="birthDate"]}: a name, not a value, and the sender needs it. */
    private static final Pattern ELEMENT = Pattern.compile("\\[element=\"([A-Za-z0-9_.\\[\\]]+)\"\\]");
    private static final int MAX_LENGTH = 500;

    private ParserMessages() {
    }

    static String withoutContent(String message) {
        if (message == null) {
            return "unreadable content";
        }
        String withElementNames = ELEMENT.matcher(message).replaceAll("[element $1]");
        String cleaned = QUOTED.matcher(withElementNames).replaceAll("[…]");
        return cleaned.length() > MAX_LENGTH ? cleaned.substring(0, MAX_LENGTH) + "…" : cleaned;
    }
}
