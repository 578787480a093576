package io.github.spfhir.adapter.domain.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.dataplatform.DataPlatformPlanner;
import io.github.spfhir.adapter.domain.gp.GpUpdatePlanner;
import io.github.spfhir.adapter.domain.outcome.MappedOutcome;
import io.github.spfhir.adapter.domain.outcome.OutcomeMeasureRejectedException;
import io.github.spfhir.adapter.domain.outcome.OutcomeObservationMapper;
import io.github.spfhir.adapter.domain.referral.PlannedDelivery;
import io.github.spfhir.adapter.domain.referral.RejectedMessageException;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.validation.EmittedResourceValidator;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.store.MessageStore;
import io.github.spfhir.adapter.store.StoredEvent;
import io.github.spfhir.adapter.store.StoredResource;

/**
 * Applies the canonical events of one inbound event to their referral, all under the referral's lock and in one
 * transaction: the events of one FHIR Task update are applied together or not at all, and an update read against a
 * version of the Task that is no longer current is refused (412) rather than applied over a change it has not seen.
 * For each event: a repeated event id is counted and changes nothing; an outcome measure becomes an Observation
 * (checked: code, range); the Task moves only where its state machine allows, never backwards; every changed
 * resource is validated against its profile; then the event, the new resource versions and the deliveries (the
 * message back to the GP system, the data-platform update) are stored together. Logs carry ids only.
 */
@Service
public class ReferralEventService {

    private static final Logger LOG = LoggerFactory.getLogger(ReferralEventService.class);

    private final MessageStore store;
    private final ReferralLifecycle lifecycle;
    private final OutcomeObservationMapper outcomes;
    private final EmittedResourceValidator validator;
    private final GpUpdatePlanner gpUpdates;
    private final DataPlatformPlanner dataPlatforms;
    private final FhirContext fhirContext;
    private final LinkWorkerPlatforms platforms;

    public ReferralEventService(MessageStore store, ReferralLifecycle lifecycle, OutcomeObservationMapper outcomes,
            EmittedResourceValidator validator, GpUpdatePlanner gpUpdates, DataPlatformPlanner dataPlatforms,
            FhirContext fhirContext, LinkWorkerPlatforms platforms) {
        this.store = store;
        this.lifecycle = lifecycle;
        this.outcomes = outcomes;
        this.validator = validator;
        this.gpUpdates = gpUpdates;
        this.dataPlatforms = dataPlatforms;
        this.fhirContext = fhirContext;
        this.platforms = platforms;
    }

    /**
     * Applies the events, in order, all or none.
     *
     * @return what each event came to; no events when there were none
     * @throws RejectedMessageException UNKNOWN_REFERRAL, ILLEGAL_TRANSITION, INVALID_CONTENT or PRECONDITION_FAILED;
     *                                  nothing is stored then
     */
    public HandledEvents handle(ReceivedEvents received) {
        if (received.events().isEmpty()) {
            return new HandledEvents(received.referralId(), List.of());
        }
        ReferralEvent first = received.events().get(0).event();
        return store.inReferralTransaction(received.referralId(), () -> {
            requireTaskVersion(received);
            List<HandledEvent> handled = new ArrayList<>();
            for (ReceivedEvent each : received.events()) {
                handled.add(handleLocked(each));
            }
            return new HandledEvents(received.referralId(), handled);
        }).orElseThrow(() -> unknownReferral(first));
    }

