package io.github.spfhir.adapter.domain.directory;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.spfhir.adapter.store.DirectoryStore;
import io.github.spfhir.adapter.store.SyncRun;
import io.github.spfhir.adapter.support.AdapterIntegrationTest;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.OrukFeeds;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * Full syncs of the {@code example-oruk} source against a WireMock ORUK v3 feed (page size 2 in tests): paging,
 * a malformed record skipped and reported, a failing source leaving the last good copy, a removed service
 * becoming inactive.
 */
@AdapterIntegrationTest
class DirectorySyncTest {

    static final String SOURCE = OrukFeeds.SOURCE;
    static final String FULL = OrukFeeds.FULL;
    static final String MINIMAL = OrukFeeds.MINIMAL;

    @Autowired
    DirectorySync sync;

    @Autowired
    DirectoryStore store;

    @BeforeEach
    void setUp() {
        TestPartners.reset();
    }

    @AfterEach
    void tearDown() {
        TestPartners.reset();
    }

    static String record(String scenario) {
        return OrukFeeds.record(scenario);
    }

    static void feed(List<String> records) {
        OrukFeeds.serve(records);
    }

    static String id(String hsdsId) {
        return DirectoryIds.of("HealthcareService", SOURCE, hsdsId);
    }

    @Test
    void twoPagesWithAMalformedRecordSkippedAndReported() {
        feed(List.of(record("full-service"), "{\"name\":\"no id\",\"organization_id\":\"o\",\"status\":\"active\"}",
                "{\"id\":\"no-name\",\"organization_id\":\"o\",\"status\":\"active\"}", record("minimal-service"),
                record("closed-service")));

        SyncSummary summary = sync.sync(SOURCE);

        assertThat(summary.state()).isEqualTo(SyncRun.SUCCEEDED);
        assertThat(summary.pages()).isEqualTo(3);
        assertThat(summary.services()).isEqualTo(3);
        assertThat(summary.rejected()).isEqualTo(2);
        assertThat(store.rejects(summary.runId())).satisfiesExactly(
                r -> {
                    assertThat(r.page()).isEqualTo(1);
                    assertThat(r.recordId()).isNull();
                    assertThat(r.reason()).isEqualTo("id missing");
                },
                r -> {
                    assertThat(r.page()).isEqualTo(2);
                    assertThat(r.recordId()).isEqualTo("no-name");
                    assertThat(r.reason()).contains("HealthcareService invalid").contains("HealthcareService.name: minimum required = 1");
                });
        assertThat(store.run(summary.runId())).hasValueSatisfying(run -> {
            assertThat(run.pages()).isEqualTo(3);
            assertThat(run.rejected()).isEqualTo(2);
        });
        assertThat(store.read("HealthcareService", id(FULL))).hasValueSatisfying(r ->
                assertThat(r.json()).contains("Example Walking Group"));
        assertThat(store.read("Location", DirectoryIds.of("Location", SOURCE, "3e9a7c51-2b4d-4c8e-9f1a-6d5b4c3a2e01"))).isPresent();
        assertThat(store.read("Organization", DirectoryIds.of("Organization", SOURCE, "d9d3d5e1-0f51-4b6e-9a37-1c3f6f0a8a01")))
                .hasValueSatisfying(r -> assertThat(r.json()).as("a later record naming only the id keeps the name")
                        .contains("Example Community Trust"));
    }

    @Test
    void aSourceThatFailsLeavesTheLastGoodCopyServing() {
        feed(List.of(record("full-service"), record("minimal-service")));
        assertThat(sync.sync(SOURCE).state()).isEqualTo(SyncRun.SUCCEEDED);

        TestPartners.reset();
        TestPartners.server().stubFor(get(urlPathEqualTo("/example-oruk/services"))
                .willReturn(aResponse().withStatus(500).withBody("internal error")));
        SyncSummary failed = sync.sync(SOURCE);

        assertThat(failed.state()).isEqualTo(SyncRun.FAILED);
        assertThat(store.run(failed.runId())).hasValueSatisfying(run -> assertThat(run.error()).isEqualTo("HTTP 500"));
        assertThat(store.read("HealthcareService", id(FULL))).hasValueSatisfying(r -> assertThat(r.json()).contains("\"active\":true"));
        assertThat(store.read("HealthcareService", id(MINIMAL))).hasValueSatisfying(r -> assertThat(r.json()).contains("\"active\":true"));
        assertThat(store.lastSuccessfulRunId(SOURCE)).isPresent().get().isNotEqualTo(failed.runId());
    }

