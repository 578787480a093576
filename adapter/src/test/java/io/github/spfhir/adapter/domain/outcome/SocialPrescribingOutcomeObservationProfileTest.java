package io.github.spfhir.adapter.domain.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.domain.validation.Profiles;
import io.github.spfhir.adapter.domain.validation.ValidationResult;

/**
 * SocialPrescribingOutcomeObservation, the timing extension and the outcome code systems: the bundled example
 * is valid, each constraint fails an instance that breaks it (so a constraint the snapshot generator dropped,
 * stack.md §5.5, fails here), and the published codes and ranges are those of {@link OutcomeInstrument}.
 */
class SocialPrescribingOutcomeObservationProfileTest {

    private static FhirProfileValidator validator;

    @BeforeAll
    static void buildValidatorOnce() {
        validator = new FhirProfileValidator(OutcomeFixtures.FHIR);
    }

    static Observation example() {
        return read("examples/sp-outcome-observation.json", Observation.class);
    }

    private static ValidationResult validate(Observation observation) {
        return validator.validate(observation, OutcomeProfiles.OBSERVATION);
    }

    @Test
    void everyOutcomeArtefactIsLoaded() {
        assertThat(validator.canonicalUrls()).contains(OutcomeProfiles.OBSERVATION, OutcomeProfiles.TIMING_EXTENSION,
                OutcomeProfiles.MEASURES_CODE_SYSTEM, OutcomeProfiles.MEASURES_VALUE_SET,
                OutcomeProfiles.TIMING_CODE_SYSTEM, OutcomeProfiles.TIMING_VALUE_SET);
    }

    @Test
    void theExampleHasNoErrors() {
        ValidationResult result = validate(example());
        assertThat(result.errors()).isEmpty();
        // and as the warm-up sees it, by its meta.profile alone
        assertThat(validator.validate(example()).errors()).isEmpty();
    }

    static Stream<Arguments> brokenInstances() {
        return Stream.of(
                broken("no basedOn", o -> o.setBasedOn(null), "Observation.basedOn: minimum required = 1"),
                broken("basedOn a CarePlan", o -> o.getBasedOnFirstRep().setReference("CarePlan/cp-1"), "sp-obs-1"),
                broken("two basedOn", o -> o.addBasedOn(new Reference("ServiceRequest/other")), "Observation.basedOn: max allowed = 1"),
                broken("no category", o -> o.setCategory(null), "Observation.category: minimum required = 1"),
                broken("category not survey", o -> o.getCategoryFirstRep().getCodingFirstRep().setCode("laboratory"),
                        "Slice 'Observation.category:survey': a matching slice is required"),
                broken("a SNOMED code outside the value set (GAD-7)", o -> o.setCode(new CodeableConcept(
                        new Coding(Profiles.SNOMED_CT, "445455005", "Generalized anxiety disorder 7 item score"))), "sp-outcome-measures"),
                broken("a local code we do not define", o -> o.setCode(new CodeableConcept(
                        new Coding(OutcomeProfiles.MEASURES_CODE_SYSTEM, "ons4-hopeful", "ONS4 hopeful"))), "ons4-hopeful"),
                broken("text only", o -> o.setCode(new CodeableConcept().setText("WEMWBS")), "sp-outcome-measures"),
                broken("no subject", o -> o.setSubject(null), "Observation.subject: minimum required = 1"),
                broken("subject a Group", o -> o.getSubject().setReference("Group/g-1"), "sp-obs-2"),
                broken("no effective", o -> o.setEffective(null), "Observation.effective[x]: minimum required = 1"),
                broken("effective a Period", o -> o.setEffective(new Period().setStartElement(o.getEffectiveDateTimeType())),
                        "Period"),
                broken("no value", o -> o.setValue(null), "Observation.value[x]: minimum required = 1"),
                broken("value a string", o -> o.setValue(new StringType("41")), "valueString"),
                broken("derivedFrom a DocumentReference", o -> o.addDerivedFrom(new Reference("DocumentReference/d-1")), "sp-obs-3"),
                broken("timing not baseline or follow-up", o -> o.getExtensionByUrl(OutcomeProfiles.TIMING_EXTENSION)
                        .setValue(new CodeType("midpoint")), "midpoint"),
                broken("timing twice", o -> o.addExtension(OutcomeProfiles.TIMING_EXTENSION, new CodeType("follow-up")),
                        "max allowed = 1"),
                broken("WEMWBS as a decimal quantity", o -> o.setValue(new Quantity(41)), "sp-obs-range-wemwbs"));
    }

