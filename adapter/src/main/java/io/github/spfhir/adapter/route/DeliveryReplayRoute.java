package io.github.spfhir.adapter.route;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.delivery.DeliveryReplayService;

/**
 * Replay of a delivery given up on, for every flow: reopened in the store, then back on its target's queue, where
 * the target's delivery route tries it again with the same payload and idempotency key.
 */
@Component
public class DeliveryReplayRoute extends RouteBuilder {

    public static final String ROUTE_ID = "delivery-replay";
    public static final String REPLAY_ENDPOINT = "direct:" + ROUTE_ID;

    @Override
    public void configure() {
        from(REPLAY_ENDPOINT).routeId(ROUTE_ID)
                .errorHandler(noErrorHandler()) // the operator gets the answer as it is
                .bean(DeliveryReplayService.class, "reopen")
                .filter(simple("${body.reopened}"))
                    .to(DeliveryRoutes.handOff())
                .end();
    }
}
