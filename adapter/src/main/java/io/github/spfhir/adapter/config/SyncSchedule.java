package io.github.spfhir.adapter.config;

import java.time.Duration;
import java.util.Objects;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.scheduling.support.CronExpression;

/**
 * When a directory source syncs: every {@code period} (a duration, as {@code 6h} or {@code PT6H}), or at the times
 * of a {@code cron} expression in Spring's six-field form (second minute hour day-of-month month day-of-week, e.g.
 * {@code 0 30 2 * * *} at 02:30 every day, {@code 0 0 6-18/4 * * MON-FRI} every four hours from 06:00 to 18:00 on
 * weekdays; {@code ?}, {@code L}, {@code W}, {@code #} and names such as {@code @daily} as Spring's
 * {@link CronExpression} reads them), in the JVM's time zone. Exactly one of them is set. Bound from the text of
 * {@code adapter.directories.<id>.schedule} through {@link #valueOf(String)}.
 */
public record SyncSchedule(Duration period, String cron) {

    public SyncSchedule {
        if ((period == null) == (cron == null)) {
            throw new IllegalArgumentException("A schedule is a period or a cron expression");
        }
        if (period != null && (period.isZero() || period.isNegative())) {
            throw new IllegalArgumentException("A schedule's period must be more than zero");
        }
    }

    public static SyncSchedule every(Duration period) {
        return new SyncSchedule(Objects.requireNonNull(period, "period"), null);
    }

    /**
     * Reads a schedule: a duration ({@code 30m}, {@code 6h}, {@code PT6H}; a bare number is milliseconds), else a
     * six-field cron expression. Anything else is an {@link IllegalArgumentException} that says what is expected.
     */
    public static SyncSchedule valueOf(String text) {
        String value = text == null ? "" : text.trim();
        Duration period;
        try {
            period = DurationStyle.detectAndParse(value);
        } catch (IllegalArgumentException notADuration) {
            if (CronExpression.isValidExpression(value)) {
                return new SyncSchedule(null, value);
            }
            throw new IllegalArgumentException("A schedule must be a duration (e.g. 6h) or a cron expression of six"
                    + " fields, second minute hour day-of-month month day-of-week (e.g. 0 30 2 * * *)");
        }
        return every(period);
    }

    public boolean isCron() {
        return cron != null;
    }

    @Override
    public String toString() {
        return isCron() ? cron : period.toString();
    }
}
