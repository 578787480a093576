package io.github.spfhir.adapter.durability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;

import io.github.spfhir.adapter.support.AdapterHttp;
import io.github.spfhir.adapter.support.TestConfigurations;
import io.github.spfhir.adapter.support.TestIssuer;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.Referrals;

/**
 * Crash test of issue #5 ("Proving it") and HAZ-001: the adapter runs as a separate JVM, takes a stream of
 * referrals from concurrent senders and is killed with SIGKILL while referrals are being accepted and deliveries
 * are queued and in flight at a slow link-worker platform. It is started again on the same H2 file, and every
 * referral the store holds must then reach both partners (the link-worker platform and the data platform) under
 * one idempotency key each.
 *
 * <p>What "accepted" means here. A referral answered 200 was committed first (store before answer), so it must be
 * held and delivered. A request in flight at the kill has no answer: the sender cannot know whether it was
 * committed. Such an <em>in-doubt</em> referral is judged by the store after the restart (the operations API,
 * before anything new is sent): if the store holds it, it was accepted and must be delivered like any other; if
 * not, nothing of it may reach a partner. The sender then does what BaRS asks of it and sends it again with the same
 * {@code X-Request-ID}: a held one must be answered 409 ({@code duplicate}, nothing done twice), one that is not
 * held is processed as new and must be delivered. Every delivery seen by a partner must belong to a referral the
 * store holds; none may come from a referral the adapter refused or never saw.
 *
 * <p>Repeats. Delivery is at least once: a delivery whose POST reached the platform but whose result the killed JVM
 * had not recorded is sent again after the restart, with the same idempotency key ({@code X-Request-ID} = the
 * delivery id). Such repeats are allowed and counted; two <em>different</em> keys for one referral at one partner
 * are not (that would be a duplicate the partner cannot recognise). Each JVM attempts a delivery once when the
 * partner answers 2xx, so no key may be received more than twice.
 *
 * <p>The partner is a WireMock server in this JVM with the shared stubs ({@code test-fixtures/wiremock}); until
 * the kill the link-worker stub answers after a fixed delay, so deliveries queue up behind four consumers. Nothing
 * waits on a fixed sleep: the kill is triggered after {@value #KILL_AFTER_ACCEPTED} answers 200, and every wait is
 * a bounded Awaitility poll.
 */
class CrashRecoveryTest {

    private static final int MAX_REFERRALS = 300;
    private static final int SENDERS = 4;
    private static final int KILL_AFTER_ACCEPTED = 80;
    private static final int SLOW_PLATFORM_MILLIS = 500;
    private static final String LINK_WORKER = "example-linkworker";
    private static final String DATA_PLATFORM = "example-data-platform";
    private static final String LINK_WORKER_PATH = "/example-linkworker/api/referrals";
    private static final String DATA_PLATFORM_PATH = "/example-data-platform/fhir";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    private static WireMockServer partner;
    private static final List<AdapterProcess> adapters = new ArrayList<>();

    /** What each sender sent, by X-Correlation-ID (unique per referral), and what it was answered. */
    private final Map<String, Sent> sent = new ConcurrentHashMap<>();
    private final Map<String, String> acceptedReferralIds = new ConcurrentHashMap<>();
    private final Map<String, String> refused = new ConcurrentHashMap<>();
    private final Set<String> inDoubt = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean stopSending = new AtomicBoolean();

