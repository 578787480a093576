package io.github.spfhir.adapter.domain.directory;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.support.MovableClock;
import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.config.SyncSchedule;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.store.DirectoryStore;
import io.github.spfhir.adapter.store.SyncRun;
import io.github.spfhir.adapter.support.AdapterIntegrationTest;
import io.github.spfhir.adapter.support.OrukFeeds;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * Incremental directory sync against a WireMock ORUK v3 feed, with a clock the test moves: the first run is
 * full; the next ones send {@code modified_after} with the stored cursor and apply only what the feed returns; a
 * failed run leaves the cursor where it was; once {@code full-sync-every} has passed a full run comes round again
 * and makes the services missing from the feed inactive. Each test has its own source (and so its own resources
 * and cursor) in the shared test database.
 */
@AdapterIntegrationTest
class DirectoryIncrementalSyncTest {

    private static final AtomicInteger SOURCES = new AtomicInteger();
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    private static final String T0_PARAMETER = "2026-11-21T10:00:00Z";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    FhirContext fhirContext;

    @Autowired
    FhirProfileValidator validator;

    MovableClock clock;
    DirectoryStore store;
    String source;

    @BeforeEach
    void setUp() {
        TestPartners.reset();
        clock = new MovableClock(T0);
        store = new DirectoryStore(jdbc, transactions, fhirContext, clock);
        source = "incremental-" + SOURCES.incrementAndGet();
    }

    @AfterEach
    void tearDown() {
        TestPartners.reset();
    }

    private DirectorySync sync(boolean incremental) {
        AdapterProperties.DirectorySource settings = new AdapterProperties.DirectorySource(
                AdapterProperties.DirectorySourceKind.ORUK_V3, URI.create(TestPartners.baseUrl() + "/" + source), null,
                false, SyncSchedule.every(Duration.ofHours(6)), Duration.ofMinutes(1), Duration.ofSeconds(2), 2, incremental,
                Duration.ofHours(24), null, null);
        AdapterProperties properties = new AdapterProperties(null, null, Map.of(), null, Map.of(source, settings),
                null, null, null, null);
        return new DirectorySync(properties, store, validator, fhirContext, clock);
    }

    private String id(String hsdsId) {
        return DirectoryIds.of("HealthcareService", source, hsdsId);
    }

    /*
     * Services of their own, not the golden fixtures: these sources stay in the test database shared by every
     * integration test, and names or taxonomy codes of the fixtures would turn up in other tests' searches.
     */
    private static final String A = "incremental-a";
    private static final String B = "incremental-b";
    private static final String C = "incremental-c";

    private static String service(String id, String name) {
        return "{\"id\":\"" + id + "\",\"organization_id\":\"incremental-org\",\"name\":\"" + name
                + "\",\"status\":\"active\"}";
    }

    /** A first full sync at T0 of three services. */
    private DirectorySync syncedInFull(boolean incremental) {
        OrukFeeds.serve(source, List.of(service(A, "Incremental Service A"), service(B, "Incremental Service B"),
                service(C, "Incremental Service C")), OrukFeeds.FULL_ONLY);
        DirectorySync sync = sync(incremental);
        SyncSummary first = sync.sync(source);
        assertThat(first.mode()).isEqualTo(SyncRun.FULL);
        assertThat(first.state()).isEqualTo(SyncRun.SUCCEEDED);
        assertThat(first.services()).isEqualTo(3);
        return sync;
    }

    @Test
    void theSecondRunSendsTheCursorAsModifiedAfterAndAppliesOnlyTheChangedRecords() {
        DirectorySync sync = syncedInFull(true);
        assertThat(store.cursor(source)).hasValueSatisfying(c -> {
            assertThat(c.modifiedAfter()).isEqualTo(T0);
            assertThat(c.lastFullStartedAt()).isEqualTo(T0);
        });

        clock.set(T0.plus(Duration.ofHours(6)));
        OrukFeeds.serve(source, List.of(service(B, "Incremental Service B (evenings)")), T0_PARAMETER);
        SyncSummary second = sync.sync(source);

        assertThat(second.mode()).isEqualTo(SyncRun.INCREMENTAL);
        assertThat(second.modifiedAfter()).isEqualTo(T0);
        assertThat(second.state()).isEqualTo(SyncRun.SUCCEEDED);
        assertThat(second.services()).isEqualTo(1);
        assertThat(second.deactivated()).as("an incremental run deactivates nothing").isZero();
        TestPartners.server().verify(getRequestedFor(urlPathEqualTo("/" + source + "/services"))
                .withQueryParam("modified_after", equalTo(T0_PARAMETER)));
        assertThat(store.read("HealthcareService", id(B))).hasValueSatisfying(r -> {
            assertThat(r.json()).contains("Incremental Service B (evenings)");
            assertThat(r.versionId()).isEqualTo(2);
            assertThat(r.lastUpdated()).isEqualTo(T0.plus(Duration.ofHours(6)));
        });
        // not in the incremental answer: untouched, and still active
        assertThat(store.read("HealthcareService", id(A))).hasValueSatisfying(r -> {
            assertThat(r.versionId()).isEqualTo(1);
            assertThat(r.json()).contains("\"active\":true");
        });
        assertThat(store.read("HealthcareService", id(C)))
                .hasValueSatisfying(r -> assertThat(r.versionId()).isEqualTo(1));
        assertThat(store.run(second.runId())).hasValueSatisfying(run -> {
            assertThat(run.mode()).isEqualTo(SyncRun.INCREMENTAL);
            assertThat(run.modifiedAfter()).isEqualTo(T0);
        });
        assertThat(store.cursor(source)).hasValueSatisfying(c -> {
            assertThat(c.modifiedAfter()).as("the start of the incremental run").isEqualTo(T0.plus(Duration.ofHours(6)));
            assertThat(c.lastSuccessRunId()).isEqualTo(second.runId());
            assertThat(c.lastFullStartedAt()).as("still the full run's").isEqualTo(T0);
        });
    }

