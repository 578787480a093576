package io.github.spfhir.adapter.domain.lifecycle;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.platformevent.BarsResponseReader;
import io.github.spfhir.adapter.domain.platformevent.FhirObservationReader;
import io.github.spfhir.adapter.domain.platformevent.FhirTaskUpdateReader;
import io.github.spfhir.adapter.domain.referral.InboundMessage.FhirFormat;
import io.github.spfhir.adapter.domain.referral.ReferralBundleParser;
import io.github.spfhir.adapter.domain.referral.RejectedMessageException;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.store.MessageStore;
import io.github.spfhir.adapter.store.StoredEvent;
import io.github.spfhir.adapter.store.StoredResource;

/**
 * Reads the events of platforms that speak FHIR: an update of our Task ({@link InboundEvent.Shape#FHIR_TASK},
 * {@code PUT Task/{id}}), a BaRS {@code servicerequest-response} message ({@link InboundEvent.Shape#BARS_RESPONSE},
 * {@code $process-message}) and an outcome-measure Observation created ({@link InboundEvent.Shape#FHIR_OBSERVATION},
 * {@code POST Observation}). The FHIR readers ({@link FhirTaskUpdateReader}, {@link BarsResponseReader},
 * {@link FhirObservationReader}) say what happened; this class finds what they need from the store and who the event
 * is from.
 *
 * <p>Neither way names the platform: it is the referral's link-worker destination ({@link LinkWorkerPlatforms}), so
 * events are only ever taken for the platform the referral was delivered to. Callers are not authenticated yet
 * (issue #6, which will check that the caller is that platform); until then these endpoints must only be reachable
 * from the platforms' networks.
 *
 * <p>A Task update is read as the difference between the Task sent and our current one:
 * <ul>
 * <li>its X-Request-ID is the event id: an update whose X-Request-ID was received before is that same update again
 * (a retry after a lost answer) and is answered as a duplicate, never read again against the Task it has since
 * moved (which would read differently);</li>
 * <li>{@code If-Match} (a version ETag, {@code W/"3"}) must name the current version, or the update is refused with
 * 412; either way the events carry the version they were read against, checked again under the referral's lock
 * ({@link ReferralEventService}), so an update never overwrites a change it has not seen;</li>
 * <li>several events from one update each get a message id of their own (derived from the request's), since each
 * is stored as an event.</li>
 * </ul>
 */
@Component
public class FhirPlatformEventReader {

    /** The header that makes a FHIR update conditional on the version it was made against. */
    public static final String IF_MATCH = "If-Match";

    /** FHIR's id: only such a value is ever quoted back. */
    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    /** A version ETag as our reads give it ({@code W/"3"}), or the strong form. */
    private static final Pattern VERSION_ETAG = Pattern.compile("^(?:W/)?\"(\\d{1,9})\"$");
    private static final String HEADER = "Bundle.entry[0].resource.ofType(MessageHeader)";

    private final MessageStore store;
    private final LinkWorkerPlatforms platforms;
    private final FhirTaskUpdateReader taskUpdates;
    private final BarsResponseReader responses;
    private final FhirObservationReader observations;
    private final ReferralBundleParser parser;
    private final FhirContext fhirContext;

    public FhirPlatformEventReader(MessageStore store, LinkWorkerPlatforms platforms, FhirTaskUpdateReader taskUpdates,
            BarsResponseReader responses, FhirObservationReader observations, ReferralBundleParser parser,
            FhirContext fhirContext) {
        this.store = store;
        this.platforms = platforms;
        this.taskUpdates = taskUpdates;
        this.responses = responses;
        this.observations = observations;
        this.parser = parser;
        this.fhirContext = fhirContext;
    }

