package io.github.spfhir.adapter.domain.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import ca.uhn.fhir.context.FhirContext;

/**
 * Each profile against its bundled example (no errors) and against one failing instance per key constraint (the
 * expected error), so a constraint the snapshot generator dropped (see stack.md §5.5) fails here.
 */
class FhirProfileValidatorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static FhirProfileValidator validator;

    @BeforeAll
    static void buildValidatorOnce() {
        validator = new FhirProfileValidator(FHIR);
    }

    static ServiceRequest serviceRequest() {
        return example("sp-service-request.json", ServiceRequest.class);
    }

    static Task task() {
        return example("sp-task.json", Task.class);
    }

    static Patient patient() {
        return example("sp-patient.json", Patient.class);
    }

    static HealthcareService healthcareService() {
        return example("sp-healthcare-service.json", HealthcareService.class);
    }

    @Test
    void loadsEveryPublishedConformanceResource() {
        assertThat(validator.canonicalUrls()).contains(
                Profiles.SERVICE_REQUEST, Profiles.TASK, Profiles.PATIENT, Profiles.HEALTHCARE_SERVICE,
                Profiles.BUSINESS_STATUS_CODE_SYSTEM, Profiles.BUSINESS_STATUS_VALUE_SET);
    }

    @Test
    void warmUpValidatesTheBundledExamples() throws IOException {
        int examples = new org.springframework.core.io.support.PathMatchingResourcePatternResolver()
                .getResources("classpath*:" + FhirProfileValidator.PROFILES_ROOT + "examples/*.json").length;
        assertThat(examples).isGreaterThanOrEqualTo(4);
        assertThat(validator.warmUp()).isEqualTo(examples);
    }

    @Test
    void validatesConcurrentlyWithTheSameAnswers() throws Exception {
        List<IBaseResource> resources = List.of(serviceRequest(), task(), patient(), dropNhsNumber(patient()));
        List<ValidationResult> expected = resources.stream().map(validator::validate).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ValidationResult>> futures = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (IBaseResource resource : resources) {
                    futures.add(pool.submit(() -> validator.validate(resource)));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get()).isEqualTo(expected.get(i % resources.size()));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(expected.get(3).isValid()).isFalse();
    }

    /**
     * The pooled core validators give HAPI's own answers (HAPI builds a core validator per validation), in every
     * order: a validator reused after an invalid resource carries nothing over to the next.
     */
    @Test
    void pooledCoreValidatorsAnswerAsHapisOwnPath() {
        FhirProfileValidator hapisOwnPath = new FhirProfileValidator(FHIR, false);
        ServiceRequest withoutCode = serviceRequest();
        withoutCode.setCode(null);
        Task wrongIntent = task();
        wrongIntent.setIntent(Task.TaskIntent.PLAN);
        ServiceRequest undeclared = serviceRequest();
        undeclared.setMeta(null);
        ServiceRequest unknownProfile = serviceRequest();
        unknownProfile.getMeta().addProfile("https://fhir.hl7.org.uk/StructureDefinition/UKCore-ServiceRequest");
        // a contained resource (parsed by the element-model parser within the resource), an extension nobody
        // defines (a lookup that finds nothing), and a narrative-free resource (the best-practice dom-6)
        ServiceRequest containedAndUnknownExtension = serviceRequest();
        containedAndUnknownExtension.addContained(new Practitioner().addName(new HumanName().setFamily("Contained")).setId("gp"));
        containedAndUnknownExtension.getRequester().setReference("#gp");
        containedAndUnknownExtension.addExtension("https://sender.example.org/fhir/StructureDefinition/unknown",
                new StringType("kept"));
        Patient withoutNarrative = patient();
        withoutNarrative.setText(null);
        Task twoContained = task();
        twoContained.addContained(new Practitioner().setId("one"));
        twoContained.addContained(new Organization().setName("Two").setId("two"));
        twoContained.getOwner().setReference("#two");
        List<IBaseResource> resources = List.of(serviceRequest(), withoutCode, task(), wrongIntent, patient(),
                dropNhsNumber(patient()), healthcareService(), undeclared, unknownProfile, containedAndUnknownExtension,
                withoutNarrative, twoContained);

        for (int round = 0; round < 3; round++) {
            for (IBaseResource resource : resources) {
                assertThat(validator.validate(resource)).isEqualTo(hapisOwnPath.validate(resource));
                String profile = EmittedResourceValidator.profileOf((org.hl7.fhir.r4.model.Resource) resource);
                if (profile != null) {
                    assertThat(validator.validate(resource, profile)).isEqualTo(hapisOwnPath.validate(resource, profile));
                }
            }
        }
        assertThat(validator.validate(dropNhsNumber(patient())).isValid()).isFalse();
    }

    @Test
    void theResultHoldsTheJsonTheValidatorReadWhichIsTheSharedContextsOwnEncoding() {
        Task wrongIntent = task();
        wrongIntent.setIntent(Task.TaskIntent.PLAN);
        FhirProfileValidator hapisOwnPath = new FhirProfileValidator(FHIR, false);

        for (IBaseResource resource : List.<IBaseResource>of(serviceRequest(), wrongIntent, patient())) {
            String encoded = FHIR.newJsonParser().encodeResourceToString(resource);
            assertThat(validator.validate(resource).validatedJson()).isEqualTo(encoded);
            assertThat(hapisOwnPath.validate(resource).validatedJson()).isEqualTo(encoded);
        }
        assertThat(validator.validate(wrongIntent).isValid()).isFalse(); // an invalid resource's JSON too
    }

    @Test
    void aCoreValidatorIsRetiredAfterItsQuotaAndItsSuccessorAnswersTheSame() {
        FhirProfileValidator fresh = new FhirProfileValidator(FHIR);
        Patient invalid = dropNhsNumber(patient());
        ValidationResult expected = fresh.validate(invalid);

        for (int uses = 1; uses < PooledCoreValidation.USES_BEFORE_RETIRING - 1; uses++) {
            fresh.validate(invalid);
        }
        assertThat(fresh.coreValidatorsBuilt()).isEqualTo(1); // one thread: one validator, reused
        fresh.validate(invalid); // its last
        assertThat(fresh.coreValidatorsBuilt()).isEqualTo(2); // retired and replaced

        assertThat(fresh.validate(invalid)).isEqualTo(expected);
        assertThat(expected.isValid()).isFalse();
    }

    @Nested
    class ServiceRequestProfile {

        @Test
        void exampleHasNoErrors() {
            ValidationResult result = validator.validate(serviceRequest());
            assertThat(result.errors()).isEmpty();
            assertThat(result.isValid()).isTrue();
        }

        @Test
        void snomedCodesAreNotErrorsAlthoughSnomedIsNotLoaded() {
            ServiceRequest request = serviceRequest();
            // 404684003 |Clinical finding|: any SNOMED code will do, none can be checked offline
            request.addReasonCode().addCoding(new Coding(Profiles.SNOMED_CT, "404684003", "Clinical finding"));
            request.getCode().getCodingFirstRep().setDisplay("A display SNOMED would reject");

            ValidationResult result = validator.validate(request);

            assertThat(result.errors()).isEmpty();
            assertThat(result.problems()).allMatch(p -> p.severity() != IssueSeverity.ERROR && p.severity() != IssueSeverity.FATAL);
        }

        @Test
        void theUnloadedBarsCodeSystemIsAtMostAWarning() {
            assertThat(validator.validate(serviceRequest()).problems())
                    .filteredOn(p -> p.diagnostics().contains(Profiles.BARS_SERVICE_REQUEST_CATEGORY_SYSTEM))
                    .allMatch(p -> p.severity() == IssueSeverity.WARNING || p.severity() == IssueSeverity.INFORMATION);
        }

        static Stream<Arguments> missingElements() {
            return Stream.of(
                    missing("identifier", r -> r.setIdentifier(null)),
                    missing("category", r -> r.setCategory(null)),
                    missing("code", r -> r.setCode(null)),
                    missing("subject", r -> r.setSubject(null)),
                    missing("authoredOn", r -> r.setAuthoredOnElement(null)),
                    missing("requester", r -> r.setRequester(null)),
                    missing("performer", r -> r.setPerformer(null)));
        }

        private static Arguments missing(String element, Consumer<ServiceRequest> change) {
            return Arguments.of(element, change);
        }

        @ParameterizedTest(name = "without {0}")
        @MethodSource("missingElements")
        void requiredElementMissing(String element, Consumer<ServiceRequest> change) {
            ServiceRequest request = serviceRequest();
            change.accept(request);

            assertThat(validator.validate(request).errors())
                    .anySatisfy(p -> {
                        assertThat(p.diagnostics()).contains("ServiceRequest." + element + ": minimum required = 1");
                        assertThat(p.expression()).isEqualTo("ServiceRequest");
                        assertThat(p.code()).isEqualTo(IssueType.STRUCTURE);
                    });
        }

        @Test
        void wrongCode() {
            ServiceRequest request = serviceRequest();
            // 871711000000103 |Social prescribing declined| is a real code, but not a referral
            request.setCode(new CodeableConcept(new Coding(Profiles.SNOMED_CT, "871711000000103", null)));

            assertThat(validator.validate(request).errors()).singleElement().satisfies(p -> {
                assertThat(p.expression()).isEqualTo("ServiceRequest.code");
                assertThat(p.diagnostics()).contains("871731000000106");
                assertThat(p.code()).isEqualTo(IssueType.VALUE);
            });
        }

        @Test
        void otherCodingsMayAccompanyTheSnomedCode() {
            ServiceRequest request = serviceRequest();
            request.getCode().addCoding(new Coding("http://read.info/ctv3", "XaaEC", null));

            assertThat(validator.validate(request).errors()).isEmpty();
        }

        @Test
        void withoutTheBarsReferralCategory() {
            ServiceRequest request = serviceRequest();
            request.getCategoryFirstRep().getCodingFirstRep().setCode("validation");

            assertThat(validator.validate(request).errors()).anySatisfy(p -> {
                assertThat(p.diagnostics()).contains("ServiceRequest.category:barsMessageCategory");
                assertThat(p.expression()).isEqualTo("ServiceRequest");
            });
        }

        @Test
        void subjectThatIsNotAPatient() {
            ServiceRequest request = serviceRequest();
            request.setSubject(new Reference("Group/example-group"));

            assertThat(validator.validate(request).errors()).singleElement().satisfies(p -> {
                assertThat(p.diagnostics()).contains("sp-sr-1");
                assertThat(p.expression()).isEqualTo("ServiceRequest.subject");
                assertThat(p.code()).isEqualTo(IssueType.INVARIANT);
            });
        }

        @Test
        void subjectAsAnAbsoluteOrTypedReferenceToAPatient() {
            ServiceRequest absolute = serviceRequest();
            absolute.setSubject(new Reference("https://fhir.example.org/fhir/Patient/123"));
            ServiceRequest logical = serviceRequest();
            logical.setSubject(new Reference().setType("Patient")
                    .setIdentifier(new Identifier().setSystem(Profiles.NHS_NUMBER_SYSTEM).setValue("9434765919")));

            assertThat(validator.validate(absolute).errors()).isEmpty();
            assertThat(validator.validate(logical).errors()).isEmpty();
        }

        @Test
        void theProfileCanBeImposedOnAResourceThatDoesNotDeclareIt() {
            ServiceRequest request = serviceRequest();
            request.setMeta(null);
            request.setCode(null);

            assertThat(validator.validate(request).errors()).isEmpty();
            assertThat(validator.validate(request, Profiles.SERVICE_REQUEST).errors())
                    .anySatisfy(p -> assertThat(p.diagnostics()).contains("ServiceRequest.code: minimum required = 1"));
        }

        @Test
        void anUnknownDeclaredProfileIsNotAnError() {
            ServiceRequest request = serviceRequest();
            request.getMeta().addProfile("https://fhir.hl7.org.uk/StructureDefinition/UKCore-ServiceRequest");

            ValidationResult result = validator.validate(request);

            assertThat(result.errors()).isEmpty();
            assertThat(result.problems()).anySatisfy(p -> assertThat(p.diagnostics()).contains("UKCore-ServiceRequest"));
        }
    }

    @Nested
    class TaskProfile {

        @Test
        void exampleHasNoErrors() {
            assertThat(validator.validate(task()).problems()).noneMatch(Problem::isError);
        }

        @Test
        void everyLocalBusinessStatusIsAccepted() {
            for (String code : List.of(Profiles.BusinessStatus.CONTACT_ATTEMPTED, Profiles.BusinessStatus.CONTACTED,
                    Profiles.BusinessStatus.FIRST_APPOINTMENT_BOOKED, Profiles.BusinessStatus.APPOINTMENT_ATTENDED,
                    Profiles.BusinessStatus.DID_NOT_ATTEND, Profiles.BusinessStatus.CONNECTED_TO_SERVICE,
                    Profiles.BusinessStatus.DISCHARGED)) {
                Task task = task();
                task.setBusinessStatus(new CodeableConcept(new Coding(Profiles.BUSINESS_STATUS_CODE_SYSTEM, code, null)));
                assertThat(validator.validate(task).errors()).as(code).isEmpty();
            }
        }

        @Test
        void businessStatusIsOptional() {
            Task task = task();
            task.setBusinessStatus(null);

            assertThat(validator.validate(task).errors()).isEmpty();
        }

        @Test
        void businessStatusCodeOutsideTheLocalCodeSystem() {
            Task task = task();
            task.getBusinessStatus().getCodingFirstRep().setCode("engaged").setDisplay(null);

            assertThat(validator.validate(task).errors())
                    .isNotEmpty()
                    .allSatisfy(p -> {
                        assertThat(p.expression()).isEqualTo("Task.businessStatus");
                        assertThat(p.code()).isEqualTo(IssueType.CODEINVALID);
                    })
                    .anySatisfy(p -> assertThat(p.diagnostics()).contains("Unknown code")
                            .contains(Profiles.BUSINESS_STATUS_CODE_SYSTEM + "#engaged"));
        }

        @Test
        void businessStatusFromAnotherCodeSystem() {
            Task task = task();
            task.setBusinessStatus(new CodeableConcept(new Coding("https://platform.example.org/statuses", "contacted", null)));

            assertThat(validator.validate(task).errors()).anySatisfy(p -> {
                assertThat(p.expression()).isEqualTo("Task.businessStatus");
                assertThat(p.diagnostics()).contains(Profiles.BUSINESS_STATUS_VALUE_SET).contains("is required");
            });
        }

        @Test
        void wrongIntent() {
            Task task = task();
            task.setIntent(Task.TaskIntent.PLAN);

            assertThat(validator.validate(task).errors()).singleElement().satisfies(p -> {
                assertThat(p.expression()).isEqualTo("Task.intent");
                assertThat(p.diagnostics()).contains("fixed to 'order'");
                assertThat(p.code()).isEqualTo(IssueType.VALUE);
            });
        }

        @Test
        void wrongCode() {
            Task task = task();
            task.setCode(new CodeableConcept(new Coding(Profiles.TASK_CODE_SYSTEM, "approve", null)));

            assertThat(validator.validate(task).errors()).singleElement().satisfies(p -> {
                assertThat(p.expression()).isEqualTo("Task.code");
                assertThat(p.diagnostics()).contains("fulfill");
            });
        }

        static Stream<Arguments> missingElements() {
            return Stream.of(
                    Arguments.of("code", (Consumer<Task>) t -> t.setCode(null)),
                    Arguments.of("focus", (Consumer<Task>) t -> t.setFocus(null)),
                    Arguments.of("for", (Consumer<Task>) t -> t.setFor(null)),
                    Arguments.of("authoredOn", (Consumer<Task>) t -> t.setAuthoredOnElement(null)),
                    Arguments.of("requester", (Consumer<Task>) t -> t.setRequester(null)),
                    Arguments.of("owner", (Consumer<Task>) t -> t.setOwner(null)));
        }

        @ParameterizedTest(name = "without {0}")
        @MethodSource("missingElements")
        void requiredElementMissing(String element, Consumer<Task> change) {
            Task task = task();
            change.accept(task);

            assertThat(validator.validate(task).errors()).anySatisfy(p -> {
                assertThat(p.diagnostics()).contains("Task." + element + ": minimum required = 1");
                assertThat(p.expression()).isEqualTo("Task");
            });
        }

        @Test
        void focusThatIsNotAServiceRequest() {
            Task task = task();
            task.setFocus(new Reference("Patient/example-sp-patient"));

            assertThat(validator.validate(task).errors()).singleElement().satisfies(p -> {
                assertThat(p.diagnostics()).contains("sp-task-1");
                assertThat(p.expression()).isEqualTo("Task.focus");
            });
        }

        @Test
        void forThatIsNotAPatient() {
            Task task = task();
            task.setFor(new Reference("Group/example-group"));

            assertThat(validator.validate(task).errors()).singleElement().satisfies(p -> {
                assertThat(p.diagnostics()).contains("sp-task-2");
                assertThat(p.expression()).isEqualTo("Task.for");
            });
        }
    }

    @Nested
    class HealthcareServiceProfile {

        @Test
        void exampleHasNoErrors() {
            assertThat(validator.validate(healthcareService()).errors()).isEmpty();
        }

        static Stream<Arguments> missingElements() {
            return Stream.of(
                    Arguments.of("identifier", (Consumer<HealthcareService>) h -> h.setIdentifier(null)),
                    Arguments.of("identifier.system", (Consumer<HealthcareService>) h -> h.getIdentifierFirstRep().setSystem(null)),
                    Arguments.of("identifier.value", (Consumer<HealthcareService>) h -> h.getIdentifierFirstRep().setValue(null)),
                    Arguments.of("active", (Consumer<HealthcareService>) h -> h.setActiveElement(null)),
                    Arguments.of("providedBy", (Consumer<HealthcareService>) h -> h.setProvidedBy(null)),
                    Arguments.of("name", (Consumer<HealthcareService>) h -> h.setNameElement(null)));
        }

        @ParameterizedTest(name = "without {0}")
        @MethodSource("missingElements")
        void requiredElementMissing(String element, Consumer<HealthcareService> change) {
            HealthcareService service = healthcareService();
            change.accept(service);

            assertThat(validator.validate(service).errors()).anySatisfy(p ->
                    assertThat(p.diagnostics()).contains("HealthcareService." + element + ": minimum required = 1"));
        }

        @Test
        void theProfileCanBeImposedOnAServiceThatDoesNotDeclareIt() {
            HealthcareService service = healthcareService();
            service.setMeta(null);
            service.setNameElement(null);

            assertThat(validator.validate(service).errors()).isEmpty();
            assertThat(validator.validate(service, Profiles.HEALTHCARE_SERVICE).errors())
                    .anySatisfy(p -> assertThat(p.diagnostics()).contains("HealthcareService.name: minimum required = 1"));
        }
    }

    @Nested
    class PatientProfile {

        @Test
        void exampleHasNoErrors() {
            assertThat(validator.validate(patient()).errors()).isEmpty();
        }

        @Test
        void otherIdentifiersMayAccompanyTheNhsNumber() {
            Patient patient = patient();
            patient.addIdentifier().setSystem("https://fhir.example.org/Id/local-patient-id").setValue("A-123");

            assertThat(validator.validate(patient).errors()).isEmpty();
        }

        @Test
        void withoutNhsNumber() {
            assertThat(validator.validate(dropNhsNumber(patient())).errors()).singleElement().satisfies(p -> {
                assertThat(p.diagnostics()).contains("Patient.identifier:nhsNumber").contains("required");
                assertThat(p.expression()).isEqualTo("Patient");
                assertThat(p.code()).isEqualTo(IssueType.STRUCTURE);
            });
        }

        @Test
        void withoutAnyIdentifier() {
            Patient patient = patient();
            patient.setIdentifier(null);

            assertThat(validator.validate(patient).errors())
                    .anySatisfy(p -> assertThat(p.diagnostics()).contains("Patient.identifier: minimum required = 1"))
                    .anySatisfy(p -> assertThat(p.diagnostics()).contains("Patient.identifier:nhsNumber"));
        }

        @ParameterizedTest
        @org.junit.jupiter.params.provider.ValueSource(strings = {"943476591", "94347659190", "94347659AB", "943 476 5919"})
        void nhsNumberThatIsNotTenDigits(String value) {
            Patient patient = patient();
            patient.getIdentifierFirstRep().setValue(value);

            assertThat(validator.validate(patient).errors()).singleElement().satisfies(p -> {
                assertThat(p.severity()).isEqualTo(IssueSeverity.ERROR);
                assertThat(p.code()).isEqualTo(IssueType.INVARIANT);
                assertThat(p.diagnostics()).contains("sp-nhs-1").contains("10 digits");
                assertThat(p.expression()).isEqualTo("Patient.identifier[0]");
            });
        }

        @Test
        void nhsNumberWithoutValue() {
            Patient patient = patient();
            patient.getIdentifierFirstRep().setValue(null);

            assertThat(validator.validate(patient).errors()).singleElement().satisfies(p ->
                    assertThat(p.diagnostics()).contains("Patient.identifier:nhsNumber.value: minimum required = 1"));
        }

        @Test
        void twoNhsNumbers() {
            Patient patient = patient();
            patient.addIdentifier().setSystem(Profiles.NHS_NUMBER_SYSTEM).setValue("9000000009");

            assertThat(validator.validate(patient).errors())
                    .anySatisfy(p -> assertThat(p.diagnostics()).contains("Patient.identifier:nhsNumber"));
        }

        @Test
        void problemsDoNotQuoteThePatientsData() {
            Patient patient = patient();
            patient.getIdentifierFirstRep().setValue("123456789");
            patient.getNameFirstRep().setFamily("Zebedee");

            assertThat(validator.validate(patient).problems()).isNotEmpty().allSatisfy(p ->
                    assertThat(p.diagnostics()).doesNotContain("123456789").doesNotContain("Zebedee"));
        }
    }

    private static Patient dropNhsNumber(Patient patient) {
        patient.getIdentifierFirstRep().setSystem("https://fhir.example.org/Id/local-patient-id");
        return patient;
    }

    private static <T extends IBaseResource> T example(String file, Class<T> type) {
        try (InputStream in = FhirProfileValidatorTest.class.getResourceAsStream("/fhir-profiles/examples/" + file)) {
            assertThat(in).as(file).isNotNull();
            return FHIR.newJsonParser().parseResource(type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
