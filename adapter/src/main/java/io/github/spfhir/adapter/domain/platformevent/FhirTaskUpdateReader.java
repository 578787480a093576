package io.github.spfhir.adapter.domain.platformevent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.directory.DirectoryIds;
import io.github.spfhir.adapter.domain.lifecycle.EventKind;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent;
import io.github.spfhir.adapter.domain.referral.Referral.CodedValue;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.domain.validation.Profiles;
import io.github.spfhir.adapter.domain.validation.Profiles.BusinessStatus;

/**
 * Reads what a platform that speaks FHIR says by updating our Task ({@code PUT Task/{id}}): the differences
 * between its Task and our stored one become canonical {@link ReferralEvent}s.
 *
 * <ul>
 * <li><b>Task.status</b> changed: accepted → ACCEPTED; rejected → DECLINED (reason: statusReason); in-progress
 * from on-hold → RESUMED; on-hold → ON_HOLD; failed → FAILED; completed → COMPLETED, or DISCHARGED when
 * businessStatus is {@code discharged}; cancelled → CANCELLED (ON_HOLD, FAILED, CANCELLED with statusReason).
 * in-progress from anything else says only that work began, so it must come with a businessStatus or service
 * that says what happened (CONTACT_MADE, ...). Other statuses (draft, requested, received, ready,
 * entered-in-error) are not a platform's to set.</li>
 * <li><b>Task.businessStatus</b> changed (codes of {@value Profiles#BUSINESS_STATUS_CODE_SYSTEM}): contact-attempted
 * → CONTACT_ATTEMPTED, contacted → CONTACT_MADE, first-appointment-booked → APPOINTMENT_BOOKED,
 * appointment-attended → APPOINTMENT_ATTENDED, did-not-attend → DID_NOT_ATTEND; connected-to-service needs the
 * service (below), discharged needs Task.status completed.</li>
 * <li><b>Task.output</b>: each new output referencing a HealthcareService by its directory identifier
 * ({@code https://spfhir.github.io/fhir/Id/directory/<source>} | the service's id there) → ONWARD_REFERRAL. A
 * businessStatus {@code connected-to-service} without such an output is refused: an onward referral we cannot
 * name the service of is not one we can record or report.</li>
 * </ul>
 *
 * <p>Order: ACCEPTED and RESUMED first, then the businessStatus event and the onward referrals, then the other
 * status events (the work ends after what happened in it). All share {@code occurredAt} = Task.lastModified
 * (required). Event ids: the caller's id (the request's X-Request-ID) when there is one event, else that id with
 * {@code #1}, {@code #2}, ... in this order, so a retried PUT gives the same ids. The link worker is the Task's
 * owner when it is a Practitioner or PractitionerRole; the note is the text of the notes added, on the last event.
 * Task updates carry no appointment time: appointmentAt is always null.
 */
@Component
public class FhirTaskUpdateReader {

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String DIRECTORY_SYSTEM_PREFIX = DirectoryIds.identifierSystem("");

