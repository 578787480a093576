package io.github.spfhir.adapter.domain.gp;

import io.github.spfhir.adapter.domain.referral.Referral.CodedValue;

/**
 * Whether a decline was the person's own decision, which is what SNOMED CT 871711000000103 "Social prescribing
 * declined" records. The platform's events mapping says so by mapping its reason to the SNOMED concept itself
 * ({@code http://snomed.info/sct|871711000000103}); any other reason (out of area, not eligible, service full) is
 * the service declining, sent back without a coded entry, so a practice record never says the person refused
 * when they did not.
 */
public final class DeclineReasons {

    public static final String SNOMED = "http://snomed.info/sct";
    public static final String PERSON_DECLINED = CodedEntries.SNOMED_SOCIAL_PRESCRIBING_DECLINED;

    private DeclineReasons() {
    }

    public static boolean isPersonDeclined(CodedValue reason) {
        return reason != null && SNOMED.equals(reason.system()) && PERSON_DECLINED.equals(reason.code());
    }
}