    @BeforeAll
    static void startPartner() {
        // the adapter JVM runs on the real clock: its tokens must be dated by it too
        TestIssuer.dateTokensBy(java.time.Clock.systemUTC());
        partner = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
                .usingFilesUnderDirectory(Fixtures.path("wiremock").toString()));
        partner.start();
    }

    @AfterAll
    static void stopEverything() {
        TestIssuer.dateTokensBy(TestConfigurations.fixedClock());
        adapters.forEach(AdapterProcess::destroy);
        if (partner != null) {
            partner.stop();
        }
    }

    @Test
    @Timeout(value = 360, unit = TimeUnit.SECONDS) // far above a normal run (about 40 s): the machine may be shared
    void everyReferralTheStoreAcceptedIsDeliveredAfterASigkillWithOneIdempotencyKeyPerReferral() throws Exception {
        AdapterProcess.withLogsOnFailure(adapters, 60, this::run);
    }

    private void run() throws Exception {
        StubMapping slowPlatform = partner.stubFor(post(urlPathEqualTo(LINK_WORKER_PATH)).atPriority(1)
                .withHeader("Content-Type", matching("application/json.*"))
                .withHeader("X-Request-ID", matching(".+"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"received\"}").withFixedDelay(SLOW_PLATFORM_MILLIS)));

        // 1. first JVM, a stream of referrals from concurrent senders
        long firstStart = System.nanoTime();
        AdapterProcess first = start("adapter-1.log");
        first.awaitReady(Duration.ofSeconds(90));
        double firstReadySeconds = seconds(firstStart);
        ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
        AtomicInteger started = new AtomicInteger();
        long sendingStart = System.nanoTime();
        for (int i = 0; i < SENDERS; i++) {
            senders.submit(() -> send(first.http(), started));
        }
        senders.shutdown();
        await("answers 200 before the kill").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(20))
                .until(() -> acceptedReferralIds.size() >= KILL_AFTER_ACCEPTED || senders.isTerminated());
        assertThat(acceptedReferralIds.size()).as("answered 200 before the kill (refused: %s)", refused)
                .isGreaterThanOrEqualTo(KILL_AFTER_ACCEPTED);

        // 2. SIGKILL while referrals are arriving and deliveries wait behind the slow platform
        double sendingSeconds = seconds(sendingStart);
        int requestsInFlightAtKill = inFlight.get();
        int acceptedAtKill = acceptedReferralIds.size();
        int linkWorkerReceivedAtKill = correlationIds(receipts(LINK_WORKER_PATH)).size();
        stopSending.set(true);
        int exitValue = first.killHard();
        assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).as("senders stopped after the kill").isTrue();
        int answered200 = acceptedReferralIds.size();
        assertThat(exitValue).as("exit value of a JVM killed by SIGKILL (128 + 9)").isEqualTo(137);
        assertThat(first.logLines("Graceful shutdown")).as("no graceful shutdown: it was killed").isEmpty();
        assertThat(linkWorkerReceivedAtKill).as("deliveries were still waiting at the kill (it landed mid-flight)")
                .isLessThan(acceptedAtKill);
        assertThat(refused).as("referrals refused before the kill (status and OperationOutcome)").isEmpty();
        partner.removeStub(slowPlatform);

        // 3. second JVM on the same store
        long restart = System.nanoTime();
        AdapterProcess second = start("adapter-2.log");
        second.awaitReady(Duration.ofSeconds(90));
        double restartReadySeconds = seconds(restart);
        AdapterHttp http = second.http();

        // what the store holds, before anything new is sent: the judge of the in-doubt requests
        Map<String, StoredDelivery> heldAtRestart = deliveries(http, LINK_WORKER);
        Set<String> inDoubtHeld = inDoubt.stream().filter(heldAtRestart::containsKey).collect(Collectors.toSet());
        Set<String> inDoubtNotHeld = inDoubt.stream().filter(id -> !heldAtRestart.containsKey(id))
                .collect(Collectors.toSet());
        Set<String> answered200ButLost = acceptedReferralIds.keySet().stream()
                .filter(id -> !heldAtRestart.containsKey(id)).collect(Collectors.toCollection(LinkedHashSet::new));
        Set<String> deliveredBeforeTheKill = correlationIds(receipts(LINK_WORKER_PATH));
        assertThat(answered200ButLost).as("referrals answered 200 that the store no longer holds after SIGKILL "
                        + "(%d of them had reached the link-worker platform before the kill)",
                answered200ButLost.stream().filter(deliveredBeforeTheKill::contains).count())
                .isEmpty();
        assertThat(heldAtRestart.keySet()).as("the store holds only referrals answered 200 or in flight at the kill")
                .allMatch(id -> acceptedReferralIds.containsKey(id) || inDoubt.contains(id));
        // nothing of a referral the store does not hold reached a partner (before it is sent again below)
        assertThat(correlationIds(receipts(LINK_WORKER_PATH))).as("delivered though not held")
                .doesNotContainAnyElementsOf(inDoubtNotHeld);
        assertThat(correlationIds(receipts(DATA_PLATFORM_PATH))).as("published though not held")
                .doesNotContainAnyElementsOf(inDoubtNotHeld);

        // the senders of the in-doubt requests send them again, same X-Request-ID
        for (String correlationId : inDoubt) {
            Sent original = sent.get(correlationId);
            HttpResponse<String> answer = http.processMessage(original.body(), "application/fhir+json",
                    Map.of("X-Request-ID", original.requestId(), "X-Correlation-ID", correlationId));
            if (inDoubtHeld.contains(correlationId)) {
                assertThat(answer.statusCode()).as("a resend of a referral committed before the kill: %s",
                        answer.body()).isEqualTo(409);
                assertThat(JSON.readTree(answer.body()).at("/issue/0/code").asText()).isEqualTo("duplicate");
            } else {
                acceptedReferralIds.put(correlationId, Referrals.referralId(answer)); // asserts the 200
            }
        }
        Set<String> mustBeDelivered = new LinkedHashSet<>(acceptedReferralIds.keySet());
        mustBeDelivered.addAll(inDoubtHeld);

        // 4. every accepted referral reaches both partners, and nothing is left PENDING
        await("every accepted referral delivered after the restart").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> correlationIds(receipts(LINK_WORKER_PATH)).containsAll(mustBeDelivered)
                        && correlationIds(receipts(DATA_PLATFORM_PATH)).containsAll(mustBeDelivered)
                        && http.get("/ops/deliveries?state=PENDING&limit=1", "application/json").body().equals("[]"));
        double drainedSeconds = seconds(restart);

        // 5. what each partner received
        Map<String, StoredDelivery> held = deliveries(http, LINK_WORKER);
        Map<String, StoredDelivery> heldDataPlatform = deliveries(http, DATA_PLATFORM);
        assertThat(held.keySet()).as("link-worker deliveries in the store").isEqualTo(mustBeDelivered);
        assertThat(heldDataPlatform.keySet()).as("data-platform deliveries in the store").isEqualTo(mustBeDelivered);
        assertThat(http.get("/ops/deliveries?state=FAILED&limit=1", "application/json").body()).isEqualTo("[]");

        List<Receipt> linkWorker = receipts(LINK_WORKER_PATH);
        List<Receipt> dataPlatform = receipts(DATA_PLATFORM_PATH);
        int linkWorkerRepeats = assertOneKeyPerReferral("link-worker platform", linkWorker, held);
        int dataPlatformRepeats = assertOneKeyPerReferral("data platform", dataPlatform, heldDataPlatform);
        for (Receipt receipt : linkWorker) {
            String referralId = JSON.readTree(receipt.body()).at("/referral/id").asText();
            assertThat(referralId).as("the referral id in the platform's payload").isEqualTo(acceptedReferralIds
                    .getOrDefault(receipt.correlationId(), held.get(receipt.correlationId()).referralId()));
        }
        List<String> requeued = second.logLines("Re-queued");
        assertThat(requeued).as("the start-up recovery re-queued what was pending").hasSize(1);
        Matcher requeuedCount = Pattern.compile("Re-queued (\\d+) pending").matcher(requeued.get(0));
        assertThat(requeuedCount.find()).isTrue();

        // figures only: ids and counts, no patient data
        System.out.printf(Locale.ROOT, "Crash test: %d referrals sent, %d answered 200 (the kill came %.1f s after the "
                        + "first request, at %d); %d in flight at the kill (%d held by the store, %d not, resent and "
                        + "accepted); link-worker platform had %d referrals at the kill; %s deliveries re-queued at "
                        + "the restart; repeats with the same key: %d link-worker, %d data platform; with a second key: 0; "
                        + "ready in %.1f s (first start), %.1f s (restart); drained %.1f s after the restart was "
                        + "ready.%n",
                sent.size(), answered200, sendingSeconds, acceptedAtKill, requestsInFlightAtKill, inDoubtHeld.size(),
                inDoubtNotHeld.size(), linkWorkerReceivedAtKill, requeuedCount.group(1), linkWorkerRepeats,
                dataPlatformRepeats, firstReadySeconds, restartReadySeconds, drainedSeconds - restartReadySeconds);
    }

    /**
     * Every held referral reached the partner under exactly one key, its delivery id; a key may come twice (once
     * per JVM) and nothing came for a referral the store does not hold. Returns the repeats (receipts beyond the
     * first of each key).
     */
    private static int assertOneKeyPerReferral(String partnerName, List<Receipt> receipts,
            Map<String, StoredDelivery> held) {
        Map<String, Set<String>> keysByReferral = new TreeMap<>();
        Map<String, Integer> receiptsByKey = new HashMap<>();
        for (Receipt receipt : receipts) {
            assertThat(held).as("%s received a delivery of a referral the store does not hold", partnerName)
                    .containsKey(receipt.correlationId());
            keysByReferral.computeIfAbsent(receipt.correlationId(), id -> new LinkedHashSet<>()).add(receipt.key());
            receiptsByKey.merge(receipt.key(), 1, Integer::sum);
        }
        Map<String, Set<String>> severalKeys = keysByReferral.entrySet().stream().filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(severalKeys).as("%s: referrals received under more than one idempotency key", partnerName).isEmpty();
        held.forEach((correlationId, delivery) -> assertThat(keysByReferral.get(correlationId))
                .as("%s: the key of the referral with correlation id %s", partnerName, correlationId)
                .containsExactly(delivery.id()));
        assertThat(receiptsByKey).as("%s: receipts per key (at most one per JVM)", partnerName)
                .allSatisfy((key, count) -> assertThat(count).isLessThanOrEqualTo(2));
        return receiptsByKey.values().stream().mapToInt(count -> count - 1).sum();
    }

    /** One sender: fresh referrals until the stream ends or the adapter is gone. */
    private void send(AdapterHttp http, AtomicInteger started) {
        while (!stopSending.get() && started.incrementAndGet() <= MAX_REFERRALS) {
            String body = Referrals.freshBody();
            Map<String, String> headers = Referrals.freshHeaders();
            String correlationId = headers.get("X-Correlation-ID");
            sent.put(correlationId, new Sent(headers.get("X-Request-ID"), body));
            inFlight.incrementAndGet();
            try {
                HttpResponse<String> answer = http.processMessage(body, "application/fhir+json", headers);
                if (answer.statusCode() == 200) {
                    acceptedReferralIds.put(correlationId, Referrals.referralId(answer));
                } else {
                    refused.put(correlationId, answer.statusCode() + " " + answer.body());
                }
            } catch (UncheckedIOException e) {
                inDoubt.add(correlationId); // no answer: the adapter died while this request was in flight
                return;
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    /**
     * The adapter's own datasource default is kept, so the crash is survived (or not) by exactly the store an
     * embedded run gets: an H2 file under {@code ./data} of the working directory, here a temp folder.
     */
    private static AdapterProcess start(String logName) {
        String partnerUrl = partner.baseUrl();
        List<String> settings = new ArrayList<>(List.of(
                "--adapter.simulator.enabled=false",
                "--adapter.fhir.warm-up-validator=false",
                // a deployment's authentication: the test issuer's tokens, as the shared test context trusts them
                "--adapter.security.dev-mode.enabled=false",
                "--adapter.security.issuers.test.issuer-uri=" + TestIssuer.ISSUER,
                "--adapter.security.issuers.test.jwk-set-uri=" + TestIssuer.jwkSetUri(),
                "--adapter.security.issuers.test.audiences=" + TestIssuer.AUDIENCE,
                "--adapter.destinations.example-linkworker.endpoint=" + partnerUrl + LINK_WORKER_PATH,
                "--adapter.destinations.example-linkworker.event-polling.enabled=false",
                "--adapter.destinations.example-linkworker.event-polling.url=" + partnerUrl + "/example-linkworker",
                "--adapter.destinations.example-fhir-platform.endpoint=" + partnerUrl + "/example-fhir-platform/fhir",
                "--adapter.gp-systems.example-gp-system.endpoint=" + partnerUrl
                        + "/example-gp-system/fhir/$process-message",
                "--adapter.data-platforms.example-data-platform.endpoint=" + partnerUrl + DATA_PLATFORM_PATH,
                // production mode (no simulator) refuses to start without a pseudonym key: a test key, not a secret
                "--adapter.data-platforms.example-data-platform.pseudonym-key="
                        + "test-only-pseudonym-key-not-a-secret-0123456789"));
        for (String partnerSetting : List.of("adapter.destinations.example-linkworker",
                "adapter.destinations.example-fhir-platform", "adapter.gp-systems.example-gp-system",
                "adapter.data-platforms.example-data-platform")) {
            settings.add("--" + partnerSetting + ".retry.initial-delay=50ms");
            settings.add("--" + partnerSetting + ".retry.max-delay=500ms");
        }
        AdapterProcess adapter = AdapterProcess.start(work, work.resolve(logName), settings);
        adapters.add(adapter);
        return adapter;
    }

    /** The store's deliveries to one destination, by correlation id (one referral each), from the operations API. */
    private static Map<String, StoredDelivery> deliveries(AdapterHttp http, String destination) throws IOException {
        HttpResponse<String> answer = http.get("/ops/deliveries?destination=" + destination + "&limit=1000",
                "application/json");
        assertThat(answer.statusCode()).isEqualTo(200);
        Map<String, StoredDelivery> byCorrelationId = new LinkedHashMap<>();
        for (JsonNode delivery : JSON.readTree(answer.body())) {
            StoredDelivery previous = byCorrelationId.put(delivery.get("correlationId").asText(), new StoredDelivery(
                    delivery.get("id").asText(), delivery.get("referralId").asText(), delivery.get("state").asText()));
            assertThat(previous).as("two %s deliveries for one referral", destination).isNull();
        }
        return byCorrelationId;
    }

    /** What the partner received on one path: its idempotency key, the referral's correlation id, the payload. */
    private static List<Receipt> receipts(String path) {
        List<Receipt> receipts = new ArrayList<>();
        for (ServeEvent event : partner.getAllServeEvents()) {
            var request = event.getRequest();
            if (request.getUrl().startsWith(path)) {
                receipts.add(new Receipt(request.getHeader("X-Request-ID"), request.getHeader("X-Correlation-ID"),
                        request.getBodyAsString()));
            }
        }
        return receipts;
    }

    private static Set<String> correlationIds(List<Receipt> receipts) {
        return receipts.stream().map(Receipt::correlationId).collect(Collectors.toSet());
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    private record Sent(String requestId, String body) {
    }

    private record StoredDelivery(String id, String referralId, String state) {
    }

    private record Receipt(String key, String correlationId, String body) {
    }
}
