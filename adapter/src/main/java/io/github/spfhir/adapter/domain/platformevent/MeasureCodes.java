package io.github.spfhir.adapter.domain.platformevent;

import java.util.List;

/**
 * Our codes for outcome measures as the canonical event carries them ({@code ReferralEvent.OutcomeMeasure}): what
 * an events mapping's {@code measure.instrument} and {@code measure.timing} value-maps may translate to. The
 * instrument codes are the ones {@code OutcomeInstrument} of the outcome-measure work defines (WEMWBS, SWEMWBS,
 * the four ONS4 items, UCLA-3, EQ-5D-5L index and VAS); they are our names for scales, not clinical codes.
 */
public final class MeasureCodes {

    public static final List<String> INSTRUMENTS = List.of(
            "wemwbs", "swemwbs",
            "ons4-life-satisfaction", "ons4-worthwhile", "ons4-happy", "ons4-anxious",
            "ucla-3",
            "eq-5d-5l-index", "eq-5d-vas");

    public static final String BASELINE = "baseline";
    public static final String FOLLOW_UP = "follow-up";
    public static final List<String> TIMINGS = List.of(BASELINE, FOLLOW_UP);

    private MeasureCodes() {
    }
}
