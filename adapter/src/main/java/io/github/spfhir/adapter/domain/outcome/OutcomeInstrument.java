package io.github.spfhir.adapter.domain.outcome;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.hl7.fhir.r4.model.Coding;

import io.github.spfhir.adapter.domain.validation.Profiles;

/**
 * The outcome measures we accept, one constant per instrument code that events carry in
 * {@code ReferralEvent.OutcomeMeasure.instrument}, with the Observation.code, the score's range and, for scales
 * whose items may be sent, their number and range.
 *
 * <p>Codes and ranges are from the project's standards reference ({@code ../shared/reference/standards.md} §2):
 * SNOMED CT for WEMWBS, SWEMWBS, EQ-5D-5L index and EQ-5D VAS (source: NHS Digital's MHSDS reference data and
 * the MII PROMs implementation guide); LOCAL codes ({@link OutcomeProfiles#MEASURES_CODE_SYSTEM}) for the ONS4
 * items and UCLA-3, whose national codes are UNCONFIRMED there. The profile
 * {@code SocialPrescribingOutcomeObservation} repeats each range as an invariant; a test keeps the two equal.
 */
public enum OutcomeInstrument {

    /** Warwick-Edinburgh Mental Well-being Scale: 14 items, each 1 to 5; total 14 to 70. */
    WEMWBS("wemwbs", Profiles.SNOMED_CT, "718426000", "Warwick-Edinburgh Mental Well-being Scale score",
            14, 70, true, 14, 1, 5),
    /** Short WEMWBS: 7 items, each 1 to 5; the RAW total 7 to 35 (the converted metric score is not accepted). */
    SWEMWBS("swemwbs", Profiles.SNOMED_CT, "718466001", "Short Warwick-Edinburgh Mental Well-being Scale score",
            7, 35, true, 7, 1, 5),
    /**
     * EQ-5D-5L index value, a decimal. The England value set's range is UNCONFIRMED, so the bounds are a
     * plausibility check of ours, not a published range: at most 1 (full health is 1 in every EQ-5D value set),
     * at least -1 (0 is dead, below 0 worse than dead; the one range our reference records, the German value
     * set's -0.661 to 1, lies inside). Items (the five dimension levels) are not accepted: the index is not
     * their sum but a value set's weighting of them.
     */
    EQ_5D_5L_INDEX("eq-5d-5l-index", Profiles.SNOMED_CT, "736534008", "EuroQol five dimension five level index value",
            new BigDecimal("-1"), BigDecimal.ONE, false, 0, null, null),
    /** EQ-5D visual analogue scale: 0 (worst imaginable health) to 100 (best), whole numbers. */
    EQ_5D_VAS("eq-5d-vas", Profiles.SNOMED_CT, "736535009", "EuroQol visual analogue score",
            0, 100, true, 0, null, null),
    /** ONS4 item: life satisfaction, 0 to 10. LOCAL code. */
    ONS4_LIFE_SATISFACTION("ons4-life-satisfaction", OutcomeProfiles.MEASURES_CODE_SYSTEM, "ons4-life-satisfaction",
            "ONS4 life satisfaction", 0, 10, true, 0, null, null),
    /** ONS4 item: things done in life are worthwhile, 0 to 10. LOCAL code. */
    ONS4_WORTHWHILE("ons4-worthwhile", OutcomeProfiles.MEASURES_CODE_SYSTEM, "ons4-worthwhile",
            "ONS4 worthwhile", 0, 10, true, 0, null, null),
    /** ONS4 item: happiness yesterday, 0 to 10. LOCAL code. */
    ONS4_HAPPY("ons4-happy", OutcomeProfiles.MEASURES_CODE_SYSTEM, "ons4-happy",
            "ONS4 happiness yesterday", 0, 10, true, 0, null, null),
    /** ONS4 item: anxiety yesterday, 0 to 10 (higher is worse). LOCAL code. */
    ONS4_ANXIOUS("ons4-anxious", OutcomeProfiles.MEASURES_CODE_SYSTEM, "ons4-anxious",
            "ONS4 anxiety yesterday", 0, 10, true, 0, null, null),
    /** UCLA 3-item loneliness scale (Hughes 2004): 3 items, each 1 to 3; total 3 to 9. LOCAL code. */
    UCLA_3("ucla-3", OutcomeProfiles.MEASURES_CODE_SYSTEM, "ucla-3",
            "UCLA 3-item loneliness scale score", 3, 9, true, 3, 1, 3);

    private final String code;
    private final String system;
    private final String observationCode;
    private final String display;
    private final BigDecimal min;
    private final BigDecimal max;
    private final boolean wholeNumbers;
    private final int itemCount;
    private final BigDecimal itemMin;
    private final BigDecimal itemMax;

    OutcomeInstrument(String code, String system, String observationCode, String display, int min, int max,
            boolean wholeNumbers, int itemCount, Integer itemMin, Integer itemMax) {
        this(code, system, observationCode, display, BigDecimal.valueOf(min), BigDecimal.valueOf(max), wholeNumbers,
                itemCount, itemMin == null ? null : BigDecimal.valueOf(itemMin), itemMax == null ? null : BigDecimal.valueOf(itemMax));
    }

    OutcomeInstrument(String code, String system, String observationCode, String display, BigDecimal min, BigDecimal max,
            boolean wholeNumbers, int itemCount, BigDecimal itemMin, BigDecimal itemMax) {
        this.code = code;
        this.system = system;
        this.observationCode = observationCode;
        this.display = display;
        this.min = min;
        this.max = max;
        this.wholeNumbers = wholeNumbers;
        this.itemCount = itemCount;
        this.itemMin = itemMin;
        this.itemMax = itemMax;
    }

    /** The instrument code events carry ({@code wemwbs}, {@code ons4-happy}, ...). */
    public String code() {
        return code;
    }

    /** Observation.code's system: SNOMED CT or our local code system. */
    public String system() {
        return system;
    }

    /** Observation.code's code. */
    public String observationCode() {
        return observationCode;
    }

    public String display() {
        return display;
    }

    /** A new Coding for Observation.code. */
    public Coding coding() {
        return new Coding(system, observationCode, display);
    }

    /** The lowest score allowed, inclusive. */
    public BigDecimal min() {
        return min;
    }

    /** The highest score allowed, inclusive. */
    public BigDecimal max() {
        return max;
    }

    /** True when the score is a whole number (valueInteger); false for a decimal score (valueQuantity). */
    public boolean wholeNumbers() {
        return wholeNumbers;
    }

    /** How many item answers must be sent when any are; 0 when the instrument takes none. */
    public int itemCount() {
        return itemCount;
    }

    public boolean acceptsItems() {
        return itemCount > 0;
    }

    /** The lowest item answer, inclusive; null when the instrument takes no items. Item answers are whole numbers. */
    public BigDecimal itemMin() {
        return itemMin;
    }

    /** The highest item answer, inclusive; null when the instrument takes no items. */
    public BigDecimal itemMax() {
        return itemMax;
    }

    /** The instrument with exactly this code (case-sensitive), or empty. */
    public static Optional<OutcomeInstrument> fromCode(String code) {
        return Arrays.stream(values()).filter(i -> i.code.equals(code)).findFirst();
    }

    /** Every accepted instrument code, in declaration order. */
    public static List<String> codes() {
        return Arrays.stream(values()).map(OutcomeInstrument::code).toList();
    }

    /** The score range as people read it, e.g. "14 to 70 (whole numbers)". */
    public String rangeText() {
        return min.toPlainString() + " to " + max.toPlainString() + (wholeNumbers ? " (whole numbers)" : " (decimal)");
    }
}
