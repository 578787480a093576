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
    /** A link worker's referral on to a community service, based on the social prescribing ServiceRequest. */
    public static final String ONWARD_REFERRAL = BASE + "/StructureDefinition/SocialPrescribingOnwardReferral";
    /** An outcome measure (WEMWBS, SWEMWBS, ONS4, UCLA-3, EQ-5D-5L) as an Observation. */
    public static final String OUTCOME_OBSERVATION = BASE + "/StructureDefinition/SocialPrescribingOutcomeObservation";
    /** A community service from a directory (ORUK, DEWIS) as a HealthcareService. */
    public static final String HEALTHCARE_SERVICE = BASE + "/StructureDefinition/SocialPrescribingHealthcareService";

    /** LOCAL code system of the social prescribing stages, for Task.businessStatus (see {@link BusinessStatus}). */
    public static final String BUSINESS_STATUS_CODE_SYSTEM = BASE + "/CodeSystem/sp-referral-business-status";
    /** All of {@link #BUSINESS_STATUS_CODE_SYSTEM}; Task.businessStatus is bound to it (required). */
    public static final String BUSINESS_STATUS_VALUE_SET = BASE + "/ValueSet/sp-referral-business-status";

    // National systems and codes the profiles pin (sources in fhir-profiles/README.md).

    public static final String SNOMED_CT = "http://snomed.info/sct";
    /** SNOMED CT 871731000000106 |Referral to social prescribing service (procedure)|: ServiceRequest.code. */
    public static final String SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING = "871731000000106";
    public static final String NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";
    /** BaRS ServiceRequest message category code system; our ServiceRequest carries its {@code referral} code. */
    public static final String BARS_SERVICE_REQUEST_CATEGORY_SYSTEM = "https://fhir.nhs.uk/CodeSystem/message-category-servicerequest";
    public static final String BARS_CATEGORY_REFERRAL = "referral";
    /** FHIR task-code: Task.code is {@code fulfill}. */
    public static final String TASK_CODE_SYSTEM = "http://hl7.org/fhir/CodeSystem/task-code";
    public static final String TASK_CODE_FULFILL = "fulfill";

    /** The codes of {@link #BUSINESS_STATUS_CODE_SYSTEM} (LOCAL: no national codes exist for these stages). */
    public static final class BusinessStatus {
        public static final String CONTACT_ATTEMPTED = "contact-attempted";
        public static final String CONTACTED = "contacted";
        public static final String FIRST_APPOINTMENT_BOOKED = "first-appointment-booked";
        public static final String APPOINTMENT_ATTENDED = "appointment-attended";
        public static final String DID_NOT_ATTEND = "did-not-attend";
        public static final String CONNECTED_TO_SERVICE = "connected-to-service";
        public static final String DISCHARGED = "discharged";

        private BusinessStatus() {
        }
    }

    private Profiles() {
    }
}
