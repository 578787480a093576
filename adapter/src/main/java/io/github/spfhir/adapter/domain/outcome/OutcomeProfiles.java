package io.github.spfhir.adapter.domain.outcome;

import io.github.spfhir.adapter.domain.validation.Profiles;

/**
 * Canonical URLs and systems of the outcome-measure artefacts in {@code fhir-profiles/} (kept here, not in the
 * shared {@link Profiles}, so that parallel work does not collide). Sources and reasons: docs/outcome-measures.md.
 */
public final class OutcomeProfiles {

    /** Profile of every outcome-measure Observation we emit. */
    public static final String OBSERVATION = Profiles.OUTCOME_OBSERVATION;

    /** LOCAL code system of the ONS4 items and UCLA-3, whose national codes are UNCONFIRMED. */
    public static final String MEASURES_CODE_SYSTEM = Profiles.BASE + "/CodeSystem/sp-outcome-measures";
    /** Every allowed Observation.code: four SNOMED CT concepts and all of {@link #MEASURES_CODE_SYSTEM}. */
    public static final String MEASURES_VALUE_SET = Profiles.BASE + "/ValueSet/sp-outcome-measures";

    /** LOCAL extension on Observation: baseline or follow-up (valueCode from {@link #TIMING_VALUE_SET}). */
    public static final String TIMING_EXTENSION = Profiles.BASE + "/StructureDefinition/outcome-measure-timing";
    /** LOCAL code system of {@link OutcomeTiming}'s codes. */
    public static final String TIMING_CODE_SYSTEM = Profiles.BASE + "/CodeSystem/sp-outcome-measure-timing";
    public static final String TIMING_VALUE_SET = Profiles.BASE + "/ValueSet/sp-outcome-measure-timing";

    /**
     * Identifier system of a platform's event ids, followed by the platform's id (as the directory identifier
     * systems are): {@code Observation.identifier} is the event that recorded it, so a data platform can upsert
     * the Observation by identifier.
     */
    public static final String PLATFORM_EVENT_IDENTIFIER_BASE = Profiles.BASE + "/Id/platform-event/";

    /** FHIR's observation-category code system; outcome measures are {@code survey}. */
    public static final String OBSERVATION_CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category";
    public static final String CATEGORY_SURVEY = "survey";
    public static final String CATEGORY_SURVEY_DISPLAY = "Survey";

    /** UCUM, and its unit for a unitless score, for valueQuantity. */
    public static final String UCUM = "http://unitsofmeasure.org";
    public static final String UCUM_SCORE = "{score}";

    private OutcomeProfiles() {
    }

    /** The identifier system of the events of one platform (a configured destination id). */
    public static String platformEventIdentifierSystem(String platformId) {
        return PLATFORM_EVENT_IDENTIFIER_BASE + platformId;
    }
}
