package io.github.spfhir.adapter.domain.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.referral.Referral.CodedValue;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.domain.validation.Profiles;
import io.github.spfhir.adapter.domain.validation.Profiles.BusinessStatus;

/**
 * Applies one event from a link-worker platform to a referral's Task and ServiceRequest, under
 * {@link TaskStateMachine} (every platform event acts as the {@link Actor#PERFORMER}). Plain Java: the inputs
 * are never changed (it works on copies), time comes from the injected clock, and the same inputs always give
 * the same result.
 *
 * <p>The rules (the golden files in {@code test-fixtures/referral-lifecycle/} are their specification):
 * <ul>
 * <li><b>Status.</b> ACCEPTED: accepted. DECLINED: rejected. CONTACT_ATTEMPTED, CONTACT_MADE,
 * APPOINTMENT_BOOKED, APPOINTMENT_ATTENDED, DID_NOT_ATTEND, ONWARD_REFERRAL, RESUMED: in-progress. ON_HOLD:
 * on-hold. FAILED: failed. DISCHARGED, COMPLETED: completed. CANCELLED: cancelled. OUTCOME_RECORDED: no change.
 * <li><b>businessStatus</b> (the local code system {@link Profiles#BUSINESS_STATUS_CODE_SYSTEM}): the seven
 * stage events set their stage; other events keep the stage reached, except CANCELLED, which clears it: a
 * cancelled referral has no stage at the service, and a kept {@code first-appointment-booked} would read as an
 * appointment still pending. (On failed the stage stays: {@code did-not-attend} or {@code contact-attempted}
 * is why it failed.)
 * <li><b>statusReason</b>: the event's reason (coded when it has a system and code, else text) when the status
 * becomes rejected, cancelled, on-hold or failed; cleared on any other status change, so that an on-hold reason
 * does not outlive the pause.
 * <li><b>Order.</b> {@code Task.lastModified} is the ordering watermark: the {@code occurredAt} of the latest
 * applied event that set the status or stage. An event that occurred before it is stale. So is one whose status
 * the Task already has with nothing new (a second ACCEPTED, COMPLETED after DISCHARGED), and ACCEPTED once the
 * Task has gone past accepted. Facts (OUTCOME_RECORDED, ONWARD_REFERRAL) are added even when late, or when the
 * Task is completed or failed, but then never move the status, the stage or the watermark; nor does an
 * OUTCOME_RECORDED ever (it is not a status event, so a status event that happened before it and arrives after
 * it is still applied).
 * <li><b>Refused</b>: any other transition the state machine forbids (requested to in-progress, completed to
 * in-progress, accepted to rejected, anything after entered-in-error), a fact on a Task that cannot take one
 * (requested, rejected, cancelled, entered-in-error), an event without {@code occurredAt}, one dated more than
 * {@link #CLOCK_TOLERANCE} after now (a future-dated event would make every real event after it stale), and an
 * ONWARD_REFERRAL that names no directory service.
 * <li><b>ServiceRequest</b>: revoked when the Task becomes cancelled, completed when it becomes completed, unless
 * it is already final (completed, revoked, entered-in-error); otherwise unchanged.
 * <li><b>Task.output</b>: each reference the caller passes (what the event produced, such as an outcome
 * Observation) and the onward-referral ServiceRequest, once each, with a text-only type.
 * </ul>
 */
@Component
public class ReferralLifecycle {

    /** How far in the future an event may be dated, for the platforms' clock skew. */
    public static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(5);

    /** Where a fact (an outcome, an onward referral) can be added: the referral was taken on. */
    static final Set<TaskStatus> TAKES_FACTS = EnumSet.of(TaskStatus.ACCEPTED, TaskStatus.INPROGRESS,
            TaskStatus.ONHOLD, TaskStatus.COMPLETED, TaskStatus.FAILED);

