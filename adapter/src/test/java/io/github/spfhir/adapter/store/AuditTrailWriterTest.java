package io.github.spfhir.adapter.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.support.TestConfigurations;

/**
 * The audit trail's writer on both databases: entries that arrive within the write delay share one commit and keep
 * the order they were submitted in; what is queued at stop is written before stop returns; with a delay of zero, a
 * full queue, or a stopped writer the caller writes its own entry at once. Real databases; the commits are counted by
 * the transaction manager the store is given.
 */
class AuditTrailWriterTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.spfhir.adapter.support.TestDatabases#both")
    void entriesWithinTheDelayAreWrittenInOneCommitInTheOrderSubmitted(String name, DataSource dataSource) {
        CountingTransactions commits = new CountingTransactions(dataSource);
        AuditStore store = new AuditStore(JdbcClient.create(dataSource), new TransactionTemplate(commits));
        AuditTrailWriter writer = new AuditTrailWriter(store, Duration.ofSeconds(2), 100);
        String client = "writer-" + UUID.randomUUID();
        writer.start();
        try {
            IntStream.range(0, 20).forEach(i -> writer.submit(entry(client, "/fhir/Task/" + i)));

            await().atMost(Duration.ofSeconds(10)).until(() -> store.list(client, null, null, 100).size() == 20);
            assertThat(commits.count()).isEqualTo(1);
            // newest first: the ids follow the order of submission
            assertThat(store.list(client, null, null, 100)).extracting(AuditRecord::path)
                    .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "/fhir/Task/" + (19 - i)).toList());
        } finally {
            writer.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.spfhir.adapter.support.TestDatabases#both")
    void whatIsQueuedAtStopIsWrittenBeforeStopReturns(String name, DataSource dataSource) {
        AuditStore store = new AuditStore(JdbcClient.create(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
        AuditTrailWriter writer = new AuditTrailWriter(store, Duration.ofHours(1), 100);
        String client = "writer-" + UUID.randomUUID();
        writer.start();
        IntStream.range(0, 5).forEach(i -> writer.submit(entry(client, "/fhir/Task/" + i)));

        writer.stop();

        assertThat(writer.isRunning()).isFalse();
        assertThat(store.list(client, null, null, 100)).hasSize(5);
        writer.submit(entry(client, "/fhir/Task/after-stop")); // stopped: written by the caller, at once
        assertThat(store.list(client, null, null, 100)).hasSize(6);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.spfhir.adapter.support.TestDatabases#both")
    void withADelayOfZeroEachEntryIsWrittenByItsCallerBeforeSubmitReturns(String name, DataSource dataSource) {
        AuditStore store = new AuditStore(JdbcClient.create(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
        AuditTrailWriter writer = new AuditTrailWriter(store, Duration.ZERO, 100);
        String client = "writer-" + UUID.randomUUID();
        writer.start();

        assertThat(writer.isRunning()).isFalse(); // no thread for a delay of zero
        writer.submit(entry(client, "/fhir/Task/1"));
        assertThat(store.list(client, null, null, 100)).extracting(AuditRecord::path).containsExactly("/fhir/Task/1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.spfhir.adapter.support.TestDatabases#both")
    void aFullQueueMakesTheCallerWriteItsOwnEntryNothingIsDropped(String name, DataSource dataSource) throws Exception {
        FirstCommitHeld held = new FirstCommitHeld(dataSource);
        AuditStore store = new AuditStore(JdbcClient.create(dataSource), new TransactionTemplate(held));
        AuditTrailWriter writer = new AuditTrailWriter(store, Duration.ofSeconds(1), 3);
        String client = "writer-" + UUID.randomUUID();
        writer.start();
        try {
            writer.submit(entry(client, "/fhir/Task/first"));
            writer.submit(entry(client, "/fhir/Task/second")); // the writer's batch: two in one commit, held
            assertThat(held.entered.await(10, TimeUnit.SECONDS)).isTrue();

            IntStream.range(0, 10).forEach(i -> writer.submit(entry(client, "/fhir/Task/" + i)));

            // three wait in the queue; the other seven were written by their callers, at once
            assertThat(store.list(client, null, null, 100)).extracting(AuditRecord::path)
                    .containsExactlyInAnyOrder("/fhir/Task/3", "/fhir/Task/4", "/fhir/Task/5", "/fhir/Task/6",
                            "/fhir/Task/7", "/fhir/Task/8", "/fhir/Task/9");
            held.release.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> store.list(client, null, null, 100).size() == 12);
        } finally {
            held.release.countDown();
            writer.stop();
        }
    }

    @Test
    void aNegativeDelayStopsStartUpWithAMessageNamingTheSetting() {
        AdapterProperties.H2Compaction compaction = TestConfigurations.h2CompactionProperties(true).store().h2Compaction();

        assertThatThrownBy(() -> new AdapterProperties.Store(compaction, Duration.ofMillis(-1)))
                .hasMessageContaining("adapter.store.audit-write-delay");
        assertThat(new AdapterProperties.Store(compaction, Duration.ZERO).auditWriteDelay()).isZero();
    }

    private static AuditRecord entry(String client, String path) {
        return new AuditRecord(0, Instant.parse("2026-11-22T08:00:00Z"), client, "https://issuer.example", "gp-system",
                "A81001", null, "GET", path, null, "read", "Task", path.substring(path.lastIndexOf('/') + 1), 200,
                "allowed", null, UUID.randomUUID().toString(), "127.0.0.1");
    }

    /** A transaction manager that counts its commits. */
    private static final class CountingTransactions extends DataSourceTransactionManager {

        private final AtomicInteger commits = new AtomicInteger();

        CountingTransactions(DataSource dataSource) {
            super(dataSource);
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            super.doCommit(status);
            commits.incrementAndGet();
        }

        int count() {
            return commits.get();
        }
    }

    /** A transaction manager whose first commit waits until the test releases it. */
    private static final class FirstCommitHeld extends DataSourceTransactionManager {

        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        FirstCommitHeld(DataSource dataSource) {
            super(dataSource);
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
            if (entered.getCount() > 0) {
                entered.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            super.doCommit(status);
        }
    }
}
