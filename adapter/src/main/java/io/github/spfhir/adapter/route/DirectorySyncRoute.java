package io.github.spfhir.adapter.route;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.directory.DirectorySync;

/**
 * Directory sync: one route per configured directory source, {@code directory-sync.<source-id>}, a Camel timer
 * firing every {@code schedule} that runs a full sync. Wiring only; the sync is {@link DirectorySync}.
 *
 * <p>A source that is not {@code enabled} still gets its route, but it is not started, so it never calls out.
 * The timer fires one run at a time; a source that is down is tried again at the next tick.
 */
@Component
public class DirectorySyncRoute extends RouteBuilder {

    public static final String ROUTE_ID_PREFIX = "directory-sync.";

    private final AdapterProperties properties;

    public DirectorySyncRoute(AdapterProperties properties) {
        this.properties = properties;
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
                        .autoStartup(source.enabled())
                        .setBody(constant(sourceId))
                        .bean(DirectorySync.class, "sync"));
    }
}