    /** Statuses only reachable through accepted: an ACCEPTED event then is stale, not illegal. */
    private static final Set<TaskStatus> PAST_ACCEPTED = EnumSet.of(TaskStatus.INPROGRESS, TaskStatus.ONHOLD,
            TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED);

    /** The statuses whose event reason becomes Task.statusReason. */
    private static final Set<TaskStatus> REASONED = EnumSet.of(TaskStatus.REJECTED, TaskStatus.CANCELLED,
            TaskStatus.ONHOLD, TaskStatus.FAILED);

    private final Clock clock;

    public ReferralLifecycle(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@link #apply(ReferralEvent, Task, ServiceRequest, List)} for an event that produced no resources. */
    public LifecycleResult apply(ReferralEvent event, Task task, ServiceRequest serviceRequest) {
        return apply(event, task, serviceRequest, List.of());
    }

    /**
     * Applies {@code event} to the referral's current Task and social-prescribing ServiceRequest.
     *
     * @param event          the platform's event, for the referral {@code serviceRequest} is
     * @param task           the referral's current Task (its focus is {@code serviceRequest}); not changed
     * @param serviceRequest the social-prescribing ServiceRequest; not changed
     * @param outputs        references to resources the event produced (an outcome Observation, its
     *                       QuestionnaireResponse), to list in Task.output when the event is applied
     * @return applied, stale or refused; never null
     * @throws IllegalArgumentException when the event, the Task and the ServiceRequest are not of one referral,
     *                                  or the Task has no status (a caller's mistake, not the platform's)
     */
    public LifecycleResult apply(ReferralEvent event, Task task, ServiceRequest serviceRequest, List<Reference> outputs) {
        requireOneReferral(event, task, serviceRequest);
        List<Reference> produced = List.copyOf(Objects.requireNonNull(outputs, "outputs"));
        List<Problem> eventProblems = eventProblems(event, task);
        if (!eventProblems.isEmpty()) {
            return new LifecycleResult.Refused(eventProblems);
        }
        Change change = new Change(event, task, serviceRequest, produced);
        TaskStatus current = task.getStatus();
        EventKind kind = event.kind();

        if (kind == EventKind.OUTCOME_RECORDED) {
            if (!TAKES_FACTS.contains(current)) {
                return cannotTakeFact(current, kind, "an outcome");
            }
            return change.addFacts().applied(GpNotifiableChange.OUTCOME_RECORDED);
        }
        boolean fact = kind == EventKind.ONWARD_REFERRAL;
        if (fact && !TAKES_FACTS.contains(current)) {
            return cannotTakeFact(current, kind, "an onward referral");
        }

        TaskStatus target = targetStatus(kind);
        String stage = stage(kind);
        Instant occurredAt = event.occurredAt().truncatedTo(ChronoUnit.MILLIS);
        Instant watermark = task.hasLastModified() ? task.getLastModified().toInstant() : null;
        if (watermark != null && occurredAt.isBefore(watermark)) {
            if (fact) {
                return change.addFacts().applied(GpNotifiableChange.NONE);
            }
            return new LifecycleResult.Stale("The " + kind + " event occurred at " + occurredAt
                    + ", before the Task's last status change at " + watermark + "; the Task stays " + current.toCode());
        }
        if (target == current) {
            boolean newStage = stage != null && !stage.equals(stageOf(task));
            if (!newStage && !fact) {
                return new LifecycleResult.Stale("The Task is already " + current.toCode()
                        + (stage != null ? " at stage " + stage : "") + "; the " + kind + " event changes nothing");
            }
            return change.setStage(stage, occurredAt).addFacts().applied(GpNotifiableChange.NONE);
        }
        if (target == TaskStatus.ACCEPTED && PAST_ACCEPTED.contains(current)) {
            return new LifecycleResult.Stale("The Task is already " + current.toCode()
                    + ", past accepted; the " + kind + " event changes nothing");
        }
        if (fact && TaskStateMachine.isFinal(current)) {
            // a late-recorded onward referral of a closed referral: kept, without reopening the Task
            return change.addFacts().applied(GpNotifiableChange.NONE);
        }
        Optional<Problem> illegal = TaskStateMachine.check(current, target, Actor.PERFORMER);
        if (illegal.isPresent()) {
            Problem problem = illegal.get();
            return new LifecycleResult.Refused(List.of(Problem.error(problem.code(),
                    "The " + kind + " event cannot be applied. " + problem.diagnostics(), problem.expression())));
        }
        return change.moveTo(target, event.reason(), occurredAt).setStage(stage, occurredAt).addFacts()
                .applied(gpChange(target));
    }

    private static void requireOneReferral(ReferralEvent event, Task task, ServiceRequest serviceRequest) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(serviceRequest, "serviceRequest");
        if (event.kind() == null) {
            throw new IllegalArgumentException("event " + event.eventId() + " has no kind");
        }
        String referralId = serviceRequest.getIdElement().getIdPart();
        if (referralId == null || !referralId.equals(event.referralId())) {
            throw new IllegalArgumentException("event " + event.eventId() + " is for referral " + event.referralId()
                    + ", not ServiceRequest " + referralId);
        }
        String focus = task.getFocus().getReferenceElement().getIdPart();
        if (!referralId.equals(focus) || !"ServiceRequest".equals(task.getFocus().getReferenceElement().getResourceType())) {
            throw new IllegalArgumentException("Task " + task.getIdElement().getIdPart() + " is not the Task of ServiceRequest "
                    + referralId);
        }
        if (task.getStatus() == null || task.getStatus() == TaskStatus.NULL) {
            throw new IllegalArgumentException("Task " + task.getIdElement().getIdPart() + " has no status");
        }
    }

