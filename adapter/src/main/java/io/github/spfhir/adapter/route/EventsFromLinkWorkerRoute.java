package io.github.spfhir.adapter.route;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.lifecycle.ReferralEventReader;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEventService;

/**
 * Events back: what a link-worker platform tells us (webhook, poll, FHIR Task update) is read into the canonical
 * event, applied to the referral's Task under the state machine, stored with its outcome Observations, and turned
 * into a message back to the GP system and a data-platform update. Wiring only; each step is a domain bean.
 *
 * <p>{@code events-from-link-worker}: synchronous, called by the webhook endpoint and the poller. A refusal is
 * thrown back to the caller, which answers with an OperationOutcome and stores it.
 */
@Component
public class EventsFromLinkWorkerRoute extends RouteBuilder {

    public static final String ROUTE_ID = "events-from-link-worker";
    public static final String INTAKE_ENDPOINT = "direct:" + ROUTE_ID;

    @Override
    public void configure() {
        from(INTAKE_ENDPOINT).routeId(ROUTE_ID)
                .errorHandler(noErrorHandler()) // refusals go back to the sender as they are
                .bean(ReferralEventReader.class, "read")
                .bean(ReferralEventService.class, "handle")
                // stored: hand the GP message and data-platform updates to their queues and answer the sender
                .split(simple("${body.deliveries}"))
                    .toD(DeliveryRoutes.handOff("${body.flow.id}"))
                .end();
    }
}
