package io.github.spfhir.adapter.inbound.security;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.github.spfhir.adapter.domain.delivery.DeliveryFlow;
import io.github.spfhir.adapter.store.AttemptRecord;
import io.github.spfhir.adapter.store.AuditRecord;
import io.github.spfhir.adapter.store.AuditStore;
import io.github.spfhir.adapter.store.DeliveryRecord;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.store.MessageStore;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.TestCertificates;
import io.github.spfhir.adapter.support.TestConfigurations;
import io.github.spfhir.adapter.support.TestIssuer;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * Issue #6, mutual TLS both ways, over real HTTPS with certificates made at test time ({@link TestCertificates}):
 * the adapter serves HTTPS and asks for client certificates (client-auth want); mapped certificates authenticate GP
 * systems, a platform and an operator through the same access rules and audit trail as tokens; and the adapter
 * presents its own client certificate to a link-worker platform that requires one (a WireMock server with
 * needClientAuth), while a data platform configured without one fails visibly.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:adapter-mtls;DB_CLOSE_DELAY=-1",
        "adapter.simulator.enabled=false",
        "adapter.security.dev-mode.enabled=false",
        "adapter.fhir.warm-up-validator=false",
        "adapter.destinations.example-linkworker.practices=A81001",
        "adapter.destinations.example-linkworker.retry.initial-delay=20ms",
        "adapter.destinations.example-linkworker.retry.max-delay=200ms",
        "adapter.destinations.example-linkworker.retry.max-attempts=3",
        "adapter.data-platforms.example-data-platform.retry.initial-delay=20ms",
        "adapter.data-platforms.example-data-platform.retry.max-delay=200ms",
        "adapter.data-platforms.example-data-platform.retry.max-attempts=3",
        "adapter.gp-systems.example-gp-system.retry.initial-delay=20ms",
        "adapter.gp-systems.example-gp-system.retry.max-attempts=2",
        "adapter.data-platforms.example-data-platform.pseudonym-key=test-only-pseudonym-key-not-a-secret-0123456789",
        // HTTPS, asking for (not requiring) client certificates: token callers without one keep working
        "server.ssl.enabled=true",
        "server.ssl.client-auth=want",
        "server.ssl.key-store-type=PKCS12",
        "server.ssl.trust-store-type=PKCS12",
        // the platform takes a client certificate and an API key (test values, not secrets)
        "adapter.destinations.example-linkworker.credentials.kind=api-key",
        "adapter.destinations.example-linkworker.credentials.api-key=" + MutualTlsEndToEndTest.API_KEY,
        "adapter.destinations.example-linkworker.credentials.key-store-password=" + MutualTlsEndToEndTest.PASSWORD,
        "adapter.destinations.example-linkworker.credentials.trust-store-password=" + MutualTlsEndToEndTest.PASSWORD,
        // the data platform is on the same mutual-TLS server, but the adapter has no certificate for it
        "adapter.data-platforms.example-data-platform.credentials.trust-store-password=" + MutualTlsEndToEndTest.PASSWORD,
        // the clients known by their certificates
        "adapter.security.client-certificates.gp-a.issuer=" + MutualTlsEndToEndTest.CA,
        "adapter.security.client-certificates.gp-a.subject=CN=gp-system-a81001,O=Practice A81001",
        "adapter.security.client-certificates.gp-a.client-id=gp-system-a81001",
        "adapter.security.client-certificates.gp-a.role=gp-system",
        "adapter.security.client-certificates.gp-a.organisation=A81001",
        "adapter.security.client-certificates.gp-b.issuer=" + MutualTlsEndToEndTest.CA,
        "adapter.security.client-certificates.gp-b.san=gp-b82002.partners.test.invalid",
        "adapter.security.client-certificates.gp-b.client-id=gp-system-b82002",
        "adapter.security.client-certificates.gp-b.role=gp-system",
        "adapter.security.client-certificates.gp-b.organisation=B82002",
        "adapter.security.client-certificates.platform.issuer=" + MutualTlsEndToEndTest.CA,
        "adapter.security.client-certificates.platform.subject=CN=example-linkworker,O=Example Link Worker Organisation",
        "adapter.security.client-certificates.platform.client-id=test-platform-example-linkworker",
        "adapter.security.client-certificates.platform.role=link-worker-platform",
        "adapter.security.client-certificates.platform.platform=example-linkworker",
        "adapter.security.client-certificates.platform.require-token=true",
        "adapter.security.client-certificates.ops.issuer=" + MutualTlsEndToEndTest.CA,
        "adapter.security.client-certificates.ops.subject=CN=monitoring,O=Adapter Operations",
        "adapter.security.client-certificates.ops.client-id=ops-monitoring",
        "adapter.security.client-certificates.ops.role=operator"
})
class MutualTlsEndToEndTest {

