package io.github.spfhir.adapter.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

import com.sun.net.httpserver.HttpServer;

import io.github.spfhir.adapter.AdapterApplication;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.store.MessageStore;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.TestBroker;
import io.github.spfhir.adapter.support.TestDatabases;
import io.github.spfhir.adapter.support.TestIssuer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * A bounded load run on loopback: starts the adapter (H2 file store in a temp folder, validator warm-up on, as
 * the run command), a minimal partner on loopback answering the link-worker platform (201) and the data platform
 * (200), then posts referrals through {@code $process-message} from concurrent clients and waits until every
 * delivery is made. Prints throughput, latency percentiles, validation cost and the time from start to the first
 * answered referral.
 *
 * <p>With the shipped configuration each accepted referral also gets a data-platform delivery
 * ({@code adapter.data-platforms.example-data-platform}: a pseudonymised transaction Bundle, whose Patient is
 * validated too); {@code -Dbench.dataPlatform=false} disables that platform to measure the referral flow alone.
 * "End to end" waits for every delivery of the run, data-platform ones included.
 *
 * <p>Distributed mode ({@code -Dbench.mode=distributed}): the store is a fresh database on an embedded PostgreSQL
 * and deliveries go through an Artemis broker in this JVM ({@code adapter.hand-off.mode=artemis}), with
 * {@code bench.instances} adapter instances (1 or more) as separate application contexts in this JVM, each with
 * its own HTTP port, pools and consumers, sharing the database and the broker; the clients are spread over the
 * instances. On one machine the instances share its cores: the figure shows the cost of the distributed hand-off
 * and of coordination, not the gain of more machines.
 *
 * <p>PostgreSQL mode ({@code -Dbench.mode=postgresql}): the embedded mode's in-memory queues, with the store on a
 * fresh database of the embedded PostgreSQL instead of the H2 file, to measure the store engine alone. PostgreSQL's
 * own processes share the two cores and are not in the CPU figure (this JVM's threads only).
 *
 * <p>Run: {@code ./mvnw -q -pl adapter test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.github.spfhir.adapter.benchmark.ReferralThroughputBenchmark} (see docs/benchmarks.md).
 * Arguments (system properties): bench.warmup (default 5000: HAPI's validator takes minutes of C2 compilation to
 * settle on 2 cores), bench.requests (5000), bench.clients (4), bench.dataPlatform (true), bench.jfr (a file: a
 * JDK Flight Recorder recording, "profile" settings or those named by bench.jfrSettings, such as "default", of the timed phase only),
 * bench.profile (a file: async-profiler's CPU samples of the timed phase, kernel frames included, as collapsed stacks;
 * {@link TimedPhaseProfile}), bench.mode (embedded,
 * postgresql or distributed), bench.instances (1; distributed mode only), bench.h2Options (the H2 URL's options in embedded
 * mode; default the run command's, read from application.yml), bench.concurrentDeliveries (the link-worker platform's
 * concurrent-deliveries; default application.yml's), bench.client (the load driver's HTTP client: url-connection, the
 * default, blocking {@link HttpURLConnection} with a kept-alive connection per client thread; or java-http-client, the
 * JDK's {@link HttpClient}, which the driver used up to the fourteenth session and which costs more CPU per request on
 * the cores the adapter is measured on).
 */
public final class ReferralThroughputBenchmark {

    private ReferralThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int warmup = Integer.getInteger("bench.warmup", 5000);
        int requests = Integer.getInteger("bench.requests", 5000);
        int clients = Integer.getInteger("bench.clients", 4);
        boolean dataPlatform = Boolean.parseBoolean(System.getProperty("bench.dataPlatform", "true"));
        String jfrFile = System.getProperty("bench.jfr");
        String mode = System.getProperty("bench.mode", "embedded");
        boolean distributed = "distributed".equals(mode);
        // the embedded mode's in-memory queues with PostgreSQL as the store: what the store engine alone costs
        boolean postgresStore = distributed || "postgresql".equals(mode);
        int instances = distributed ? Integer.getInteger("bench.instances", 1) : 1;
        // HttpURLConnection keeps at most http.maxConnections idle connections per server (default 5): each client
        // thread keeps its own, so none opens a new connection per referral
        System.setProperty("http.maxConnections", String.valueOf(Math.max(clients, 5)));
        ReferralSender sender = ReferralSender.named(System.getProperty("bench.client", "url-connection"));

        // A minimal loopback partner (the JDK's HTTP server) with static answers: on 2 cores, a heavier stub
        // (WireMock's templating, JSON-path matching) would take CPU from the adapter and measure the stub
        // instead. Without TCP_NODELAY its split header/body writes meet delayed ACKs, ~40 ms per response.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer partner = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        answer(partner, "/example-linkworker/api/referrals", 201, "application/json", "{\"status\":\"received\"}");
        answer(partner, "/example-data-platform/fhir", 200, "application/fhir+json",
                "{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\"}");
        ExecutorService partnerThreads = Executors.newFixedThreadPool(4, daemon());
        partner.setExecutor(partnerThreads);
        partner.start();
        String partnerUrl = "http://127.0.0.1:" + partner.getAddress().getPort();
        Path dataDir = Files.createTempDirectory("sp-adapter-bench");

        TestIssuer.dateTokensBy(java.time.Clock.systemUTC()); // the adapter runs on the real clock here
        long startNanos = System.nanoTime();
        List<String> settings = new ArrayList<>(List.of(
                "--server.port=0",
                "--adapter.simulator.enabled=false",
                "--adapter.security.dev-mode.enabled=false",
                "--adapter.security.issuers.test.issuer-uri=" + TestIssuer.ISSUER,
                "--adapter.security.issuers.test.jwk-set-uri=" + TestIssuer.jwkSetUri(),
                "--adapter.security.issuers.test.audiences=" + TestIssuer.AUDIENCE,
                // a benchmark posts as fast as it can with one client identity: no per-client rate limit
                "--adapter.security.rate-limit.enabled=false",
                "--adapter.destinations.example-linkworker.endpoint=" + partnerUrl + "/example-linkworker/api/referrals",
                "--adapter.data-platforms.example-data-platform.enabled=" + dataPlatform,
                "--adapter.data-platforms.example-data-platform.endpoint=" + partnerUrl + "/example-data-platform/fhir",
                // a throwaway key: without the simulator an unset key is refused (a real deployment sets a secret)
                "--adapter.data-platforms.example-data-platform.pseudonym-key=" + UUID.randomUUID() + UUID.randomUUID(),
                "--logging.level.io.github.spfhir=WARN"));
        String concurrentDeliveries = System.getProperty("bench.concurrentDeliveries");
        if (concurrentDeliveries != null) {
            settings.add("--adapter.destinations.example-linkworker.concurrent-deliveries=" + concurrentDeliveries);
        }
        TestBroker broker = null;
        if (postgresStore) {
            settings.addAll(List.of(
                    "--spring.datasource.url=" + TestDatabases.freshPostgresDatabase(),
                    "--spring.datasource.username=postgres",
                    "--spring.datasource.password=postgres"));
        }
        if (distributed) {
            broker = TestBroker.start();
            settings.addAll(List.of(
                    "--adapter.hand-off.mode=artemis",
                    "--adapter.hand-off.broker-url=" + broker.url(),
                    "--logging.level.org.apache.activemq=WARN"));
        } else if (!postgresStore) {
            // the run command's H2 settings (application.yml), unless bench.h2Options says otherwise
            settings.add("--spring.datasource.url=" + RunCommandStore.h2Url(dataDir));
        }
        List<ConfigurableApplicationContext> contexts = new ArrayList<>();
        for (int i = 0; i < instances; i++) { // one after the other: the first migrates the database
            contexts.add(AdapterApplication.application().run(settings.toArray(String[]::new)));
        }
        ConfigurableApplicationContext context = contexts.get(0);
        try {
            TOKEN = TestIssuer.gpSystem(TestIssuer.FIXTURE_PRACTICE);
            String template = Fixtures.read("referral-to-link-worker/valid/full-referral.bundle.json");
            List<URI> endpoints = contexts.stream().map(c -> URI.create("http://127.0.0.1:"
                    + c.getEnvironment().getProperty("local.server.port") + "/fhir/$process-message")).toList();
            URI endpoint = endpoints.get(0);

            send(sender, endpoint, template);
            double firstReferralSeconds = (System.nanoTime() - startNanos) / 1e9;

            MessageStore store = context.getBean(MessageStore.class);
            for (URI other : endpoints.subList(1, endpoints.size())) {
                send(sender, other, template); // every instance's first referral, outside the timed phase
            }
            run(sender, endpoints, template, warmup, clients);
            awaitDelivered(store);
            List<Timer> validation = contexts.stream()
                    .map(c -> c.getBean(MeterRegistry.class).get("adapter.validation").timer()).toList();
            long validationsBefore = validation.stream().mapToLong(Timer::count).sum();
            double validationNanosBefore = validation.stream().mapToDouble(t -> t.totalTime(TimeUnit.NANOSECONDS)).sum();
            int deliveredBefore = store.countDeliveries(DeliveryState.DELIVERED);
            H2StoreStatistics storeBefore = postgresStore ? null : H2StoreStatistics.of(context);

            Recording recording = jfrFile == null ? null : new Recording(Configuration.getConfiguration(System.getProperty("bench.jfrSettings", "profile")));
            if (recording != null) {
                recording.setToDisk(true);
                recording.setDestination(Path.of(jfrFile));
                recording.start();
            }
            TimedPhaseProfile profile = TimedPhaseProfile.startIfAsked();
            long runStart = System.nanoTime();
            Instant timedFrom = Instant.now();
            long cpuStart = processCpuNanos();
            List<Long> latencies = run(sender, endpoints, template, requests, clients);
            double acceptSeconds = (System.nanoTime() - runStart) / 1e9;
            awaitDelivered(store);
            double endToEndSeconds = (System.nanoTime() - runStart) / 1e9;
            Instant timedTo = Instant.now();
            double cpuMillisPerReferral = (processCpuNanos() - cpuStart) / 1e6 / requests;
            H2StoreStatistics storeAfter = postgresStore ? null : H2StoreStatistics.of(context);
            profile.stop();
            if (recording != null) {
                recording.stop();
                recording.close();
            }
            long validations = validation.stream().mapToLong(Timer::count).sum() - validationsBefore;
            double validationMicros = (validation.stream().mapToDouble(t -> t.totalTime(TimeUnit.NANOSECONDS)).sum()
                    - validationNanosBefore) / validations / 1000.0;
            int delivered = store.countDeliveries(DeliveryState.DELIVERED) - deliveredBefore;
            int failed = store.countDeliveries(DeliveryState.FAILED);
            if (failed > 0) {
                throw new IllegalStateException(failed + " deliveries FAILED");
            }

            Collections.sort(latencies);
            System.out.printf(Locale.ROOT, "%nReferral flow benchmark (%d referrals after %d warm-up, %d clients (%s), %s concurrent deliveries, %d cores, Java %s, data platform %s, %s)%n",
                    requests, warmup, clients, System.getProperty("bench.client", "url-connection"),
                    context.getEnvironment().getProperty("adapter.destinations.example-linkworker.concurrent-deliveries"),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                    dataPlatform ? "on" : "off", distributed ? "distributed: PostgreSQL + Artemis, " + instances
                            + " instance(s)" : postgresStore ? "PostgreSQL + in-memory queues"
                            : "embedded: H2 file + in-memory queues");
            System.out.printf(Locale.ROOT, "  accepted (validated + stored, answered) : %.0f referrals/s%n", requests / acceptSeconds);
            System.out.printf(Locale.ROOT, "  end to end (accepted + delivered)        : %.0f referrals/s (%d deliveries)%n",
                    requests / endToEndSeconds, delivered);
            System.out.printf(Locale.ROOT, "  $process-message latency p50 / p99 / max : %.1f / %.1f / %.1f ms%n",
                    percentile(latencies, 50), percentile(latencies, 99), latencies.get(latencies.size() - 1) / 1e6);
            System.out.printf(Locale.ROOT, "  validations per referral, mean time      : %.1f, %.0f us each%n",
                    validations / (double) requests, validationMicros);
            // CPU time is steadier than wall time on a shared machine: the figure to compare changes by
            int cores = Runtime.getRuntime().availableProcessors();
            System.out.printf(Locale.ROOT, "  CPU per referral (this JVM, all threads)  : %.2f ms, so %.0f referrals/s if %d cores were all ours%n",
                    cpuMillisPerReferral, cores * 1000 / cpuMillisPerReferral, cores);
            if (storeAfter != null) {
                storeAfter.printSince(storeBefore, requests, "referral");
            }
            System.out.printf(Locale.ROOT, "  start to first referral answered          : %.1f s%n", firstReferralSeconds);
            // to keep only the timed phase's samples of a JFR recording started with the JVM (docs/benchmarks.md)
            System.out.println("  timed phase (UTC)                         : " + timedFrom + " to " + timedTo);
            if (jfrFile != null) {
                System.out.println("  JFR recording of the timed phase         : " + jfrFile);
            }
            profile.file().ifPresent(file -> System.out.println("  CPU profile of the timed phase           : " + file));
        } finally {
            contexts.forEach(ConfigurableApplicationContext::close);
            if (broker != null) {
                broker.close();
            }
            partner.stop(0);
            // the H2 file grows by gigabytes in a run: a disk left nearly full blocks Artemis (AMQ212054) elsewhere
            FileSystemUtils.deleteRecursively(dataDir);
        }
        System.exit(0); // the exec plugin's JVM would otherwise wait for the app's non-daemon threads
    }

    /** CPU time of this JVM's threads (the adapter's, the clients' and the stub platform's), in nanoseconds. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** A static answer: the partner's side is not what is measured. */
    private static void answer(HttpServer server, String path, int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        server.createContext(path, exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }

    /** Daemon threads, so a failed start does not leave the exec plugin's JVM waiting for the stub. */
    private static ThreadFactory daemon() {
        return runnable -> {
            Thread thread = new Thread(runnable, "bench-partner");
            thread.setDaemon(true);
            return thread;
        };
    }

    /** {@code count} referrals from {@code clients} concurrent clients, client {@code c} posting to instance c mod n. */
    private static List<Long> run(ReferralSender sender, List<URI> endpoints, String template, int count, int clients)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger remaining = new AtomicInteger(count);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            URI endpoint = endpoints.get(c % endpoints.size());
            futures.add(pool.submit(() -> {
                List<Long> mine = new ArrayList<>();
                while (remaining.getAndDecrement() > 0) {
                    long t0 = System.nanoTime();
                    send(sender, endpoint, template);
                    mine.add(System.nanoTime() - t0);
                }
                return mine;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> f : futures) {
            all.addAll(f.get(10, TimeUnit.MINUTES));
        }
        pool.shutdown();
        return all;
    }

    /** The referring practice's GP system, as the adapter's callers are (made after the clock is set). */
    private static String TOKEN;

    private static void send(ReferralSender sender, URI endpoint, String template) throws Exception {
        String body = template.replace("REF-2026-000123", "REF-" + UUID.randomUUID());
        sender.post(endpoint, body, UUID.randomUUID().toString(), UUID.randomUUID().toString());
    }

    /** The load driver's HTTP client: posts one referral and fails unless it is accepted (200). */
    private interface ReferralSender {

        void post(URI endpoint, String body, String requestId, String correlationId) throws Exception;

        static ReferralSender named(String name) {
            return switch (name) {
                case "url-connection" -> ReferralThroughputBenchmark::postWithUrlConnection;
                case "java-http-client" -> {
                    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                    yield (endpoint, body, requestId, correlationId) -> postWithHttpClient(http, endpoint, body,
                            requestId, correlationId);
                }
                default -> throw new IllegalArgumentException(
                        "bench.client must be url-connection or java-http-client, not " + name);
            };
        }
    }

    private static void postWithUrlConnection(URI endpoint, String body, String requestId, String correlationId)
            throws IOException {
        HttpURLConnection connection = (HttpURLConnection) endpoint.toURL().openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setReadTimeout(60_000);
        connection.setRequestProperty("Content-Type", "application/fhir+json");
        connection.setRequestProperty("X-Request-ID", requestId);
        connection.setRequestProperty("X-Correlation-ID", correlationId);
        connection.setRequestProperty("Authorization", "Bearer " + TOKEN);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        connection.setFixedLengthStreamingMode(bytes.length);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(bytes);
        }
        int status = connection.getResponseCode();
        // read to the end, so that the connection goes back to the keep-alive cache for this client's next referral
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            String answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (status != 200) {
                throw new IllegalStateException("HTTP " + status + ": " + answer);
            }
        }
    }

    private static void postWithHttpClient(HttpClient http, URI endpoint, String body, String requestId,
            String correlationId) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/fhir+json")
                .header("X-Request-ID", requestId)
                .header("X-Correlation-ID", correlationId)
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
    }

    /** Bounded wait (no sleep-polling in tests; this is a benchmark driver) until nothing is pending. */
    private static void awaitDelivered(MessageStore store) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (store.countDeliveries(DeliveryState.PENDING) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("deliveries still pending after 5 minutes");
            }
            Thread.sleep(20);
        }
    }

    private static double percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
