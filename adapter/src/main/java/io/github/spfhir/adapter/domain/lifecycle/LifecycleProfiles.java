package io.github.spfhir.adapter.domain.lifecycle;

import io.github.spfhir.adapter.domain.validation.Profiles;

/**
 * What the referral lifecycle publishes and writes beyond {@link Profiles}: kept here rather than in the shared
 * {@code Profiles} class. The texts are text only, never codes: no national code is confirmed for them
 * ({@code shared/reference/standards.md}), and we do not invent one.
 */
public final class LifecycleProfiles {

    /** A link worker's referral of the person on to a community service (fhir-profiles/StructureDefinition). */
    public static final String ONWARD_REFERRAL = Profiles.ONWARD_REFERRAL;

    /** The onward referral's ServiceRequest.code, as text: no SNOMED concept for it is confirmed. */
    public static final String ONWARD_REFERRAL_CODE_TEXT = "Referral to community service";

    /** Task.output.type texts, by what the output references. */
    public static final String OUTPUT_ONWARD_REFERRAL = "Onward referral";
    public static final String OUTPUT_OUTCOME_MEASURE = "Outcome measure";
    public static final String OUTPUT_OUTCOME_ANSWERS = "Outcome measure answers";
    public static final String OUTPUT_OTHER = "Referral event output";

    private LifecycleProfiles() {
    }
}
