package io.github.spfhir.adapter.observability;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.store.DirectoryStore;
import io.github.spfhir.adapter.store.SyncRun;

/**
 * {@code /actuator/health/directories/<source-id>}: one indicator per configured directory source, from its sync
 * runs. UP when its last finished run succeeded, DOWN when it failed (the last good copy keeps being served, but
 * it is ageing), UNKNOWN before any finished run; with the last run, the last success's end and the source's
 * schedule. A failed source is DOWN, like a destination whose last delivery failed: it is not in the readiness
 * group, so it never takes the adapter out of service.
 */
@Configuration(proxyBeanMethods = false)
public class DirectoryHealthConfiguration {

    @Bean
    public CompositeHealthContributor directories(AdapterProperties properties, DirectoryStore store) {
        Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
        properties.directories().forEach((sourceId, source) -> indicators.put(sourceId, () -> {
            Optional<SyncRun> lastFinished;
            Optional<SyncRun> lastSuccess;
            Optional<SyncRun> last;
            try {
                last = store.lastRun(sourceId);
                lastFinished = store.lastFinishedRun(sourceId);
                lastSuccess = store.lastSuccessfulRunId(sourceId).flatMap(store::run);
            } catch (DataAccessException e) {
                // the store's own indicator (db) reports the outage; this one cannot tell
                return Health.unknown().withDetail("error", "store unavailable: " + e.getClass().getSimpleName()).build();
            }
            return health(source, last.orElse(null), lastFinished.orElse(null), lastSuccess.orElse(null));
        }));
        return CompositeHealthContributor.fromMap(indicators);
    }

    /** The health of a source from its latest run, its latest finished run and its latest successful run. */
    static Health health(AdapterProperties.DirectorySource source, SyncRun last, SyncRun lastFinished, SyncRun lastSuccess) {
        Health.Builder health = lastFinished == null ? Health.unknown()
                : SyncRun.SUCCEEDED.equals(lastFinished.state()) ? Health.up() : Health.down();
        health.withDetail("kind", String.valueOf(source.kind()))
                .withDetail("enabled", source.enabled())
                .withDetail("schedule", String.valueOf(source.schedule()))
                .withDetail("lastRun", last == null ? "none" : last.state())
                .withDetail("lastSuccessAt", lastSuccess == null || lastSuccess.finishedAt() == null ? "never"
                        : lastSuccess.finishedAt().toString());
        if (lastFinished != null) {
            health.withDetail("lastFinishedAt", String.valueOf(lastFinished.finishedAt()))
                    .withDetail("services", lastFinished.services())
                    .withDetail("rejected", lastFinished.rejected());
            if (lastFinished.error() != null) {
                health.withDetail("error", lastFinished.error()); // the kind of failure only, never a body
            }
        }
        return health.build();
    }
}
