package io.github.spfhir.adapter.domain.dataplatform;

import java.util.Locale;

import io.github.spfhir.adapter.domain.validation.Profiles;

/**
 * Identifier systems and profile of the data-platform feed. All are LOCAL, under our canonical base
 * {@value Profiles#BASE}: no national system exists for an adapter's own record ids or for pseudonyms.
 */
public final class DataPlatformIds {

    /** Our record identifiers: {@code <base>/Id/<lowercase resource type>}, value = our resource id. */
    public static final String IDENTIFIER_SYSTEM_BASE = Profiles.BASE + "/Id/";

    /** The keyed pseudonym of an NHS number (HMAC-SHA256, lowercase hex). LOCAL. */
    public static final String NHS_NUMBER_PSEUDONYM_SYSTEM = IDENTIFIER_SYSTEM_BASE + "nhs-number-pseudonym";

    /** The pseudonymised Patient profile: what a Patient published pseudonymised must meet. */
    public static final String PSEUDONYMISED_PATIENT_PROFILE =
            Profiles.BASE + "/StructureDefinition/SocialPrescribingPseudonymisedPatient";

    /** HL7 security label "pseudonymized" (FHIR R4 core, CodeSystem v3-ObservationValue), on every pseudonymised resource. */
    public static final String SECURITY_LABEL_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
    public static final String SECURITY_LABEL_PSEUDONYMISED = "PSEUDED";
    public static final String SECURITY_LABEL_PSEUDONYMISED_DISPLAY = "pseudonymized";

    private DataPlatformIds() {
    }

    /** Our identifier system for a resource type, e.g. {@code https://spfhir.github.io/fhir/Id/servicerequest}. */
    public static String identifierSystem(String resourceType) {
        return IDENTIFIER_SYSTEM_BASE + resourceType.toLowerCase(Locale.ROOT);
    }

    /**
     * The system of a record's pseudonymised identifier, e.g. {@code https://spfhir.github.io/fhir/Id/patient-pseudonym}:
     * its value is the keyed pseudonym of our id, because our plain ids can be read back at our own FHIR API.
     */
    public static String pseudonymisedIdentifierSystem(String resourceType) {
        return identifierSystem(resourceType) + "-pseudonym";
    }
}
