package io.github.spfhir.adapter.route;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;

/**
 * Runs a scheduled route's exchange only on the instance that holds its lock (ShedLock, in the shared database);
 * on the others that tick does nothing. The lock is released when the exchange is done, and lapses after
 * {@code lockAtMostFor} if its holder dies mid-run, so another instance takes over.
 */
final class SingleInstanceRoutePolicy extends RoutePolicySupport {

    private static final Logger LOG = LoggerFactory.getLogger(SingleInstanceRoutePolicy.class);
    private static final String LOCK_PROPERTY = SingleInstanceRoutePolicy.class.getName() + ".lock";

    private final LockProvider lockProvider;
    private final String lockName;
    private final Duration lockAtMostFor;
    private final Clock clock;

    SingleInstanceRoutePolicy(LockProvider lockProvider, String lockName, Duration lockAtMostFor, Clock clock) {
        this.lockProvider = lockProvider;
        this.lockName = lockName;
        this.lockAtMostFor = lockAtMostFor;
        this.clock = clock;
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        Optional<SimpleLock> lock = lockProvider.lock(new LockConfiguration(clock.instant(), lockName, lockAtMostFor,
                Duration.ZERO));
        if (lock.isEmpty()) {
            LOG.debug("{}: another instance holds the lock; this tick does nothing", lockName);
            exchange.setRouteStop(true);
            return;
        }
        exchange.setProperty(LOCK_PROPERTY, lock.get());
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        SimpleLock lock = exchange.getProperty(LOCK_PROPERTY, SimpleLock.class);
        if (lock != null) {
            lock.unlock();
        }
    }
}
