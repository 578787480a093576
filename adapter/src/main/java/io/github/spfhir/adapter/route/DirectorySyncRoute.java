package io.github.spfhir.adapter.route;

import java.time.Clock;
import java.time.Duration;


import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.directory.DirectorySync;
import net.javacrumbs.shedlock.core.LockProvider;

/**
 * Directory sync: one route per configured directory source, {@code directory-sync.<source-id>}, a Camel timer
 * firing every {@code schedule} that runs a full sync. Wiring only; the sync is {@link DirectorySync}.
 *
 * <p>A source that is not {@code enabled} still gets its route, but it is not started, so it never calls out.
 * The timer fires one run at a time; a source that is down is tried again at the next tick. With several
 * instances on one database, each tick runs on the one instance that takes the source's lock.
 */
@Component
public class DirectorySyncRoute extends RouteBuilder {

    public static final String ROUTE_ID_PREFIX = "directory-sync.";

    /** A full sync of a large directory takes well under this; a holder that died frees the lock after it. */
    private static final Duration LOCK_AT_MOST_FOR = Duration.ofMinutes(30);

    private final AdapterProperties properties;
    private final LockProvider lockProvider;

    public DirectorySyncRoute(AdapterProperties properties, LockProvider lockProvider) {
        this.properties = properties;
        this.lockProvider = lockProvider;
    }

    public static String routeId(String sourceId) {
        return ROUTE_ID_PREFIX + sourceId;
    }

    @Override
    public void configure() {
        // The one error policy of these routes: DirectorySync records a failed run itself; anything it throws
        // is logged by class only (its message may hold source text) and the next tick tries again.
        onException(Exception.class)
                .handled(true)
                .maximumRedeliveries(0)
                .logExhausted(false)
                .log(LoggingLevel.WARN, "Directory sync ${routeId} failed: ${exception.class.simpleName}; next tick tries again");

        properties.directories().forEach((sourceId, source) ->
                from("timer:" + routeId(sourceId) + "?period=" + source.schedule().toMillis()
                        + "&delay=" + source.initialDelay().toMillis() + "&fixedRate=false")
                        .routeId(routeId(sourceId))
                        // with several instances on one database, one of them syncs
                        .routePolicy(new SingleInstanceRoutePolicy(lockProvider, routeId(sourceId), LOCK_AT_MOST_FOR,
                                Clock.systemUTC()))
                        .autoStartup(source.enabled())
                        .setBody(constant(sourceId))
                        .bean(DirectorySync.class, "sync"));
    }
}
