package io.github.spfhir.adapter.route;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.lifecycle.BarsMessageDispatch;
import io.github.spfhir.adapter.domain.referral.DuplicateRequestGuard;
import io.github.spfhir.adapter.domain.referral.ReferralBundleParser;

/**
 * BaRS messages posted to {@code $process-message}, to the flow each belongs to: a referral response from a
 * link-worker platform to {@code events-from-link-worker}, everything else to {@code referral-to-link-worker}.
 * Wiring only: the message is parsed once, and {@link BarsMessageDispatch} says which it is.
 *
 * <p>{@code process-message}: synchronous, called by the $process-message endpoint. Returns what the flow returns
 * (an {@code AcceptedReferral} or {@code HandledEvents}); anything thrown goes back to the caller.
 */
@Component
public class ProcessMessageRoute extends RouteBuilder {

    public static final String ROUTE_ID = "process-message";
    public static final String INTAKE_ENDPOINT = "direct:" + ROUTE_ID;

    @Override
    public void configure() {
        from(INTAKE_ENDPOINT).routeId(ROUTE_ID)
                .errorHandler(noErrorHandler()) // refusals go back to the sender as they are
                .bean(DuplicateRequestGuard.class, "requireNew")
                .bean(ReferralBundleParser.class, "parse")
                .choice()
                    .when(method(BarsMessageDispatch.class, "isReferralResponse"))
                        .bean(BarsMessageDispatch.class, "asPlatformEvent")
                        .to(EventsFromLinkWorkerRoute.INTAKE_ENDPOINT)
                    .otherwise()
                        .to(ReferralToLinkWorkerRoute.INTAKE_ENDPOINT)
                .end();
    }
}
