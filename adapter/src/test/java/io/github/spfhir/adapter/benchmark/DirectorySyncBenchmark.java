package io.github.spfhir.adapter.benchmark;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.github.tomakehurst.wiremock.WireMockServer;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.directory.DirectorySync;
import io.github.spfhir.adapter.domain.directory.SyncSummary;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.store.DirectorySearch;
import io.github.spfhir.adapter.store.DirectoryStore;

/**
 * Directory sync and search at size: a plain main, not a test. A WireMock ORUK v3 feed serves N generated
 * services (each with an organisation of 50, a location and two taxonomy terms) in pages of 100; one full sync
 * into an in-memory H2 store (mapping, validation and storage of every resource) is timed, with the peak heap
 * during it; then store searches (name prefix, or category and active; 1,000 by default) give p50 and p95.
 *
 * <pre>
 * ./mvnw -B -o -q -pl adapter test-compile exec:java \
 *     -Dexec.mainClass=io.github.spfhir.adapter.benchmark.DirectorySyncBenchmark -Dexec.classpathScope=test \
 *     [-Dexec.args="services searches"]
 * </pre>
 */
public final class DirectorySyncBenchmark {

    private static final int PAGE_SIZE = 100;

    private DirectorySyncBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int services = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int searches = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int pages = (services + PAGE_SIZE - 1) / PAGE_SIZE;
        System.out.printf("JDK %s, %d processors, max heap %d MB; %d services in %d pages of %d%n", Runtime.version(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, services, pages,
                PAGE_SIZE);

        WireMockServer feed = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        feed.start();
        try {
            for (int page = 1; page <= pages; page++) {
                StringJoiner contents = new StringJoiner(",");
                for (int i = (page - 1) * PAGE_SIZE; i < Math.min(services, page * PAGE_SIZE); i++) {
                    contents.add(service(i));
                }
                feed.stubFor(get(urlPathEqualTo("/bench/services")).withQueryParam("page", equalTo(String.valueOf(page)))
                        .willReturn(okJson("{\"total_items\":" + services + ",\"total_pages\":" + pages
                                + ",\"page_number\":" + page + ",\"last_page\":" + (page == pages)
                                + ",\"contents\":[" + contents + "]}")));
            }

            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:directory-bench;DB_CLOSE_DELAY=-1");
            Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
            FhirContext fhir = FhirContext.forR4Cached();
            DirectoryStore store = new DirectoryStore(JdbcClient.create(h2),
                    new TransactionTemplate(new DataSourceTransactionManager(h2)), fhir, Clock.systemUTC());
            FhirProfileValidator validator = new FhirProfileValidator(fhir);
            validator.warmUp();
            AdapterProperties.DirectorySource source = new AdapterProperties.DirectorySource(
                    AdapterProperties.DirectorySourceKind.ORUK_V3, URI.create(feed.baseUrl() + "/bench"), null, false,
                    Duration.ofHours(6), Duration.ofMinutes(1), Duration.ofSeconds(30), PAGE_SIZE, false, null, null);
            AdapterProperties properties = new AdapterProperties(null, null, Map.of(), null, Map.of("bench", source), null, null, null);
            DirectorySync sync = new DirectorySync(properties, store, validator, fhir, Clock.systemUTC());

            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            long start = System.nanoTime();
            SyncSummary summary = sync.sync("bench");
            long syncMs = (System.nanoTime() - start) / 1_000_000;
            long peakHeapMb = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP).mapToLong(p -> p.getPeakUsage().getUsed()).sum() >> 20;
            System.out.printf("full sync: %s, %d services stored, %d rejected, %d pages in %d ms (%.0f services/s); "
                    + "peak heap during sync %d MB (sum of heap pool peaks)%n", summary.state(), summary.services(),
                    summary.rejected(), summary.pages(), syncMs, summary.services() * 1000.0 / Math.max(1, syncMs), peakHeapMb);

            Random random = new Random(42);
            long[] micros = new long[searches];
            for (int i = -Math.max(1, searches / 5); i < micros.length; i++) {
                DirectorySearch search = random.nextBoolean()
                        ? new DirectorySearch("bench service " + random.nextInt(100), null, null, null, null, null)
                        : new DirectorySearch(null, "cat-" + random.nextInt(10), null, null, null, true);
                long t = System.nanoTime();
                store.searchServices(search, 0, 20);
                if (i >= 0) {
                    micros[i] = (System.nanoTime() - t) / 1000;
                }
            }
            Arrays.sort(micros);
            System.out.printf("store search (page of 20, %d warm-up then %d timed): p50 %.2f ms, p95 %.2f ms%n",
                    Math.max(1, searches / 5), searches, micros[searches / 2] / 1000.0, micros[searches * 95 / 100] / 1000.0);
        } finally {
            feed.stop();
        }
    }

    private static String service(int i) {
        String id = String.format("00000000-0000-4000-8000-%012d", i);
        return "{\"id\":\"" + id + "\",\"organization_id\":\"org-" + (i % 50) + "\",\"name\":\"Bench service " + i
                + "\",\"description\":\"Generated service " + i + "\",\"status\":\"active\","
                + "\"organization\":{\"id\":\"org-" + (i % 50) + "\",\"name\":\"Bench organisation " + (i % 50) + "\"},"
                + "\"service_at_locations\":[{\"id\":\"sal-" + i + "\",\"location\":{\"id\":\"loc-" + i
                + "\",\"location_type\":\"physical\",\"name\":\"Bench location " + i + "\",\"latitude\":51.48,"
                + "\"longitude\":-3.18,\"addresses\":[{\"id\":\"a-" + i + "\",\"address_1\":\"" + i
                + " Bench Street\",\"city\":\"Benchton\",\"postal_code\":\"ZZ99 3CZ\",\"country\":\"GB\","
                + "\"address_type\":\"physical\"}]}}],"
                + "\"attributes\":[{\"id\":\"at-" + i + "\",\"taxonomy_term\":{\"id\":\"cat-" + (i % 10)
                + "\",\"name\":\"Category " + (i % 10) + "\",\"taxonomy\":\"Bench\"}},{\"id\":\"at2-" + i
                + "\",\"taxonomy_term\":{\"id\":\"type-" + (i % 40) + "\",\"name\":\"Type " + (i % 40)
                + "\",\"parent_id\":\"cat-" + (i % 10) + "\",\"taxonomy\":\"Bench\"}}]}";
    }
}
