package io.github.spfhir.adapter.durability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import io.github.spfhir.adapter.support.AdapterHttp;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.TestBroker;
import io.github.spfhir.adapter.support.TestConfigurations;
import io.github.spfhir.adapter.support.TestDatabases;
import io.github.spfhir.adapter.support.TestIssuer;

/**
 * Issue #5, "two instances": two adapter JVMs ({@link AdapterProcess}) in artemis mode on one PostgreSQL and one
 * Artemis broker (both in this JVM, on loopback; no Docker), behind no load balancer: each sender posts to its
 * own instance.
 *
 * <ol>
 *   <li>A stream of referrals to both: every one reaches the link-worker platform and the data platform exactly once
 *       (WireMock counts by X-Request-ID, the delivery's idempotency key), and both instances delivered some.</li>
 *   <li>The event poller runs on both, on a shared ShedLock lock: the platform never sees two polls at once.</li>
 *   <li>With the link-worker platform slow, more referrals, then SIGKILL of one instance while its consumers hold
 *       deliveries: the broker gives its unacknowledged messages to the survivor, and every accepted referral
 *       reaches both partners under one key (a key may come twice: a POST the killed instance made but had not
 *       recorded is made again, with the same key).</li>
 * </ol>
 */
class TwoInstancesDistributedModeTest {

    private static final int FIRST_STREAM = 20;
    private static final int SECOND_STREAM = 24;
    private static final int SLOW_PLATFORM_MILLIS = 2000;
    private static final int SLOW_POLL_MILLIS = 800;
    private static final String LINK_WORKER_PATH = "/example-linkworker/api/referrals";
    private static final String DATA_PLATFORM_PATH = "/example-data-platform/fhir";
    private static final String EVENTS_PATH = "/example-linkworker/api/events";

    @TempDir
    static Path work;

    private static WireMockServer partner;
    private static TestBroker broker;
    private static final List<AdapterProcess> adapters = new ArrayList<>();

