package io.github.spfhir.adapter.domain.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.spfhir.adapter.domain.directory.DirectoryIds;
import io.github.spfhir.adapter.domain.referral.DeterministicIds;
import io.github.spfhir.adapter.domain.referral.Referral.CodedValue;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.domain.validation.Profiles;
import io.github.spfhir.adapter.support.TestConfigurations;

/** What the golden files do not show well: the mapping table, refusals of the event itself, ids, and edges. */
class ReferralLifecycleTest {

    private static final String REFERRAL_ID = "f5734bcf-1914-34e7-804e-97a914692ac3";
    private static final Instant NOW = TestConfigurations.NOW;
    private static final ReferralEvent.OnwardReferral WALKING_GROUP = new ReferralEvent.OnwardReferral(
            "example-oruk", "ac148810-d857-441c-9679-408f346de14b", "Example Walking Group");

    private final ReferralLifecycle lifecycle = new ReferralLifecycle(TestConfigurations.fixedClock());

    private static ReferralEvent event(EventKind kind, Instant occurredAt) {
        return new ReferralEvent("example-linkworker", "evt-" + kind, kind, REFERRAL_ID, occurredAt, null, null, null,
                kind == EventKind.ONWARD_REFERRAL ? WALKING_GROUP : null, null, null);
    }

    private static Task task(TaskStatus status, Instant lastModified) {
        Task task = LifecycleFixtures.startingTask();
        task.setStatus(status);
        if (lastModified != null) {
            task.setLastModifiedElement(new DateTimeType(java.util.Date.from(lastModified)));
        }
        return task;
    }

    private static ServiceRequest serviceRequest() {
        return LifecycleFixtures.startingServiceRequest();
    }

    @ParameterizedTest(name = "{0} from {1}: {2}, stage {3}")
    @CsvSource(nullValues = "none", value = {
            "ACCEPTED,             requested,   accepted,    none",
            "DECLINED,             requested,   rejected,    none",
            "CONTACT_ATTEMPTED,    accepted,    in-progress, contact-attempted",
            "CONTACT_MADE,         accepted,    in-progress, contacted",
            "APPOINTMENT_BOOKED,   in-progress, in-progress, first-appointment-booked",
            "APPOINTMENT_ATTENDED, in-progress, in-progress, appointment-attended",
            "DID_NOT_ATTEND,       in-progress, in-progress, did-not-attend",
            "ONWARD_REFERRAL,      in-progress, in-progress, connected-to-service",
            "RESUMED,              on-hold,     in-progress, none",
            "ON_HOLD,              in-progress, on-hold,     none",
            "FAILED,               in-progress, failed,      none",
            "DISCHARGED,           in-progress, completed,   discharged",
            "COMPLETED,            in-progress, completed,   none",
            "CANCELLED,            accepted,    cancelled,   none",
            "OUTCOME_RECORDED,     on-hold,     on-hold,     none"})
    void eachKindSetsItsStatusAndStage(EventKind kind, String from, String status, String stage) {
        LifecycleResult result = lifecycle.apply(event(kind, NOW.minusSeconds(60)),
                task(TaskStatus.fromCode(from), NOW.minusSeconds(3600)), serviceRequest());

        assertThat(result).isInstanceOfSatisfying(LifecycleResult.Applied.class, applied -> {
            assertThat(applied.task().getStatus().toCode()).isEqualTo(status);
            assertThat(applied.task().hasBusinessStatus() ? applied.task().getBusinessStatus().getCodingFirstRep().getCode() : null)
                    .isEqualTo(stage);
            if (stage != null) {
                assertThat(applied.task().getBusinessStatus().getCodingFirstRep().getSystem())
                        .isEqualTo(Profiles.BUSINESS_STATUS_CODE_SYSTEM);
            }
        });
    }

    @Test
    void everyKindIsInTheTableAbove() {
        for (EventKind kind : EventKind.values()) {
            assertThat(kind == EventKind.OUTCOME_RECORDED || ReferralLifecycle.targetStatus(kind) != null).as(kind.name()).isTrue();
        }
    }

    @Test
    void anEventWithoutOccurredAtIsRefusedAsRequired() {
        LifecycleResult result = lifecycle.apply(event(EventKind.ACCEPTED, null), task(TaskStatus.REQUESTED, null),
                serviceRequest());

        assertThat(result).isInstanceOfSatisfying(LifecycleResult.Refused.class, refused ->
                assertThat(refused.problems()).singleElement().satisfies(p -> {
                    assertThat(p.code()).isEqualTo(IssueType.REQUIRED);
                    assertThat(p.diagnostics()).contains("ACCEPTED event has no occurredAt");
                }));
    }