    @Test
    void aServiceGoneFromTheFeedBecomesInactiveNotDeleted() {
        feed(List.of(record("full-service"), record("minimal-service")));
        assertThat(sync.sync(SOURCE).state()).isEqualTo(SyncRun.SUCCEEDED);

        TestPartners.reset();
        feed(List.of(record("full-service")));
        SyncSummary summary = sync.sync(SOURCE);

        assertThat(summary.state()).isEqualTo(SyncRun.SUCCEEDED);
        assertThat(summary.deactivated()).isGreaterThanOrEqualTo(1);
        assertThat(store.read("HealthcareService", id(MINIMAL))).hasValueSatisfying(r -> {
            assertThat(r.json()).contains("\"active\":false").contains("Example Befriending Calls");
            assertThat(r.versionId()).isGreaterThan(1);
        });
        assertThat(store.read("HealthcareService", id(FULL))).hasValueSatisfying(r -> assertThat(r.json()).contains("\"active\":true"));

        // listed again: active again
        TestPartners.reset();
        feed(List.of(record("full-service"), record("minimal-service")));
        assertThat(sync.sync(SOURCE).deactivated()).isZero();
        assertThat(store.read("HealthcareService", id(MINIMAL))).hasValueSatisfying(r -> assertThat(r.json()).contains("\"active\":true"));
    }

    @Test
    void aV1FeedIsSyncedThroughTheSameMapping() {
        TestPartners.server().stubFor(get(urlPathEqualTo("/example-oruk-v1/services")).willReturn(okJson(
                "{\"totalElements\":1,\"totalPages\":1,\"number\":1,\"size\":2,\"first\":true,\"last\":true,"
                        + "\"content\":[" + Fixtures.read("directory-sync/oruk-v1/v1-service.service.json") + "]}")));

        SyncSummary summary = sync.sync("example-oruk-v1");

        assertThat(summary.state()).isEqualTo(SyncRun.SUCCEEDED);
        assertThat(summary.services()).isEqualTo(1);
        assertThat(store.read("HealthcareService",
                DirectoryIds.of("HealthcareService", "example-oruk-v1", "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c04")))
                .hasValueSatisfying(r -> assertThat(r.json()).contains("\"code\":\"v1-activities\"")
                        .contains("example-oruk-v1/example-vocabulary"));
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void theSyncLogsCountsAndIdsButNoTextFromTheRecords(CapturedOutput output) {
        feed(List.of(record("full-service"), "{\"id\":\"no-name\",\"organization_id\":\"o\",\"status\":\"active\","
                + "\"description\":\"Free text that must not be logged\"}", record("minimal-service")));

        assertThat(sync.sync(SOURCE).state()).isEqualTo(SyncRun.SUCCEEDED);

        assertThat(output.getAll()).contains("Directory sync example-oruk run")
                .doesNotContain("Example Walking Group", "weekly walk", "walks@example.org", "01632 960001",
                        "Example Community Trust", "ZZ99 3CZ", "Example Befriending Calls", "Free text that must not be logged");
    }

    @Test
    void aDewisExportFileIsSyncedInPagesWithWelshKeptAndABadRecordReported() throws Exception {
        Path export = Path.of("target/directory-test/dewis-export.json");
        Files.createDirectories(export.getParent());
        Files.writeString(export, "{\"exported\":{\"by\":\"test\"},\"resources\":["
                + Fixtures.read("directory-sync/dewis/bilingual-service.record.json") + ","
                + "{\"id\":\"no-provider\",\"name_en\":\"x\"},"
                + Fixtures.read("directory-sync/dewis/welsh-only-service.record.json") + "]}", StandardCharsets.UTF_8);

        SyncSummary summary = sync.sync("dewis-test");

        assertThat(summary.state()).isEqualTo(SyncRun.SUCCEEDED);
        assertThat(summary.pages()).isEqualTo(2);
        assertThat(summary.services()).isEqualTo(2);
        assertThat(store.rejects(summary.runId())).singleElement().satisfies(r -> {
            assertThat(r.recordId()).isEqualTo("no-provider");
            assertThat(r.reason()).isEqualTo("organisation-id missing");
        });
        assertThat(store.read("HealthcareService",
                DirectoryIds.of("HealthcareService", "dewis-test", "5f1c2a9e-7b3d-4e8f-9a1b-2c3d4e5f6a01")))
                .hasValueSatisfying(r -> assertThat(r.json()).contains("Example Walking Group")
                        .contains("Grŵp Cerdded Enghreifftiol"));

        Files.delete(export);
        SyncSummary missing = sync.sync("dewis-test");
        assertThat(missing.state()).isEqualTo(SyncRun.FAILED);
        assertThat(store.run(missing.runId())).hasValueSatisfying(r -> assertThat(r.error()).contains("Export file"));
    }
}
