package io.github.spfhir.adapter.route;

import java.time.Clock;
import java.time.Duration;


import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.config.SyncSchedule;
import io.github.spfhir.adapter.domain.directory.DirectorySync;
import net.javacrumbs.shedlock.core.LockProvider;

/**
 * Directory sync: one route per configured directory source, {@code directory-sync.<source-id>}, a Camel timer
 * firing every {@code schedule} (or Camel's scheduler at the times of a cron {@code schedule}) that runs a sync. Wiring only; the sync is {@link DirectorySync}.
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

    /**
     * A sync started by hand ({@code POST /ops/directories/{source}/sync}): the body is the source id. Queued, so the
     * caller does not wait for the sync; one at a time. {@code DirectorySync} skips a run asked for while one of the
     * same source is going in this instance.
     */
    public static final String SYNC_NOW = "seda:directory-sync-now";

    public static String routeId(String sourceId) {
        return ROUTE_ID_PREFIX + sourceId;
    }

    /**
     * What starts a source's syncs: a Camel timer for a period (the first run {@code initial-delay} after start-up,
     * then {@code schedule} after each run ends); for a cron expression, Camel's scheduler component driven by
     * Spring's cron trigger ({@code scheduler=spring}, camel-spring's {@code SpringScheduledPollConsumerScheduler}),
     * firing at the expression's times. Camel's own scheduling either way: no scheduler of ours.
     */
    static String trigger(String sourceId, AdapterProperties.DirectorySource source) {
        SyncSchedule schedule = source.schedule();
        if (schedule.isCron()) {
            // a space in an endpoint URI is written +
            return "scheduler:" + routeId(sourceId) + "?scheduler=spring&scheduler.cron="
                    + schedule.cron().replace(' ', '+');
        }
        return "timer:" + routeId(sourceId) + "?period=" + schedule.period().toMillis()
                + "&delay=" + source.initialDelay().toMillis() + "&fixedRate=false";
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

        from(SYNC_NOW).routeId("directory-sync-now")
                .bean(DirectorySync.class, "sync");

        properties.directories().forEach((sourceId, source) ->
                from(trigger(sourceId, source))
                        .routeId(routeId(sourceId))
                        // with several instances on one database, one of them syncs
                        .routePolicy(new SingleInstanceRoutePolicy(lockProvider, routeId(sourceId), LOCK_AT_MOST_FOR,
                                Clock.systemUTC()))
                        .autoStartup(source.enabled())
                        .setBody(constant(sourceId))
                        .bean(DirectorySync.class, "sync"));
    }
}
