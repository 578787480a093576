package io.github.spfhir.adapter.domain.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;

import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.support.GoldenFiles;

/**
 * Each event in {@code test-fixtures/outcome-measures/} mapped and compared with its golden file: a
 * {@code refused-*} scenario with its problems, any other with its Observation (valid against
 * SocialPrescribingOutcomeObservation) and QuestionnaireResponse (valid against base R4).
 */
class OutcomeObservationGoldenTest {

    private static FhirProfileValidator validator;
    private static ServiceRequest serviceRequest;
    private final OutcomeObservationMapper mapper = new OutcomeObservationMapper();

    @BeforeAll
    static void validatorAndReferral() {
        validator = new FhirProfileValidator(OutcomeFixtures.FHIR);
        serviceRequest = OutcomeFixtures.serviceRequest();
    }

    static List<String> scenarios() {
        return OutcomeFixtures.scenarios();
    }

    static List<String> acceptedScenarios() {
        return scenarios().stream().filter(s -> !s.startsWith("refused-")).toList();
    }

    static List<String> refusedScenarios() {
        return scenarios().stream().filter(s -> s.startsWith("refused-")).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedScenarios")
    void mapsToTheGoldenResourcesWhichAreValid(String scenario) {
        MappedOutcome mapped = mapper.map(OutcomeFixtures.event(scenario), serviceRequest);

        assertThat(validator.validate(mapped.observation(), OutcomeProfiles.OBSERVATION).errors())
                .as("Observation of %s against its profile", scenario).isEmpty();
        // no profile of ours for QuestionnaireResponse: base R4 only (no Questionnaire is published to check against)
        mapped.itemAnswers().ifPresent(answers -> assertThat(validator.validate(answers).errors())
                .as("QuestionnaireResponse of %s against base R4", scenario).isEmpty());
        GoldenFiles.assertMatches(OutcomeFixtures.expected(scenario), OutcomeFixtures.toJson(mapped));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedScenarios")
    void refusesWithTheGoldenProblemsAndNoPersonalData(String scenario) {
        ReferralEvent event = OutcomeFixtures.event(scenario);

        OutcomeMeasureRejectedException refused = catchThrowableOfType(OutcomeMeasureRejectedException.class,
                () -> mapper.map(event, serviceRequest));

        assertThat(refused).as(scenario + " is refused").isNotNull();
        assertThat(refused.problems()).isNotEmpty().allMatch(Problem::isError);
        List<String> sent = new ArrayList<>(List.of(event.linkWorker().name(), event.linkWorker().identifierValue(),
                event.referralId(), event.measure().score().toPlainString()));
        event.measure().items().forEach(item -> sent.add(item.text()));
        assertThat(refused.problems()).allSatisfy(problem -> assertThat(problem.diagnostics()).doesNotContain(sent));
        assertThat(refused.getMessage()).doesNotContain(sent);
        GoldenFiles.assertMatches(OutcomeFixtures.expected(scenario), OutcomeFixtures.toJson(refused.problems()));
    }

    @Test
    void everyInstrumentHasAnAcceptedScenario() {
        assertThat(acceptedScenarios()).map(s -> OutcomeFixtures.event(s).measure().instrument())
                .containsAll(OutcomeInstrument.codes());
    }
}
