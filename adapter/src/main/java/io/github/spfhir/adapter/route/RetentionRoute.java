package io.github.spfhir.adapter.route;

import java.time.Clock;
import java.time.Duration;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.retention.RetentionService;
import net.javacrumbs.shedlock.core.LockProvider;

/**
 * Retention: {@code retention}, a timer that prunes delivered payloads on one instance at a time. Wiring only; what
 * is pruned is {@link RetentionService}'s.
 */
@Component
public class RetentionRoute extends RouteBuilder {

    public static final String ROUTE_ID = "retention";

    private final AdapterProperties.Retention retention;
    private final LockProvider lockProvider;

    public RetentionRoute(AdapterProperties properties, LockProvider lockProvider) {
        this.retention = properties.retention();
        this.lockProvider = lockProvider;
    }

    @Override
    public void configure() {
        from("timer:" + ROUTE_ID + "?period=" + retention.schedule().toMillis() + "&delay=" + retention.schedule().toMillis())
                .routeId(ROUTE_ID)
                .autoStartup(retention.enabled())
                .routePolicy(new SingleInstanceRoutePolicy(lockProvider, ROUTE_ID, Duration.ofMinutes(30), Clock.systemUTC()))
                .onException(Exception.class).handled(true)
                    .log(LoggingLevel.WARN, "Retention run failed; the next tick tries again: ${exception.class.name}")
                .end()
                .bean(RetentionService.class, "prune");
    }
}
