package io.github.spfhir.adapter.benchmark;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.spfhir.adapter.AdapterApplication;
import io.github.spfhir.adapter.domain.delivery.DeliveryFlow;
import io.github.spfhir.adapter.store.DeliveryRecord;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.store.MessageStore;
import io.github.spfhir.adapter.store.StoredEvent;
import io.github.spfhir.adapter.support.AdapterHttp;
import io.github.spfhir.adapter.support.TestIssuer;
import io.github.spfhir.adapter.support.Referrals;
import io.github.spfhir.adapter.support.TestPartners;

/**
 * A bounded load run of the events flow on loopback: event in, Task updated, GP message and data-platform
 * transaction delivered. Starts the adapter as {@link ReferralThroughputBenchmark} does (H2 file store in a temp
 * folder, validator warm-up on, the real system clock), with the link-worker platform, the GP system and the data
 * platform all answered by one WireMock server loaded with {@code test-fixtures/wiremock}. For each run it first
 * creates the referrals (not timed) and waits until they are delivered to the platform; then, timed, concurrent
 * clients each take one referral at a time and post its four events in order (REFERRAL_ACCEPTED,
 * CONTACT_SUCCESSFUL, a WEMWBS MEASURE_RECORDED, CLIENT_DISCHARGED), so one referral's events arrive in order and
 * different referrals' events in parallel. A warm-up run of the same shape comes first.
 *
 * <p>An event is done end to end when it was answered 200 and, if it sends a message back to the GP (accepted
 * and discharged, with the shipped {@code send-on-outcome: false}), when that message is DELIVERED. The times
 * come from the store's delivery records ({@code updated_at} of the DELIVERED attempt, same system clock), so the
 * bounded polling that waits for the deliveries does not limit what is measured.
 *
 * <p>Run: {@code ./mvnw -q -pl adapter -am test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.github.spfhir.adapter.benchmark.EventThroughputBenchmark} (see docs/benchmarks.md).
 * Arguments (system properties): bench.referrals (default 200, so 800 timed events), bench.warmup (200 referrals
 * whose events are sent first, not timed), bench.clients (8).
 */
public final class EventThroughputBenchmark {