    /** What the event itself lacks, whatever the Task's state. */
    private List<Problem> eventProblems(ReferralEvent event, Task task) {
        List<Problem> problems = new ArrayList<>();
        if (event.occurredAt() == null) {
            problems.add(Problem.error(IssueType.REQUIRED,
                    "The " + event.kind() + " event has no occurredAt: it cannot be ordered against the referral's other events"));
        } else {
            Instant latest = clock.instant().plus(CLOCK_TOLERANCE);
            if (event.occurredAt().isAfter(latest)) {
                problems.add(Problem.error(IssueType.INVALID, "The " + event.kind() + " event occurred at "
                        + event.occurredAt() + ", more than " + CLOCK_TOLERANCE.toMinutes()
                        + " minutes after the adapter's clock (" + clock.instant() + "): a future-dated event would"
                        + " make every later event stale"));
            }
            // FHIR Task inv-1: lastModified >= authoredOn; an event before the referral existed is a wrong date
            if (task.hasAuthoredOn() && event.occurredAt().isBefore(task.getAuthoredOn().toInstant())) {
                problems.add(Problem.error(IssueType.INVALID, "The " + event.kind() + " event occurred at "
                        + event.occurredAt() + ", before the referral was made (" + task.getAuthoredOnElement()
                        .getValueAsString() + "): its date is wrong", "occurredAt"));
            }
        }
        if (event.kind() == EventKind.ONWARD_REFERRAL) {
            ReferralEvent.OnwardReferral onward = event.onwardReferral();
            if (onward == null || blank(onward.directorySourceId()) || blank(onward.serviceId())) {
                problems.add(Problem.error(IssueType.REQUIRED, "The ONWARD_REFERRAL event does not name the community"
                        + " service: it needs the directory source id and the service id"));
            }
        }
        return problems;
    }

    private static LifecycleResult cannotTakeFact(TaskStatus current, EventKind kind, String fact) {
        return new LifecycleResult.Refused(List.of(Problem.error(IssueType.BUSINESSRULE,
                "Task is " + current.toCode() + "; the " + kind + " event cannot add " + fact
                        + " to it (only to an accepted, in-progress, on-hold, completed or failed Task)",
                "Task.status")));
    }

