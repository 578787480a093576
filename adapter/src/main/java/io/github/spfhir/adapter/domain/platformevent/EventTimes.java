package io.github.spfhir.adapter.domain.platformevent;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads a platform's timestamps. Only an ISO-8601 date-time with a UTC offset ({@code Z} or {@code ±hh:mm}) is
 * an instant: a local time or a date alone cannot order late and out-of-order events across platforms and
 * clock changes, so they are refused with a message saying which it was.
 */
final class EventTimes {

    /** A timestamp read, or why it could not be (a message without the value). */
    record Parsed(Instant instant, String fault) {
    }

    private EventTimes() {
    }

    static Parsed parse(String text) {
        String value = text.trim();
        try {
            return new Parsed(OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant(), null);
        } catch (DateTimeParseException notOffset) {
            if (parses(value, DateTimeFormatter.ISO_LOCAL_DATE_TIME, LocalDateTime::from)) {
                return new Parsed(null, "has no UTC offset: send an ISO-8601 date-time with Z or ±hh:mm");
            }
            if (parses(value, DateTimeFormatter.ISO_LOCAL_DATE, LocalDate::from)) {
                return new Parsed(null, "is a date without a time: send an ISO-8601 date-time with a UTC offset");
            }
            return new Parsed(null, "is not an ISO-8601 date-time with a UTC offset (e.g. 2026-11-20T09:15:00Z)");
        }
    }

    private static boolean parses(String value, DateTimeFormatter format,
            java.time.temporal.TemporalQuery<?> query) {
        try {
            format.parse(value, query);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
