package io.github.spfhir.adapter.domain.platformevent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.lifecycle.EventKind;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent;
import io.github.spfhir.adapter.domain.referral.BarsReferralReader;
import io.github.spfhir.adapter.domain.referral.Referral.CodedValue;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.validation.Problem;

/**
 * Reads a BaRS {@code servicerequest-response} message from a platform acting as the BaRS receiver of our
 * referral (standards.md §4: MessageHeader.eventCoding {@value BarsReferralReader#BARS_EVENT_SYSTEM} |
 * {@value BarsReferralReader#EVENT_REFERRAL_RESPONSE}, focus the ServiceRequest and/or the Task) into one
 * {@link ReferralEvent}.
 *
 * <ul>
 * <li>MessageHeader.response.code must be {@code ok}. {@code transient-error} and {@code fatal-error} say the
 * platform could not process our message, not what it decided about the referral: refused, not an event.</li>
 * <li>A Task in the focus decides (it is the more specific): accepted → ACCEPTED; rejected → DECLINED;
 * cancelled → CANCELLED, both with Task.statusReason as the reason. Otherwise the ServiceRequest: active →
 * ACCEPTED; revoked → DECLINED, because a response answers our request: the receiver refusing to take the
 * referral on is a decline (Task requested → rejected), whereas CANCELLED ends work already accepted. Any other
 * status is not a response's decision and is refused.</li>
 * <li>eventId = MessageHeader.id; referralId = the ServiceRequest's id, or the Task's focus; occurredAt =
 * Task.lastModified, else Bundle.timestamp (one is required); the link worker is the Task's owner when it is a
 * Practitioner or PractitionerRole.</li>
 * </ul>
 * Problems carry FHIRPath expressions such as {@code Bundle.entry[0].resource.ofType(MessageHeader).response.code}.
 */
@Component
public class BarsResponseReader {

    private static final String HEADER = "Bundle.entry[0].resource.ofType(MessageHeader)";