    /**
     * The events of a FHIR update of our Task.
     *
     * @throws RejectedMessageException UNKNOWN_REFERRAL (404) for a Task we do not hold; INVALID_HEADERS (400) for an
     *                                  unreadable If-Match; PRECONDITION_FAILED (412) when If-Match is not the current
     *                                  version; UNPARSEABLE (400) or INVALID_REQUEST (400) for a body that is not
     *                                  this Task; INVALID_CONTENT (422) for an update that cannot be read as events
     */
    public ReceivedEvents taskUpdate(InboundEvent inbound) {
        Objects.requireNonNull(inbound.requestId(), "a Task update's X-Request-ID (its event id)");
        String taskId = Objects.requireNonNull(inbound.taskId(), "the Task id of the URL");
        StoredResource stored = store.readResource("Task", taskId).orElseThrow(() -> unknownTask(taskId));
        Task current = fhirContext.newJsonParser().parseResource(Task.class, stored.json());
        current.setId(stored.id());
        String referralId = current.getFocus().getReferenceElement().getIdPart();
        String platformId = platforms.of(referralId).orElseThrow(() -> unknownTask(taskId));

        Optional<StoredEvent> earlier = store.findEvent(platformId, inbound.requestId())
                .or(() -> store.findEvent(platformId, inbound.requestId() + "#1"));
        if (earlier.isPresent()) {
            // the same update again: answered from what was stored (ReferralEventService counts it as a duplicate)
            return ReceivedEvents.of(new ReceivedEvent(inbound.readAs(inbound.messageId(), platformId),
                    repeated(earlier.get())));
        }
        requireCurrentVersion(inbound.headers().get(IF_MATCH), stored);

        Task update = parseTask(inbound, taskId);
        List<ReferralEvent> events = taskUpdates.read(platformId, inbound.requestId(), update, current);
        List<ReceivedEvent> received = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            String messageId = i == 0 ? inbound.messageId()
                    : UUID.nameUUIDFromBytes((inbound.messageId() + "#" + (i + 1)).getBytes(StandardCharsets.UTF_8))
                            .toString();
            received.add(new ReceivedEvent(inbound.readAs(messageId, platformId), events.get(i)));
        }
        return new ReceivedEvents(referralId, received, stored.versionId());
    }

    /**
     * The event of a BaRS {@code servicerequest-response} message from a platform acting as the receiver of our
     * referral.
     *
     * @throws RejectedMessageException INVALID_CONTENT (422) for a message that cannot be read as an event;
     *                                  UNKNOWN_REFERRAL (404) for a referral we do not hold
     */
    public ReceivedEvents barsResponse(InboundEvent inbound) {
        IBaseResource resource = parser.parseResource(formatOf(inbound.contentType()), inbound.body());
        if (!(resource instanceof Bundle bundle)) {
            throw new RejectedMessageException(RejectionReason.INVALID_CONTENT, Problem.error(IssueType.INVALID,
                    "Expected a message Bundle but the body is a " + resource.fhirType(), resource.fhirType()));
        }
        // the message is read before its platform is known: the platform is the referral's, named in the message
        ReferralEvent read = responses.read(null, bundle);
        String platformId = platforms.of(read.referralId()).orElseThrow(() -> new RejectedMessageException(
                RejectionReason.UNKNOWN_REFERRAL, Problem.error(IssueType.NOTFOUND, "No referral "
                        + quotable(read.referralId()) + " is held here", HEADER + ".focus")));
        ReferralEvent event = new ReferralEvent(platformId, read.eventId(), read.kind(), read.referralId(),
                read.occurredAt(), read.reason(), read.linkWorker(), read.appointmentAt(), read.onwardReferral(),
                read.measure(), read.note());
        return ReceivedEvents.of(new ReceivedEvent(inbound.readAs(inbound.messageId(), platformId), event));
    }

    /**
     * The outcome-measure event of an Observation a platform creates ({@code POST Observation}), about the referral
     * it is {@code basedOn}. Its X-Request-ID is the event id: an Observation whose X-Request-ID was received before
     * is that same measure again (a retry after a lost answer) and is answered as a duplicate, whatever its body.
     *
     * @throws RejectedMessageException UNPARSEABLE (400) for a body that is not FHIR; INVALID_REQUEST (400) for one
     *                                  that is not an Observation; UNKNOWN_REFERRAL (404) when basedOn names a
     *                                  referral we do not hold or that was delivered to no link-worker platform;
     *                                  DUPLICATE (409) when the X-Request-ID was the id of another kind of event;
     *                                  INVALID_CONTENT (422) for an Observation that cannot be read as an outcome
     *                                  measure (unknown code, out of range, no effectiveDateTime, ...)
     */
    public ReceivedEvents observationCreate(InboundEvent inbound) {
        String eventId = Objects.requireNonNull(inbound.requestId(), "an Observation create's X-Request-ID (its event id)");
        IBaseResource resource = parser.parseResource(formatOf(inbound.contentType()), inbound.body());
        if (!(resource instanceof Observation posted)) {
            throw new RejectedMessageException(RejectionReason.INVALID_REQUEST, Problem.error(IssueType.INVALID,
                    "The body of POST Observation must be an Observation, not a " + resource.fhirType()));
        }
        String referralId = observations.referralId(posted);
        String platformId = platforms.of(referralId).orElseThrow(() -> unknownReferral(referralId));

        Optional<StoredEvent> earlier = store.findEvent(platformId, eventId);
        if (earlier.isPresent()) {
            StoredEvent stored = earlier.get();
            if (!EventKind.OUTCOME_RECORDED.name().equals(stored.kind()) || !referralId.equals(stored.referralId())) {
                throw new RejectedMessageException(RejectionReason.DUPLICATE, Problem.error(IssueType.DUPLICATE,
                        "This X-Request-ID is the id of another event received before, not of an outcome measure of"
                                + " this referral: send each Observation with an X-Request-ID of its own"));
            }
            // the same measure again: answered from what was stored (ReferralEventService counts it as a duplicate)
            return ReceivedEvents.of(new ReceivedEvent(inbound.readAs(inbound.messageId(), platformId), repeated(stored)));
        }
        StoredResource referral = store.readResource("ServiceRequest", referralId)
                .orElseThrow(() -> unknownReferral(referralId));
        String patient = fhirContext.newJsonParser().parseResource(ServiceRequest.class, referral.json()).getSubject()
                .getReference();
        ReferralEvent event = observations.read(platformId, eventId, posted, patient);
        return ReceivedEvents.of(new ReceivedEvent(inbound.readAs(inbound.messageId(), platformId), event));
    }

    /** If-Match, when sent, must name the Task's current version; {@code *} matches any. */
    private static void requireCurrentVersion(String ifMatch, StoredResource stored) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
            return;
        }
        Matcher version = VERSION_ETAG.matcher(ifMatch.trim());
        if (!version.matches()) {
            throw new RejectedMessageException(RejectionReason.INVALID_HEADERS, Problem.error(IssueType.VALUE,
                    "The " + IF_MATCH + " header must be the version ETag of a read of the Task, such as W/\"1\""));
        }
        if (Integer.parseInt(version.group(1)) != stored.versionId()) {
            throw new RejectedMessageException(RejectionReason.PRECONDITION_FAILED, Problem.error(IssueType.CONFLICT,
                    "The update was made against version " + version.group(1) + " of Task/" + stored.id()
                            + " but its current version is " + stored.versionId() + ": read the Task again and send"
                            + " the update made against it", "Task.meta.versionId"));
        }
    }

    /** The body must be this Task (FHIR update: the body's id is the URL's). */
    private Task parseTask(InboundEvent inbound, String taskId) {
        IBaseResource resource = parser.parseResource(formatOf(inbound.contentType()), inbound.body());
        if (!(resource instanceof Task update)) {
            throw new RejectedMessageException(RejectionReason.INVALID_REQUEST, Problem.error(IssueType.INVALID,
                    "The body of PUT Task/" + taskId + " must be a Task, not a " + resource.fhirType()));
        }
        String bodyId = update.getIdElement().getIdPart();
        if (bodyId == null || !bodyId.equals(taskId)) {
            throw new RejectedMessageException(RejectionReason.INVALID_REQUEST, Problem.error(IssueType.INVALID,
                    "Task.id must be the id in the URL (" + taskId + "), as a FHIR update requires", "Task.id"));
        }
        return update;
    }

    /** The event stored for an earlier copy of this update: enough for the duplicate to be recognised and counted. */
    private static ReferralEvent repeated(StoredEvent earlier) {
        return new ReferralEvent(earlier.platformId(), earlier.eventId(), EventKind.valueOf(earlier.kind()),
                earlier.referralId(), earlier.occurredAt(), null, null, null, null, null, null);
    }

    /** The endpoints take only FHIR JSON or XML (checked before the route), so the media type says which. */
    private static FhirFormat formatOf(String contentType) {
        return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("xml")
                ? FhirFormat.XML : FhirFormat.JSON;
    }

    private static RejectedMessageException unknownTask(String taskId) {
        return new RejectedMessageException(RejectionReason.UNKNOWN_REFERRAL,
                Problem.error(IssueType.NOTFOUND, "Task/" + quotable(taskId) + " is not known"));
    }

    private static RejectedMessageException unknownReferral(String referralId) {
        return new RejectedMessageException(RejectionReason.UNKNOWN_REFERRAL, Problem.error(IssueType.NOTFOUND,
                "No referral " + quotable(referralId) + " delivered to a link-worker platform is held here",
                "Observation.basedOn"));
    }

    private static String quotable(String id) {
        return id != null && FHIR_ID.matcher(id).matches() ? id : "(not shown)";
    }
}