    static final String CA = "CN=Test Partner CA,O=SP FHIR Adapter Tests";
    /** Test values, made up here, never used anywhere else. */
    static final String PASSWORD = "test-only-store-password-7f3a";
    static final String API_KEY = "test-only-mtls-api-key-9c1e";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Path DIR;
    private static final TestCertificates AUTHORITY = TestCertificates.authority(CA);
    private static final TestCertificates ROGUE = TestCertificates.authority("CN=Test Partner CA,O=Someone Else");
    private static final TestCertificates.Issued GP_A = AUTHORITY.issue("CN=gp-system-a81001,O=Practice A81001");
    private static final TestCertificates.Issued GP_B = AUTHORITY.issue("CN=gp-system,O=Practice B82002",
            "DNS:gp-b82002.partners.test.invalid");
    private static final TestCertificates.Issued PLATFORM = AUTHORITY.issue(
            "CN=example-linkworker,O=Example Link Worker Organisation");
    private static final TestCertificates.Issued OPERATOR = AUTHORITY.issue("CN=monitoring,O=Adapter Operations");
    private static final TestCertificates.Issued UNMAPPED = AUTHORITY.issue("CN=someone,O=Unknown");
    /** The same subject as GP A's, from a CA the adapter does not trust. */
    private static final TestCertificates.Issued FORGED = ROGUE.issue("CN=gp-system-a81001,O=Practice A81001");
    private static final WireMockServer PARTNER;

