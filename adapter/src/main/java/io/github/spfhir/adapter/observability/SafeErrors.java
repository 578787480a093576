package io.github.spfhir.adapter.observability;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What went wrong, for the log, without what it was about: an exception's type and where it was thrown, for it and
 * each cause, but never its message (a parser's or database's message may quote the patient data it choked on).
 */
public final class SafeErrors {

    private static final int FRAMES_PER_EXCEPTION = 6;
    private static final int MAX_CAUSES = 5;

    private SafeErrors() {
    }

    /** e.g. {@code java.lang.IllegalStateException at a.B.c(B.java:12) < a.B.d(B.java:40); caused by ...} */
    public static String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        Throwable current = error;
        for (int depth = 0; current != null && depth < MAX_CAUSES && seen.put(current, Boolean.TRUE) == null;
                depth++) {
            if (depth > 0) {
                text.append("; caused by ");
            }
            text.append(current.getClass().getName());
            StackTraceElement[] frames = current.getStackTrace();
            for (int i = 0; i < Math.min(FRAMES_PER_EXCEPTION, frames.length); i++) {
                text.append(i == 0 ? " at " : " < ").append(frames[i]);
            }
            current = current.getCause();
        }
        return text.toString();
    }
}
