package io.github.spfhir.adapter.domain.dataplatform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Narrative;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.domain.validation.Profiles;

/**
 * SocialPrescribingPseudonymisedPatient: the example is valid, and every way a Patient could still identify the
 * person is an error, so the validator checks the control against leaking identity.
 */
class SocialPrescribingPseudonymisedPatientProfileTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static FhirProfileValidator validator;

    @BeforeAll
    static void buildValidatorOnce() {
        validator = new FhirProfileValidator(FHIR);
    }

    static Patient example() {
        try (InputStream in = SocialPrescribingPseudonymisedPatientProfileTest.class.getClassLoader()
                .getResourceAsStream(FhirProfileValidator.PROFILES_ROOT + "examples/sp-pseudonymised-patient.json")) {
            return FHIR.newJsonParser().parseResource(Patient.class, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theProfileIsLoaded() {
        assertThat(validator.canonicalUrls()).contains(DataPlatformIds.PSEUDONYMISED_PATIENT_PROFILE);
    }

    @Test
    void exampleHasNoErrors() {
        assertThat(validator.validate(example()).errors()).isEmpty();
    }

    @Test
    void theExamplesPseudonymsAreThoseOfTheExampleKey() {
        Pseudonymiser pseudonymiser = new Pseudonymiser("example-key-not-for-production!!".getBytes(StandardCharsets.US_ASCII));

        assertThat(example().getIdentifier()).extracting(Identifier::getValue).containsExactly(
                pseudonymiser.nhsNumberPseudonym("9434765919"), pseudonymiser.recordPseudonym("Patient", "example-sp-patient"));
    }

    @Test
    void theRecordPseudonymIsOptional() {
        Patient patient = example();
        patient.getIdentifier().remove(1);

        assertThat(validator.validate(patient).errors()).isEmpty();
    }

    @Test
    void anNhsNumberIsAnError() {
        Patient patient = example();
        patient.addIdentifier(new Identifier().setSystem(Profiles.NHS_NUMBER_SYSTEM).setValue("9434765919"));

        assertThat(validator.validate(patient).errors()).anySatisfy(p -> {
            assertThat(p.expression()).startsWith("Patient.identifier");
            assertThat(p.diagnostics()).containsIgnoringCase("closed");
        });
    }

    @Test
    void aLocalPatientNumberIsAnError() {
        Patient patient = example();
        patient.addIdentifier(new Identifier().setSystem("https://hospital.example.org/Id/mrn").setValue("LOCAL-123"));

        assertThat(validator.validate(patient).errors()).anySatisfy(p -> assertThat(p.expression()).startsWith("Patient.identifier"));
    }

    @Test
    void withoutTheNhsNumberPseudonym() {
        Patient patient = example();
        patient.getIdentifier().remove(0);

        assertThat(validator.validate(patient).errors()).anySatisfy(p ->
                assertThat(p.diagnostics()).contains("Patient.identifier:nhsNumberPseudonym").contains("required"));
    }

    @Test
    void anNhsNumberUnderThePseudonymSystemIsNotAPseudonym() {
        Patient patient = example();
        patient.getIdentifierFirstRep().setValue("9434765919");

        assertThat(validator.validate(patient).errors()).anySatisfy(p -> assertThat(p.diagnostics()).contains("sp-pp-3"));
    }

    static Stream<Arguments> identifyingElements() {
        return Stream.of(
                Arguments.of("text", (Consumer<Patient>) p -> {
                    p.setText(new Narrative().setStatus(Narrative.NarrativeStatus.GENERATED));
                    p.getText().setDivAsString("<div xmlns=\"http://www.w3.org/1999/xhtml\">Ada Fictional</div>");
                }),
                Arguments.of("name", (Consumer<Patient>) p -> p.addName(new HumanName().setFamily("Fictional"))),
                Arguments.of("telecom", (Consumer<Patient>) p -> p.addTelecom(
                        new ContactPoint().setSystem(ContactPoint.ContactPointSystem.PHONE).setValue("07700 900123"))),
                Arguments.of("address", (Consumer<Patient>) p -> p.addAddress().setPostalCode("LS1 4AP")),
                Arguments.of("photo", (Consumer<Patient>) p -> p.addPhoto(new Attachment().setUrl("https://photos.example.org/1.png"))),
                Arguments.of("contact", (Consumer<Patient>) p -> p.addContact().setName(new HumanName().setText("Jo Contact"))),
                Arguments.of("link", (Consumer<Patient>) p -> p.addLink().setOther(new Reference("Patient/other"))
                        .setType(Patient.LinkType.SEEALSO)));
    }

    @ParameterizedTest(name = "with {0}")
    @MethodSource("identifyingElements")
    void anIdentifyingElementIsAnError(String element, Consumer<Patient> change) {
        Patient patient = example();
        change.accept(patient);

        assertThat(validator.validate(patient).errors()).anySatisfy(p ->
                assertThat(p.diagnostics()).contains("Patient." + element + ": max allowed = 0"));
    }

    @Test
    void aFullBirthDateIsAnError() {
        Patient patient = example();
        patient.setBirthDateElement(new DateType("1958-03-14"));

        assertThat(validator.validate(patient).errors()).singleElement().satisfies(p -> assertThat(p.diagnostics()).contains("sp-pp-1"));
    }

    @Test
    void aYearAndMonthIsStillTooMuch() {
        Patient patient = example();
        patient.setBirthDateElement(new DateType("1958-03"));

        assertThat(validator.validate(patient).errors()).anySatisfy(p -> assertThat(p.diagnostics()).contains("sp-pp-1"));
    }

    @Test
    void aFullDateOfDeathIsAnErrorAYearOrAFlagIsNot() {
        Patient fullDate = example();
        fullDate.setDeceased(new DateTimeType("2026-01-02T10:00:00+00:00"));
        Patient year = example();
        year.setDeceased(new DateTimeType("2026"));
        Patient flag = example();
        flag.setDeceased(new BooleanType(true));

        assertThat(validator.validate(fullDate).errors()).anySatisfy(p -> assertThat(p.diagnostics()).contains("sp-pp-2"));
        assertThat(validator.validate(year).errors()).isEmpty();
        assertThat(validator.validate(flag).errors()).isEmpty();
    }

    @Test
    void noBirthDateIsFine() {
        Patient patient = example();
        patient.setBirthDateElement(null);

        assertThat(validator.validate(patient).errors()).isEmpty();
    }
}
