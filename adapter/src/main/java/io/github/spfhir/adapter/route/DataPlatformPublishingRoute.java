package io.github.spfhir.adapter.route;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.delivery.DeliveryFlow;
import io.github.spfhir.adapter.domain.delivery.DeliveryTargets;

/**
 * Data-platform publishing: every change to a referral's resources, as a transaction of conditional updates,
 * to each enabled regional data platform, in the order they were stored: a retry holds back the updates behind it,
 * so an older version never overwrites a newer one.
 */
@Component
public class DataPlatformPublishingRoute extends RouteBuilder {

    private final DeliveryTargets targets;

    public DataPlatformPublishingRoute(DeliveryTargets targets) {
        this.targets = targets;
    }

    @Override
    public void configure() {
        targets.of(DeliveryFlow.DATA_PLATFORM_PUBLISHING).forEach(target -> DeliveryRoutes.declareInOrder(this, target));
    }
}
