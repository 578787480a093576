package io.github.spfhir.adapter.domain.outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;

import io.github.spfhir.adapter.domain.lifecycle.EventKind;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent.ItemAnswer;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent.LinkWorker;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent.OutcomeMeasure;
import io.github.spfhir.adapter.domain.referral.DeterministicIds;
import io.github.spfhir.adapter.domain.validation.Problem;

/** The mapper's rules one by one, as plain Java (the golden test covers whole outputs and the profile). */
class OutcomeObservationMapperTest {

    private static final String REFERRAL_ID = "sr-1";
    private static final Instant TAKEN = Instant.parse("2026-11-21T09:15:00Z");
    private static final LinkWorker LINK_WORKER = new LinkWorker("Alex Example", "https://platform.example.org/staff", "LW-1");
    private static final String NOTE = "Lives alone at 1 Example Street since her husband died";

    private final OutcomeObservationMapper mapper = new OutcomeObservationMapper();

    private static ServiceRequest referral() {
        ServiceRequest request = new ServiceRequest();
        request.setId(REFERRAL_ID);
        request.setSubject(new Reference("Patient/p-1").setDisplay("Sam EXAMPLE"));
        return request;
    }

    private static ReferralEvent event(String eventId, OutcomeMeasure measure) {
        return new ReferralEvent("example-linkworker", eventId, EventKind.OUTCOME_RECORDED, REFERRAL_ID, TAKEN, null,
                LINK_WORKER, null, null, measure, NOTE);
    }

    private static OutcomeMeasure measure(String instrument, String score, String timing, List<ItemAnswer> items) {
        return new OutcomeMeasure(instrument, score == null ? null : new BigDecimal(score), timing, items);
    }

    private static List<ItemAnswer> items(int... values) {
        return IntStream.range(0, values.length)
                .mapToObj(i -> new ItemAnswer("q" + (i + 1), "Item " + (i + 1), BigDecimal.valueOf(values[i]))).toList();
    }