    /**
     * The events one Task update says happened.
     *
     * @param platformId the platform that sent it
     * @param eventId    the caller's id for this update, the request's X-Request-ID
     * @param update     the Task as the platform sent it (parsed from JSON or XML by the caller)
     * @param current    our stored Task
     * @return the events in the order they happened; empty when nothing we track changed
     * @throws PlatformEventRejectedException (INVALID_CONTENT) with one problem per fault, each with its FHIRPath:
     *                                        a Task that is not ours (id, focus, for), no Task.lastModified, a
     *                                        status a platform cannot set, a businessStatus not of our code system
     */
    public List<ReferralEvent> read(String platformId, String eventId, Task update, Task current) {
        Objects.requireNonNull(eventId, "eventId");
        List<Problem> problems = new ArrayList<>();

        String ourId = current.getIdElement().getIdPart();
        if (!Objects.equals(update.getIdElement().getIdPart(), ourId)) {
            problems.add(Problem.error(IssueType.INVALID, "Task.id must be the id of the Task being updated", "Task.id"));
        }
        String ourFocus = FhirEventParts.typeAndId(current.getFocus());
        if (!Objects.equals(FhirEventParts.typeAndId(update.getFocus()), ourFocus)) {
            problems.add(Problem.error(IssueType.INVALID, "Task.focus must stay the referral's ServiceRequest ("
                    + ourFocus + ")", "Task.focus"));
        }
        if (!Objects.equals(FhirEventParts.typeAndId(update.getFor()), FhirEventParts.typeAndId(current.getFor()))) {
            problems.add(Problem.error(IssueType.INVALID, "Task.for must stay the person referred", "Task.for"));
        }
        Instant occurredAt = FhirEventParts.instant(update.getLastModifiedElement(), "Task.lastModified", problems);

        TaskStatus before = current.getStatus();
        TaskStatus after = update.getStatus();
        if (after == null) {
            problems.add(Problem.error(IssueType.REQUIRED, "Task.status is required", "Task.status"));
        }
        String businessBefore = businessStatus(current.getBusinessStatus(), null, null);
        String businessAfter = businessStatus(update.getBusinessStatus(), problems, "Task.businessStatus");
        boolean statusChanged = after != null && after != before;
        boolean businessChanged = businessAfter != null && !businessAfter.equals(businessBefore);

        List<Draft> first = new ArrayList<>();
        List<Draft> middle = new ArrayList<>();
        List<Draft> last = new ArrayList<>();
        CodedValue statusReason = FhirEventParts.codedValue(update.getStatusReason());
        boolean inProgressNeedsMore = false;
        if (statusChanged) {
            switch (after) {
                case ACCEPTED -> first.add(new Draft(EventKind.ACCEPTED, null, null));
                case REJECTED -> last.add(new Draft(EventKind.DECLINED, statusReason, null));
                case INPROGRESS -> {
                    if (before == TaskStatus.ONHOLD) {
                        first.add(new Draft(EventKind.RESUMED, null, null));
                    } else {
                        inProgressNeedsMore = true;
                    }
                }
                case ONHOLD -> last.add(new Draft(EventKind.ON_HOLD, statusReason, null));
                case FAILED -> last.add(new Draft(EventKind.FAILED, statusReason, null));
                case COMPLETED -> last.add(new Draft(BusinessStatus.DISCHARGED.equals(businessAfter)
                        ? EventKind.DISCHARGED : EventKind.COMPLETED, null, null));
                case CANCELLED -> last.add(new Draft(EventKind.CANCELLED, statusReason, null));
                default -> problems.add(Problem.error(IssueType.BUSINESSRULE, "Task.status " + after.toCode()
                        + " is not a status a link-worker platform sets (accepted, rejected, in-progress, on-hold,"
                        + " failed, completed or cancelled)", "Task.status"));
            }
        }

        List<ReferralEvent.OnwardReferral> services = newServices(update, current, problems);
        if (businessChanged) {
            switch (businessAfter) {
                case BusinessStatus.CONTACT_ATTEMPTED -> middle.add(new Draft(EventKind.CONTACT_ATTEMPTED, null, null));
                case BusinessStatus.CONTACTED -> middle.add(new Draft(EventKind.CONTACT_MADE, null, null));
                case BusinessStatus.FIRST_APPOINTMENT_BOOKED -> middle.add(new Draft(EventKind.APPOINTMENT_BOOKED, null, null));
                case BusinessStatus.APPOINTMENT_ATTENDED -> middle.add(new Draft(EventKind.APPOINTMENT_ATTENDED, null, null));
                case BusinessStatus.DID_NOT_ATTEND -> middle.add(new Draft(EventKind.DID_NOT_ATTEND, null, null));
                case BusinessStatus.CONNECTED_TO_SERVICE -> {
                    if (services.isEmpty()) {
                        problems.add(Problem.error(IssueType.REQUIRED, "Task.businessStatus connected-to-service needs"
                                + " the service in a new Task.output: a Reference to the HealthcareService by its"
                                + " directory identifier (system " + DIRECTORY_SYSTEM_PREFIX + "<source>)",
                                "Task.output"));
                    }
                }
                case BusinessStatus.DISCHARGED -> {
                    if (after != TaskStatus.COMPLETED) {
                        problems.add(Problem.error(IssueType.BUSINESSRULE, "Task.businessStatus discharged needs"
                                + " Task.status completed", "Task.businessStatus"));
                    } else if (!statusChanged) {
                        middle.add(new Draft(EventKind.DISCHARGED, null, null)); // completed earlier, discharged now
                    }
                }
                default -> throw new IllegalStateException("unchecked business status"); // businessStatus() checked it
            }
        }
        for (ReferralEvent.OnwardReferral service : services) {
            middle.add(new Draft(EventKind.ONWARD_REFERRAL, null, service));
        }
        if (inProgressNeedsMore && middle.isEmpty()) {
            problems.add(Problem.error(IssueType.BUSINESSRULE, "Task.status in-progress (not from on-hold) says only"
                    + " that work began: set Task.businessStatus to what happened (e.g. contacted)", "Task.status"));
        }
        if (!problems.isEmpty()) {
            throw new PlatformEventRejectedException(platformId, RejectionReason.INVALID_CONTENT, problems);
        }

        List<Draft> drafts = new ArrayList<>(first);
        drafts.addAll(middle);
        drafts.addAll(last);
        String referralId = current.getFocus().getReferenceElement().getIdPart();
        ReferralEvent.LinkWorker linkWorker = FhirEventParts.linkWorker(update.getOwner());
        String note = newNotes(update, current);
        List<ReferralEvent> events = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            Draft draft = drafts.get(i);
            events.add(new ReferralEvent(platformId, drafts.size() == 1 ? eventId : eventId + "#" + (i + 1),
                    draft.kind(), referralId, occurredAt, draft.reason(), linkWorker, null, draft.service(), null,
                    i == drafts.size() - 1 ? note : null));
        }
        return events;
    }

    /** One event before ids are given. */
    private record Draft(EventKind kind, CodedValue reason, ReferralEvent.OnwardReferral service) {
    }

    /**
     * The code of our business-status system in a businessStatus, or null when there is none. When
     * {@code problems} is given, a businessStatus without one of our codes is recorded as a problem.
     */
    private static String businessStatus(CodeableConcept concept, List<Problem> problems, String path) {
        if (concept == null || concept.isEmpty()) {
            return null;
        }
        for (Coding coding : concept.getCoding()) {
            if (Profiles.BUSINESS_STATUS_CODE_SYSTEM.equals(coding.getSystem())) {
                String code = coding.getCode();
                if (KNOWN_BUSINESS_STATUSES.contains(code)) {
                    return code;
                }
                if (problems != null) {
                    problems.add(Problem.error(IssueType.CODEINVALID, path + " code "
                            + (code != null && CODE.matcher(code).matches() ? "'" + code + "' " : "")
                            + "is not in " + Profiles.BUSINESS_STATUS_CODE_SYSTEM, path));
                }
                return null;
            }
        }
        if (problems != null) {
            problems.add(Problem.error(IssueType.CODEINVALID, path + " must carry a code of "
                    + Profiles.BUSINESS_STATUS_CODE_SYSTEM, path));
        }
        return null;
    }

    private static final Set<String> KNOWN_BUSINESS_STATUSES = Set.of(BusinessStatus.CONTACT_ATTEMPTED,
            BusinessStatus.CONTACTED, BusinessStatus.FIRST_APPOINTMENT_BOOKED, BusinessStatus.APPOINTMENT_ATTENDED,
            BusinessStatus.DID_NOT_ATTEND, BusinessStatus.CONNECTED_TO_SERVICE, BusinessStatus.DISCHARGED);

    /** The services of outputs that reference a HealthcareService and that our Task does not have yet. */
    private static List<ReferralEvent.OnwardReferral> newServices(Task update, Task current, List<Problem> problems) {
        Set<String> known = new HashSet<>();
        for (Task.TaskOutputComponent output : current.getOutput()) {
            if (output.getValue() instanceof Reference reference) {
                known.add(key(reference));
            }
        }
        List<ReferralEvent.OnwardReferral> services = new ArrayList<>();
        for (int i = 0; i < update.getOutput().size(); i++) {
            if (!(update.getOutput().get(i).getValue() instanceof Reference reference) || !isHealthcareService(reference)
                    || known.contains(key(reference))) {
                continue;
            }
            String path = "Task.output[" + i + "].value.ofType(Reference)";
            String system = reference.getIdentifier().getSystem();
            String value = reference.getIdentifier().getValue();
            if (system == null || !system.startsWith(DIRECTORY_SYSTEM_PREFIX) || system.length() == DIRECTORY_SYSTEM_PREFIX.length()
                    || value == null || value.isBlank()) {
                problems.add(Problem.error(IssueType.VALUE, path + " must name the HealthcareService by its directory"
                        + " identifier (system " + DIRECTORY_SYSTEM_PREFIX + "<source>, value its id at that source)",
                        path + ".identifier"));
                continue;
            }
            services.add(new ReferralEvent.OnwardReferral(system.substring(DIRECTORY_SYSTEM_PREFIX.length()), value,
                    reference.hasDisplay() ? reference.getDisplay() : null));
        }
        return services;
    }

    private static boolean isHealthcareService(Reference reference) {
        String typeAndId = FhirEventParts.typeAndId(reference);
        return "HealthcareService".equals(reference.getType())
                || (typeAndId != null && typeAndId.startsWith("HealthcareService/"));
    }

    private static String key(Reference reference) {
        if (reference.getIdentifier().hasValue()) {
            return reference.getIdentifier().getSystem() + "|" + reference.getIdentifier().getValue();
        }
        return String.valueOf(FhirEventParts.typeAndId(reference));
    }

    /** The text of the notes the update adds (patient data: never logged), or null. */
    private static String newNotes(Task update, Task current) {
        Set<String> known = new HashSet<>();
        current.getNote().forEach(note -> known.add(note.getText()));
        List<String> added = update.getNote().stream()
                .map(Annotation::getText)
                .filter(text -> text != null && !text.isBlank() && !known.contains(text))
                .toList();
        return added.isEmpty() ? null : String.join("\n\n", added);
    }
}
