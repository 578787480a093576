package io.github.spfhir.adapter.route;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.access.Caller;
import io.github.spfhir.adapter.domain.access.MessageAccess;
import io.github.spfhir.adapter.domain.delivery.DeliveryFlow;
import io.github.spfhir.adapter.domain.delivery.DeliveryTargets;
import io.github.spfhir.adapter.domain.referral.BarsReferralReader;
import io.github.spfhir.adapter.domain.referral.DeliveryPlanner;
import io.github.spfhir.adapter.domain.referral.DestinationResolver;
import io.github.spfhir.adapter.domain.referral.ReferralMapper;
import io.github.spfhir.adapter.domain.referral.ReferralOutputValidator;
import io.github.spfhir.adapter.store.MessageStore;

/**
 * Referral out: a GP system's BaRS referral, through checks, mapping and validation, into the store, then to
 * the link-worker platform. Wiring only; each step is a domain bean.
 *
 * <ul>
 *   <li>{@code referral-to-link-worker}: synchronous, from {@code process-message} ({@link ProcessMessageRoute}),
 *       which has checked the X-Request-ID is new and parsed the message. Anything thrown goes back to the caller,
 *       which answers with an OperationOutcome. Returns the AcceptedReferral once stored.</li>
 *   <li>{@code referral-to-link-worker.delivery.<destination>}: one per destination, so a slow partner delays only
 *       its own referrals, each with that destination's redelivery policy ({@link DeliveryRoutes}).</li>
 * </ul>
 */
@Component
public class ReferralToLinkWorkerRoute extends RouteBuilder {

    public static final String ROUTE_ID = "referral-to-link-worker";
    public static final String INTAKE_ENDPOINT = "direct:" + ROUTE_ID;

    private final DeliveryTargets targets;

    public ReferralToLinkWorkerRoute(DeliveryTargets targets) {
        this.targets = targets;
    }

    @Override
    public void configure() {
        from(INTAKE_ENDPOINT).routeId(ROUTE_ID)
                .errorHandler(noErrorHandler()) // refusals go back to the sender as they are
                .bean(BarsReferralReader.class, "read")
                // the GP system of the referral's own practice only (the caller is put in by the endpoint)
                .bean(MessageAccess.class, "requireSender(${body}, ${header." + Caller.HEADER + "})")
                .bean(DestinationResolver.class, "resolve")
                .bean(ReferralMapper.class, "map")
                .bean(ReferralOutputValidator.class, "requireValid")
                .bean(DeliveryPlanner.class, "plan")
                .bean(MessageStore.class, "storeAccepted")
                // stored: now hand each delivery to its target's queue and answer the sender (nothing may come
                // between the store and this: in embedded mode the deliveries were stored as handed off)
                .bean(DeliveryHandOff.class, "handOffDeliveries");

        targets.of(DeliveryFlow.REFERRAL_TO_LINK_WORKER).forEach(target -> DeliveryRoutes.declareConcurrent(this, target));
    }
}
