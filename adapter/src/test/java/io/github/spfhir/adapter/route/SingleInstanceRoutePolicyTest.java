package io.github.spfhir.adapter.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.spfhir.adapter.config.ScheduledWorkLockConfiguration;
import io.github.spfhir.adapter.support.TestDatabases;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * Scheduled work runs on one instance at a time: while another instance (here: the test) holds the lock in the
 * shared database, the route's exchange does nothing; once it is free, the route runs and frees it again. On H2
 * and on PostgreSQL, with the real Flyway schema.
 */
class SingleInstanceRoutePolicyTest {

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> databases() {
        return TestDatabases.both();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void anExchangeRunsOnlyWhileNoOtherInstanceHoldsTheLock(String database, DataSource dataSource) throws Exception {
        LockProvider locks = new ScheduledWorkLockConfiguration().scheduledWorkLockProvider(dataSource);
        String lockName = "test-work-" + UUID.randomUUID();
        AtomicInteger runs = new AtomicInteger();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:work").routeId("work")
                            .routePolicy(new SingleInstanceRoutePolicy(locks, lockName, Duration.ofMinutes(5),
                                    Clock.systemUTC()))
                            .process(exchange -> runs.incrementAndGet());
                }
            });
            camel.start();
            ProducerTemplate producer = camel.createProducerTemplate();

            Optional<SimpleLock> otherInstance = locks.lock(new LockConfiguration(Instant.now(), lockName,
                    Duration.ofMinutes(5), Duration.ZERO));
            assertThat(otherInstance).isPresent();
            producer.sendBody("direct:work", "tick");
            assertThat(runs).hasValue(0);

            otherInstance.get().unlock();
            producer.sendBody("direct:work", "tick");
            assertThat(runs).hasValue(1);

            // released when the run was done: another instance can take it now
            Optional<SimpleLock> afterRun = locks.lock(new LockConfiguration(Instant.now(), lockName,
                    Duration.ofMinutes(5), Duration.ZERO));
            assertThat(afterRun).isPresent();
            afterRun.get().unlock();
        }
    }
}