    @Test
    void aFutureDatedEventIsRefusedBeyondTheClockTolerance() {
        Instant tooLate = NOW.plus(ReferralLifecycle.CLOCK_TOLERANCE).plusSeconds(1);
        Instant withinSkew = NOW.plus(ReferralLifecycle.CLOCK_TOLERANCE);

        assertThat(lifecycle.apply(event(EventKind.ACCEPTED, tooLate), task(TaskStatus.REQUESTED, null), serviceRequest()))
                .isInstanceOfSatisfying(LifecycleResult.Refused.class, refused ->
                        assertThat(refused.problems()).singleElement().satisfies(p -> {
                            assertThat(p.code()).isEqualTo(IssueType.INVALID);
                            assertThat(p.diagnostics()).contains("2026-11-21T10:05:01Z").contains("future-dated");
                        }));
        assertThat(lifecycle.apply(event(EventKind.ACCEPTED, withinSkew), task(TaskStatus.REQUESTED, null), serviceRequest())
                .outcome()).isEqualTo(LifecycleResult.Outcome.APPLIED);
    }

    @Test
    void anEventDatedBeforeTheReferralWasMadeIsRefusedNotStoredAsAnInvalidTask() {
        Task task = task(TaskStatus.REQUESTED, null);
        Instant beforeReferral = task.getAuthoredOn().toInstant().minusSeconds(60);

        assertThat(lifecycle.apply(event(EventKind.ACCEPTED, beforeReferral), task, serviceRequest()))
                .isInstanceOfSatisfying(LifecycleResult.Refused.class, refused ->
                        assertThat(refused.problems()).singleElement().satisfies(p -> {
                            assertThat(p.code()).isEqualTo(IssueType.INVALID);
                            assertThat(p.expression()).isEqualTo("occurredAt");
                            assertThat(p.diagnostics()).contains("before the referral was made");
                        }));
    }

    @Test
    void anOnwardReferralThatNamesNoServiceIsRefused() {
        ReferralEvent noService = new ReferralEvent("example-linkworker", "evt-1", EventKind.ONWARD_REFERRAL, REFERRAL_ID,
                NOW, null, null, null, new ReferralEvent.OnwardReferral("example-oruk", " ", "A service"), null, null);

        assertThat(lifecycle.apply(noService, task(TaskStatus.INPROGRESS, null), serviceRequest()))
                .isInstanceOfSatisfying(LifecycleResult.Refused.class, refused ->
                        assertThat(refused.problems()).extracting(Problem::code).containsExactly(IssueType.REQUIRED));
    }

