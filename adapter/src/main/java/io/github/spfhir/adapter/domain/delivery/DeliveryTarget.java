package io.github.spfhir.adapter.domain.delivery;

import java.net.URI;
import java.time.Duration;

import io.github.spfhir.adapter.config.AdapterProperties;

/**
 * One partner endpoint a flow delivers to: a link-worker platform, a GP system or a data platform.
 *
 * @param flow        the flow that delivers to it
 * @param id          its configured id (unique across all partners)
 * @param endpoint    the URL payloads are POSTed to
 * @param timeout     per-attempt HTTP timeout
 * @param retry       its redelivery policy
 * @param concurrency how many of its deliveries may be under way at once: 1 for the flows that deliver in order
 */
public record DeliveryTarget(DeliveryFlow flow, String id, URI endpoint, Duration timeout, AdapterProperties.Retry retry,
        int concurrency) {
}
