package io.github.spfhir.adapter.domain.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.referral.BarsReferralReader;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.domain.validation.Profiles;
import io.github.spfhir.adapter.domain.validation.ValidationResult;
import io.github.spfhir.adapter.support.GoldenFiles;
import io.github.spfhir.adapter.support.TestConfigurations;

/**
 * The message back to the GP: each scenario in {@code test-fixtures/gp-update/} against its golden file and the
 * validator, and the MessageHeader rules, the coded entry per change and the guards one by one.
 */
class GpUpdateMessageBuilderTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String OUR_BASE = "http://localhost:8080/fhir";
    private static FhirProfileValidator validator;

    private final GpUpdateMessageBuilder builder = new GpUpdateMessageBuilder(TestConfigurations.fixedClock(),
            TestConfigurations.properties("http://partner.test"));

    @BeforeAll
    static void buildValidatorOnce() {
        validator = new FhirProfileValidator(FHIR);
    }

    static List<String> scenarios() {
        return GpUpdateFixtures.scenarios();
    }

    @Test
    void theThreeScenariosAreThere() {
        assertThat(scenarios()).containsExactly("accepted", "completed-with-outcomes", "declined");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void messageMatchesGoldenFile(String scenario) {
        Bundle message = builder.build(GpUpdateFixtures.read(scenario));

        GoldenFiles.assertMatches(GpUpdateFixtures.expected(scenario), FHIR.newJsonParser().encodeResourceToString(message));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void theMessageAndEveryResourceInItValidate(String scenario) {
        Bundle message = builder.build(GpUpdateFixtures.read(scenario));

        assertThat(validator.validate(message).errors()).as("the message Bundle").isEmpty();
        for (Bundle.BundleEntryComponent entry : message.getEntry()) {
            ValidationResult result = validator.validate(entry.getResource());
            assertThat(result.errors()).as(entry.getFullUrl()).isEmpty();
        }
    }

    @Test
    void acceptedCarriesTheReferralCodeAsAValidCodedEntry() {
        Bundle message = builder.build(GpUpdateFixtures.read("accepted"));

        Observation entry = codedEntries(message).get(0);
        assertThat(codedEntries(message)).hasSize(1);
        assertThat(entry.getCode().getCodingFirstRep().getSystem()).isEqualTo(Profiles.SNOMED_CT);
        assertThat(entry.getCode().getCodingFirstRep().getCode()).isEqualTo("871731000000106");
        assertThat(entry.getStatus()).isEqualTo(Observation.ObservationStatus.FINAL);
        assertThat(entry.getSubject().getReference()).isEqualTo("Patient/f730adc3-17ab-343b-abb5-5395b79e34f0");
        assertThat(entry.getBasedOnFirstRep().getReference()).isEqualTo("ServiceRequest/f5734bcf-1914-34e7-804e-97a914692ac3");
        assertThat(entry.getEffectiveDateTimeType().getValue().toInstant()).isEqualTo("2026-11-20T11:00:00Z");
        assertThat(validator.validate(entry, CodedEntries.PROFILE).errors()).isEmpty();
    }

    @Test
    void declinedCarriesTheDeclinedCodeAndTheTaskWithItsReason() {
        Bundle message = builder.build(GpUpdateFixtures.read("declined"));

        assertThat(codedEntries(message)).singleElement().satisfies(entry -> {
            assertThat(entry.getCode().getCodingFirstRep().getCode()).isEqualTo("871711000000103");
            assertThat(validator.validate(entry, CodedEntries.PROFILE).errors()).isEmpty();
        });
        Task task = (Task) message.getEntry().get(1).getResource();
        assertThat(task.getStatus()).isEqualTo(Task.TaskStatus.REJECTED);
        assertThat(task.getStatusReason().getText()).isNotBlank();
    }

    @ParameterizedTest
    @EnumSource(value = GpChange.class, names = {"DECLINED_BY_SERVICE", "COMPLETED", "CANCELLED", "OUTCOME_RECORDED"})
    void changesWithoutAConfirmedCodeCarryNoCodedEntry(GpChange change) {
        Bundle message = builder.build(with(GpUpdateFixtures.read("completed-with-outcomes"), change));

        assertThat(codedEntries(message)).isEmpty();
        assertThat(message.getEntry()).extracting(e -> e.getResource().fhirType())
                .containsExactly("MessageHeader", "Task", "ServiceRequest", "Patient", "Observation", "Observation");
    }

    @Test
    void entriesComeInOrderWithAbsoluteFullUrlsUnderOurBase() {
        Bundle message = builder.build(GpUpdateFixtures.read("accepted"));

        assertThat(message.getType()).isEqualTo(Bundle.BundleType.MESSAGE);
        assertThat(message.getEntry()).extracting(e -> e.getResource().fhirType())
                .containsExactly("MessageHeader", "Task", "ServiceRequest", "Patient", "Observation");
        assertThat(message.getEntry()).allSatisfy(e -> assertThat(e.getFullUrl())
                .isEqualTo(OUR_BASE + "/" + e.getResource().fhirType() + "/" + e.getResource().getIdElement().getIdPart()));
        assertThat(message.getTimestamp().toInstant()).isEqualTo(TestConfigurations.NOW);
    }

    @Test
    void theMessageHeaderAnswersTheGpsReferralAsBarsFeedback() {
        GpUpdate update = GpUpdateFixtures.read("accepted");

        MessageHeader header = (MessageHeader) builder.build(update).getEntryFirstRep().getResource();

        assertThat(header.getIdElement().getIdPart()).isEqualTo(update.messageId());
        assertThat(header.getEventCoding().getSystem()).isEqualTo("https://fhir.nhs.uk/CodeSystem/message-events-bars");
        assertThat(header.getEventCoding().getCode()).isEqualTo("servicerequest-response");
        assertThat(header.getReason().getCodingFirstRep().getSystem()).isEqualTo(BarsReferralReader.BARS_REASON_SYSTEM);
        assertThat(header.getReason().getCodingFirstRep().getCode()).isEqualTo("new");
        assertThat(header.getResponse().getIdentifier()).isEqualTo("3f1d2c5e-8b7a-4c1e-9d2f-6a5b4c3d2e10");
        assertThat(header.getResponse().getCode()).isEqualTo(MessageHeader.ResponseType.OK);
        assertThat(header.getFocus()).extracting(Reference::getReference).containsExactly(
                "Task/7916720b-185f-3f44-b51e-e2cd3fd9decb", "ServiceRequest/f5734bcf-1914-34e7-804e-97a914692ac3");
        assertThat(header.getSource().getEndpoint()).isEqualTo(OUR_BASE);
        assertThat(header.getDestinationFirstRep().getEndpoint()).isEqualTo("https://gp-system.example.org/fhir/R4");
        assertThat(header.getDestinationFirstRep().getReceiver().getIdentifier().getSystem())
                .isEqualTo("https://fhir.nhs.uk/Id/ods-organization-code");
        assertThat(header.getDestinationFirstRep().getReceiver().getIdentifier().getValue()).isEqualTo("A81001");
        assertThat(header.getSender().getIdentifier().getValue()).isEqualTo("RX9LW");
        assertThat(header.hasDefinition()).as("no BaRS MessageDefinition fits a Task-focused message").isFalse();
    }

    @ParameterizedTest
    @EnumSource(GpChange.class)
    void reasonIsNewForTheFirstAnswerAndUpdateAfterwards(GpChange change) {
        MessageHeader header = (MessageHeader) builder.build(with(GpUpdateFixtures.read("accepted"), change))
                .getEntryFirstRep().getResource();

        String expected = switch (change) {
            case ACCEPTED, DECLINED, DECLINED_BY_SERVICE -> "new";
            case COMPLETED, FAILED, CANCELLED, OUTCOME_RECORDED -> "update";
        };
        assertThat(header.getReason().getCodingFirstRep().getCode()).isEqualTo(expected);
    }

    @Test
    void sameUpdateGivesTheSameMessageAndTheInputsAreNotChanged() {
        GpUpdate update = GpUpdateFixtures.read("completed-with-outcomes");
        String taskBefore = FHIR.newJsonParser().encodeResourceToString(update.task());

        String first = FHIR.newJsonParser().encodeResourceToString(builder.build(update));
        String second = FHIR.newJsonParser().encodeResourceToString(builder.build(update));

        assertThat(second).isEqualTo(first);
        assertThat(FHIR.newJsonParser().encodeResourceToString(update.task())).isEqualTo(taskBefore);
    }

    @Test
    void theCodedEntryIdIsOnePerReferralAndCode() {
        GpUpdate first = GpUpdateFixtures.read("accepted");
        GpUpdate resent = with(first, GpChange.ACCEPTED, GpUpdate.messageIdFor("7916720b-185f-3f44-b51e-e2cd3fd9decb", "another-event"));

        assertThat(codedEntries(builder.build(resent)).get(0).getId())
                .isEqualTo(codedEntries(builder.build(first)).get(0).getId());
        assertThat(codedEntries(builder.build(with(first, GpChange.DECLINED))).get(0).getId())
                .isNotEqualTo(codedEntries(builder.build(first)).get(0).getId());
    }

    @Test
    void messageIdsAreDeterministicPerTaskAndEvent() {
        assertThat(GpUpdate.messageIdFor("task-1", "event-1")).isEqualTo(GpUpdate.messageIdFor("task-1", "event-1"))
                .isNotEqualTo(GpUpdate.messageIdFor("task-1", "event-2"))
                .isNotEqualTo(GpUpdate.messageIdFor("task-2", "event-1"));
    }

    @Test
    void refusesATaskAboutAnotherPatientWithoutQuotingIt() {
        GpUpdate update = GpUpdateFixtures.read("accepted");
        update.task().setFor(new Reference("Patient/someone-else"));

        assertThatThrownBy(() -> builder.build(update))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Task.for does not reference the Patient of this update");
    }

    @Test
    void refusesATaskForAnotherReferral() {
        GpUpdate update = GpUpdateFixtures.read("accepted");
        update.task().setFocus(new Reference("ServiceRequest/another-referral"));

        assertThatThrownBy(() -> builder.build(update)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Task.focus");
    }

    @Test
    void refusesAnObservationAboutAnotherPatient() {
        GpUpdate update = GpUpdateFixtures.read("completed-with-outcomes");
        update.observations().get(1).setSubject(new Reference("Patient/someone-else"));

        assertThatThrownBy(() -> builder.build(update)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Observation.subject");
    }

    @Test
    void refusesAResourceWithoutId() {
        GpUpdate update = GpUpdateFixtures.read("accepted");
        update.patient().setIdElement(null);

        assertThatThrownBy(() -> builder.build(update)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Patient has no id");
    }

    @Test
    void anUpdateNeedsItsAddressing() {
        GpUpdate update = GpUpdateFixtures.read("accepted");

        assertThatThrownBy(() -> new GpUpdate(update.change(), update.task(), update.serviceRequest(), update.patient(),
                null, update.requestMessageHeaderId(), update.correlationId(), update.referringOdsCode(), " ",
                update.sender(), update.occurredAt(), update.messageId()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("gpEndpoint is required");
    }

    private static List<Observation> codedEntries(Bundle message) {
        return message.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(Observation.class::isInstance).map(Observation.class::cast)
                .filter(o -> o.getMeta().hasProfile(CodedEntries.PROFILE)).toList();
    }

    private static GpUpdate with(GpUpdate update, GpChange change) {
        return with(update, change, update.messageId());
    }

    private static GpUpdate with(GpUpdate update, GpChange change, String messageId) {
        return new GpUpdate(change, update.task(), update.serviceRequest(), update.patient(), update.observations(),
                update.requestMessageHeaderId(), update.correlationId(), update.referringOdsCode(), update.gpEndpoint(),
                update.sender(), update.occurredAt(), messageId);
    }
}
