package io.github.spfhir.adapter.domain.outcome;

import java.util.Arrays;
import java.util.Optional;

/**
 * When in the episode an outcome measure was taken: the codes of the LOCAL code system
 * {@link OutcomeProfiles#TIMING_CODE_SYSTEM}, carried by the extension {@link OutcomeProfiles#TIMING_EXTENSION}.
 */
public enum OutcomeTiming {

    BASELINE("baseline", "Baseline"),
    FOLLOW_UP("follow-up", "Follow-up");

    private final String code;
    private final String display;

    OutcomeTiming(String code, String display) {
        this.code = code;
        this.display = display;
    }

    /** The code as events carry it ({@code ReferralEvent.OutcomeMeasure.timing}) and as the extension's valueCode. */
    public String code() {
        return code;
    }

    public String display() {
        return display;
    }

    /** The timing with exactly this code (case-sensitive), or empty. */
    public static Optional<OutcomeTiming> fromCode(String code) {
        return Arrays.stream(values()).filter(t -> t.code.equals(code)).findFirst();
    }
}