    static {
        try {
            DIR = Files.createTempDirectory("mtls-test");
            DIR.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        AUTHORITY.issue("CN=localhost,O=SP FHIR Adapter Tests", "DNS:localhost", "IP:127.0.0.1")
                .keyStore(DIR.resolve("server.p12"), PASSWORD);
        AUTHORITY.trustStore(DIR.resolve("ca.p12"), PASSWORD);
        AUTHORITY.issue("CN=sp-fhir-adapter,O=SP FHIR Adapter Tests").keyStore(DIR.resolve("adapter-client.p12"),
                PASSWORD);
        // the partners' server: HTTPS only, a client certificate of our CA required
        PARTNER = new WireMockServer(options().httpDisabled(true).dynamicHttpsPort().bindAddress("127.0.0.1")
                .keystorePath(DIR.resolve("server.p12").toString()).keystorePassword(PASSWORD)
                .keyManagerPassword(PASSWORD).keystoreType("PKCS12")
                .needClientAuth(true).trustStorePath(DIR.resolve("ca.p12").toString()).trustStorePassword(PASSWORD)
                .trustStoreType("PKCS12")
                .usingFilesUnderDirectory(Fixtures.path("wiremock").toString()));
        PARTNER.start();
    }

    @DynamicPropertySource
    static void stores(DynamicPropertyRegistry registry) {
        registry.add("server.ssl.key-store", () -> "file:" + DIR.resolve("server.p12"));
        registry.add("server.ssl.key-store-password", () -> PASSWORD);
        registry.add("server.ssl.trust-store", () -> "file:" + DIR.resolve("ca.p12"));
        registry.add("server.ssl.trust-store-password", () -> PASSWORD);
        String partner = "https://localhost:" + PARTNER.httpsPort();
        registry.add("adapter.destinations.example-linkworker.endpoint", () -> partner + "/example-linkworker/api/referrals");
        registry.add("adapter.destinations.example-linkworker.credentials.key-store",
                () -> DIR.resolve("adapter-client.p12").toString());
        registry.add("adapter.destinations.example-linkworker.credentials.trust-store", () -> DIR.resolve("ca.p12").toString());
        registry.add("adapter.data-platforms.example-data-platform.endpoint", () -> partner + "/example-data-platform/fhir");
        registry.add("adapter.data-platforms.example-data-platform.credentials.trust-store",
                () -> DIR.resolve("ca.p12").toString());
        registry.add("adapter.destinations.example-fhir-platform.endpoint",
                () -> TestPartners.baseUrl() + "/example-fhir-platform/fhir");
        registry.add("adapter.gp-systems.example-gp-system.endpoint",
                () -> TestPartners.baseUrl() + "/example-gp-system/fhir/$process-message");
        registry.add("adapter.security.issuers.test.issuer-uri", () -> TestIssuer.ISSUER);
        registry.add("adapter.security.issuers.test.jwk-set-uri", TestIssuer::jwkSetUri);
        registry.add("adapter.security.issuers.test.audiences", () -> TestIssuer.AUDIENCE);
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class FixedClock {

        @Bean
        @Primary
        Clock fixedClock() {
            return TestConfigurations.fixedClock();
        }
    }

    @AfterAll
    static void stopPartner() {
        PARTNER.stop();
    }

    @LocalServerPort
    private int port;

    @Autowired
    private MessageStore store;

    @Autowired
    private AuditStore audit;

    @Test
    void aGpSystemsCertificateAloneSendsAndReadsItsPracticesReferralsAndIsAudited() throws Exception {
        HttpResponse<String> sent = send(GP_A, "POST", "/fhir/$process-message", Referrals.freshBody(), Map.of());
        String referralId = Referrals.referralId(sent);

        HttpResponse<String> read = send(GP_A, "GET", "/fhir/ServiceRequest/" + referralId, null, Map.of());
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        AuditRecord entry = awaitAudit("gp-system-a81001", "ServiceRequest/" + referralId, 200);
        assertThat(entry.issuer()).isEqualTo("x509:" + new javax.security.auth.x500.X500Principal(CA).getName());
        assertThat(entry.role()).isEqualTo("gp-system");
        assertThat(entry.organisation()).isEqualTo("A81001");
        assertThat(entry.outcome()).isEqualTo("allowed");
    }

    @Test
    void anotherPracticesCertificateIsRefusedItsReferralsAsForAToken() throws Exception {
        String referralId = Referrals.referralId(send(GP_A, "POST", "/fhir/$process-message", Referrals.freshBody(),
                Map.of()));

        // GP B's certificate (mapped by its SAN) sends a referral of practice A81001: refused, as a token would be
        HttpResponse<String> sent = send(GP_B, "POST", "/fhir/$process-message", Referrals.freshBody(), Map.of());
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(403);
        assertThat(issueCode(sent)).isEqualTo("forbidden");
        // and A81001's referral is not visible to it: 404, as if not held
        HttpResponse<String> read = send(GP_B, "GET", "/fhir/ServiceRequest/" + referralId, null, Map.of());
        assertThat(read.statusCode()).as(read.body()).isEqualTo(404);
        assertThat(read.body()).doesNotContain("A81001");
        assertThat(awaitAudit("gp-system-b82002", "ServiceRequest/" + referralId, 404).organisation())
                .isEqualTo("B82002");
    }

    @Test
    void aPlatformWhoseCertificateNeedsATokenIs401WithoutOneAnd403WithAnotherClients() throws Exception {
        String referralId = Referrals.referralId(send(GP_A, "POST", "/fhir/$process-message", Referrals.freshBody(),
                Map.of()));
        String tasks = "/fhir/Task?focus=ServiceRequest/" + referralId;

        HttpResponse<String> alone = send(PLATFORM, "GET", tasks, null, Map.of());
        assertThat(alone.statusCode()).as(alone.body()).isEqualTo(401);
        assertThat(issueCode(alone)).isEqualTo("login");

        HttpResponse<String> withItsToken = send(PLATFORM, "GET", tasks, null,
                bearer(TestIssuer.linkWorkerPlatform("example-linkworker")));
        assertThat(withItsToken.statusCode()).as(withItsToken.body()).isEqualTo(200);
        assertThat(JSON.readTree(withItsToken.body()).get("total").asInt()).isEqualTo(1);

        HttpResponse<String> withAnothers = send(PLATFORM, "GET", tasks, null, bearer(TestIssuer.gpSystem("A81001")));
        assertThat(withAnothers.statusCode()).as(withAnothers.body()).isEqualTo(403);
        assertThat(diagnostics(withAnothers)).contains("not the client of the TLS client certificate");
    }

    @Test
    void anOperatorsCertificateReachesOpsButNoPatientData() throws Exception {
        HttpResponse<String> ops = send(OPERATOR, "GET", "/ops/deliveries", null, Map.of("Accept", "application/json"));
        assertThat(ops.statusCode()).as(ops.body()).isEqualTo(200);
        HttpResponse<String> patient = send(OPERATOR, "GET", "/fhir/Patient/any", null, Map.of());
        assertThat(patient.statusCode()).as(patient.body()).isEqualTo(403);
    }

    @Test
    void anUnmappedCertificateProvesNothingAndAnUntrustedOneFailsTheHandshake() throws Exception {
        HttpResponse<String> unmapped = send(UNMAPPED, "GET", "/fhir/ServiceRequest?_count=1", null, Map.of());
        assertThat(unmapped.statusCode()).as(unmapped.body()).isEqualTo(401);
        assertThat(issueCode(unmapped)).isEqualTo("login");

        // the same subject as a mapped client, from a CA the adapter does not trust: refused by TLS itself
        assertThatThrownBy(() -> send(FORGED, "GET", "/fhir/ServiceRequest?_count=1", null, Map.of()))
                .isInstanceOf(IOException.class);

        // no certificate: a bearer token still works (client-auth want)
        HttpResponse<String> token = send(null, "GET", "/fhir/ServiceRequest?_count=1", null,
                bearer(TestIssuer.gpSystem("A81001")));
        assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
        HttpResponse<String> nothing = send(null, "GET", "/fhir/ServiceRequest?_count=1", null, Map.of());
        assertThat(nothing.statusCode()).isEqualTo(401);
    }

    @Test
    void theAdapterPresentsItsCertificateToAPlatformAndADeliveryWithoutOneFailsVisibly() throws Exception {
        String referralId = Referrals.referralId(send(GP_A, "POST", "/fhir/$process-message", Referrals.freshBody(),
                Map.of()));

        // the platform requires our client certificate, and gets the API key over it
        await().atMost(Duration.ofSeconds(20)).until(() -> Referrals.linkWorkerDelivery(store, referralId).state()
                == DeliveryState.DELIVERED);
        PARTNER.verify(postRequestedFor(urlPathEqualTo("/example-linkworker/api/referrals"))
                .withHeader("X-API-Key", equalTo(API_KEY)));

        // the data platform requires one too, and the adapter has none for it: refused at the handshake, FAILED
        await().atMost(Duration.ofSeconds(20)).until(() -> dataPlatformDeliveries(referralId).stream()
                .allMatch(d -> d.state() == DeliveryState.FAILED));
        List<DeliveryRecord> failed = dataPlatformDeliveries(referralId);
        assertThat(failed).isNotEmpty();
        for (DeliveryRecord delivery : failed) {
            List<AttemptRecord> attempts = store.attempts(delivery.id());
            assertThat(attempts).isNotEmpty();
            assertThat(attempts.get(0).error()).contains("TLS");
            assertThat(delivery.lastError()).contains("TLS").doesNotContain(PASSWORD).doesNotContain(API_KEY);
            attempts.forEach(a -> assertThat(a.error()).doesNotContain(PASSWORD).doesNotContain(API_KEY));
        }
        PARTNER.verify(0, postRequestedFor(urlPathEqualTo("/example-data-platform/fhir")));
    }

    private List<DeliveryRecord> dataPlatformDeliveries(String referralId) {
        return store.deliveriesForReferral(referralId).stream()
                .filter(d -> d.flow() == DeliveryFlow.DATA_PLATFORM_PUBLISHING).toList();
    }

    private HttpResponse<String> send(TestCertificates.Issued certificate, String method, String path, String body,
            Map<String, String> headers) throws IOException, InterruptedException {
        SSLContext tls = TestCertificates.sslContext(certificate, AUTHORITY);
        HttpClient client = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .timeout(Duration.ofSeconds(90)) // the first referral of a cold context validates slowly on a busy host
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (body != null) {
            all.put("Content-Type", "application/fhir+json");
            all.putAll(Referrals.freshHeaders());
        }
        all.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    private AuditRecord awaitAudit(String clientId, String resource, int status) {
        await().atMost(Duration.ofSeconds(5)).until(() -> audit.list(clientId, resource, null, 100).stream()
                .anyMatch(e -> e.httpStatus() == status));
        return audit.list(clientId, resource, null, 100).stream().filter(e -> e.httpStatus() == status).findFirst()
                .orElseThrow();
    }

    private static String issueCode(HttpResponse<String> answer) throws IOException {
        JsonNode outcome = JSON.readTree(answer.body());
        assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
        return outcome.get("issue").get(0).get("code").asText();
    }

    private static String diagnostics(HttpResponse<String> answer) throws IOException {
        return JSON.readTree(answer.body()).get("issue").get(0).get("diagnostics").asText();
    }
}