    @Test
    void anEventForAnotherReferralIsTheCallersMistake() {
        ReferralEvent other = new ReferralEvent("example-linkworker", "evt-1", EventKind.ACCEPTED, "another-referral",
                NOW, null, null, null, null, null, null);
        Task taskOfAnotherReferral = task(TaskStatus.REQUESTED, null);
        taskOfAnotherReferral.setFocus(new Reference("ServiceRequest/another-referral"));

        assertThatThrownBy(() -> lifecycle.apply(other, task(TaskStatus.REQUESTED, null), serviceRequest()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another-referral");
        assertThatThrownBy(() -> lifecycle.apply(event(EventKind.ACCEPTED, NOW), taskOfAnotherReferral, serviceRequest()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not the Task of ServiceRequest");
    }

    @Test
    void theOnwardReferralJoinsTheDirectoryAndHasAStableId() {
        LifecycleResult first = lifecycle.apply(event(EventKind.ONWARD_REFERRAL, NOW), task(TaskStatus.INPROGRESS, null),
                serviceRequest());
        LifecycleResult.Applied applied = (LifecycleResult.Applied) first;
        ServiceRequest onward = (ServiceRequest) applied.created().get(0);

        assertThat(onward.getIdElement().getIdPart()).isEqualTo(DeterministicIds.of("ServiceRequest",
                "onward|" + REFERRAL_ID + "|example-oruk|ac148810-d857-441c-9679-408f346de14b"));
        assertThat(onward.getPerformerFirstRep().getReference()).isEqualTo("HealthcareService/"
                + DirectoryIds.of("HealthcareService", "example-oruk", "ac148810-d857-441c-9679-408f346de14b"));
        assertThat(onward.getPerformerFirstRep().getIdentifier().getSystem())
                .isEqualTo(DirectoryIds.identifierSystem("example-oruk"));
        // no link worker named: the requester is the link-worker service that owns the Task
        assertThat(onward.getRequester().equalsDeep(task(TaskStatus.INPROGRESS, null).getOwner())).isTrue();

        // the same onward referral again: the same resource, listed once
        LifecycleResult.Applied again = (LifecycleResult.Applied) lifecycle.apply(event(EventKind.ONWARD_REFERRAL, NOW),
                applied.task(), serviceRequest());
        assertThat(again.created()).singleElement().satisfies(r -> assertThat(r.equalsDeep(onward)).isTrue());
        assertThat(again.task().getOutput()).hasSize(1);
    }

    @Test
    void theSameOutputTwiceIsListedOnceAndTheSecondTimeChangesNothing() {
        List<Reference> observation = List.of(new Reference("Observation/wemwbs-baseline-example"));
        LifecycleResult.Applied first = (LifecycleResult.Applied) lifecycle.apply(
                event(EventKind.OUTCOME_RECORDED, NOW), task(TaskStatus.INPROGRESS, null), serviceRequest(), observation);
        LifecycleResult.Applied second = (LifecycleResult.Applied) lifecycle.apply(
                event(EventKind.OUTCOME_RECORDED, NOW), first.task(), serviceRequest(), observation);

        assertThat(first.taskChanged()).isTrue();
        assertThat(first.task().getOutput()).singleElement().satisfies(o -> {
            assertThat(o.getType().getText()).isEqualTo(LifecycleProfiles.OUTPUT_OUTCOME_MEASURE);
            assertThat(o.getType().hasCoding()).isFalse();
        });
        assertThat(second.taskChanged()).isFalse();
        assertThat(second.task().getOutput()).hasSize(1);
        assertThat(second.gpChange()).isEqualTo(GpNotifiableChange.OUTCOME_RECORDED);
    }

    @Test
    void aServiceRequestAlreadyFinalIsNotOverwritten() {
        ServiceRequest revoked = serviceRequest();
        revoked.setStatus(ServiceRequest.ServiceRequestStatus.REVOKED);

        LifecycleResult.Applied applied = (LifecycleResult.Applied) lifecycle.apply(event(EventKind.COMPLETED, NOW),
                task(TaskStatus.INPROGRESS, null), revoked);

        assertThat(applied.task().getStatus()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(applied.changedServiceRequest()).isEmpty();
    }

    @Test
    void aReasonWithoutSystemIsKeptAsTextAndNeverQuotedInAProblem() {
        String reasonText = "Sam Example is in hospital";
        ReferralEvent onHold = new ReferralEvent("example-linkworker", "evt-1", EventKind.ON_HOLD, REFERRAL_ID, NOW,
                new CodedValue(null, "hospital", null, reasonText), null, null, null, null, "a free-text note");

        LifecycleResult.Applied applied = (LifecycleResult.Applied) lifecycle.apply(onHold, task(TaskStatus.INPROGRESS, null),
                serviceRequest());
        assertThat(applied.task().getStatusReason().getText()).isEqualTo(reasonText);
        assertThat(applied.task().getStatusReason().hasCoding()).isFalse();

        LifecycleResult refused = lifecycle.apply(onHold, task(TaskStatus.COMPLETED, null), serviceRequest());
        assertThat(refused).isInstanceOfSatisfying(LifecycleResult.Refused.class, r ->
                assertThat(r.problems()).allSatisfy(p -> assertThat(p.diagnostics())
                        .doesNotContain(reasonText).doesNotContain("hospital").doesNotContain("free-text")));
    }

    @Test
    void aStatusEventExactlyAtTheWatermarkIsNotStale() {
        Instant at = NOW.minusSeconds(600);
        LifecycleResult result = lifecycle.apply(event(EventKind.CONTACT_MADE, at), task(TaskStatus.ACCEPTED, at),
                serviceRequest());

        assertThat(result.outcome()).isEqualTo(LifecycleResult.Outcome.APPLIED);
    }

    @Test
    void anyStatusEventAfterEnteredInErrorIsRefusedAndAnyFactToo() {
        for (EventKind kind : EventKind.values()) {
            LifecycleResult result = lifecycle.apply(event(kind, NOW), task(TaskStatus.ENTEREDINERROR, null), serviceRequest());
            assertThat(result.outcome()).as(kind.name()).isEqualTo(LifecycleResult.Outcome.REFUSED);
        }
    }
}
