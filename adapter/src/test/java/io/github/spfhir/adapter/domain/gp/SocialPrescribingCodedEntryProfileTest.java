package io.github.spfhir.adapter.domain.gp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.domain.validation.Profiles;

/** SocialPrescribingCodedEntry and its value set: the example is valid, and each constraint has a failing instance. */
class SocialPrescribingCodedEntryProfileTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static FhirProfileValidator validator;

    @BeforeAll
    static void buildValidatorOnce() {
        validator = new FhirProfileValidator(FHIR);
    }

    static Observation example() {
        try (InputStream in = SocialPrescribingCodedEntryProfileTest.class.getClassLoader()
                .getResourceAsStream(FhirProfileValidator.PROFILES_ROOT + "examples/sp-coded-entry.json")) {
            return FHIR.newJsonParser().parseResource(Observation.class, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theProfileAndValueSetAreLoaded() {
        assertThat(validator.canonicalUrls()).contains(CodedEntries.PROFILE, CodedEntries.VALUE_SET);
    }

    @Test
    void exampleHasNoErrors() {
        assertThat(validator.validate(example()).errors()).isEmpty();
    }

    @Test
    void theDeclinedCodeIsAccepted() {
        Observation entry = example();
        entry.setCode(new CodeableConcept(new Coding(Profiles.SNOMED_CT, CodedEntries.SNOMED_SOCIAL_PRESCRIBING_DECLINED,
                CodedEntries.DISPLAY_SOCIAL_PRESCRIBING_DECLINED)));

        assertThat(validator.validate(entry).errors()).isEmpty();
    }

    @Test
    void anotherSnomedCodeIsOutsideTheRequiredValueSet() {
        Observation entry = example();
        // 390893007 |Referral to physical activity program|: a real SNOMED code, but not one of the two
        entry.setCode(new CodeableConcept(new Coding(Profiles.SNOMED_CT, "390893007", null)));

        assertThat(validator.validate(entry).errors()).anySatisfy(p -> {
            assertThat(p.expression()).isEqualTo("Observation.code");
            assertThat(p.diagnostics()).contains(CodedEntries.VALUE_SET);
        });
    }

    @Test
    void theRightCodeInAnotherSystemIsRefused() {
        Observation entry = example();
        entry.setCode(new CodeableConcept(new Coding("http://read.info/readv2", "871731000000106", null)));

        assertThat(validator.validate(entry).errors()).anySatisfy(p -> assertThat(p.expression()).isEqualTo("Observation.code"));
    }

    @Test
    void textAloneIsRefused() {
        Observation entry = example();
        entry.setCode(new CodeableConcept().setText("Referral to social prescribing service"));

        assertThat(validator.validate(entry).errors()).anySatisfy(p -> assertThat(p.expression()).isEqualTo("Observation.code"));
    }

    static Stream<Arguments> missingElements() {
        return Stream.of(
                Arguments.of("basedOn", (Consumer<Observation>) o -> o.setBasedOn(null)),
                Arguments.of("subject", (Consumer<Observation>) o -> o.setSubject(null)),
                Arguments.of("effective[x]", (Consumer<Observation>) o -> o.setEffective(null)));
    }

    @ParameterizedTest(name = "without {0}")
    @MethodSource("missingElements")
    void requiredElementMissing(String element, Consumer<Observation> change) {
        Observation entry = example();
        change.accept(entry);

        assertThat(validator.validate(entry).errors()).anySatisfy(p ->
                assertThat(p.diagnostics()).contains("Observation." + element + ": minimum required = 1"));
    }

    @Test
    void subjectThatIsNotAPatient() {
        Observation entry = example();
        entry.setSubject(new Reference("Group/example-group"));

        assertThat(validator.validate(entry).errors()).singleElement().satisfies(p -> {
            assertThat(p.diagnostics()).contains("sp-ce-2");
            assertThat(p.expression()).isEqualTo("Observation.subject");
        });
    }

    @Test
    void basedOnThatIsNotAServiceRequest() {
        Observation entry = example();
        entry.getBasedOnFirstRep().setReference("CarePlan/example-care-plan");

        assertThat(validator.validate(entry).errors()).singleElement().satisfies(p -> {
            assertThat(p.diagnostics()).contains("sp-ce-1");
            assertThat(p.expression()).isEqualTo("Observation.basedOn[0]");
        });
    }

    @Test
    void aPeriodIsNotAnEffectiveDateTime() {
        Observation entry = example();
        entry.setEffective(new Period().setStartElement(entry.getEffectiveDateTimeType()));

        assertThat(validator.validate(entry).errors()).isNotEmpty();
    }

    @Test
    void aCodedEntryHasNoValue() {
        Observation entry = example();
        entry.setValue(new IntegerType(1));

        assertThat(validator.validate(entry).errors()).anySatisfy(p ->
                assertThat(p.diagnostics()).contains("Observation.value[x]: max allowed = 0"));
    }

    @Test
    void theProfileCanBeImposedOnAnObservationThatDoesNotDeclareIt() {
        Observation entry = example();
        entry.setMeta(null);
        entry.setCode(new CodeableConcept(new Coding(Profiles.SNOMED_CT, "390893007", null)));

        assertThat(validator.validate(entry).errors()).extracting(Problem::expression).doesNotContain("Observation.code");
        assertThat(validator.validate(entry, CodedEntries.PROFILE).errors()).isNotEmpty();
    }
}