    /** Correlation id of each referral answered 200 (one referral each). */
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void startPartnerAndBroker() {
        TestIssuer.dateTokensBy(java.time.Clock.systemUTC()); // the adapter JVMs run on the real clock
        partner = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .usingFilesUnderDirectory(Fixtures.path("wiremock").toString()));
        partner.start();
        broker = TestBroker.start();
    }

    @AfterAll
    static void stopEverything() {
        TestIssuer.dateTokensBy(TestConfigurations.fixedClock());
        adapters.forEach(AdapterProcess::destroy);
        if (partner != null) {
            partner.stop();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Timeout(value = 360, unit = TimeUnit.SECONDS) // a normal run is about a minute; the machine may be shared
    void twoInstancesShareTheWorkDeliverEachReferralOncePollOneAtATimeAndLoseNothingWhenOneIsKilled() throws Exception {
        AdapterProcess.withLogsOnFailure(adapters, 40, this::run);
    }

    private void run() throws Exception {
        // a slow, empty event feed: two polls at once would overlap in time at the platform
        partner.stubFor(get(urlPathEqualTo(EVENTS_PATH)).atPriority(1).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"events\":[],\"nextCursor\":null}")
                .withFixedDelay(SLOW_POLL_MILLIS)));
        String database = TestDatabases.freshPostgresDatabase();
        // started together: Flyway's lock (a PostgreSQL advisory lock) lets one migrate the empty database
        AdapterProcess first = start("instance-1.log", database);
        AdapterProcess second = start("instance-2.log", database);
        first.awaitReady(Duration.ofSeconds(150));
        second.awaitReady(Duration.ofSeconds(150));

        // 1. a stream to both instances: each referral delivered exactly once, by one instance or the other
        awaitSent(send(List.of(first, second), FIRST_STREAM));
        awaitAllDelivered(first.http());
        Map<String, Integer> linkWorkerKeys = receiptsByKey(LINK_WORKER_PATH);
        Map<String, Integer> dataPlatformKeys = receiptsByKey(DATA_PLATFORM_PATH);
        assertThat(linkWorkerKeys).as("link-worker platform: receipts per idempotency key").hasSize(FIRST_STREAM)
                .allSatisfy((key, count) -> assertThat(count).isEqualTo(1));
        assertThat(dataPlatformKeys).as("data platform: receipts per idempotency key").hasSize(FIRST_STREAM)
                .allSatisfy((key, count) -> assertThat(count).isEqualTo(1));
        int deliveredByFirst = first.logLines("Delivered referral-to-link-worker").size();
        int deliveredBySecond = second.logLines("Delivered referral-to-link-worker").size();
        assertThat(deliveredByFirst).as("referrals delivered by instance 1").isPositive();
        assertThat(deliveredBySecond).as("referrals delivered by instance 2").isPositive();
        assertThat(deliveredByFirst + deliveredBySecond).isEqualTo(FIRST_STREAM);

        // 2. the poller ran, one instance at a time
        List<ServeEvent> polls = partner.getAllServeEvents().stream()
                .filter(event -> event.getRequest().getUrl().startsWith(EVENTS_PATH))
                .sorted(Comparator.comparing(event -> event.getRequest().getLoggedDate()))
                .toList();
        assertThat(polls).as("polls of the event feed").hasSizeGreaterThanOrEqualTo(2);
        for (int i = 1; i < polls.size(); i++) {
            long previousEnd = polls.get(i - 1).getRequest().getLoggedDate().getTime() + SLOW_POLL_MILLIS;
            assertThat(polls.get(i).getRequest().getLoggedDate().getTime())
                    .as("poll %d started before poll %d was answered: two instances polled at once", i, i - 1)
                    .isGreaterThanOrEqualTo(previousEnd - 50); // 50 ms: the two clocks' rounding, far below a poll
        }

        // 3. a slow platform, more referrals, then SIGKILL of instance 1 while deliveries are in flight
        StubMapping slowPlatform = partner.stubFor(post(urlPathEqualTo(LINK_WORKER_PATH)).atPriority(1)
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"received\"}").withFixedDelay(SLOW_PLATFORM_MILLIS)));
        // the stream goes to instance 2 only (the one that survives); both consume it from the broker
        List<Future<?>> secondStream = send(List.of(second), SECOND_STREAM);
        await("deliveries under way at the slow platform").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> receiptsByKey(LINK_WORKER_PATH).size() >= FIRST_STREAM + 4);
        int pendingAtKill = pendingLinkWorkerDeliveries(second.http());
        assertThat(first.killHard()).as("exit value of a JVM killed by SIGKILL (128 + 9)").isEqualTo(137);
        assertThat(pendingAtKill).as("link-worker deliveries PENDING at the kill: it landed mid-flight").isPositive();
        awaitSent(secondStream);
        partner.removeStub(slowPlatform);

        // 4. the survivor delivers everything: nothing lost, one key per referral
        AdapterHttp survivor = second.http();
        awaitAllDelivered(survivor);
        assertThat(survivor.get("/ops/deliveries?state=FAILED&limit=1", "application/json").body()).isEqualTo("[]");
        int repeats = assertOneKeyPerReferral(LINK_WORKER_PATH) + assertOneKeyPerReferral(DATA_PLATFORM_PATH);
        System.out.printf(Locale.ROOT, "Two instances: %d referrals; of the first %d, instance 1 delivered %d "
                        + "and instance 2 %d; %d polls, none overlapping; killed instance 1 with %d link-worker "
                        + "deliveries PENDING; repeats with the same key after the kill: %d.%n",
                accepted.size(), FIRST_STREAM, deliveredByFirst, deliveredBySecond, polls.size(),
                pendingAtKill, repeats);
    }

    /** {@code count} fresh referrals, shared between one sender per instance, in the background. */
    private List<Future<?>> send(List<AdapterProcess> instances, int count) {
        ExecutorService senders = Executors.newFixedThreadPool(instances.size());
        List<Future<?>> sending = new ArrayList<>();
        for (AdapterProcess instance : instances) {
            sending.add(senders.submit(() -> {
                AdapterHttp http = instance.http();
                for (int i = 0; i < count / instances.size(); i++) {
                    Map<String, String> headers = Referrals.freshHeaders();
                    HttpResponse<String> answer = http.processMessage(Referrals.freshBody(), "application/fhir+json",
                            headers);
                    assertThat(answer.statusCode()).as("answer to a referral: %s", answer.body()).isEqualTo(200);
                    accepted.add(headers.get("X-Correlation-ID"));
                }
            }));
        }
        senders.shutdown();
        return sending;
    }

    /** Waits for the senders; a sender's failure (a refusal, an error) fails the test here. */
    private static void awaitSent(List<Future<?>> sending) throws Exception {
        for (Future<?> sender : sending) {
            sender.get(120, TimeUnit.SECONDS);
        }
    }

    private static int pendingLinkWorkerDeliveries(AdapterHttp http) throws Exception {
        String body = http.get("/ops/deliveries?state=PENDING&destination=example-linkworker&limit=1000",
                "application/json").body();
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).size();
    }

    /** Every accepted referral at both partners, and nothing PENDING in the store. */
    private void awaitAllDelivered(AdapterHttp http) {
        await("every accepted referral delivered").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> correlationIds(LINK_WORKER_PATH).containsAll(accepted)
                        && correlationIds(DATA_PLATFORM_PATH).containsAll(accepted)
                        && http.get("/ops/deliveries?state=PENDING&limit=1", "application/json").body().equals("[]"));
    }

    /**
     * Each accepted referral reached the partner under exactly one key, at most twice (once per instance that
     * attempted it); returns the repeats.
     */
    private int assertOneKeyPerReferral(String path) {
        Map<String, Set<String>> keysByReferral = new HashMap<>();
        Map<String, Integer> receiptsByKey = new HashMap<>();
        for (ServeEvent event : partner.getAllServeEvents()) {
            if (event.getRequest().getUrl().startsWith(path)) {
                String key = event.getRequest().getHeader("X-Request-ID");
                keysByReferral.computeIfAbsent(event.getRequest().getHeader("X-Correlation-ID"), id -> new HashSet<>())
                        .add(key);
                receiptsByKey.merge(key, 1, Integer::sum);
            }
        }
        assertThat(keysByReferral.keySet()).as("%s: referrals received", path).isEqualTo(accepted);
        assertThat(keysByReferral).as("%s: one idempotency key per referral", path)
                .allSatisfy((referral, keys) -> assertThat(keys).hasSize(1));
        assertThat(receiptsByKey).as("%s: receipts per key", path)
                .allSatisfy((key, count) -> assertThat(count).isLessThanOrEqualTo(2));
        return receiptsByKey.values().stream().mapToInt(count -> count - 1).sum();
    }

    private static Map<String, Integer> receiptsByKey(String path) {
        return partner.getAllServeEvents().stream().filter(event -> event.getRequest().getUrl().startsWith(path))
                .collect(Collectors.toMap(event -> event.getRequest().getHeader("X-Request-ID"), event -> 1,
                        Integer::sum));
    }

    private static Set<String> correlationIds(String path) {
        return partner.getAllServeEvents().stream().filter(event -> event.getRequest().getUrl().startsWith(path))
                .map(event -> event.getRequest().getHeader("X-Correlation-ID")).collect(Collectors.toSet());
    }

    /** An adapter JVM in artemis mode on the shared database and broker, polling the platform's event feed. */
    private static AdapterProcess start(String logName, String database) {
        String partnerUrl = partner.baseUrl();
        List<String> settings = new ArrayList<>(List.of(
                "--spring.datasource.url=" + database,
                "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres",
                "--adapter.hand-off.mode=artemis",
                "--adapter.hand-off.broker-url=" + broker.url(),
                "--adapter.hand-off.sweep-interval=2s",
                "--adapter.hand-off.sweep-pending-for=10s",
                "--adapter.simulator.enabled=false",
                // ready only once the validator is warm: a cold first validation (seconds) is not what is tested
                "--adapter.fhir.warm-up-validator=true",
                "--adapter.security.dev-mode.enabled=false",
                "--adapter.security.issuers.test.issuer-uri=" + TestIssuer.ISSUER,
                "--adapter.security.issuers.test.jwk-set-uri=" + TestIssuer.jwkSetUri(),
                "--adapter.security.issuers.test.audiences=" + TestIssuer.AUDIENCE,
                "--adapter.destinations.example-linkworker.endpoint=" + partnerUrl + LINK_WORKER_PATH,
                "--adapter.destinations.example-linkworker.event-polling.enabled=true",
                "--adapter.destinations.example-linkworker.event-polling.interval=300ms",
                "--adapter.destinations.example-linkworker.event-polling.url=" + partnerUrl + "/example-linkworker",
                "--adapter.destinations.example-fhir-platform.endpoint=" + partnerUrl + "/example-fhir-platform/fhir",
                "--adapter.gp-systems.example-gp-system.endpoint=" + partnerUrl
                        + "/example-gp-system/fhir/$process-message",
                "--adapter.data-platforms.example-data-platform.endpoint=" + partnerUrl + DATA_PLATFORM_PATH,
                // production mode (no simulator) refuses to start without a pseudonym key: a test key, not a secret
                "--adapter.data-platforms.example-data-platform.pseudonym-key="
                        + "test-only-pseudonym-key-not-a-secret-0123456789"));
        AdapterProcess adapter = AdapterProcess.start(work, work.resolve(logName), settings);
        adapters.add(adapter);
        return adapter;
    }
}