    static TaskStatus targetStatus(EventKind kind) {
        return switch (kind) {
            case ACCEPTED -> TaskStatus.ACCEPTED;
            case DECLINED -> TaskStatus.REJECTED;
            case CONTACT_ATTEMPTED, CONTACT_MADE, APPOINTMENT_BOOKED, APPOINTMENT_ATTENDED, DID_NOT_ATTEND,
                    ONWARD_REFERRAL, RESUMED -> TaskStatus.INPROGRESS;
            case ON_HOLD -> TaskStatus.ONHOLD;
            case FAILED -> TaskStatus.FAILED;
            case DISCHARGED, COMPLETED -> TaskStatus.COMPLETED;
            case CANCELLED -> TaskStatus.CANCELLED;
            case OUTCOME_RECORDED -> null;
        };
    }

    /** The stage (a code of the local business-status code system) an event reports, or null. */
    static String stage(EventKind kind) {
        return switch (kind) {
            case CONTACT_ATTEMPTED -> BusinessStatus.CONTACT_ATTEMPTED;
            case CONTACT_MADE -> BusinessStatus.CONTACTED;
            case APPOINTMENT_BOOKED -> BusinessStatus.FIRST_APPOINTMENT_BOOKED;
            case APPOINTMENT_ATTENDED -> BusinessStatus.APPOINTMENT_ATTENDED;
            case DID_NOT_ATTEND -> BusinessStatus.DID_NOT_ATTEND;
            case ONWARD_REFERRAL -> BusinessStatus.CONNECTED_TO_SERVICE;
            case DISCHARGED -> BusinessStatus.DISCHARGED;
            default -> null;
        };
    }

    private static String stageOf(Task task) {
        return task.getBusinessStatus().getCoding().stream()
                .filter(c -> Profiles.BUSINESS_STATUS_CODE_SYSTEM.equals(c.getSystem()))
                .map(Coding::getCode).findFirst().orElse(null);
    }

    private static GpNotifiableChange gpChange(TaskStatus newStatus) {
        return switch (newStatus) {
            case ACCEPTED -> GpNotifiableChange.ACCEPTED;
            case REJECTED -> GpNotifiableChange.DECLINED;
            case COMPLETED -> GpNotifiableChange.COMPLETED;
            case CANCELLED -> GpNotifiableChange.CANCELLED;
            case FAILED -> GpNotifiableChange.FAILED;
            default -> GpNotifiableChange.NONE;
        };
    }

    private static String display(String stage) {
        return switch (stage) {
            case BusinessStatus.CONTACT_ATTEMPTED -> "Contact attempted";
            case BusinessStatus.CONTACTED -> "Contacted";
            case BusinessStatus.FIRST_APPOINTMENT_BOOKED -> "First appointment booked";
            case BusinessStatus.APPOINTMENT_ATTENDED -> "Appointment attended";
            case BusinessStatus.DID_NOT_ATTEND -> "Did not attend";
            case BusinessStatus.CONNECTED_TO_SERVICE -> "Connected to service";
            case BusinessStatus.DISCHARGED -> "Discharged";
            default -> throw new IllegalArgumentException("not a business status: " + stage);
        };
    }

    private static CodeableConcept reason(CodedValue reason) {
        if (!blank(reason.system()) && !blank(reason.code())) {
            CodeableConcept coded = new CodeableConcept(new Coding(reason.system(), reason.code(), reason.display()));
            if (!blank(reason.text())) {
                coded.setText(reason.text());
            }
            return coded;
        }
        String text = !blank(reason.text()) ? reason.text() : !blank(reason.display()) ? reason.display() : reason.code();
        return blank(text) ? null : new CodeableConcept().setText(text);
    }

