package io.github.spfhir.adapter.domain.gp;

import io.github.spfhir.adapter.domain.validation.Profiles;

/**
 * The coded entry of the message back to the GP: an Observation meeting {@link #PROFILE}, coded from
 * {@link #VALUE_SET}. The two SNOMED CT concepts are national (standards reference §1; sources in
 * {@code fhir-profiles/README.md}); nothing else is confirmed, so COMPLETED, CANCELLED and OUTCOME_RECORDED carry none.
 */
public final class CodedEntries {

    public static final String PROFILE = Profiles.BASE + "/StructureDefinition/SocialPrescribingCodedEntry";
    public static final String VALUE_SET = Profiles.BASE + "/ValueSet/sp-coded-entry-code";

    /** 871731000000106 |Referral to social prescribing service (procedure)|: the person accepts the referral. */
    public static final String SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING = Profiles.SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING;
    public static final String DISPLAY_REFERRAL_TO_SOCIAL_PRESCRIBING = "Referral to social prescribing service";
    /** 871711000000103 |Social prescribing declined (situation)|: the person declines the referral. */
    public static final String SNOMED_SOCIAL_PRESCRIBING_DECLINED = "871711000000103";
    public static final String DISPLAY_SOCIAL_PRESCRIBING_DECLINED = "Social prescribing declined";

    private CodedEntries() {
    }
}
