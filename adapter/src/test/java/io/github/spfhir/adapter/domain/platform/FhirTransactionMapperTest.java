package io.github.spfhir.adapter.domain.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;

import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.skyscreamer.jsonassert.JSONAssert;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;

class FhirTransactionMapperTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final URI SERVER = URI.create("http://localhost:8089/example-fhir-platform/fhir");

    private static final String PATIENT_ID = "4f8e2a61-0c3b-4d5e-9f7a-1b2c3d4e5f60";
    private static final String SERVICE_REQUEST_ID = "5a4f2c7e-1b3d-4e8f-9a6c-2d1e0f9b8a71";
    private static final String TASK_ID = "c83e9d14-6f2a-4b5c-8e7d-3a1b2c4d5e6f";

    private final FhirTransactionMapper mapper = new FhirTransactionMapper();

    @Test
    void bundleMatchesGoldenFile() throws Exception {
        Bundle bundle = mapper.toTransaction(SERVER, serviceRequest(), task(), patient());

        String json = FHIR.newJsonParser().encodeResourceToString(bundle);

        JSONAssert.assertEquals(Fixtures.read(Fixtures.platformMapping().resolve("fhir-transaction.expected.json")),
                json, true);
    }

    @Test
    void sameResourcesGiveTheSameBundleAndInputsAreNotChanged() {
        Patient patient = patient();
        patient.setId("Patient/" + PATIENT_ID + "/_history/3");
        ServiceRequest sr = serviceRequest();

        String first = FHIR.newJsonParser().encodeResourceToString(mapper.toTransaction(SERVER, sr, task(), patient));
        String second = FHIR.newJsonParser().encodeResourceToString(
                mapper.toTransaction(URI.create(SERVER + "/"), serviceRequest(), task(), patient()));

        assertThat(first).isEqualTo(second);
        assertThat(patient.getIdElement().getVersionIdPart()).isEqualTo("3");
        assertThat(sr.getIdElement().getIdPart()).isEqualTo(SERVICE_REQUEST_ID);
    }

    @Test
    void resourceWithoutIdIsRefused() {
        Task task = task();
        task.setId((String) null);

        assertThatThrownBy(() -> mapper.toTransaction(SERVER, serviceRequest(), task, patient()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Task has no id: a transaction PUT needs our deterministic id");
    }

    @Test
    void bundleIsValidFhir() {
        FhirValidator validator = FHIR.newValidator().registerValidatorModule(new FhirInstanceValidator(
                new ValidationSupportChain(new DefaultProfileValidationSupport(FHIR),
                        new CommonCodeSystemsTerminologyService(FHIR),
                        new InMemoryTerminologyServerValidationSupport(FHIR))));

        List<SingleValidationMessage> errors = validator
                .validateWithResult(mapper.toTransaction(SERVER, serviceRequest(), task(), patient()))
                .getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal())
                .toList();

        assertThat(errors).extracting(m -> m.getLocationString() + ": " + m.getMessage()).isEmpty();
    }

    private static Patient patient() {
        Patient patient = new Patient();
        patient.setId(PATIENT_ID);
        patient.addIdentifier().setSystem("https://fhir.nhs.uk/Id/nhs-number").setValue("9434765919");
        patient.addName(new HumanName().setFamily("Sample").addGiven("Alex"));
        patient.setGender(AdministrativeGender.FEMALE);
        patient.setBirthDateElement(new DateType("1958-04-12"));
        patient.addAddress(new Address().addLine("1 Example Street").addLine("Exampletown").setPostalCode("AB1 2CD"));
        patient.addTelecom().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("07700 900123");
        return patient;
    }

    private static ServiceRequest serviceRequest() {
        ServiceRequest sr = new ServiceRequest();
        sr.setId(SERVICE_REQUEST_ID);
        sr.addIdentifier(new Identifier().setSystem("https://fhir.example-gp-system.invalid/Id/referral")
                .setValue("REF-2026-000123"));
        sr.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        sr.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        sr.setPriority(ServiceRequest.ServiceRequestPriority.URGENT);
        sr.setCode(new CodeableConcept(new Coding("http://snomed.info/sct", "871731000000106",
                "Referral to social prescribing service")));
        sr.setSubject(new Reference("Patient/" + PATIENT_ID));
        sr.setAuthoredOnElement(new DateTimeType("2026-11-20T09:30:00+00:00"));
        sr.setRequester(new Reference().setDisplay("Dr Priya Example"));
        sr.addPerformer(new Reference().setDisplay("Example FHIR Link Worker Service"));
        sr.addReasonCode(new CodeableConcept().setText("Loneliness"));
        sr.addNote().setText("Prefers a phone call in the morning.");
        return sr;
    }

    private static Task task() {
        Task task = new Task();
        task.setId(TASK_ID);
        task.setStatus(Task.TaskStatus.REQUESTED);
        task.setIntent(Task.TaskIntent.ORDER);
        task.setFocus(new Reference("ServiceRequest/" + SERVICE_REQUEST_ID));
        task.setFor(new Reference("Patient/" + PATIENT_ID));
        task.setAuthoredOnElement(new DateTimeType("2026-11-20T09:30:00+00:00"));
        task.setOwner(new Reference().setIdentifier(new Identifier()
                .setSystem("https://fhir.nhs.uk/Id/ods-organization-code").setValue("RX9FP")));
        return task;
    }
}
