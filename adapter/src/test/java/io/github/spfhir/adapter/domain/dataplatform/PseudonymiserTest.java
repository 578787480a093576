package io.github.spfhir.adapter.domain.dataplatform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.domain.validation.Profiles;

class PseudonymiserTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    /** The example key of fhir-profiles/examples/sp-pseudonymised-patient.json (32 bytes). */
    private static final byte[] EXAMPLE_KEY = "example-key-not-for-production!!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OTHER_KEY = "another-key-not-for-production!!".getBytes(StandardCharsets.US_ASCII);
    private static FhirProfileValidator validator;

    private final Pseudonymiser pseudonymiser = new Pseudonymiser(EXAMPLE_KEY);

    @BeforeAll
    static void buildValidatorOnce() {
        validator = new FhirProfileValidator(FHIR);
    }

    /**
     * Known answers computed outside Java, with Python's standard library:
     * {@code hmac.new(key, b"9434765919", hashlib.sha256).hexdigest()} (and {@code b"Patient/example-sp-patient"}).
     */
    @Test
    void thePseudonymIsHmacSha256OfTheValueUnderTheKeyInLowercaseHex() {
        assertThat(pseudonymiser.nhsNumberPseudonym("9434765919"))
                .isEqualTo("f487eb88725a10a7bda386f3f9671b8e90775cfb60a18be50f500d8431a64479");
        assertThat(pseudonymiser.recordPseudonym("Patient", "example-sp-patient"))
                .isEqualTo("aab5c4ed749c16f3dd254473f48b183661e9ad2bc92aadc65d5ddafed49b253b");
    }

    @Test
    void theSameKeyGivesTheSamePseudonymAndAnotherKeyAnother() {
        String withKey = pseudonymiser.nhsNumberPseudonym("9434765919");

        assertThat(new Pseudonymiser(EXAMPLE_KEY.clone()).nhsNumberPseudonym("9434765919")).isEqualTo(withKey);
        assertThat(new Pseudonymiser(OTHER_KEY).nhsNumberPseudonym("9434765919")).isNotEqualTo(withKey).hasSize(64);
        assertThat(pseudonymiser.nhsNumberPseudonym("9434765920")).isNotEqualTo(withKey);
    }

    @Test
    void spacesInAnNhsNumberDoNotChangeItsPseudonym() {
        assertThat(pseudonymiser.nhsNumberPseudonym("943 476 5919")).isEqualTo(pseudonymiser.nhsNumberPseudonym("9434765919"));
    }

    @Test
    void theKeyIsCopiedAndMustBeLongEnough() {
        byte[] key = EXAMPLE_KEY.clone();
        Pseudonymiser keyed = new Pseudonymiser(key);
        Arrays.fill(key, (byte) 0);

        assertThat(keyed.nhsNumberPseudonym("9434765919")).isEqualTo(pseudonymiser.nhsNumberPseudonym("9434765919"));
        assertThatThrownBy(() -> new Pseudonymiser(new byte[31])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
    }

    @Test
    void aPatientLosesItsIdentityAndMeetsThePseudonymisedProfile() {
        Patient patient = identifiedPatient();

        Patient pseudonymised = pseudonymiser.pseudonymise(patient);

        assertThat(pseudonymised.getIdentifier()).singleElement().satisfies(identifier -> {
            assertThat(identifier.getSystem()).isEqualTo(DataPlatformIds.NHS_NUMBER_PSEUDONYM_SYSTEM);
            assertThat(identifier.getValue()).isEqualTo(pseudonymiser.nhsNumberPseudonym("9434765919"));
        });
        assertThat(pseudonymised.hasName()).isFalse();
        assertThat(pseudonymised.hasTelecom()).isFalse();
        assertThat(pseudonymised.hasAddress()).isFalse();
        assertThat(pseudonymised.hasPhoto()).isFalse();
        assertThat(pseudonymised.hasContact()).isFalse();
        assertThat(pseudonymised.hasLink()).isFalse();
        assertThat(pseudonymised.hasText()).isFalse();
        assertThat(pseudonymised.getBirthDateElement().getValueAsString()).isEqualTo("1958");
        assertThat(pseudonymised.getDeceasedDateTimeType().getValueAsString()).isEqualTo("2026");
        assertThat(pseudonymised.getGender()).isEqualTo(patient.getGender());
        assertThat(pseudonymised.getMeta().getProfile()).extracting(p -> p.getValue())
                .containsExactly(DataPlatformIds.PSEUDONYMISED_PATIENT_PROFILE);
        assertThat(pseudonymised.getMeta().getSecurity()).singleElement().satisfies(label -> {
            assertThat(label.getSystem()).isEqualTo("http://terminology.hl7.org/CodeSystem/v3-ObservationValue");
            assertThat(label.getCode()).isEqualTo("PSEUDED");
        });
        assertThat(validator.validate(pseudonymised).errors()).isEmpty();
        assertThat(FHIR.newJsonParser().encodeResourceToString(pseudonymised))
                .doesNotContain("9434765919", "Fictional", "Ada", "LOCAL-123", "07700 900123", "1958-03-14", "Jo Contact");
    }

    @Test
    void theInputIsNotChanged() {
        Patient patient = identifiedPatient();
        String before = FHIR.newJsonParser().encodeResourceToString(patient);

        pseudonymiser.pseudonymise(patient);

        assertThat(FHIR.newJsonParser().encodeResourceToString(patient)).isEqualTo(before);
    }

    @Test
    void anNhsNumberInAReferenceBecomesItsPseudonymAndDisplaysGo() {
        ServiceRequest request = new ServiceRequest();
        request.setSubject(new Reference().setType("Patient").setDisplay("Ada Fictional")
                .setIdentifier(new Identifier().setSystem(Profiles.NHS_NUMBER_SYSTEM).setValue("9434765919")));
        request.setRequester(new Reference().setType("Organization").setDisplay("Example Medical Practice")
                .setIdentifier(new Identifier().setSystem("https://fhir.nhs.uk/Id/ods-organization-code").setValue("A81001")));

        ServiceRequest pseudonymised = pseudonymiser.pseudonymise(request);

        assertThat(pseudonymised.getSubject().getIdentifier().getSystem()).isEqualTo(DataPlatformIds.NHS_NUMBER_PSEUDONYM_SYSTEM);
        assertThat(pseudonymised.getSubject().getIdentifier().getValue()).isEqualTo(pseudonymiser.nhsNumberPseudonym("9434765919"));
        assertThat(pseudonymised.getSubject().hasDisplay()).isFalse();
        assertThat(pseudonymised.getRequester().getIdentifier().getValue()).as("an organisation's identifier stays").isEqualTo("A81001");
        assertThat(pseudonymised.getRequester().hasDisplay()).isFalse();
    }

    @Test
    void freeTextGoesAndCodesStay() {
        ServiceRequest request = new ServiceRequest();
        request.setId("sr-1");
        request.addIdentifier(new Identifier().setSystem("https://gp-system.example.org/Id/referral").setValue("REF-1"));
        request.addExtension(new Extension("https://gp-system.example.org/fhir/StructureDefinition/referral-channel",
                new StringType("face-to-face consultation")));
        request.addReasonCode(new CodeableConcept().setText("Loneliness since bereavement"));
        request.addReasonCode(new CodeableConcept(new Coding(Profiles.SNOMED_CT, "105421008", "Educational achievement"))
                .setText("Left school at 14"));
        request.addNote(new Annotation().setText("Prefers a phone call in the morning."));
        request.setPatientInstruction("Ring Ada after 10am");
        request.setText(new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED));
        request.getText().setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">Ada Fictional</div>");

        ServiceRequest pseudonymised = pseudonymiser.pseudonymise(request);

        assertThat(pseudonymised.getIdElement().getIdPart()).as("ids are the bundle builder's business").isEqualTo("sr-1");
        assertThat(pseudonymised.hasIdentifier()).as("the sender's record number leads back to the person").isFalse();
        assertThat(pseudonymised.hasExtension()).isFalse();
        assertThat(pseudonymised.getReasonCode()).singleElement().satisfies(reason -> {
            assertThat(reason.hasText()).isFalse();
            assertThat(reason.getCodingFirstRep().getCode()).isEqualTo("105421008");
            assertThat(reason.getCodingFirstRep().getDisplay()).isEqualTo("Educational achievement");
        });
        assertThat(pseudonymised.hasNote()).isFalse();
        assertThat(pseudonymised.hasPatientInstruction()).isFalse();
        assertThat(pseudonymised.hasText()).isFalse();
    }

    @Test
    void taskAndObservationFreeTextGoesAndMeasuresStay() {
        Task task = new Task();
        task.setDescription("Call Ada's daughter Jo");
        task.setStatusReason(new CodeableConcept().setText("Moved in with her daughter in Leeds"));
        task.addNote(new Annotation().setText("Lives alone"));
        Observation observation = new Observation();
        observation.setCode(new CodeableConcept(new Coding(Profiles.SNOMED_CT, "718426000", "Warwick-Edinburgh Mental Well-being Scale score")));
        observation.addComponent().setCode(new CodeableConcept().setText("Comment")).setValue(new StringType("Tearful"));
        observation.addComponent().setCode(new CodeableConcept(new Coding(Profiles.SNOMED_CT, "736535009", null)))
                .setValue(new Quantity().setValue(72).setUnit("score"));

        Task pseudonymisedTask = pseudonymiser.pseudonymise(task);
        Observation pseudonymisedObservation = pseudonymiser.pseudonymise(observation);

        assertThat(pseudonymisedTask.hasDescription()).isFalse();
        assertThat(pseudonymisedTask.hasStatusReason()).isFalse();
        assertThat(pseudonymisedTask.hasNote()).isFalse();
        assertThat(pseudonymisedObservation.getCode().getCodingFirstRep().getDisplay())
                .isEqualTo("Warwick-Edinburgh Mental Well-being Scale score");
        assertThat(pseudonymisedObservation.getComponent()).singleElement().satisfies(component ->
                assertThat(component.getValueQuantity().getUnit()).isEqualTo("score"));
    }

    @Test
    void containedResourcesArePseudonymisedToo() {
        ServiceRequest request = new ServiceRequest();
        Practitioner referrer = new Practitioner();
        referrer.setId("referrer");
        referrer.addName(new HumanName().setFamily("Example").addGiven("Sam"));
        referrer.addIdentifier(new Identifier().setSystem("https://fhir.hl7.org.uk/Id/gmc-number").setValue("1234567"));
        request.addContained(referrer);
        request.setRequester(new Reference("#referrer"));

        ServiceRequest pseudonymised = pseudonymiser.pseudonymise(request);

        Practitioner contained = (Practitioner) pseudonymised.getContained().get(0);
        assertThat(contained.hasName()).isFalse();
        assertThat(pseudonymised.getRequester().getReference()).isEqualTo("#referrer");
    }

    @Test
    void organisationsDescribeServicesAndAreCopiedAsTheyAre() {
        Organization practice = new Organization();
        practice.setName("Example Medical Practice");
        practice.addIdentifier(new Identifier().setSystem("https://fhir.nhs.uk/Id/ods-organization-code").setValue("A81001"));

        Organization copy = pseudonymiser.pseudonymise(practice);

        assertThat(copy).isNotSameAs(practice);
        assertThat(copy.equalsDeep(practice)).isTrue();
    }

    private static Patient identifiedPatient() {
        Patient patient = new Patient();
        patient.setId("f730adc3-17ab-343b-abb5-5395b79e34f0");
        patient.getMeta().addProfile(Profiles.PATIENT);
        patient.setText(new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED));
        patient.getText().setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">Ada Fictional</div>");
        patient.addIdentifier(new Identifier().setSystem(Profiles.NHS_NUMBER_SYSTEM).setValue("9434765919"));
        patient.addIdentifier(new Identifier().setSystem("https://hospital.example.org/Id/mrn").setValue("LOCAL-123"));
        patient.addName(new HumanName().setFamily("Fictional").addGiven("Ada"));
        patient.addTelecom().setSystem(org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem.PHONE).setValue("07700 900123");
        patient.setGender(org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.FEMALE);
        patient.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1958-03-14"));
        patient.setDeceased(new DateTimeType("2026-01-02T10:00:00+00:00"));
        patient.addAddress().addLine("1 Example Street").setPostalCode("LS1 4AP");
        patient.addPhoto(new Attachment().setContentType("image/png").setUrl("https://photos.example.org/ada.png"));
        patient.addContact().setName(new HumanName().setText("Jo Contact"));
        patient.addLink().setOther(new Reference("Patient/other-record")).setType(Patient.LinkType.SEEALSO);
        return patient;
    }
}