    private static Arguments broken(String name, Consumer<Observation> change, String expectedInAnError) {
        return Arguments.of(name, change, expectedInAnError);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenInstances")
    void aBrokenInstanceFails(String name, Consumer<Observation> change, String expectedInAnError) {
        Observation observation = example();
        change.accept(observation);

        ValidationResult result = validate(observation);

        assertThat(result.isValid()).as(name).isFalse();
        assertThat(result.errors()).as(name).anySatisfy(p -> assertThat(p.diagnostics()).contains(expectedInAnError));
    }

    /** The profile's range invariants and the enum agree: each bound passes, one step outside fails. */
    @Test
    void eachInstrumentsRangeInTheProfileIsTheEnumsRange() {
        for (OutcomeInstrument instrument : OutcomeInstrument.values()) {
            String key = "sp-obs-range-" + instrument.code().replace("eq-5d-5l-index", "eq5d5l-index").replace("eq-5d-vas", "eq5d-vas");
            BigDecimal step = instrument.wholeNumbers() ? BigDecimal.ONE : new BigDecimal("0.001");
            for (BigDecimal inside : List.of(instrument.min(), instrument.max())) {
                assertThat(validate(withValue(instrument, inside)).errors()).as("%s %s", instrument, inside).isEmpty();
            }
            for (BigDecimal outside : List.of(instrument.min().subtract(step), instrument.max().add(step))) {
                assertThat(validate(withValue(instrument, outside)).errors()).as("%s %s", instrument, outside)
                        .anySatisfy(p -> assertThat(p.diagnostics()).contains(key));
            }
        }
    }

    private static Observation withValue(OutcomeInstrument instrument, BigDecimal value) {
        Observation observation = example();
        observation.setCode(new CodeableConcept(instrument.coding()));
        observation.setValue(instrument.wholeNumbers() ? new IntegerType(value.intValueExact())
                : new Quantity().setValue(value).setSystem(OutcomeProfiles.UCUM).setCode(OutcomeProfiles.UCUM_SCORE));
        return observation;
    }

    @Test
    void theLocalCodeSystemHoldsExactlyTheInstrumentsWithoutNationalCodes() {
        CodeSystem local = read("CodeSystem/sp-outcome-measures.json", CodeSystem.class);
        List<OutcomeInstrument> localInstruments = Stream.of(OutcomeInstrument.values())
                .filter(i -> i.system().equals(OutcomeProfiles.MEASURES_CODE_SYSTEM)).toList();

        assertThat(local.getUrl()).isEqualTo(OutcomeProfiles.MEASURES_CODE_SYSTEM);
        assertThat(local.getDescription()).contains("LOCAL", "UNCONFIRMED");
        assertThat(local.getConcept()).extracting(CodeSystem.ConceptDefinitionComponent::getCode, CodeSystem.ConceptDefinitionComponent::getDisplay)
                .containsExactlyElementsOf(localInstruments.stream()
                        .map(i -> org.assertj.core.groups.Tuple.tuple(i.observationCode(), i.display())).toList());
        assertThat(local.getCount()).isEqualTo(localInstruments.size());
        assertThat(localInstruments).allSatisfy(i -> assertThat(i.observationCode()).isEqualTo(i.code()));
    }

    @Test
    void theValueSetIsTheFourSnomedCodesAndTheLocalCodeSystem() {
        ValueSet valueSet = read("ValueSet/sp-outcome-measures.json", ValueSet.class);

        assertThat(valueSet.getCompose().getInclude()).hasSize(2);
        ValueSet.ConceptSetComponent snomed = valueSet.getCompose().getIncludeFirstRep();
        assertThat(snomed.getSystem()).isEqualTo(Profiles.SNOMED_CT);
        assertThat(snomed.getConcept()).extracting(ValueSet.ConceptReferenceComponent::getCode, ValueSet.ConceptReferenceComponent::getDisplay)
                .containsExactlyElementsOf(Stream.of(OutcomeInstrument.values()).filter(i -> i.system().equals(Profiles.SNOMED_CT))
                        .map(i -> org.assertj.core.groups.Tuple.tuple(i.observationCode(), i.display())).toList());
        assertThat(valueSet.getCompose().getInclude().get(1).getSystem()).isEqualTo(OutcomeProfiles.MEASURES_CODE_SYSTEM);
        assertThat(valueSet.getCompose().getInclude().get(1).hasConcept()).isFalse();
    }

    @Test
    void theTimingCodesAreTheEnumsCodes() {
        CodeSystem timing = read("CodeSystem/sp-outcome-measure-timing.json", CodeSystem.class);

        assertThat(timing.getConcept()).extracting(CodeSystem.ConceptDefinitionComponent::getCode, CodeSystem.ConceptDefinitionComponent::getDisplay)
                .containsExactlyElementsOf(Stream.of(OutcomeTiming.values())
                        .map(t -> org.assertj.core.groups.Tuple.tuple(t.code(), t.display())).toList());
    }

    private static <T extends IBaseResource> T read(String relative, Class<T> type) {
        try (InputStream in = SocialPrescribingOutcomeObservationProfileTest.class
                .getResourceAsStream("/" + FhirProfileValidator.PROFILES_ROOT + relative)) {
            return OutcomeFixtures.FHIR.newJsonParser().parseResource(type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