    private List<Problem> refusal(OutcomeMeasure measure) {
        OutcomeMeasureRejectedException refused = catchThrowableOfType(OutcomeMeasureRejectedException.class,
                () -> mapper.map(event("e-1", measure), referral()));
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.problems()).allSatisfy(p -> assertThat(p.diagnostics())
                .doesNotContain(NOTE, LINK_WORKER.name(), LINK_WORKER.identifierValue(), "Sam", "Item "));
        return refused.problems();
    }

    @Test
    void idsComeFromPlatformAndEventSoTheSameEventGivesTheSameResources() {
        OutcomeMeasure measure = measure("ucla-3", "6", "baseline", items(2, 2, 2));

        MappedOutcome once = mapper.map(event("e-1", measure), referral());
        MappedOutcome again = mapper.map(event("e-1", measure), referral());
        MappedOutcome other = mapper.map(event("e-2", measure), referral());

        assertThat(once.observation().getIdElement().getIdPart()).isEqualTo(DeterministicIds.of("Observation", "example-linkworker|e-1"))
                .isEqualTo(again.observation().getIdElement().getIdPart())
                .isNotEqualTo(other.observation().getIdElement().getIdPart());
        assertThat(once.questionnaireResponse().getIdElement().getIdPart())
                .isEqualTo(DeterministicIds.of("QuestionnaireResponse", "example-linkworker|e-1"));
        assertThat(once.observation().getDerivedFromFirstRep().getReference())
                .isEqualTo("QuestionnaireResponse/" + once.questionnaireResponse().getIdElement().getIdPart());
        assertThat(once.observation().getIdentifierFirstRep().getSystem())
                .isEqualTo("https://spfhir.github.io/fhir/Id/platform-event/example-linkworker");
        assertThat(once.resources()).containsExactly(once.questionnaireResponse(), once.observation());
    }

    @Test
    void baselineAndFollowUpOfOneScaleShareCodeAndReferralAndDifferInTiming() {
        Observation baseline = mapper.map(event("e-1", measure("wemwbs", "40", "baseline", List.of())), referral()).observation();
        Observation followUp = mapper.map(event("e-2", measure("wemwbs", "48", "follow-up", List.of())), referral()).observation();

        assertThat(followUp.getCode().equalsDeep(baseline.getCode())).isTrue();
        assertThat(followUp.getBasedOnFirstRep().getReference()).isEqualTo(baseline.getBasedOnFirstRep().getReference())
                .isEqualTo("ServiceRequest/" + REFERRAL_ID);
        assertThat(((CodeType) baseline.getExtensionByUrl(OutcomeProfiles.TIMING_EXTENSION).getValue()).getValue()).isEqualTo("baseline");
        assertThat(((CodeType) followUp.getExtensionByUrl(OutcomeProfiles.TIMING_EXTENSION).getValue()).getValue()).isEqualTo("follow-up");
    }

    @Test
    void noTimingGivesNoExtensionAndNoLinkWorkerNoPerformer() {
        ReferralEvent event = new ReferralEvent("example-linkworker", "e-1", EventKind.OUTCOME_RECORDED, REFERRAL_ID, TAKEN,
                null, null, null, null, measure("ons4-anxious", "3", null, List.of()), null);

        MappedOutcome mapped = mapper.map(event, referral());

        assertThat(mapped.observation().getExtension()).isEmpty();
        assertThat(mapped.observation().getPerformer()).isEmpty();
        assertThat(mapped.itemAnswers()).isEmpty();
        assertThat(mapped.observation().getDerivedFrom()).isEmpty();
    }

    @Test
    void theSubjectIsTheReferralsWithoutTheNameDisplay() {
        Observation observation = mapper.map(event("e-1", measure("eq-5d-vas", "70", null, List.of())), referral()).observation();

        assertThat(observation.getSubject().getReference()).isEqualTo("Patient/p-1");
        assertThat(observation.getSubject().hasDisplay()).isFalse();
        assertThat(observation.getEffectiveDateTimeType().getValueAsString()).isEqualTo("2026-11-21T09:15:00Z");
        assertThat(observation.getPerformerFirstRep().getIdentifier().getValue()).isEqualTo("LW-1");
        assertThat(observation.getPerformerFirstRep().getType()).isEqualTo("Practitioner");
    }

    @Test
    void wholeNumberScalesGiveValueIntegerAndTheIndexAQuantityAsSent() {
        Observation wemwbs = mapper.map(event("e-1", measure("wemwbs", "45.0", null, List.of())), referral()).observation();
        Observation index = mapper.map(event("e-2", measure("eq-5d-5l-index", "-0.150", null, List.of())), referral()).observation();

        assertThat(((IntegerType) wemwbs.getValue()).getValue()).isEqualTo(45);
        Quantity quantity = (Quantity) index.getValue();
        assertThat(quantity.getValue()).isEqualByComparingTo("-0.150");
        assertThat(quantity.getValue().scale()).isEqualTo(3);
        assertThat(quantity.getSystem()).isEqualTo("http://unitsofmeasure.org");
        assertThat(quantity.getCode()).isEqualTo("{score}");
    }

    @Test
    void everyInstrumentAcceptsItsBoundsAndRefusesJustOutside() {
        for (OutcomeInstrument instrument : OutcomeInstrument.values()) {
            BigDecimal step = instrument.wholeNumbers() ? BigDecimal.ONE : new BigDecimal("0.001");
            for (BigDecimal inside : List.of(instrument.min(), instrument.max())) {
                assertThat(mapper.map(event("e", new OutcomeMeasure(instrument.code(), inside, null, List.of())), referral()).observation())
                        .as("%s %s", instrument, inside).isNotNull();
            }
            for (BigDecimal outside : List.of(instrument.min().subtract(step), instrument.max().add(step))) {
                assertThat(refusal(new OutcomeMeasure(instrument.code(), outside, null, List.of())))
                        .as("%s %s", instrument, outside).singleElement()
                        .isEqualTo(Problem.error(IssueType.VALUE, "The " + instrument.code() + " score is out of range; allowed: "
                                + instrument.rangeText(), "measure.score"));
            }
        }
    }

    @Test
    void aFractionOnAWholeNumberScaleIsRefusedEvenInRange() {
        assertThat(refusal(measure("eq-5d-vas", "50.5", null, List.of()))).singleElement()
                .isEqualTo(Problem.error(IssueType.VALUE,
                        "The eq-5d-vas score must be a whole number, not a fraction; allowed: 0 to 100 (whole numbers)", "measure.score"));
    }

    @Test
    void aMissingInstrumentOrScoreAndAnUnknownTimingAreEachNamed() {
        assertThat(refusal(measure(null, "40", null, List.of()))).extracting(Problem::code, Problem::expression)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(IssueType.REQUIRED, "measure.instrument"));
        assertThat(refusal(measure("wemwbs", null, "later", List.of()))).extracting(Problem::code, Problem::expression)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(IssueType.CODEINVALID, "measure.timing"),
                        org.assertj.core.groups.Tuple.tuple(IssueType.REQUIRED, "measure.score"));
        assertThat(refusal(null)).extracting(Problem::expression).containsExactly("measure");
    }

    @Test
    void instrumentCodesAreCaseSensitive() {
        assertThat(refusal(measure("WEMWBS", "40", null, List.of()))).singleElement()
                .satisfies(p -> assertThat(p.code()).isEqualTo(IssueType.CODEINVALID))
                .satisfies(p -> assertThat(p.diagnostics()).contains("accepted: wemwbs, swemwbs"));
    }

    @Test
    void itemsAreRefusedForAnInstrumentThatTakesNone() {
        assertThat(refusal(measure("eq-5d-5l-index", "0.5", null, items(1, 2, 1, 1, 2)))).singleElement()
                .isEqualTo(Problem.error(IssueType.BUSINESSRULE,
                        "The eq-5d-5l-index measure takes no item answers, only its score", "measure.items"));
    }

    @Test
    void eachFaultyItemIsNamedByItsIndexAndTheSumIsNotCheckedOverFaultyItems() {
        List<ItemAnswer> answers = new ArrayList<>(items(3, 3, 3, 3, 3, 3, 3));
        answers.set(1, new ItemAnswer("q2", "Item 2", new BigDecimal("2.5")));
        answers.set(3, new ItemAnswer(null, "Item 4", BigDecimal.valueOf(9)));
        answers.set(5, new ItemAnswer("q1", "Item 6", null));

        assertThat(refusal(measure("swemwbs", "30", "baseline", answers)))
                .extracting(Problem::code, Problem::expression)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(IssueType.VALUE, "measure.items[1].value"),
                        org.assertj.core.groups.Tuple.tuple(IssueType.REQUIRED, "measure.items[3].linkId"),
                        org.assertj.core.groups.Tuple.tuple(IssueType.VALUE, "measure.items[3].value"),
                        org.assertj.core.groups.Tuple.tuple(IssueType.VALUE, "measure.items[5].linkId"),
                        org.assertj.core.groups.Tuple.tuple(IssueType.REQUIRED, "measure.items[5].value"));
    }

    @Test
    void aScoreThatIsNotTheSumOfValidItemsIsRefused() {
        assertThat(refusal(measure("ucla-3", "8", null, items(3, 3, 3)))).singleElement()
                .isEqualTo(Problem.error(IssueType.BUSINESSRULE, "The ucla-3 score is not the sum of its 3 item answers", "measure.score"));
    }

    @Test
    void aWrongItemCountIsRefusedWithTheExpectedCount() {
        assertThat(refusal(measure("wemwbs", "15", null, items(1, 2, 3, 4, 5)))).singleElement()
                .isEqualTo(Problem.error(IssueType.BUSINESSRULE, "The wemwbs measure has 14 items; 5 item answers were sent",
                        "measure.items"));
    }

    @Test
    void missingIdsAndTimeAreRefusedTooAndAllFaultsComeTogether() {
        ReferralEvent event = new ReferralEvent(" ", null, EventKind.OUTCOME_RECORDED, REFERRAL_ID, null, null, null, null,
                null, measure("phq-9", "12", null, List.of()), NOTE);

        OutcomeMeasureRejectedException refused = catchThrowableOfType(OutcomeMeasureRejectedException.class,
                () -> mapper.map(event, referral()));

        assertThat(refused.problems()).extracting(Problem::expression)
                .containsExactly("platformId", "eventId", "occurredAt", "measure.instrument");
    }

    @Test
    void anotherKindOfEventOrAnotherReferralIsTheCallersFault() {
        ReferralEvent accepted = new ReferralEvent("p", "e", EventKind.ACCEPTED, REFERRAL_ID, TAKEN, null, null, null, null, null, null);
        ReferralEvent elsewhere = new ReferralEvent("p", "e", EventKind.OUTCOME_RECORDED, "another-referral", TAKEN, null, null,
                null, null, measure("wemwbs", "40", null, List.of()), null);

        assertThatThrownBy(() -> mapper.map(accepted, referral())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> mapper.map(elsewhere, referral())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("another-referral");
        assertThatThrownBy(() -> mapper.map(event("e", measure("wemwbs", "40", null, List.of())), new ServiceRequest()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void itemAnswersBecomeAQuestionnaireResponseInTheirOrder() {
        MappedOutcome mapped = mapper.map(event("e-1", measure("ucla-3", "5", "follow-up", items(1, 3, 1))), referral());

        var answers = mapped.questionnaireResponse();
        assertThat(answers.getStatus().toCode()).isEqualTo("completed");
        assertThat(answers.getSubject().getReference()).isEqualTo("Patient/p-1");
        assertThat(answers.getBasedOnFirstRep().getReference()).isEqualTo("ServiceRequest/" + REFERRAL_ID);
        assertThat(answers.getAuthoredElement().getValueAsString()).isEqualTo("2026-11-21T09:15:00Z");
        assertThat(answers.getAuthor().getIdentifier().getValue()).isEqualTo("LW-1");
        assertThat(answers.getItem()).extracting(i -> i.getLinkId()).containsExactly("q1", "q2", "q3");
        assertThat(answers.getItem()).extracting(i -> i.getAnswerFirstRep().getValueIntegerType().getValue()).containsExactly(1, 3, 1);
    }
}
