package io.github.spfhir.adapter.domain.validation;

/**
 * Canonical URLs of what we publish in {@code fhir-profiles/}. The base {@value #BASE} is this project's own:
 * nothing here claims to be an NHS England or HL7 UK artefact.
 */
public final class Profiles {

    public static final String BASE = "https://spfhir.github.io/fhir";

    public static final String SERVICE_REQUEST = BASE + "/StructureDefinition/SocialPrescribingServiceRequest";
    public static final String TASK = BASE + "/StructureDefinition/SocialPrescribingTask";
    public static final String PATIENT = BASE + "/StructureDefinition/SocialPrescribingPatient";

    private Profiles() {
    }
}
