package io.github.spfhir.adapter.route;

import java.time.Clock;
import java.time.Duration;


import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.access.Caller;
import io.github.spfhir.adapter.domain.access.MessageAccess;
import io.github.spfhir.adapter.domain.lifecycle.PlatformEventPoller;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEventReader;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEventService;
import io.github.spfhir.adapter.domain.platformevent.PlatformEventMappings;
import net.javacrumbs.shedlock.core.LockProvider;

/**
 * Events back: what a link-worker platform tells us (webhook, poll, FHIR Task update) is read into the canonical
 * event, applied to the referral's Task under the state machine, stored with its outcome Observations, and turned
 * into a message back to the GP system and a data-platform update. Wiring only; each step is a domain bean.
 *
 * <p>{@code events-from-link-worker}: synchronous, called by the webhook endpoint, the poller, the FHIR Task update
 * endpoint and {@code process-message} (BaRS referral responses). One inbound event is read into its events (a
 * FHIR Task update may say several things, or nothing), which are applied together in one transaction; then the
 * deliveries of all of them are handed off. Returns {@code HandledEvents}. A refusal is thrown back to the caller,
 * which answers with an OperationOutcome and stores it.
 */
@Component
public class EventsFromLinkWorkerRoute extends RouteBuilder {

    public static final String ROUTE_ID = "events-from-link-worker";
    public static final String INTAKE_ENDPOINT = "direct:" + ROUTE_ID;

    /** A poll reads at most 100 pages; a holder that died frees the lock after this. */
    private static final Duration POLL_LOCK_AT_MOST_FOR = Duration.ofMinutes(10);

    private final AdapterProperties properties;
    private final PlatformEventMappings mappings;
    private final LockProvider lockProvider;

    public EventsFromLinkWorkerRoute(AdapterProperties properties, PlatformEventMappings mappings,
            LockProvider lockProvider) {
        this.properties = properties;
        this.mappings = mappings;
        this.lockProvider = lockProvider;
    }

    @Override
    public void configure() {
        from(INTAKE_ENDPOINT).routeId(ROUTE_ID)
                .errorHandler(noErrorHandler()) // refusals go back to the sender as they are
                .bean(ReferralEventReader.class, "read")
                // a FHIR update or BaRS response only from the platform the referral was addressed to
                .bean(MessageAccess.class, "requireFromPlatform(${body}, ${header." + Caller.HEADER + "})")
                .bean(ReferralEventService.class, "handle")
                // stored: hand the GP message and data-platform updates to their queues and answer the sender
                .split(simple("${body.deliveries}"))
                    .to(DeliveryRoutes.handOff())
                .end();

        properties.destinations().forEach((platformId, destination) -> {
            if (destination.eventPolling().enabled()) {
                declarePoller(platformId, destination.eventPolling());
            }
        });
    }

    /**
     * A platform without webhooks: on each tick, pages of events from the persisted cursor, each event through the
     * intake above (a refused one recorded, so the feed moves on), the cursor saved after each page.
     */
    private void declarePoller(String platformId, AdapterProperties.EventPolling polling) {
        if (mappings.find(platformId).map(m -> m.polling() == null).orElse(true)) {
            throw new IllegalStateException("adapter.destinations." + platformId + ".event-polling is enabled but "
                    + "mappings/platforms/" + platformId + ".events.yaml has no polling section");
        }
        if (polling.url() == null) {
            throw new IllegalStateException("adapter.destinations." + platformId + ".event-polling.url is not set");
        }
        from("timer:" + ROUTE_ID + ".poll." + platformId + "?delay=" + polling.interval().toMillis()
                + "&period=" + polling.interval().toMillis())
                .routeId(ROUTE_ID + ".poll." + platformId)
                // with several instances on one database, one of them polls (the cursor is shared)
                .routePolicy(new SingleInstanceRoutePolicy(lockProvider, ROUTE_ID + ".poll." + platformId,
                        POLL_LOCK_AT_MOST_FOR, Clock.systemUTC()))
                // a feed that is down or refuses is tried again at the next tick, from the same cursor
                .onException(Exception.class).handled(true)
                    .log(LoggingLevel.WARN, "Polling events of " + platformId + " failed; tried again at the next "
                            + "tick from the same cursor: ${exception.class.name}")
                .end()
                .setBody(constant(platformId))
                .bean(PlatformEventPoller.class, "start")
                .loopDoWhile(simple("${body.more}"))
                    .bean(PlatformEventPoller.class, "nextPage")
                    .split(simple("${body.events}"))
                        .doTry()
                            .to(INTAKE_ENDPOINT)
                        .doCatch(Exception.class)
                            .bean(PlatformEventPoller.class, "refused(${body}, ${exception})")
                        .end()
                    .end()
                    .bean(PlatformEventPoller.class, "commit")
                .end();
    }
}
