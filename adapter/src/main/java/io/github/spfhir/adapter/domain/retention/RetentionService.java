package io.github.spfhir.adapter.domain.retention;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.store.AuditStore;
import io.github.spfhir.adapter.store.DeliveryEditStore;
import io.github.spfhir.adapter.store.MessageStore;
import io.github.spfhir.adapter.store.SeenTokenStore;

/**
 * Prunes the copies of patient data made for partners once they are delivered and older than
 * {@code adapter.retention.delivered-after}, and the audit trail's entries and operators' payload corrections older
 * than {@code adapter.retention.audit-after}, and the ids of used tokens once those tokens have expired. What went
 * wrong (FAILED deliveries, refusals) is never pruned: it waits for a person.
 */
@Service
public class RetentionService {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionService.class);

    private final MessageStore store;
    private final AuditStore audit;
    private final DeliveryEditStore deliveryEdits;
    private final SeenTokenStore seenTokens;
    private final AdapterProperties.Retention retention;
    private final Clock clock;

    public RetentionService(MessageStore store, AuditStore audit, DeliveryEditStore deliveryEdits,
            SeenTokenStore seenTokens, AdapterProperties properties, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.deliveryEdits = deliveryEdits;
        this.seenTokens = seenTokens;
        this.retention = properties.retention();
        this.clock = clock;
    }

    public MessageStore.PruneCounts prune() {
        MessageStore.PruneCounts pruned = store.pruneDelivered(clock.instant().minus(retention.deliveredAfter()));
        if (pruned.deliveryPayloads() + pruned.eventBodies() > 0) {
            LOG.info("Retention: pruned {} delivered payload(s) with {} attempt(s), and {} event body(ies), older than {}",
                    pruned.deliveryPayloads(), pruned.attempts(), pruned.eventBodies(), retention.deliveredAfter());
        }
        int auditEntries = audit.pruneBefore(clock.instant().minus(retention.auditAfter()));
        if (auditEntries > 0) {
            LOG.info("Retention: pruned {} audit trail entry(ies) older than {}", auditEntries, retention.auditAfter());
        }
        // operators' payload corrections are audit records too (who changed what a partner receives), kept as long
        int edits = deliveryEdits.pruneBefore(clock.instant().minus(retention.auditAfter()));
        if (edits > 0) {
            LOG.info("Retention: pruned {} delivery payload correction(s) older than {}", edits, retention.auditAfter());
        }
        // a token past its expiry is refused as expired: its jti need not be kept to refuse a replay
        int tokens = seenTokens.pruneExpiredBefore(clock.instant());
        if (tokens > 0) {
            LOG.info("Retention: forgot {} used token id(s) whose tokens have expired", tokens);
        }
        return pruned;
    }
}
