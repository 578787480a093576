package io.github.spfhir.adapter.domain.referral;

import io.github.spfhir.adapter.domain.dataplatform.DataPlatformPlanner;

import java.util.List;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import org.springframework.stereotype.Component;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.platform.FhirTransactionMapper;
import io.github.spfhir.adapter.domain.platform.PayloadMappingException;
import io.github.spfhir.adapter.domain.platform.PlatformMappings;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.domain.platform.PlatformPayloadMapper;

/**
 * Renders what each destination receives: the platform's own JSON (from its mapping file) or a FHIR transaction
 * Bundle. Rendered once, at acceptance, and stored with the referral.
 */
@Component
public class DeliveryPlanner {

    private final PlatformMappings platformMappings;
    private final PlatformPayloadMapper platformPayloadMapper;
    private final FhirTransactionMapper fhirTransactionMapper;
    private final FhirContext fhirContext;
    private final DataPlatformPlanner dataPlatforms;

    public DeliveryPlanner(PlatformMappings platformMappings, FhirTransactionMapper fhirTransactionMapper,
            FhirContext fhirContext, DataPlatformPlanner dataPlatforms) {
        this.dataPlatforms = dataPlatforms;
        this.platformMappings = platformMappings;
        this.platformPayloadMapper = new PlatformPayloadMapper(platformMappings);
        this.fhirTransactionMapper = fhirTransactionMapper;
        this.fhirContext = fhirContext;
    }

    public AcceptedReferral plan(MappedReferral mapped) {
        RoutedReferral routed = mapped.routed();
        AdapterProperties.Destination destination = routed.destination();
        String referralId = mapped.serviceRequest().getIdElement().getIdPart();
        String deliveryId = DeterministicIds.of("Delivery", referralId + "|" + routed.destinationId());
        PlannedDelivery delivery;
        try {
            delivery = render(mapped, routed, destination, deliveryId);
        } catch (PayloadMappingException e) {
            // the referral lacks something this platform requires: the sender must know now, not after a failed delivery
            throw new RejectedMessageException(RejectionReason.INVALID_CONTENT, Problem.error(IssueType.REQUIRED,
                    "The link-worker service this referral is routed to (" + routed.destinationId()
                            + ") needs data the message does not carry. " + e.getMessage()));
        }
        List<PlannedDelivery> deliveries = new java.util.ArrayList<>(List.of(delivery));
        // every change to a referral's resources goes to the data platforms, its creation first
        deliveries.addAll(dataPlatforms.plan("referral|" + referralId, mapped.resources()));
        return new AcceptedReferral(mapped, deliveries);
    }

    private PlannedDelivery render(MappedReferral mapped, RoutedReferral routed,
            AdapterProperties.Destination destination, String deliveryId) {
        return switch (destination.kind()) {
            case JSON_REST -> new PlannedDelivery(deliveryId, routed.destinationId(), deliveryId,
                    platformMappings.get(destination.mapping()).contentType(),
                    platformPayloadMapper.toPayload(mapped.referral(), destination.mapping()));
            case FHIR -> new PlannedDelivery(deliveryId, routed.destinationId(), deliveryId, "application/fhir+json",
                    fhirContext.newJsonParser().encodeResourceToString(fhirTransactionMapper.toTransaction(
                            destination.endpoint(), mapped.serviceRequest(), mapped.task(), mapped.patient())));
        };
    }
}