    private static String outputType(Reference reference) {
        String type = reference.getReferenceElement().getResourceType();
        if (type == null && reference.hasType()) {
            type = reference.getType();
        }
        if ("Observation".equals(type)) {
            return LifecycleProfiles.OUTPUT_OUTCOME_MEASURE;
        }
        if ("QuestionnaireResponse".equals(type)) {
            return LifecycleProfiles.OUTPUT_OUTCOME_ANSWERS;
        }
        if ("ServiceRequest".equals(type)) {
            return LifecycleProfiles.OUTPUT_ONWARD_REFERRAL;
        }
        return LifecycleProfiles.OUTPUT_OTHER;
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** One event's changes, made on copies of the caller's Task and ServiceRequest. */
    private static final class Change {

        private final ReferralEvent event;
        private final Task original;
        private final Task task;
        private final ServiceRequest serviceRequest;
        private final List<Reference> outputs;
        private final List<Resource> created = new ArrayList<>();
        private boolean serviceRequestChanged;

        Change(ReferralEvent event, Task task, ServiceRequest serviceRequest, List<Reference> outputs) {
            this.event = event;
            this.original = task;
            this.task = task.copy();
            this.serviceRequest = serviceRequest.copy();
            this.outputs = outputs;
        }

        Change moveTo(TaskStatus target, CodedValue reason, Instant occurredAt) {
            task.setStatus(target);
            CodeableConcept statusReason = REASONED.contains(target) && reason != null ? reason(reason) : null;
            task.setStatusReason(statusReason);
            if (target == TaskStatus.CANCELLED) {
                task.setBusinessStatus(null);
            }
            task.setLastModifiedElement(OnwardReferrals.dateTime(occurredAt));
            ServiceRequestStatus follows = switch (target) {
                case CANCELLED -> ServiceRequestStatus.REVOKED;
                case COMPLETED -> ServiceRequestStatus.COMPLETED;
                default -> null;
            };
            ServiceRequestStatus now = serviceRequest.getStatus();
            boolean srFinal = now == ServiceRequestStatus.COMPLETED || now == ServiceRequestStatus.REVOKED
                    || now == ServiceRequestStatus.ENTEREDINERROR;
            if (follows != null && !srFinal) {
                serviceRequest.setStatus(follows);
                serviceRequestChanged = true;
            }
            return this;
        }

        Change setStage(String stage, Instant occurredAt) {
            if (stage != null) {
                task.setBusinessStatus(new CodeableConcept(
                        new Coding(Profiles.BUSINESS_STATUS_CODE_SYSTEM, stage, display(stage))));
                task.setLastModifiedElement(OnwardReferrals.dateTime(occurredAt));
            }
            return this;
        }

        Change addFacts() {
            if (event.kind() == EventKind.ONWARD_REFERRAL) {
                ServiceRequest onward = OnwardReferrals.build(event, serviceRequest, task);
                created.add(onward);
                addOutput(new Reference("ServiceRequest/" + onward.getIdElement().getIdPart()),
                        LifecycleProfiles.OUTPUT_ONWARD_REFERRAL);
            }
            for (Reference output : outputs) {
                addOutput(output.copy(), outputType(output));
            }
            return this;
        }

        private void addOutput(Reference reference, String typeText) {
            boolean present = task.getOutput().stream()
                    .anyMatch(o -> o.getValue() instanceof Reference existing && sameTarget(existing, reference));
            if (!present) {
                task.addOutput().setType(new CodeableConcept().setText(typeText)).setValue(reference);
            }
        }

        LifecycleResult applied(GpNotifiableChange gpChange) {
            return new LifecycleResult.Applied(task,
                    serviceRequestChanged ? Optional.of(serviceRequest) : Optional.empty(),
                    created, gpChange, !task.equalsDeep(original));
        }

        private static boolean sameTarget(Reference a, Reference b) {
            if (a.hasReference() || b.hasReference()) {
                return Objects.equals(a.getReference(), b.getReference());
            }
            return a.hasIdentifier() && b.hasIdentifier()
                    && Objects.equals(a.getIdentifier().getSystem(), b.getIdentifier().getSystem())
                    && Objects.equals(a.getIdentifier().getValue(), b.getIdentifier().getValue());
        }
    }
}
