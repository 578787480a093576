package io.github.spfhir.adapter.domain.dataplatform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.domain.validation.Profiles;
import io.github.spfhir.adapter.support.GoldenFiles;

/**
 * The data-platform feed: each scenario in {@code test-fixtures/data-platform/} against its golden file; that the
 * conditional references resolve as a server resolves them and the resolved resources validate; that the
 * pseudonymised output leaks none of the fixture's identity or free text.
 */
class DataPlatformBundleBuilderTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String OUR_BASE = "http://localhost:8080/fhir";
    private static final String PATIENT_ID = "f730adc3-17ab-343b-abb5-5395b79e34f0";
    private static final String SERVICE_REQUEST_ID = "f5734bcf-1914-34e7-804e-97a914692ac3";
    private static FhirProfileValidator validator;

    @BeforeAll
    static void buildValidatorOnce() {
        validator = new FhirProfileValidator(FHIR);
    }

    static List<String> scenarios() {
        return DataPlatformFixtures.scenarios();
    }

    private static Bundle build(DataPlatformFixtures.Input input) {
        Pseudonymiser pseudonymiser = input.key() == null ? null : new Pseudonymiser(input.key());
        return new DataPlatformBundleBuilder(OUR_BASE, pseudonymiser).build(input.resources(), input.pseudonymise());
    }

    private static DataPlatformBundleBuilder plainBuilder() {
        return new DataPlatformBundleBuilder(OUR_BASE, null);
    }

    @Test
    void theTwoScenariosAreThere() {
        assertThat(scenarios()).containsExactly("plain", "pseudonymised");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void bundleMatchesGoldenFile(String scenario) {
        Bundle bundle = build(DataPlatformFixtures.read(scenario));

        GoldenFiles.assertMatches(DataPlatformFixtures.expected(scenario), FHIR.newJsonParser().encodeResourceToString(bundle));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void everyEntryIsAConditionalUpdateByTheIdentifierTheResourceCarries(String scenario) {
        Bundle bundle = build(DataPlatformFixtures.read(scenario));

        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        assertThat(bundle.getEntry()).extracting(e -> e.getResource().fhirType())
                .containsExactly("Patient", "ServiceRequest", "Observation", "Observation", "Task");
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            assertThat(entry.getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
            assertThat(entry.getFullUrl()).startsWith("urn:uuid:");
            assertThat(resource.hasIdElement()).as("no id of ours: the platform assigns its own").isFalse();
            String url = entry.getRequest().getUrl();
            assertThat(url).startsWith(resource.fhirType() + "?identifier=");
            String token = url.substring(url.indexOf('=') + 1);
            assertThat(identifiers(resource)).as(url).contains(token);
        }
    }

    /**
     * Resolves the Bundle as a server does (R4 http.html, transaction processing: every conditional reference
     * must match exactly one resource), then validates each resource as the platform would hold it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void referencesResolveWithinTheBundleAndTheResolvedResourcesValidate(String scenario) {
        Bundle bundle = build(DataPlatformFixtures.read(scenario));
        Map<String, String> serverIdByConditionalUrl = new HashMap<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            serverIdByConditionalUrl.put(entry.getRequest().getUrl(),
                    entry.getResource().fhirType() + "/" + entry.getFullUrl().substring("urn:uuid:".length()));
        }

        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource stored = entry.getResource().copy();
            stored.setId(entry.getFullUrl().substring("urn:uuid:".length()));
            for (Reference reference : FHIR.newTerser().getAllPopulatedChildElementsOfType(stored, Reference.class)) {
                if (reference.hasReference()) {
                    assertThat(serverIdByConditionalUrl).as("%s resolves to one entry", reference.getReference())
                            .containsKey(reference.getReference());
                    reference.setReference(serverIdByConditionalUrl.get(reference.getReference()));
                }
            }
            assertThat(validator.validate(stored).errors()).as("%s as stored", stored.fhirType()).isEmpty();
        }
    }

    @Test
    void thePseudonymisedPatientMeetsItsProfile() {
        Bundle bundle = build(DataPlatformFixtures.read("pseudonymised"));
        Patient patient = (Patient) bundle.getEntryFirstRep().getResource();

        assertThat(patient.getMeta().hasProfile(DataPlatformIds.PSEUDONYMISED_PATIENT_PROFILE)).isTrue();
        assertThat(validator.validate(patient, DataPlatformIds.PSEUDONYMISED_PATIENT_PROFILE).errors()).isEmpty();
    }

    /** The control against leaking identity: every identifying or free-text value of the input is absent. */
    @Test
    void thePseudonymisedOutputHoldsNoneOfTheInputsIdentityOrFreeText() {
        DataPlatformFixtures.Input input = DataPlatformFixtures.read("pseudonymised");
        Set<String> secrets = identityAndFreeText(input.resources());

        String json = FHIR.newJsonParser().encodeResourceToString(build(input));

        assertThat(secrets).as("the fixture has something to hide").hasSizeGreaterThan(15)
                .contains("9434765919", "Ada", "Fictional", "1 Example Street", "LS1 4AP", "07700 900123",
                        "ada.fictional@example.org", "1958-03-14", "Prefers a phone call in the morning.", PATIENT_ID);
        for (String secret : secrets) {
            assertThat(json).as("pseudonymised output").doesNotContain(secret);
        }
        assertThat(json).contains("\"birthDate\":\"1958\"");
    }

    @Test
    void thePlainOutputKeepsWhatThePseudonymisedOneDrops() {
        String json = FHIR.newJsonParser().encodeResourceToString(build(DataPlatformFixtures.read("plain")));

        assertThat(json).contains("9434765919", "Fictional", "Prefers a phone call in the morning.",
                "https://gp-system.example.org/Id/referral");
    }

    @Test
    void theSendersIdentifiersStayBesideOursAndOursIsNotAddedTwice() {
        ServiceRequest request = (ServiceRequest) resource(DataPlatformFixtures.read("plain"), "ServiceRequest");
        request.addIdentifier(new Identifier().setSystem(DataPlatformIds.identifierSystem("ServiceRequest")).setValue(SERVICE_REQUEST_ID));

        ServiceRequest published = (ServiceRequest) plainBuilder().build(List.of(request), false).getEntryFirstRep().getResource();

        assertThat(published.getIdentifier()).extracting(Identifier::getSystem).containsExactly(
                "https://gp-system.example.org/Id/referral", "https://spfhir.github.io/fhir/Id/servicerequest");
    }

    @Test
    void aReferenceToAResourceOutsideTheBundleUsesTheSameConditionalReference() {
        DataPlatformFixtures.Input input = DataPlatformFixtures.read("plain");
        Task task = (Task) resource(input, "Task");

        Bundle taskOnly = plainBuilder().build(List.of(task), false);
        Bundle whole = plainBuilder().build(input.resources(), false);

        Task published = (Task) taskOnly.getEntryFirstRep().getResource();
        assertThat(published.getFor().getReference())
                .isEqualTo("Patient?identifier=https://spfhir.github.io/fhir/Id/patient|" + PATIENT_ID)
                .isEqualTo(whole.getEntryFirstRep().getRequest().getUrl());
        assertThat(published.getFocus().getReference())
                .isEqualTo("ServiceRequest?identifier=https://spfhir.github.io/fhir/Id/servicerequest|" + SERVICE_REQUEST_ID);
        assertThat(published.getRequester().getIdentifier().getValue()).as("logical references stay").isEqualTo("A81001");
    }

    @Test
    void absoluteReferencesUnderOurBaseAreOursOthersAndContainedStay() {
        Observation observation = (Observation) resource(DataPlatformFixtures.read("plain"), "Observation");
        observation.setSubject(new Reference(OUR_BASE + "/Patient/" + PATIENT_ID + "/_history/2"));
        observation.addDerivedFrom(new Reference("https://other.example.org/fhir/QuestionnaireResponse/qr-1"));
        observation.addHasMember(new Reference("#contained-1"));
        observation.addHasMember(new Reference("urn:uuid:5b0f0c2e-0f5e-4f8e-9c55-1b1a1a1a1a1a"));

        Observation published = (Observation) plainBuilder().build(List.of(observation), false).getEntryFirstRep().getResource();

        assertThat(published.getSubject().getReference())
                .isEqualTo("Patient?identifier=https://spfhir.github.io/fhir/Id/patient|" + PATIENT_ID);
        assertThat(published.getDerivedFromFirstRep().getReference()).isEqualTo("https://other.example.org/fhir/QuestionnaireResponse/qr-1");
        assertThat(published.getHasMember()).extracting(Reference::getReference)
                .containsExactly("#contained-1", "urn:uuid:5b0f0c2e-0f5e-4f8e-9c55-1b1a1a1a1a1a");
    }

    @Test
    void pseudonymisedIdentifiersAndReferencesCarryPseudonymsNotOurIds() {
        DataPlatformFixtures.Input input = DataPlatformFixtures.read("pseudonymised");
        Pseudonymiser pseudonymiser = new Pseudonymiser(input.key());

        Bundle bundle = build(input);

        Patient patient = (Patient) bundle.getEntryFirstRep().getResource();
        assertThat(patient.getIdentifier()).extracting(Identifier::getSystem, Identifier::getValue).containsExactly(
                org.assertj.core.groups.Tuple.tuple(DataPlatformIds.NHS_NUMBER_PSEUDONYM_SYSTEM, pseudonymiser.nhsNumberPseudonym("9434765919")),
                org.assertj.core.groups.Tuple.tuple("https://spfhir.github.io/fhir/Id/patient-pseudonym",
                        pseudonymiser.recordPseudonym("Patient", PATIENT_ID)));
        Task task = (Task) bundle.getEntry().get(4).getResource();
        assertThat(task.getFor().getReference()).isEqualTo(bundle.getEntryFirstRep().getRequest().getUrl());
        ServiceRequest request = (ServiceRequest) bundle.getEntry().get(1).getResource();
        assertThat(request.getIdentifier()).extracting(Identifier::getSystem)
                .containsExactly("https://spfhir.github.io/fhir/Id/servicerequest-pseudonym");
    }

    @Test
    void sameResourcesGiveTheSameBundleAndInputsAreNotChanged() {
        DataPlatformFixtures.Input input = DataPlatformFixtures.read("pseudonymised");
        List<String> before = input.resources().stream().map(r -> FHIR.newJsonParser().encodeResourceToString(r)).toList();

        String first = FHIR.newJsonParser().encodeResourceToString(build(input));
        String second = FHIR.newJsonParser().encodeResourceToString(build(input));

        assertThat(second).isEqualTo(first);
        assertThat(input.resources().stream().map(r -> FHIR.newJsonParser().encodeResourceToString(r)).toList()).isEqualTo(before);
    }

    @Test
    void pseudonymisingWithoutAKeyIsRefused() {
        List<Resource> resources = DataPlatformFixtures.read("plain").resources();

        assertThatThrownBy(() -> plainBuilder().build(resources, true)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aResourceTwiceIsRefused() {
        Resource patient = resource(DataPlatformFixtures.read("plain"), "Patient");

        assertThatThrownBy(() -> plainBuilder().build(List.of(patient, patient.copy()), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("appears twice");
    }

    @Test
    void aResourceWithoutIdIsRefused() {
        Resource patient = resource(DataPlatformFixtures.read("plain"), "Patient");
        patient.setIdElement(null);

        assertThatThrownBy(() -> plainBuilder().build(List.of(patient), false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aResourceThatCannotCarryAnIdentifierIsRefused() {
        Parameters parameters = new Parameters();
        parameters.setId("no-identifier-element");

        assertThatThrownBy(() -> plainBuilder().build(List.of(parameters), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no identifier element");
    }

    private static Resource resource(DataPlatformFixtures.Input input, String type) {
        return input.resources().stream().filter(r -> r.fhirType().equals(type)).findFirst().orElseThrow().copy();
    }

    /** {@code system|value} of each identifier of a resource. */
    private static List<String> identifiers(Resource resource) {
        List<String> tokens = new ArrayList<>();
        for (Identifier identifier : FHIR.newTerser().getValues(resource, resource.fhirType() + ".identifier", Identifier.class)) {
            tokens.add(identifier.getSystem() + "|" + identifier.getValue());
        }
        return tokens;
    }

    /**
     * Every value of the input that identifies the person or was written by someone: NHS numbers and the Patient's
     * other identifiers, name parts, address parts, telecom values, the full birth date, every note, CodeableConcept
     * text, reference display and patient instruction, and our resource ids (they can be read back at our API).
     */
    private static Set<String> identityAndFreeText(List<Resource> resources) {
        FhirTerser terser = FHIR.newTerser();
        Set<String> secrets = new LinkedHashSet<>();
        for (Resource resource : resources) {
            secrets.add(resource.getIdElement().getIdPart());
            for (Identifier identifier : terser.getAllPopulatedChildElementsOfType(resource, Identifier.class)) {
                if (Profiles.NHS_NUMBER_SYSTEM.equals(identifier.getSystem()) || resource instanceof Patient) {
                    secrets.add(identifier.getValue());
                }
            }
            for (HumanName name : terser.getAllPopulatedChildElementsOfType(resource, HumanName.class)) {
                secrets.add(name.getFamily());
                name.getGiven().forEach(given -> secrets.add(given.getValue()));
            }
            for (Address address : terser.getAllPopulatedChildElementsOfType(resource, Address.class)) {
                address.getLine().forEach(line -> secrets.add(line.getValue()));
                secrets.add(address.getCity());
                secrets.add(address.getPostalCode());
            }
            terser.getAllPopulatedChildElementsOfType(resource, ContactPoint.class).forEach(c -> secrets.add(c.getValue()));
            terser.getAllPopulatedChildElementsOfType(resource, Annotation.class).forEach(a -> secrets.add(a.getText()));
            terser.getAllPopulatedChildElementsOfType(resource, CodeableConcept.class).forEach(c -> secrets.add(c.getText()));
            terser.getAllPopulatedChildElementsOfType(resource, Reference.class).forEach(r -> secrets.add(r.getDisplay()));
            if (resource instanceof Patient patient) {
                secrets.add(patient.getBirthDateElement().getValueAsString());
            }
            if (resource instanceof ServiceRequest request) {
                secrets.add(request.getPatientInstruction());
                request.getExtension().stream().map(e -> e.getValue()).filter(IPrimitiveType.class::isInstance)
                        .forEach(v -> secrets.add(((IPrimitiveType<?>) v).getValueAsString()));
            }
        }
        secrets.remove(null);
        return secrets;
    }
}
