package io.github.spfhir.adapter.route;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.delivery.DeliveryFlow;
import io.github.spfhir.adapter.domain.delivery.DeliveryTargets;

/**
 * Updates back to GP systems: the BaRS response messages planned when a referral is accepted, declined,
 * completed or cancelled, delivered to the GP system of the referring practice, in the order they were stored: a
 * retry holds back the messages behind it, so a practice never gets "completed" before "accepted".
 */
@Component
public class UpdatesToGpRoute extends RouteBuilder {

    private final DeliveryTargets targets;

    public UpdatesToGpRoute(DeliveryTargets targets) {
        this.targets = targets;
    }

    @Override
    public void configure() {
        targets.of(DeliveryFlow.UPDATES_TO_GP).forEach(target -> DeliveryRoutes.declareInOrder(this, target));
    }
}
