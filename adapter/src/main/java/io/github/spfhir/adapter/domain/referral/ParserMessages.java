package io.github.spfhir.adapter.domain.referral;

import java.util.regex.Pattern;

/**
 * Parser errors quote the position, which a sender needs, and sometimes the offending text, which may be patient
 * data. This keeps the first and drops the second.
 */
final class ParserMessages {

    private static final Pattern QUOTED = Pattern.compile("(\"[^\"]{4,}\"|'[^']{4,}')");
    private static final int MAX_LENGTH = 500;

    private ParserMessages() {
    }

    static String withoutContent(String message) {
        if (message == null) {
            return "unreadable content";
        }
        String cleaned = QUOTED.matcher(message).replaceAll("[…]");
        return cleaned.length() > MAX_LENGTH ? cleaned.substring(0, MAX_LENGTH) + "…" : cleaned;
    }
}