    @Test
    void aFailedRunDoesNotMoveTheCursor() {
        DirectorySync sync = syncedInFull(true);
        long fullRun = store.lastSuccessfulRunId(source).orElseThrow();

        clock.set(T0.plus(Duration.ofHours(6)));
        TestPartners.server().stubFor(get(urlPathEqualTo("/" + source + "/services"))
                .willReturn(aResponse().withStatus(503)));
        SyncSummary failed = sync.sync(source);

        assertThat(failed.mode()).isEqualTo(SyncRun.INCREMENTAL);
        assertThat(failed.state()).isEqualTo(SyncRun.FAILED);
        assertThat(store.cursor(source)).hasValueSatisfying(c -> {
            assertThat(c.modifiedAfter()).isEqualTo(T0);
            assertThat(c.lastSuccessRunId()).isEqualTo(fullRun);
            assertThat(c.lastRunId()).isEqualTo(failed.runId());
        });

        // the next run asks again from the same cursor, and a success moves it to its own start
        TestPartners.reset();
        clock.set(T0.plus(Duration.ofHours(12)));
        OrukFeeds.serve(source, List.of(), T0_PARAMETER);
        SyncSummary retried = sync.sync(source);

        assertThat(retried.state()).isEqualTo(SyncRun.SUCCEEDED);
        assertThat(retried.modifiedAfter()).isEqualTo(T0);
        TestPartners.server().verify(getRequestedFor(urlPathEqualTo("/" + source + "/services"))
                .withQueryParam("modified_after", equalTo(T0_PARAMETER)));
        assertThat(store.cursor(source)).hasValueSatisfying(c -> assertThat(c.modifiedAfter())
                .isEqualTo(T0.plus(Duration.ofHours(12))));
    }

    @Test
    void aFullRunComesRoundAfterFullSyncEveryAndMakesMissingServicesInactive() {
        DirectorySync sync = syncedInFull(true);

        clock.set(T0.plus(Duration.ofHours(18)));
        OrukFeeds.serve(source, List.of(), T0_PARAMETER);
        SyncSummary incremental = sync.sync(source);
        assertThat(incremental.mode()).isEqualTo(SyncRun.INCREMENTAL);
        assertThat(store.read("HealthcareService", id(B)))
                .hasValueSatisfying(r -> assertThat(r.json()).contains("\"active\":true"));

        // 24 h after the full run started: a full run, without modified_after, and service B has gone
        TestPartners.reset();
        clock.set(T0.plus(Duration.ofHours(24)));
        OrukFeeds.serve(source, List.of(service(A, "Incremental Service A"), service(C, "Incremental Service C")),
                OrukFeeds.FULL_ONLY);
        SyncSummary full = sync.sync(source);

        assertThat(full.mode()).isEqualTo(SyncRun.FULL);
        assertThat(full.state()).isEqualTo(SyncRun.SUCCEEDED);
        assertThat(full.deactivated()).isEqualTo(1);
        TestPartners.server().verify(getRequestedFor(urlPathEqualTo("/" + source + "/services"))
                .withQueryParam("modified_after", absent()));
        assertThat(store.read("HealthcareService", id(B))).hasValueSatisfying(r -> {
            assertThat(r.json()).contains("\"active\":false");
            assertThat(r.versionId()).isEqualTo(2);
        });
        assertThat(store.read("HealthcareService", id(A)))
                .hasValueSatisfying(r -> assertThat(r.json()).contains("\"active\":true"));
        assertThat(store.cursor(source)).hasValueSatisfying(c -> {
            assertThat(c.lastFullSuccessRunId()).isEqualTo(full.runId());
            assertThat(c.lastFullStartedAt()).isEqualTo(T0.plus(Duration.ofHours(24)));
        });
    }

    @Test
    void aSourceThatIsNotIncrementalIsAlwaysSyncedInFull() {
        DirectorySync sync = syncedInFull(false);

        clock.set(T0.plus(Duration.ofHours(6)));
        SyncSummary second = sync.sync(source);

        assertThat(second.mode()).isEqualTo(SyncRun.FULL);
        assertThat(second.modifiedAfter()).isNull();
        assertThat(second.services()).isEqualTo(3);
        TestPartners.server().verify(0, getRequestedFor(urlPathEqualTo("/" + source + "/services"))
                .withQueryParam("modified_after", equalTo(T0_PARAMETER)));
    }

    @Test
    void anExportFileSourceCannotBeIncremental() {
        assertThatThrownBy(() -> new AdapterProperties.DirectorySource(AdapterProperties.DirectorySourceKind.DEWIS_EXPORT,
                null, Path.of("export.json"), false, SyncSchedule.every(Duration.ofHours(24)), Duration.ofMinutes(1), Duration.ofSeconds(30),
                100, true, Duration.ofHours(24), null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dewis-export");
    }
}