    /**
     * Events read against a version of the Task must find that version still current (a repeat is let through: it is
     * answered as a duplicate, whatever the Task's version now).
     */
    private void requireTaskVersion(ReceivedEvents received) {
        ReferralEvent first = received.events().get(0).event();
        if (received.taskVersion() == null || store.findEvent(first.platformId(), first.eventId()).isPresent()) {
            return;
        }
        StoredResource task = store.search("Task", "focus", "ServiceRequest/" + received.referralId()).stream()
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("referral " + received.referralId() + " has no Task"));
        if (task.versionId() != received.taskVersion()) {
            throw new RejectedMessageException(RejectionReason.PRECONDITION_FAILED, Problem.error(IssueType.CONFLICT,
                    "Task/" + task.id() + " changed (it is now version " + task.versionId() + ") while this update, "
                            + "made against version " + received.taskVersion() + ", was read: read the Task again "
                            + "and send the update made against it", "Task.meta.versionId"));
        }
    }

    private HandledEvent handleLocked(ReceivedEvent received) {
        InboundEvent inbound = received.inbound();
        ReferralEvent event = received.event();
        Optional<StoredEvent> earlier = store.findEvent(event.platformId(), event.eventId());
        if (earlier.isPresent()) {
            store.recordDuplicateEvent(event.platformId(), event.eventId());
            LOG.info("Event {} from {} for referral {} was received before ({}); counted, not applied again",
                    event.eventId(), event.platformId(), event.referralId(), earlier.get().outcome());
            return new HandledEvent(event, HandledEvent.Outcome.DUPLICATE, "Event " + event.eventId()
                    + " was received before (" + earlier.get().outcome() + "); nothing changed", List.of());
        }
        if (!platforms.isAddressedTo(event.referralId(), event.platformId())) {
            // the same answer as for a referral we do not hold: a platform learns nothing of others' referrals
            throw unknownReferral(event);
        }
        ServiceRequest serviceRequest = read("ServiceRequest", event.referralId(), ServiceRequest.class)
                .orElseThrow(() -> unknownReferral(event));
        Task task = store.search("Task", "focus", "ServiceRequest/" + event.referralId()).stream().findFirst()
                .map(stored -> parse(stored, Task.class))
                .orElseThrow(() -> new IllegalStateException("referral " + event.referralId() + " has no Task"));

        List<Resource> outputs = event.kind() == EventKind.OUTCOME_RECORDED ? outcome(event, serviceRequest) : List.of();
        List<Reference> outputReferences = outputs.stream().filter(Observation.class::isInstance)
                .map(r -> new Reference(r.fhirType() + "/" + r.getIdElement().getIdPart())).toList();

        LifecycleResult result = lifecycle.apply(event, task, serviceRequest, outputReferences);
        switch (result.outcome()) {
            case REFUSED -> throw refusal(((LifecycleResult.Refused) result).problems());
            case STALE -> {
                String reason = ((LifecycleResult.Stale) result).reason();
                store.storeEvent(record(inbound, event, "STALE", reason), List.of(), List.of());
                LOG.info("Event {} ({}) from {} for referral {} is stale; recorded, not applied", event.eventId(),
                        event.kind(), event.platformId(), event.referralId());
                return new HandledEvent(event, HandledEvent.Outcome.STALE, "Event " + event.eventId()
                        + " recorded but not applied: " + reason, List.of());
            }
            default -> {
                // APPLIED, below
            }
        }
        LifecycleResult.Applied applied = (LifecycleResult.Applied) result;
        List<Resource> changed = new ArrayList<>();
        if (applied.taskChanged()) {
            changed.add(applied.task());
        }
        applied.changedServiceRequest().ifPresent(changed::add);
        changed.addAll(applied.created());
        changed.addAll(outputs);
        List<Problem> invalid = validator.errors(changed, "this event would produce");
        if (!invalid.isEmpty()) {
            throw new RejectedMessageException(RejectionReason.INVALID_CONTENT, invalid);
        }

        ServiceRequest currentRequest = applied.changedServiceRequest().orElse(serviceRequest);
        Patient patient = read("Patient", referenceId(currentRequest.getSubject()), Patient.class)
                .orElseThrow(() -> new IllegalStateException("referral " + event.referralId() + " has no Patient"));
        List<Observation> observations = outputs.stream().filter(Observation.class::isInstance)
                .map(Observation.class::cast).toList();
        List<PlannedDelivery> deliveries = new ArrayList<>();
        deliveries.addAll(gpUpdates.plan(event, applied.gpChange(), applied.task(), currentRequest, patient, observations));
        deliveries.addAll(dataPlatforms.plan(event.platformId() + "|" + event.eventId(),
                currentState(patient, currentRequest, applied.task(), changed)));

        String summary = summary(event, applied);
        store.storeEvent(record(inbound, event, "APPLIED", summary), changed, deliveries);
        LOG.info("Event {} ({}) from {} applied to referral {}: Task {} is {}; {} delivery(ies) planned",
                event.eventId(), event.kind(), event.platformId(), event.referralId(),
                applied.task().getIdElement().getIdPart(), applied.task().getStatus().toCode(), deliveries.size());
        return new HandledEvent(event, HandledEvent.Outcome.APPLIED, summary, deliveries);
    }

    /** The referral's whole current state for a data platform: Patient, ServiceRequest, Task, then what changed. */
    private static List<Resource> currentState(Patient patient, ServiceRequest serviceRequest, Task task,
            List<Resource> changed) {
        List<Resource> state = new ArrayList<>(List.of(patient, serviceRequest, task));
        changed.stream().filter(r -> r != serviceRequest && r != task).forEach(state::add);
        return state;
    }

    private List<Resource> outcome(ReferralEvent event, ServiceRequest serviceRequest) {
        try {
            MappedOutcome mapped = outcomes.map(event, serviceRequest);
            return mapped.resources();
        } catch (OutcomeMeasureRejectedException e) {
            throw new RejectedMessageException(RejectionReason.INVALID_CONTENT, e.problems());
        }
    }

    /** An illegal transition or a fact the Task cannot take is a conflict (409); anything else is invalid (422). */
    private static RejectedMessageException refusal(List<Problem> problems) {
        boolean conflict = problems.stream().anyMatch(p -> p.code() == IssueType.BUSINESSRULE || p.code() == IssueType.CONFLICT);
        return new RejectedMessageException(conflict ? RejectionReason.ILLEGAL_TRANSITION : RejectionReason.INVALID_CONTENT,
                problems);
    }

    private static String summary(ReferralEvent event, LifecycleResult.Applied applied) {
        Task task = applied.task();
        String businessStatus = task.getBusinessStatus().getCoding().stream().findFirst()
                .map(c -> " (" + c.getCode() + ")").orElse("");
        return "Event " + event.eventId() + " (" + event.kind() + ") applied: Task/" + task.getIdElement().getIdPart()
                + " is " + task.getStatus().toCode() + businessStatus;
    }

    private StoredEvent record(InboundEvent inbound, ReferralEvent event, String outcome, String detail) {
        return new StoredEvent(inbound.messageId(), event.platformId(), event.eventId(), event.referralId(),
                event.kind().name(), event.occurredAt(), inbound.receivedAt(), inbound.requestId(),
                correlationId(inbound, event), inbound.contentType(), inbound.body(), outcome, detail, 0);
    }

    /**
     * The conversation id the event and what it causes travel under: the platform's X-Correlation-ID when it sent
     * a well-formed one, else the referral's own (BaRS: one correlation id per case).
     */
    private String correlationId(InboundEvent inbound, ReferralEvent event) {
        String sent = inbound.correlationId();
        if (sent != null && sent.matches("^[0-9a-fA-F-]{36}$")) {
            return sent;
        }
        return store.correlationIdOfReferral(event.referralId())
                .orElse(null);
    }

    private static RejectedMessageException unknownReferral(ReferralEvent event) {
        return new RejectedMessageException(RejectionReason.UNKNOWN_REFERRAL, Problem.error(IssueType.NOTFOUND,
                "No referral " + event.referralId() + " addressed to platform " + event.platformId() + " is held here",
                "referral.id"));
    }

    private <T extends Resource> Optional<T> read(String type, String id, Class<T> resourceClass) {
        return store.readResource(type, id).map(stored -> parse(stored, resourceClass));
    }

    private <T extends Resource> T parse(StoredResource stored, Class<T> resourceClass) {
        T resource = fhirContext.newJsonParser().parseResource(resourceClass, stored.json());
        resource.setId(stored.id());
        return resource;
    }

    private static String referenceId(Reference reference) {
        String value = reference.getReference();
        return value == null ? "" : value.substring(value.lastIndexOf('/') + 1);
    }
}
