package io.github.spfhir.adapter.store;

import static io.github.spfhir.adapter.store.JdbcValues.instant;
import static io.github.spfhir.adapter.store.JdbcValues.truncate;
import static io.github.spfhir.adapter.store.JdbcValues.ts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import io.github.spfhir.adapter.config.HandOffProperties;
import io.github.spfhir.adapter.domain.delivery.DeliveryFlow;
import io.github.spfhir.adapter.domain.referral.AcceptedReferral;
import io.github.spfhir.adapter.domain.referral.InboundMessage;
import io.github.spfhir.adapter.domain.referral.PlannedDelivery;
import io.github.spfhir.adapter.domain.referral.RejectedMessageException;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.validation.Problem;

/**
 * The message store: inbound messages, the FHIR resources they produced, deliveries and their attempts, and
 * refusals. A referral is stored in one transaction with everything it produced, before the sender is answered.
 */
@Repository
public class MessageStore {

    private static final int MAX_ERROR_LENGTH = 2000;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final FhirContext fhirContext;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    /** Embedded mode: a referral's deliveries are stored as handed off ({@link #storeAccepted}). */
    private final boolean acceptedDeliveriesHandedOffInProcess;

    public MessageStore(JdbcClient jdbc, TransactionTemplate transactions, FhirContext fhirContext, Clock clock,
            HandOffProperties handOff) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.fhirContext = fhirContext;
        this.clock = clock;
        this.acceptedDeliveriesHandedOffInProcess = !handOff.artemis();
    }

    /** True when a message with this X-Request-ID was accepted before. */
    public boolean isKnownRequestId(String requestId) {
        return jdbc.sql("select count(*) from inbound_message where request_id = ?").param(requestId)
                .query(Integer.class).single() > 0;
    }

    /**
     * Stores an accepted referral: the message as sent, the resources it produced, their search index and the
     * deliveries to make, all or nothing.
     *
     * <p>In the embedded hand-off mode its deliveries are stored already marked as handed off
     * ({@code handed_off_at}): the referral's route puts them on their in-memory queues right after this commit, with
     * nothing in between, and clears the mark of one whose hand-off fails ({@link #clearHandedOff}), so the sweep
     * takes it; a crash in between is covered by the start-up recovery, which queues every PENDING delivery again in
     * this mode. That saves a commit per referral (docs/benchmarks.md, eighth session). In artemis mode the mark is
     * set after the broker has the id, as for every other delivery.
     *
     * @throws RejectedMessageException DUPLICATE when the X-Request-ID or the referral was accepted before
     */
    public void storeAccepted(AcceptedReferral accepted) {
        InboundMessage inbound = accepted.inbound();
        try {
            transactions.executeWithoutResult(status -> insertAccepted(accepted));
        } catch (DuplicateKeyException e) {
            if (isKnownRequestId(inbound.requestId())) {
                throw duplicateRequest();
            }
            throw new RejectedMessageException(RejectionReason.DUPLICATE, Problem.error(IssueType.DUPLICATE,
                    "This referral (the same sender ServiceRequest identifier) was received before in another "
                            + "message; updates are not supported yet",
                    "Bundle.entry.resource.ofType(ServiceRequest).identifier"));
        }
    }

    public static RejectedMessageException duplicateRequest() {
        return new RejectedMessageException(RejectionReason.DUPLICATE, Problem.error(IssueType.DUPLICATE,
                "A message with this X-Request-ID was already received and accepted; it is not processed again"));
    }

    private void insertAccepted(AcceptedReferral accepted) {
        InboundMessage inbound = accepted.inbound();
        Instant now = clock.instant();
        String referralId = accepted.mapped().serviceRequest().getIdElement().getIdPart();
        jdbc.sql("""
                insert into inbound_message (id, request_id, correlation_id, received_at, content_type, headers, body,
                                             referral_id, state)
                values (?, ?, ?, ?, ?, ?, ?, ?, 'ACCEPTED')""")
                .params(inbound.messageId(), inbound.requestId(), inbound.correlationId(), ts(inbound.receivedAt()),
                        truncate(inbound.contentType(), 200), toJson(inbound.headers()), inbound.body(), referralId)
                .update();
        IParser parser = fhirContext.newJsonParser();
        List<Resource> resources = accepted.mapped().resources();
        for (int i = 0; i < resources.size(); i++) {
            Resource resource = resources.get(i);
            String type = resource.fhirType();
            String id = resource.getIdElement().getIdPart();
            // what the validator read, byte for byte (the same encoder), so not encoded twice
            String validated = accepted.mapped().validatedJson(i);
            String body = validated != null ? validated : parser.encodeResourceToString(resource);
            jdbc.sql("""
                    insert into fhir_resource (resource_type, id, version_id, last_updated, message_id, body)
                    values (?, ?, 1, ?, ?, ?)""")
                    .params(type, id, ts(now), inbound.messageId(), body)
                    .update();
            // no history row: fhir_resource_history keeps superseded versions only (V13)
            index(type, id, resource);
        }
        Instant handedOffAt = acceptedDeliveriesHandedOffInProcess ? now : null;
        for (PlannedDelivery delivery : accepted.deliveries()) {
            insertDelivery(delivery, inbound.messageId(), null, referralId, inbound.correlationId(), now, handedOffAt);
        }
    }

    private void insertDelivery(PlannedDelivery delivery, String messageId, String eventId, String referralId,
            String correlationId, Instant now, Instant handedOffAt) {
        jdbc.sql("""
                insert into delivery (id, message_id, event_id, flow, referral_id, destination_id, idempotency_key,
                                      correlation_id, content_type, payload, state, attempts, created_at, updated_at,
                                      handed_off_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)""")
                .params(delivery.deliveryId(), messageId, eventId, delivery.flow().id(), referralId,
                        delivery.destinationId(), delivery.idempotencyKey(), correlationId, delivery.contentType(),
                        delivery.payload(), ts(now), ts(now), handedOffAt == null ? null : ts(handedOffAt))
                .update();
    }

    private void index(String type, String id, Resource resource) {
        for (Map.Entry<String, String> index : SearchIndex.entries(resource)) {
            jdbc.sql("insert into fhir_search_index (resource_type, resource_id, param_name, param_value) values (?, ?, ?, ?)")
                    .params(type, id, index.getKey(), truncate(index.getValue(), 512)).update();
        }
    }

    /**
     * Writes a resource as its next version (or its first), with a fresh search index; the version it replaces moves
     * to the history table, which keeps superseded versions only (the current one is read from {@code fhir_resource},
     * {@link #history}). Must run inside the caller's transaction. Returns the version written.
     */
    private int upsertResource(Resource resource, String messageId, Instant now, IParser parser) {
        String type = resource.fhirType();
        String id = resource.getIdElement().getIdPart();
        Integer current = jdbc.sql("select version_id from fhir_resource where resource_type = ? and id = ?")
                .params(type, id).query(Integer.class).optional().orElse(null);
        int version = current == null ? 1 : current + 1;
        String body = parser.encodeResourceToString(resource);
        if (current == null) {
            jdbc.sql("""
                    insert into fhir_resource (resource_type, id, version_id, last_updated, message_id, body)
                    values (?, ?, 1, ?, ?, ?)""")
                    .params(type, id, ts(now), messageId, body).update();
        } else {
            // optimistic: the version read above must still be current, or a concurrent writer won (and the copy
            // below is rolled back with the rest)
            int kept = jdbc.sql("""
                    insert into fhir_resource_history (resource_type, id, version_id, last_updated, body)
                    select resource_type, id, version_id, last_updated, body from fhir_resource
                    where resource_type = ? and id = ? and version_id = ?""")
                    .params(type, id, current).update();
            int updated = kept != 1 ? 0 : jdbc.sql("""
                    update fhir_resource set version_id = ?, last_updated = ?, body = ?
                    where resource_type = ? and id = ? and version_id = ?""")
                    .params(version, ts(now), body, type, id, current).update();
            if (updated != 1) {
                throw new ConcurrentResourceUpdateException(type + "/" + id);
            }
            jdbc.sql("delete from fhir_search_index where resource_type = ? and resource_id = ?").params(type, id).update();
        }
        index(type, id, resource);
        return version;
    }

    /**
     * Stores what one platform event produced, all or nothing: the event as received (with what became of it), the
     * new versions of the resources it changed, and the deliveries to make.
     *
     * @return false when the event (platform id, event id) was stored before: nothing is written but its duplicate count
     */
    public boolean storeEvent(StoredEvent event, List<Resource> changed, List<PlannedDelivery> deliveries) {
        try {
            transactions.executeWithoutResult(status -> {
                Instant now = clock.instant();
                jdbc.sql("""
                        insert into platform_event (id, platform_id, event_id, referral_id, kind, occurred_at, received_at,
                                                    request_id, correlation_id, content_type, body, outcome, detail,
                                                    duplicates)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)""")
                        .params(event.id(), event.platformId(), event.eventId(), event.referralId(), event.kind(),
                                ts(event.occurredAt()), ts(event.receivedAt()), truncate(event.requestId(), 64),
                                truncate(event.correlationId(), 64), truncate(event.contentType(), 200), event.body(),
                                event.outcome(), truncate(event.detail(), MAX_ERROR_LENGTH))
                        .update();
                IParser parser = fhirContext.newJsonParser();
                for (Resource resource : changed) {
                    upsertResource(resource, null, now, parser);
                }
                for (PlannedDelivery delivery : deliveries) {
                    insertDelivery(delivery, null, event.id(), event.referralId(), event.correlationId(), now, null);
                }
            });
            return true;
        } catch (DuplicateKeyException e) {
            if (findEvent(event.platformId(), event.eventId()).isEmpty()) {
                throw e; // a clash on something else (a delivery id): not a repeated event
            }
            recordDuplicateEvent(event.platformId(), event.eventId());
            return false;
        }
    }

    /**
     * Runs work on one referral in a transaction that holds the referral's row lock (its ServiceRequest), so two
     * events for the same referral are applied one after the other, on one instance or several sharing the
     * database. Returns empty when no such referral is stored.
     */
    public <T> Optional<T> inReferralTransaction(String referralId, java.util.function.Supplier<T> work) {
        return transactions.execute(status -> {
            boolean exists = jdbc.sql("select id from fhir_resource where resource_type = 'ServiceRequest' and id = ? for update")
                    .param(referralId).query(String.class).optional().isPresent();
            return exists ? Optional.ofNullable(work.get()) : Optional.<T>empty();
        });
    }

    /** The partners a referral's deliveries of one flow go to (ids only: no payload is read). */
    public List<String> destinationsOfReferral(String referralId, DeliveryFlow flow) {
        return jdbc.sql("select destination_id from delivery where referral_id = ? and flow = ? order by destination_id")
                .params(referralId, flow.id()).query(String.class).list();
    }

    /** The correlation id (BaRS conversation id) a referral came in under, without reading its message. */
    public Optional<String> correlationIdOfReferral(String referralId) {
        return jdbc.sql("select correlation_id from inbound_message where referral_id = ? order by received_at, id")
                .param(referralId).query(String.class).list().stream().findFirst();
    }

    /** The accepted inbound message a referral came in: its body and content type. */
    public Optional<StoredMessage> inboundMessageOfReferral(String referralId) {
        return jdbc.sql("""
                select id, request_id, correlation_id, content_type, body from inbound_message
                where referral_id = ? order by received_at, id""")
                .param(referralId)
                .query((rs, n) -> new StoredMessage(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5)))
                .list().stream().findFirst();
    }

    /** An accepted inbound message: the body is patient data, never log it. */
    public record StoredMessage(String id, String requestId, String correlationId, String contentType, String body) {
    }

    /** Counts a repeat of an event already stored (duplicates are recorded, never processed twice). */
    public void recordDuplicateEvent(String platformId, String eventId) {
        jdbc.sql("update platform_event set duplicates = duplicates + 1, last_duplicate_at = ? where platform_id = ? and event_id = ?")
                .params(ts(clock.instant()), platformId, eventId).update();
    }

    public Optional<StoredEvent> findEvent(String platformId, String eventId) {
        return jdbc.sql(EVENT_SELECT + " where platform_id = ? and event_id = ?").params(platformId, eventId)
                .query(MessageStore::storedEvent).optional();
    }

    /** The events of one referral in the order they happened, without their bodies. */
    public List<StoredEvent> eventsForReferral(String referralId) {
        return jdbc.sql(EVENT_SELECT + " where referral_id = ? order by occurred_at, received_at, id").param(referralId)
                .query(MessageStore::storedEvent).list();
    }

    public int countEvents(String outcome) {
        return jdbc.sql("select count(*) from platform_event where outcome = ?").param(outcome).query(Integer.class).single();
    }

    private static final String EVENT_SELECT = """
            select id, platform_id, event_id, referral_id, kind, occurred_at, received_at, request_id, correlation_id,
                   content_type, null, outcome, detail, duplicates
            from platform_event""";

    private static StoredEvent storedEvent(ResultSet rs, int row) throws SQLException {
        return new StoredEvent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                instant(rs, 6), instant(rs, 7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                rs.getString(12), rs.getString(13), rs.getInt(14));
    }

    /** Every version of a resource, newest first: the current one and those it superseded. */
    public List<StoredResource> history(String resourceType, String id) {
        return jdbc.sql("""
                select resource_type, id, version_id, last_updated, body from fhir_resource
                where resource_type = ? and id = ?
                union all
                select resource_type, id, version_id, last_updated, body from fhir_resource_history
                where resource_type = ? and id = ?
                order by version_id desc""")
                .params(resourceType, id, resourceType, id).query(MessageStore::storedResource).list();
    }

    /**
     * Retention: empties the payloads of DELIVERED deliveries last changed before {@code cutoff} and deletes their
     * attempts' details, and empties the bodies of applied or stale platform events received before it. Never
     * touches FAILED or PENDING deliveries, refusals, inbound referral messages or FHIR resources.
     *
     * @return how many deliveries and events were pruned
     */
    public PruneCounts pruneDelivered(Instant cutoff) {
        return transactions.execute(status -> {
            int attempts = jdbc.sql("""
                    delete from delivery_attempt where delivery_id in (
                        select id from delivery where state = 'DELIVERED' and updated_at < ? and payload <> '')""")
                    .param(ts(cutoff)).update();
            int deliveries = jdbc.sql("""
                    update delivery set payload = '' where state = 'DELIVERED' and updated_at < ? and payload <> ''""")
                    .param(ts(cutoff)).update();
            int events = jdbc.sql("""
                    update platform_event set body = '' where outcome in ('APPLIED', 'STALE') and received_at < ?
                      and body <> ''""")
                    .param(ts(cutoff)).update();
            return new PruneCounts(deliveries, attempts, events);
        });
    }

    /** What one pruning removed. */
    public record PruneCounts(int deliveryPayloads, int attempts, int eventBodies) {
    }

    /** A poller's persisted cursor. */
    public Optional<String> pollCursor(String sourceId) {
        return jdbc.sql("select cursor_value from poll_cursor where source_id = ?").param(sourceId)
                .query(String.class).optional();
    }

    public void savePollCursor(String sourceId, String cursor) {
        transactions.executeWithoutResult(status -> {
            int updated = jdbc.sql("update poll_cursor set cursor_value = ?, updated_at = ? where source_id = ?")
                    .params(cursor, ts(clock.instant()), sourceId).update();
            if (updated == 0) {
                jdbc.sql("insert into poll_cursor (source_id, cursor_value, updated_at) values (?, ?, ?)")
                        .params(sourceId, cursor, ts(clock.instant())).update();
            }
        });
    }

    /** Records a refused message with the OperationOutcome returned, so every refusal is visible. */
    public void storeRejected(InboundMessage inbound, String requestId, String correlationId, Map<String, String> headers,
            String contentType, String body, int httpStatus, RejectionReason reason, String outcomeJson) {
        storeRejected("$process-message", inbound != null ? inbound.messageId() : null, requestId, correlationId, headers,
                contentType, body, httpStatus, reason, outcomeJson);
    }

    /**
     * Records a refused message of any channel ({@code $process-message}, {@code platform:<id>}) with the
     * OperationOutcome returned.
     */
    public void storeRejected(String channel, String messageId, String requestId, String correlationId,
            Map<String, String> headers, String contentType, String body, int httpStatus, RejectionReason reason,
            String outcomeJson) {
        jdbc.sql("""
                insert into rejected_message (id, request_id, correlation_id, received_at, http_status, reason,
                                              content_type, headers, body, outcome, channel)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(messageId != null ? messageId : UUID.randomUUID().toString(), truncate(requestId, 64),
                        truncate(correlationId, 64), ts(clock.instant()), httpStatus, reason.name(),
                        truncate(contentType, 200), toJson(headers), body, outcomeJson, truncate(channel, 120))
                .update();
    }

    public int countRejected(RejectionReason reason) {
        return jdbc.sql("select count(*) from rejected_message where reason = ?").param(reason.name())
                .query(Integer.class).single();
    }

    /** A stored resource's JSON, with its version and last-updated time. */
    public Optional<StoredResource> readResource(String resourceType, String id) {
        return jdbc.sql("select resource_type, id, version_id, last_updated, body from fhir_resource where resource_type = ? and id = ?")
                .params(resourceType, id)
                .query(MessageStore::storedResource).optional();
    }

    /** Resources of a type whose search parameter has the value given, in id order. */
    public List<StoredResource> search(String resourceType, String paramName, String paramValue) {
        return jdbc.sql("""
                select r.resource_type, r.id, r.version_id, r.last_updated, r.body
                from fhir_resource r
                where r.resource_type = ? and r.id in (
                    select i.resource_id from fhir_search_index i
                    where i.resource_type = ? and i.param_name = ? and i.param_value = ?)
                order by r.id""")
                .params(resourceType, resourceType, paramName, paramValue)
                .query(MessageStore::storedResource).list();
    }

    /**
     * One page of the resources of a type matching every criterion (AND); a criterion's values are alternatives
     * (OR, as FHIR's comma), in id order, with the total number of matches.
     */
    public SearchPage search(String resourceType, Map<String, List<String>> criteria, int offset, int count) {
        return search(resourceType, criteria, offset, count, ReferralScope.ALL);
    }

    /** As {@link #search(String, Map, int, int)}, counting and returning only what is in the reader's scope. */
    public SearchPage search(String resourceType, Map<String, List<String>> criteria, int offset, int count,
            ReferralScope scope) {
        if (criteria.values().stream().anyMatch(List::isEmpty)) {
            return new SearchPage(List.of(), 0); // a criterion no value can meet
        }
        ReferralScope.Condition inScope = scope.condition(resourceType);
        StringBuilder where = new StringBuilder(" where r.resource_type = ?" + inScope.sql());
        List<Object> params = new java.util.ArrayList<>();
        params.add(resourceType);
        params.addAll(inScope.params());
        for (Map.Entry<String, List<String>> criterion : criteria.entrySet()) {
            where.append(" and r.id in (select i.resource_id from fhir_search_index i where i.resource_type = ?"
                    + " and i.param_name = ? and i.param_value in (")
                    .append(String.join(", ", java.util.Collections.nCopies(criterion.getValue().size(), "?")))
                    .append("))");
            params.add(resourceType);
            params.add(criterion.getKey());
            params.addAll(criterion.getValue());
        }
        int total = jdbc.sql("select count(*) from fhir_resource r" + where).params(params).query(Integer.class).single();
        List<Object> pageParams = new java.util.ArrayList<>(params);
        pageParams.add(count);
        pageParams.add(offset);
        List<StoredResource> page = jdbc.sql("select r.resource_type, r.id, r.version_id, r.last_updated, r.body from fhir_resource r"
                        + where + " order by r.id limit ? offset ?")
                .params(pageParams).query(MessageStore::storedResource).list();
        return new SearchPage(page, total);
    }

    /** A page of search results and the number of matches in all. */
    public record SearchPage(List<StoredResource> resources, int total) {
    }

    public Optional<DeliveryRecord> findDelivery(String deliveryId) {
        return jdbc.sql(DELIVERY_SELECT + " where d.id = ?").param(deliveryId).query(MessageStore::delivery).optional();
    }

    public List<DeliveryRecord> deliveriesInState(DeliveryState state) {
        return jdbc.sql(DELIVERY_SELECT + " where d.state = ? order by d.created_at, d.id").param(state.name())
                .query(MessageStore::delivery).list();
    }

    /** Deliveries, newest first, optionally only one state and one destination. */
    public List<DeliveryRecord> listDeliveries(DeliveryState state, String destinationId, int limit) {
        return listDeliveries(state, destinationId, limit, "desc");
    }

    /** The ids of FAILED deliveries, oldest first (the order to replay them in), optionally of one destination. */
    public List<String> failedDeliveryIdsOldestFirst(String destinationId, int limit) {
        return failedDeliveryIdsOldestFirst(destinationId, null, null, limit);
    }

    /**
     * As {@link #failedDeliveryIdsOldestFirst(String, int)}, optionally only the deliveries created (their message
     * accepted) in a time window.
     *
     * @param createdFrom   the window's start, inclusive; null for no start
     * @param createdBefore the window's end, exclusive; null for no end
     */
    public List<String> failedDeliveryIdsOldestFirst(String destinationId, Instant createdFrom, Instant createdBefore,
            int limit) {
        return listDeliveries(DeliveryState.FAILED, destinationId, createdFrom, createdBefore, limit, "asc").stream()
                .map(DeliveryRecord::id).toList();
    }

    private List<DeliveryRecord> listDeliveries(DeliveryState state, String destinationId, int limit, String order) {
        return listDeliveries(state, destinationId, null, null, limit, order);
    }

    private List<DeliveryRecord> listDeliveries(DeliveryState state, String destinationId, Instant createdFrom,
            Instant createdBefore, int limit, String order) {
        StringBuilder sql = new StringBuilder(DELIVERY_SELECT).append(" where 1 = 1");
        List<Object> params = new java.util.ArrayList<>();
        if (state != null) {
            sql.append(" and d.state = ?");
            params.add(state.name());
        }
        if (destinationId != null) {
            sql.append(" and d.destination_id = ?");
            params.add(destinationId);
        }
        if (createdFrom != null) {
            sql.append(" and d.created_at >= ?");
            params.add(ts(createdFrom));
        }
        if (createdBefore != null) {
            sql.append(" and d.created_at < ?");
            params.add(ts(createdBefore));
        }
        sql.append(" order by d.updated_at ").append("asc".equals(order) ? "asc" : "desc").append(", d.id limit ?");
        params.add(limit);
        return jdbc.sql(sql.toString()).params(params).query(MessageStore::delivery).list();
    }

    /**
     * Puts a FAILED delivery back to PENDING for a replay, keeping its attempts and payload.
     *
     * @return false when the delivery is not FAILED (a pending one is already on its way; a delivered one is done)
     */
    public boolean reopenFailed(String deliveryId) {
        // handed_off_at cleared: the replay's own hand-off sets it again, and the sweep covers one that fails
        return jdbc.sql("update delivery set state = 'PENDING', updated_at = ?, handed_off_at = null where id = ? "
                        + "and state = 'FAILED'")
                .params(ts(clock.instant()), deliveryId).update() == 1;
    }

    /** Records that a delivery's id reached its delivery queue (the sweep then leaves it alone). */
    public void markHandedOff(String deliveryId) {
        jdbc.sql("update delivery set handed_off_at = ? where id = ?").params(ts(clock.instant()), deliveryId).update();
    }

    /**
     * Takes back the mark of a PENDING delivery that was stored as handed off but did not reach its queue, so that the
     * sweep hands it off ({@link #storeAccepted}, embedded mode).
     */
    public void clearHandedOff(String deliveryId) {
        jdbc.sql("update delivery set handed_off_at = null where id = ? and state = 'PENDING'").param(deliveryId).update();
    }

    /**
     * PENDING deliveries no hand-off is known to have reached (never handed off, or a replay whose hand-off failed)
     * and untouched since {@code untouchedSince}, oldest first: what the periodic sweep hands off again.
     */
    public List<DeliveryRecord> pendingNotHandedOff(Instant untouchedSince, int limit) {
        return jdbc.sql(DELIVERY_SELECT + " where d.state = 'PENDING' and d.handed_off_at is null and d.updated_at <= ?"
                        + " order by d.created_at, d.id limit ?")
                .params(ts(untouchedSince), limit).query(MessageStore::delivery).list();
    }

    /** Refused messages, newest first, without their bodies (patient data). */
    public List<RejectionRecord> listRejections(int limit) {
        return jdbc.sql("""
                select id, request_id, correlation_id, received_at, http_status, reason, outcome, channel
                from rejected_message order by received_at desc, id limit ?""")
                .param(limit)
                .query((rs, n) -> new RejectionRecord(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4),
                        rs.getInt(5), rs.getString(6), rs.getString(7), rs.getString(8)))
                .list();
    }

    public int countDeliveries(DeliveryState state) {
        return jdbc.sql("select count(*) from delivery where state = ?").param(state.name()).query(Integer.class).single();
    }

    /** One destination's deliveries in one state; the state leads an index, so DELIVERED rows are not read. */
    public int countDeliveries(String destinationId, DeliveryState state) {
        return jdbc.sql("select count(*) from delivery where state = ? and destination_id = ?").param(state.name())
                .param(destinationId).query(Integer.class).single();
    }

    public List<DeliveryRecord> deliveriesForReferral(String referralId) {
        return jdbc.sql(DELIVERY_SELECT + " where d.referral_id = ? order by d.destination_id").param(referralId)
                .query(MessageStore::delivery).list();
    }

    /** Records one attempt at a delivery and what came of it; a success marks the delivery DELIVERED. */
    public void recordAttempt(String deliveryId, Instant startedAt, long durationMs, Integer httpStatus,
            AttemptOutcome outcome, String error) {
        transactions.executeWithoutResult(status -> {
            String state = outcome == AttemptOutcome.DELIVERED ? DeliveryState.DELIVERED.name() : DeliveryState.PENDING.name();
            // the update counts the attempt and locks the row; the attempt's number is then read from it
            int updated = jdbc.sql("update delivery set attempts = attempts + 1, state = ?, updated_at = ?, last_error = ? "
                            + "where id = ?")
                    .params(state, ts(clock.instant()), truncate(error, MAX_ERROR_LENGTH), deliveryId)
                    .update();
            if (updated != 1) {
                throw new EmptyResultDataAccessException("no delivery " + deliveryId, 1);
            }
            jdbc.sql("""
                    insert into delivery_attempt (delivery_id, attempt_number, started_at, duration_ms, http_status,
                                                  outcome, error)
                    select id, attempts, ?, ?, ?, ?, ? from delivery where id = ?""")
                    .params(ts(startedAt), durationMs, httpStatus, outcome.name(), truncate(error, MAX_ERROR_LENGTH),
                            deliveryId)
                    .update();
        });
    }

    /** Gives up on a delivery after its last attempt or a permanent refusal; it stays stored and visible. */
    public void markFailed(String deliveryId, String error) {
        jdbc.sql("update delivery set state = 'FAILED', updated_at = ?, last_error = ? where id = ? and state <> 'DELIVERED'")
                .params(ts(clock.instant()), truncate(error, MAX_ERROR_LENGTH), deliveryId).update();
    }

    public List<AttemptRecord> attempts(String deliveryId) {
        return jdbc.sql("""
                select attempt_number, started_at, duration_ms, http_status, outcome, error
                from delivery_attempt where delivery_id = ? order by attempt_number""")
                .param(deliveryId)
                .query((rs, n) -> new AttemptRecord(rs.getInt(1), instant(rs, 2), rs.getLong(3),
                        (Integer) rs.getObject(4), AttemptOutcome.valueOf(rs.getString(5)), rs.getString(6)))
                .list();
    }

    /** Counts per delivery state for one destination, for its health indicator. */
    public Map<DeliveryState, Integer> deliveryCounts(String destinationId) {
        Map<DeliveryState, Integer> counts = new java.util.EnumMap<>(DeliveryState.class);
        for (DeliveryState s : DeliveryState.values()) {
            counts.put(s, 0);
        }
        jdbc.sql("select state, count(*) from delivery where destination_id = ? group by state").param(destinationId)
                .query((RowCallbackHandler) rs -> counts.put(DeliveryState.valueOf(rs.getString(1)), rs.getInt(2)));
        return counts;
    }

    /** The outcome of the latest attempt to a destination, if any. */
    public Optional<AttemptOutcome> lastAttemptOutcome(String destinationId) {
        return jdbc.sql("""
                select a.outcome from delivery_attempt a join delivery d on d.id = a.delivery_id
                where d.destination_id = ? order by a.id desc""")
                .param(destinationId).query(String.class).list().stream().findFirst().map(AttemptOutcome::valueOf);
    }

    private static final String DELIVERY_SELECT = """
            select d.id, d.message_id, d.referral_id, d.destination_id, d.idempotency_key, d.correlation_id,
                   d.content_type, d.payload, d.state, d.attempts, d.created_at, d.updated_at, d.last_error, d.flow,
                   d.event_id
            from delivery d""";

    private static DeliveryRecord delivery(ResultSet rs, int row) throws SQLException {
        return new DeliveryRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), DeliveryState.valueOf(rs.getString(9)), rs.getInt(10),
                instant(rs, 11), instant(rs, 12), rs.getString(13), DeliveryFlow.ofId(rs.getString(14)), rs.getString(15));
    }

    private static StoredResource storedResource(ResultSet rs, int row) throws SQLException {
        return new StoredResource(rs.getString(1), rs.getString(2), rs.getInt(3), instant(rs, 4), rs.getString(5));
    }

    private String toJson(Map<String, String> headers) {
        try {
            return json.writeValueAsString(new java.util.TreeMap<>(headers));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("headers could not be written as JSON", e);
        }
    }

}