    private static final String PLATFORM = "example-linkworker";
    private static final String EVENTS_PATH = "/platforms/" + PLATFORM + "/events";
    private static final String GP_SYSTEM = "example-gp-system";
    private static final String DATA_PLATFORM = "example-data-platform";
    /** Every wait for the adapter is bounded: a stuck delivery ends the run instead of hanging it. */
    private static final Duration MAX_WAIT = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One referral's events, in the order the platform sends them (the platform's own type names). */
    private static final List<String> EVENT_TYPES = List.of(
            "REFERRAL_ACCEPTED", "CONTACT_SUCCESSFUL", "MEASURE_RECORDED", "CLIENT_DISCHARGED");
    /**
     * The ones that send a message back to the GP with the shipped configuration (GpUpdatePlanner: accepted and
     * completed always, an outcome measure only with {@code send-on-outcome}, which is off): a missing or an extra
     * GP message ends the run rather than counting an event done without one.
     */
    private static final Set<String> GP_NOTIFYING_TYPES = Set.of("REFERRAL_ACCEPTED", "CLIENT_DISCHARGED");

    private EventThroughputBenchmark() {
    }

    /** One event as the client sent it: when it went and when the 200 came back (wall clock, as the store's). */
    private record SentEvent(String referralId, String eventId, String type, Instant sentAt, Instant answeredAt,
            long latencyNanos) {
    }

    public static void main(String[] args) throws Exception {
        int referrals = Integer.getInteger("bench.referrals", 200);
        int warmup = Integer.getInteger("bench.warmup", 200);
        int clients = Integer.getInteger("bench.clients", 8);

        String partnersUrl = TestPartners.baseUrl();
        Path dataDir = Files.createTempDirectory("sp-adapter-event-bench");
        TestIssuer.dateTokensBy(java.time.Clock.systemUTC()); // the adapter runs on the real clock here
        ConfigurableApplicationContext context = AdapterApplication.application().run(
                "--server.port=0",
                "--spring.datasource.url=" + RunCommandStore.h2Url(dataDir),
                "--adapter.simulator.enabled=false",
                "--adapter.security.dev-mode.enabled=false",
                "--adapter.security.issuers.test.issuer-uri=" + TestIssuer.ISSUER,
                "--adapter.security.issuers.test.jwk-set-uri=" + TestIssuer.jwkSetUri(),
                "--adapter.security.issuers.test.audiences=" + TestIssuer.AUDIENCE,
                // a benchmark posts as fast as it can with one client identity: no per-client rate limit
                "--adapter.security.rate-limit.enabled=false",
                "--adapter.destinations.example-linkworker.endpoint=" + partnersUrl + "/example-linkworker/api/referrals",
                "--adapter.destinations.example-fhir-platform.endpoint=" + partnersUrl + "/example-fhir-platform/fhir",
                "--adapter.gp-systems.example-gp-system.endpoint=" + partnersUrl + "/example-gp-system/fhir/$process-message",
                "--adapter.data-platforms.example-data-platform.endpoint=" + partnersUrl + "/example-data-platform/fhir",
                // a throwaway key: without the simulator an unset key is refused (a real deployment sets a secret)
                "--adapter.data-platforms.example-data-platform.pseudonym-key=" + UUID.randomUUID() + UUID.randomUUID(),
                "--logging.level.io.github.spfhir=WARN");
        try {
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            AdapterHttp http = new AdapterHttp(port);
            MessageStore store = context.getBean(MessageStore.class);

            List<String> warmupReferrals = createReferrals(http, store, warmup, clients);
            sendEvents(http, warmupReferrals, clients);
            awaitNothingPending(store);

            List<String> timedReferrals = createReferrals(http, store, referrals, clients);
            int appliedBefore = store.countEvents("APPLIED");
            Instant runStart = Instant.now();
            List<SentEvent> sent = sendEvents(http, timedReferrals, clients);
            awaitNothingPending(store);
            int applied = store.countEvents("APPLIED") - appliedBefore;
            if (applied != sent.size()) {
                throw new IllegalStateException(applied + " of " + sent.size() + " events were applied");
            }
            report(store, runStart, sent, timedReferrals, warmup, clients);
        } finally {
            context.close(); // WireMock stops in TestPartners' shutdown hook
            FileSystemUtils.deleteRecursively(dataDir); // the H2 file of the run
        }
        System.exit(0); // the exec plugin's JVM would otherwise wait for the app's non-daemon threads
    }

    /** Posts fresh referrals from concurrent clients and waits until all are delivered; not timed. */
    private static List<String> createReferrals(AdapterHttp http, MessageStore store, int count, int clients)
            throws Exception {
        AtomicInteger remaining = new AtomicInteger(count);
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        inParallel(clients, () -> {
            while (remaining.getAndDecrement() > 0) {
                ids.add(Referrals.accept(http));
            }
        });
        awaitNothingPending(store);
        return List.copyOf(ids);
    }

    /**
     * Each client takes the next referral and posts its four events one after the other, each answered before
     * the next is sent. The events are dated an hour ago, a minute apart: in order, and well inside the
     * adapter's clock tolerance (events dated more than five minutes ahead of its clock are refused).
     */
    private static List<SentEvent> sendEvents(AdapterHttp http, List<String> referralIds, int clients)
            throws Exception {
        Instant firstOccurred = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        AtomicInteger next = new AtomicInteger();
        List<SentEvent> sent = Collections.synchronizedList(new ArrayList<>());
        inParallel(clients, () -> {
            for (int r = next.getAndIncrement(); r < referralIds.size(); r = next.getAndIncrement()) {
                String referralId = referralIds.get(r);
                for (int step = 0; step < EVENT_TYPES.size(); step++) {
                    ObjectNode event = event(referralId, EVENT_TYPES.get(step), firstOccurred.plus(step, ChronoUnit.MINUTES));
                    Instant sentAt = Instant.now();
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = http.post(EVENTS_PATH, event.toString(), "application/json");
                    long latency = System.nanoTime() - t0;
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("event " + event.get("eventId").asText() + " of referral "
                                + referralId + ": HTTP " + response.statusCode() + " " + response.body());
                    }
                    sent.add(new SentEvent(referralId, event.get("eventId").asText(), EVENT_TYPES.get(step), sentAt,
                            Instant.now(), latency));
                }
            }
        });
        return List.copyOf(sent);
    }

    /** The example platform's event JSON (as in EventsEndToEndTest), with a fresh event id. */
    private static ObjectNode event(String referralId, String type, Instant occurredAt) {
        ObjectNode event = JSON.createObjectNode();
        event.put("eventId", "bench-" + UUID.randomUUID());
        event.put("type", type);
        event.put("occurredAt", occurredAt.toString());
        event.putObject("referral").put("id", referralId);
        event.putObject("worker").put("id", "LW-0042").put("name", "Jo Example");
        if (type.equals("MEASURE_RECORDED")) {
            event.putObject("measure").put("tool", "WEMWBS").put("stage", "BASELINE").put("total", 41);
        }
        return event;
    }

    private static void report(MessageStore store, Instant runStart, List<SentEvent> sent, List<String> referralIds,
            int warmup, int clients) {
        Map<String, List<SentEvent>> sentByReferral = sent.stream().collect(Collectors.groupingBy(SentEvent::referralId));
        List<Instant> gpDelivered = new ArrayList<>();
        List<Instant> dataPlatformDelivered = new ArrayList<>();
        List<Long> gpEndToEndNanos = new ArrayList<>();
        Instant lastDone = Instant.MIN;
        for (String referralId : referralIds) {
            // deliveries name our stored event's id; the client knows the platform's event id
            Map<String, String> platformEventIdOf = new HashMap<>();
            for (StoredEvent stored : store.eventsForReferral(referralId)) {
                platformEventIdOf.put(stored.id(), stored.eventId());
            }
            Map<String, Instant> gpDeliveredOfEvent = new HashMap<>();
            for (DeliveryRecord delivery : store.deliveriesForReferral(referralId)) {
                if (delivery.eventId() == null) {
                    continue; // the referral's own deliveries, made before the timed run
                }
                if (delivery.state() != DeliveryState.DELIVERED) {
                    throw new IllegalStateException("delivery " + delivery.id() + " is " + delivery.state());
                }
                if (delivery.flow() == DeliveryFlow.UPDATES_TO_GP && delivery.destinationId().equals(GP_SYSTEM)) {
                    gpDelivered.add(delivery.updatedAt());
                    gpDeliveredOfEvent.merge(platformEventIdOf.get(delivery.eventId()), delivery.updatedAt(),
                            (a, b) -> a.isAfter(b) ? a : b);
                } else if (delivery.flow() == DeliveryFlow.DATA_PLATFORM_PUBLISHING
                        && delivery.destinationId().equals(DATA_PLATFORM)) {
                    dataPlatformDelivered.add(delivery.updatedAt());
                }
            }
            for (SentEvent event : sentByReferral.getOrDefault(referralId, List.of())) {
                Instant done = event.answeredAt();
                Instant gp = gpDeliveredOfEvent.get(event.eventId());
                if (GP_NOTIFYING_TYPES.contains(event.type()) != (gp != null)) {
                    throw new IllegalStateException("event " + event.eventId() + " (" + event.type() + ") has "
                            + (gp == null ? "no" : "a") + " GP message");
                }
                if (gp != null) {
                    done = gp.isAfter(done) ? gp : done;
                    gpEndToEndNanos.add(Duration.between(event.sentAt(), gp).toNanos());
                }
                lastDone = done.isAfter(lastDone) ? done : lastDone;
            }
        }
        if (dataPlatformDelivered.isEmpty()) {
            throw new IllegalStateException("the events sent no data-platform transaction");
        }
        Instant lastAnswered = sent.stream().map(SentEvent::answeredAt).max(Instant::compareTo).orElseThrow();
        List<Long> latencies = new ArrayList<>(sent.stream().map(SentEvent::latencyNanos).toList());
        Collections.sort(latencies);
        Collections.sort(gpEndToEndNanos);
        int events = sent.size();

        System.out.printf(Locale.ROOT, "%nEvent flow benchmark (%d referrals x %d events = %d events after %d warm-up"
                + " referrals, %d clients, %d cores, Java %s)%n", referralIds.size(), EVENT_TYPES.size(), events, warmup,
                clients, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "  accepted (answered 200, applied)             : %.0f events/s%n",
                events / seconds(runStart, lastAnswered));
        System.out.printf(Locale.ROOT, "  end to end (answered + GP message DELIVERED) : %.0f events/s%n",
                events / seconds(runStart, lastDone));
        System.out.printf(Locale.ROOT, "  GP messages delivered                        : %d, %.0f/s%n",
                gpDelivered.size(), gpDelivered.size() / seconds(runStart, Collections.max(gpDelivered)));
        System.out.printf(Locale.ROOT, "  data-platform transactions delivered         : %d, %.0f/s%n",
                dataPlatformDelivered.size(),
                dataPlatformDelivered.size() / seconds(runStart, Collections.max(dataPlatformDelivered)));
        System.out.printf(Locale.ROOT, "  event endpoint latency p50 / p99 / max       : %.1f / %.1f / %.1f ms%n",
                percentile(latencies, 50), percentile(latencies, 99), latencies.get(latencies.size() - 1) / 1e6);
        System.out.printf(Locale.ROOT, "  event sent to GP message delivered p50 / p99 : %.1f / %.1f ms%n",
                percentile(gpEndToEndNanos, 50), percentile(gpEndToEndNanos, 99));
    }

    /** Runs {@code work} on {@code clients} threads and waits for all of them, bounded. */
    private static void inParallel(int clients, ThrowingRunnable work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Void>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                futures.add(pool.submit(() -> {
                    work.run();
                    return null;
                }));
            }
            long deadline = System.nanoTime() + MAX_WAIT.toNanos();
            for (Future<Void> future : futures) {
                future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    /**
     * Bounded wait (a benchmark driver, not a test) until no delivery is pending; a failed one ends the run. The
     * figures come from the stored delivery times, not from this polling.
     */
    private static void awaitNothingPending(MessageStore store) throws InterruptedException {
        long deadline = System.nanoTime() + MAX_WAIT.toNanos();
        while (store.countDeliveries(DeliveryState.PENDING) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("deliveries still pending after " + MAX_WAIT.toMinutes() + " minutes");
            }
            Thread.sleep(20);
        }
        int failed = store.countDeliveries(DeliveryState.FAILED);
        if (failed > 0) {
            throw new IllegalStateException(failed + " deliveries failed");
        }
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    private static double percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
