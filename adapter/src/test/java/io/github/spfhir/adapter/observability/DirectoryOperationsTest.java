package io.github.spfhir.adapter.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.spfhir.adapter.store.DirectoryStore;
import io.github.spfhir.adapter.store.SyncRun;
import io.github.spfhir.adapter.support.AdapterHttp;
import io.github.spfhir.adapter.support.AdapterIntegrationTest;
import io.github.spfhir.adapter.support.OrukFeeds;
import io.github.spfhir.adapter.support.TestIssuer;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * An operator starts a directory sync by hand ({@code POST /ops/directories/{source}/sync}), and the source's health
 * ({@code /actuator/health/directories/{source}}) follows its runs: UP after a good sync, DOWN after a failed one
 * with the last success kept.
 */
@AdapterIntegrationTest
class DirectoryOperationsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/ops/directories/" + OrukFeeds.SOURCE + "/sync";

    @LocalServerPort
    int port;

    @Autowired
    DirectoryStore store;

    AdapterHttp http;

    @BeforeEach
    void setUp() {
        TestPartners.reset();
        http = new AdapterHttp(port);
    }

    @AfterEach
    void tearDown() {
        TestPartners.reset();
    }

    private SyncRun syncByHandAndAwaitItsEnd() throws Exception {
        long before = store.lastRun(OrukFeeds.SOURCE).map(SyncRun::id).orElse(0L);

        HttpResponse<String> started = http.post(PATH, null, null);

        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        assertThat(JSON.readTree(started.body()).get("sync").asText()).isEqualTo("started");
        await().atMost(Duration.ofSeconds(30)).until(() -> store.lastRun(OrukFeeds.SOURCE)
                .filter(r -> r.id() > before && !SyncRun.RUNNING.equals(r.state())).isPresent());
        return store.lastRun(OrukFeeds.SOURCE).orElseThrow();
    }

    private JsonNode health() throws Exception {
        return JSON.readTree(http.get("/actuator/health/directories/" + OrukFeeds.SOURCE, "application/json").body());
    }

    @Test
    void aSyncStartedByHandRunsAndTheHealthFollowsItsRuns() throws Exception {
        OrukFeeds.serve(List.of(OrukFeeds.record("full-service")));

        assertThat(syncByHandAndAwaitItsEnd().state()).isEqualTo(SyncRun.SUCCEEDED);
        JsonNode up = health();
        assertThat(up.get("status").asText()).isEqualTo("UP");
        assertThat(up.get("details").get("lastRun").asText()).isEqualTo("SUCCEEDED");
        assertThat(up.get("details").get("services").asInt()).isEqualTo(1);
        assertThat(up.get("details").get("schedule").asText()).isEqualTo("PT6H");
        String lastSuccessAt = up.get("details").get("lastSuccessAt").asText();
        assertThat(lastSuccessAt).isNotEqualTo("never");

        TestPartners.reset(); // the feed is gone: 404
        assertThat(syncByHandAndAwaitItsEnd().state()).isEqualTo(SyncRun.FAILED);
        JsonNode down = health();
        assertThat(down.get("status").asText()).isEqualTo("DOWN");
        assertThat(down.get("details").get("error").asText()).isEqualTo("HTTP 404");
        assertThat(down.get("details").get("lastSuccessAt").asText()).isEqualTo(lastSuccessAt);
    }

    @Test
    void anUnknownSourceIsA404AndOnlyAnOperatorMayStartASync() throws Exception {
        HttpResponse<String> unknown = http.post("/ops/directories/no-such-source/sync", null, null);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("sources").toString()).contains(OrukFeeds.SOURCE);

        HttpResponse<String> gp = http.send("POST", PATH, null, null,
                Map.of("Authorization", "Bearer " + TestIssuer.gpSystem(TestIssuer.FIXTURE_PRACTICE)));
        assertThat(gp.statusCode()).isEqualTo(403);
        assertThat(http.anonymous().send("POST", PATH, null, null, Map.of()).statusCode()).isEqualTo(401);
    }
}
