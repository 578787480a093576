package io.github.spfhir.adapter.domain.gp;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.delivery.DeliveryFlow;
import io.github.spfhir.adapter.domain.lifecycle.GpNotifiableChange;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent;
import io.github.spfhir.adapter.domain.referral.DeterministicIds;
import io.github.spfhir.adapter.domain.referral.PlannedDelivery;
import io.github.spfhir.adapter.domain.referral.RejectedMessageException;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.observability.AdapterMetrics;
import io.github.spfhir.adapter.store.MessageStore;

/**
 * Decides whether a change goes back to the referring GP system, and renders the message: accepted, declined,
 * completed, failed and cancelled always; each outcome measure when the GP system asks for them
 * ({@code send-on-outcome}). The GP system is the one configured for the practice that sent the referral
 * ({@code adapter.gp-systems.<id>.practices}); only configured endpoints are ever called, never an address taken
 * from a message. The message answers the GP's original request (MessageHeader.response), so it is read from the
 * store.
 */
@Component
public class GpUpdatePlanner {

    private static final Logger LOG = LoggerFactory.getLogger(GpUpdatePlanner.class);
    private static final String ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code";

    private final GpUpdateMessageBuilder builder;
    private final AdapterProperties properties;
    private final MessageStore store;
    private final FhirProfileValidator validator;
    private final FhirContext fhirContext;
    private final AdapterMetrics metrics;

    public GpUpdatePlanner(GpUpdateMessageBuilder builder, AdapterProperties properties, MessageStore store,
            FhirProfileValidator validator, FhirContext fhirContext, AdapterMetrics metrics) {
        this.builder = builder;
        this.properties = properties;
        this.store = store;
        this.validator = validator;
        this.fhirContext = fhirContext;
        this.metrics = metrics;
    }

    public List<PlannedDelivery> plan(ReferralEvent event, GpNotifiableChange change, Task task,
            ServiceRequest serviceRequest, Patient patient, List<Observation> observations) {
        String practice = serviceRequest.getRequester().getIdentifier().getValue();
        Optional<Map.Entry<String, AdapterProperties.GpSystem>> gpSystem = properties.gpSystems().entrySet().stream()
                .filter(e -> practice != null && e.getValue().practices().contains(practice))
                .findFirst();
        Optional<GpChange> gpChange = gpChange(event, change, gpSystem.map(e -> e.getValue().sendOnOutcome()).orElse(false));
        if (gpChange.isEmpty()) {
            return List.of();
        }
        if (gpSystem.isEmpty()) {
            // visible, not silent: counted and logged; the change itself is stored and readable over FHIR
            metrics.messageUnroutable(DeliveryFlow.UPDATES_TO_GP.id());
            LOG.warn("No GP system is configured for practice {}: {} of referral {} is not sent back (event {})",
                    practice, gpChange.get(), event.referralId(), event.eventId());
            return List.of();
        }
        String gpSystemId = gpSystem.get().getKey();
        MessageStore.StoredMessage original = store.inboundMessageOfReferral(event.referralId())
                .orElseThrow(() -> new IllegalStateException("referral " + event.referralId() + " has no stored message"));
        AdapterProperties.Destination platform = properties.destinations().get(event.platformId());
        String taskId = task.getIdElement().getIdPart();
        String messageId = GpUpdate.messageIdFor(taskId, event.platformId() + "|" + event.eventId());
        Bundle message = builder.build(new GpUpdate(gpChange.get(), task, serviceRequest, patient, observations,
                requestMessageHeaderId(original), original.correlationId(), practice,
                gpSystem.get().getValue().endpoint().toString(),
                new GpUpdate.Organisation(platform.organisationOdsCode(), platform.organisationName()),
                event.occurredAt(), messageId));
        requireValidCodedEntries(message);
        String deliveryId = DeterministicIds.of("Delivery", "gp|" + gpSystemId + "|" + messageId);
        return List.of(new PlannedDelivery(deliveryId, DeliveryFlow.UPDATES_TO_GP, gpSystemId, deliveryId,
                "application/fhir+json", fhirContext.newJsonParser().encodeResourceToString(message)));
    }

    /** Which message, if any, a change is told to the GP as. */
    static Optional<GpChange> gpChange(ReferralEvent event, GpNotifiableChange change, boolean sendOnOutcome) {
        return switch (change) {
            case ACCEPTED -> Optional.of(GpChange.ACCEPTED);
            // 871711000000103 records that the person declined: only then is it coded (see GpChange)
            case DECLINED -> Optional.of(event.kind() == io.github.spfhir.adapter.domain.lifecycle.EventKind.DECLINED
                    && DeclineReasons.isPersonDeclined(event.reason()) ? GpChange.DECLINED : GpChange.DECLINED_BY_SERVICE);
            case COMPLETED -> Optional.of(GpChange.COMPLETED);
            case CANCELLED -> Optional.of(GpChange.CANCELLED);
            case FAILED -> Optional.of(GpChange.FAILED);
            case OUTCOME_RECORDED -> sendOnOutcome ? Optional.of(GpChange.OUTCOME_RECORDED) : Optional.empty();
            case NONE -> Optional.empty();
        };
    }

    /** The id of the GP's MessageHeader, which our message answers (MessageHeader.response.identifier). */
    private String requestMessageHeaderId(MessageStore.StoredMessage original) {
        IParser parser = original.contentType() != null && original.contentType().contains("xml")
                ? fhirContext.newXmlParser() : fhirContext.newJsonParser();
        // the message was checked when it was accepted; what HAPI would warn of now was accepted then
        parser.setParserErrorHandler(new ca.uhn.fhir.parser.LenientErrorHandler(false));
        Bundle request = parser.parseResource(Bundle.class, original.body());
        return request.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(MessageHeader.class::isInstance).findFirst()
                .map(header -> header.getIdElement().getIdPart())
                .orElseThrow(() -> new IllegalStateException("the stored referral message has no MessageHeader"));
    }

    private void requireValidCodedEntries(Bundle message) {
        for (Bundle.BundleEntryComponent entry : message.getEntry()) {
            Resource resource = entry.getResource();
            if (resource instanceof Observation observation && observation.getMeta().hasProfile(CodedEntries.PROFILE)) {
                List<Problem> errors = validator.validate(observation, CodedEntries.PROFILE).errors();
                if (!errors.isEmpty()) {
                    throw new RejectedMessageException(RejectionReason.INVALID_CONTENT, errors);
                }
            }
        }
    }
}