    /**
     * The event a response message says happened.
     *
     * @param platformId the platform that sent it
     * @param message    the message Bundle (parsed from JSON or XML by the caller)
     * @throws PlatformEventRejectedException (INVALID_CONTENT) with one problem per fault
     */
    public ReferralEvent read(String platformId, Bundle message) {
        List<Problem> problems = new ArrayList<>();
        if (message.getType() != Bundle.BundleType.MESSAGE) {
            problems.add(Problem.error(IssueType.INVALID, "Bundle.type must be message", "Bundle.type"));
        }
        if (message.getEntry().isEmpty() || !(message.getEntryFirstRep().getResource() instanceof MessageHeader)) {
            problems.add(Problem.error(IssueType.REQUIRED, "The first entry of a message Bundle must be a MessageHeader",
                    "Bundle.entry[0].resource"));
            throw rejected(platformId, problems);
        }
        MessageHeader header = (MessageHeader) message.getEntryFirstRep().getResource();

        String eventId = header.getIdElement().getIdPart();
        if (eventId != null && eventId.startsWith("urn:uuid:")) {
            // HAPI gives an entry's resource its urn:uuid fullUrl as id; the MessageHeader id is the bare UUID
            eventId = eventId.substring("urn:uuid:".length());
        }
        if (eventId == null || eventId.isBlank()) {
            problems.add(Problem.error(IssueType.REQUIRED, "MessageHeader.id is required: it is the event's id",
                    HEADER + ".id"));
        } else if (eventId.length() > ReferralEvent.MAX_EVENT_ID_LENGTH) {
            problems.add(Problem.error(IssueType.VALUE, "MessageHeader.id is longer than "
                    + ReferralEvent.MAX_EVENT_ID_LENGTH + " characters", HEADER + ".id"));
        }
        if (!(header.getEvent() instanceof Coding event)
                || !BarsReferralReader.BARS_EVENT_SYSTEM.equals(event.getSystem())
                || !BarsReferralReader.EVENT_REFERRAL_RESPONSE.equals(event.getCode())) {
            problems.add(Problem.error(IssueType.CODEINVALID, "MessageHeader.eventCoding must be "
                    + BarsReferralReader.BARS_EVENT_SYSTEM + " | " + BarsReferralReader.EVENT_REFERRAL_RESPONSE,
                    HEADER + ".event"));
        }
        if (!header.hasResponse() || header.getResponse().getCode() == null) {
            problems.add(Problem.error(IssueType.REQUIRED, "MessageHeader.response.code is required in a response",
                    HEADER + ".response.code"));
        } else if (header.getResponse().getCode() != MessageHeader.ResponseType.OK) {
            problems.add(Problem.error(IssueType.BUSINESSRULE, "MessageHeader.response.code "
                    + header.getResponse().getCode().toCode() + " says our message could not be processed, not what was"
                    + " decided about the referral: it is not a referral event", HEADER + ".response.code"));
        }

        ServiceRequest serviceRequest = null;
        Task task = null;
        int serviceRequestEntry = -1;
        int taskEntry = -1;
        for (Reference focus : header.getFocus()) {
            int entry = resolve(message, focus);
            Resource resource = entry < 0 ? null : message.getEntry().get(entry).getResource();
            if (resource instanceof ServiceRequest sr && serviceRequest == null) {
                serviceRequest = sr;
                serviceRequestEntry = entry;
            } else if (resource instanceof Task t && task == null) {
                task = t;
                taskEntry = entry;
            }
        }
        if (serviceRequest == null && task == null) {
            problems.add(Problem.error(IssueType.REQUIRED, "MessageHeader.focus must point to the ServiceRequest or the"
                    + " Task in the Bundle", HEADER + ".focus"));
            throw rejected(platformId, problems);
        }

        String referralId = null;
        if (serviceRequest != null) {
            referralId = serviceRequest.getIdElement().getIdPart();
            if (referralId == null) {
                problems.add(Problem.error(IssueType.REQUIRED, "The ServiceRequest must carry our id",
                        entry(serviceRequestEntry, "ServiceRequest") + ".id"));
            }
        }
        if (task != null) {
            String taskFocus = FhirEventParts.typeAndId(task.getFocus());
            String focusId = taskFocus != null && taskFocus.startsWith("ServiceRequest/")
                    ? taskFocus.substring("ServiceRequest/".length()) : null;
            if (focusId == null || (referralId != null && !referralId.equals(focusId))) {
                problems.add(Problem.error(IssueType.INVALID, "Task.focus must be the referral's ServiceRequest",
                        entry(taskEntry, "Task") + ".focus"));
            } else if (referralId == null) {
                referralId = focusId;
            }
        }

        EventKind kind;
        CodedValue reason = null;
        if (task != null) {
            String path = entry(taskEntry, "Task") + ".status";
            kind = switch (Objects.requireNonNullElse(task.getStatus(), Task.TaskStatus.NULL)) {
                case ACCEPTED -> EventKind.ACCEPTED;
                case REJECTED -> EventKind.DECLINED;
                case CANCELLED -> EventKind.CANCELLED;
                default -> null;
            };
            if (kind == null) {
                problems.add(Problem.error(IssueType.BUSINESSRULE, "Task.status in a referral response must be"
                        + " accepted, rejected or cancelled", path));
            } else if (kind != EventKind.ACCEPTED) {
                reason = FhirEventParts.codedValue(task.getStatusReason());
            }
        } else {
            String path = entry(serviceRequestEntry, "ServiceRequest") + ".status";
            kind = switch (Objects.requireNonNullElse(serviceRequest.getStatus(),
                    ServiceRequest.ServiceRequestStatus.NULL)) {
                case ACTIVE -> EventKind.ACCEPTED;
                case REVOKED -> EventKind.DECLINED;
                default -> null;
            };
            if (kind == null) {
                problems.add(Problem.error(IssueType.BUSINESSRULE, "ServiceRequest.status in a referral response must"
                        + " be active (accepted) or revoked (declined)", path));
            }
        }

        Instant occurredAt;
        if (task != null && task.hasLastModified()) {
            occurredAt = FhirEventParts.instant(task.getLastModifiedElement(), entry(taskEntry, "Task") + ".lastModified",
                    problems);
        } else {
            occurredAt = FhirEventParts.instant(message.getTimestampElement(), "Bundle.timestamp", problems);
        }
        if (!problems.isEmpty()) {
            throw rejected(platformId, problems);
        }
        ReferralEvent.LinkWorker linkWorker = task == null ? null : FhirEventParts.linkWorker(task.getOwner());
        return new ReferralEvent(platformId, eventId, kind, referralId, occurredAt, reason, linkWorker, null, null,
                null, null);
    }

    /** The index of the entry a reference points at: its fullUrl, or its Type/id; -1 when none. */
    private static int resolve(Bundle bundle, Reference reference) {
        if (reference == null || !reference.hasReference()) {
            return -1;
        }
        String target = reference.getReference();
        String typeAndId = FhirEventParts.typeAndId(reference);
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            Bundle.BundleEntryComponent entry = bundle.getEntry().get(i);
            Resource resource = entry.getResource();
            if (target.equals(entry.getFullUrl())) {
                return i;
            }
            if (resource != null && resource.getIdElement().hasIdPart()
                    && (resource.fhirType() + "/" + resource.getIdElement().getIdPart()).equals(typeAndId)) {
                return i;
            }
        }
        return -1;
    }

    private static String entry(int index, String type) {
        return "Bundle.entry[" + index + "].resource.ofType(" + type + ")";
    }

    private static PlatformEventRejectedException rejected(String platformId, List<Problem> problems) {
        return new PlatformEventRejectedException(platformId, RejectionReason.INVALID_CONTENT, problems);
    }
}
