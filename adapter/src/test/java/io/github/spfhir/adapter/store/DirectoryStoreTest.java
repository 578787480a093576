package io.github.spfhir.adapter.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.support.TestConfigurations;
import io.github.spfhir.adapter.support.TestDatabases;

/** The directory tables (V2, V5) and DirectoryStore on both databases: H2 and a real PostgreSQL. */
class DirectoryStoreTest {

    static Stream<Arguments> databases() {
        return TestDatabases.both();
    }

    private static DirectoryStore store(DataSource dataSource) {
        return new DirectoryStore(JdbcClient.create(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)), FhirContext.forR4Cached(),
                TestConfigurations.fixedClock());
    }

    private static List<Resource> service(String source, String id, String name, String category, boolean active) {
        Organization org = new Organization();
        org.setId("org-" + source);
        org.addIdentifier(new Identifier().setSystem("urn:test:" + source).setValue("o1"));
        org.setName("Organisation " + source);
        HealthcareService hs = new HealthcareService();
        hs.setId(id);
        hs.addIdentifier(new Identifier().setSystem("urn:test:" + source).setValue(id));
        hs.setActive(active);
        hs.setProvidedBy(new Reference("Organization/" + org.getIdElement().getIdPart()));
        hs.addCategory().addCoding(new Coding("urn:test:taxonomy", category, null));
        hs.setName(name);
        return List.of(hs, org);
    }

    /**
     * A first sync fills empty tables: their planner statistics are refreshed as they grow (each time the rows
     * inserted since reach what there were), not left at "empty" until autovacuum comes round.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("emptyDatabases")
    void aBulkLoadHasTheTablesAnalysedAsTheyGrow(String name, DataSource dataSource) {
        DirectoryStore store = store(dataSource);
        JdbcClient jdbc = JdbcClient.create(dataSource);
        String source = "bulk-" + UUID.randomUUID();
        long run = store.startRun(source, SyncRun.FULL);

        store.upsert(source, run, services(source, 150)); // 151 rows (their one organisation written once)
        Double afterFirstPage = estimatedRows(name, jdbc);
        store.upsert(source, run, services(source, 150)); // 301 rows: past the first threshold (200)
        Double afterSecondPage = estimatedRows(name, jdbc);
        store.upsert(source, run, services(source, 100)); // 401: below the next (301 more)
        Double afterThirdPage = estimatedRows(name, jdbc);

        assertThat(jdbc.sql("select count(*) from directory_resource where source_id = ?").param(source)
                .query(Integer.class).single()).isEqualTo(400 + 1);
        if (name.equals("PostgreSQL")) {
            assertThat(afterFirstPage).as("never analysed").isEqualTo(-1.0);
            assertThat(afterSecondPage).as("analysed at 301 rows").isEqualTo(301.0);
            assertThat(afterThirdPage).as("not again yet").isEqualTo(301.0);
        }
    }

    static Stream<Arguments> emptyDatabases() {
        org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
        h2.setURL("jdbc:h2:mem:bulk-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        org.flywaydb.core.Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
        return Stream.of(Arguments.of("H2", h2), Arguments.of("PostgreSQL", TestDatabases.freshMigratedPostgres()));
    }

    /** PostgreSQL's planner estimate of directory_resource's rows, as the last ANALYZE left it (-1: never). */
    private static Double estimatedRows(String name, JdbcClient jdbc) {
        return name.equals("PostgreSQL")
                ? jdbc.sql("select reltuples::float8 from pg_class where relname = 'directory_resource'")
                        .query(Double.class).single()
                : null;
    }

    private static List<Resource> services(String source, int count) {
        List<Resource> page = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<Resource> service = service(source, UUID.randomUUID().toString(), "Service " + i, "walking", true);
            page.add(service.get(0));
            if (i == 0) {
                page.add(service.get(1));
            }
        }
        return page;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void storesSearchesPagesAndDeactivates(String name, DataSource dataSource) {
        DirectoryStore store = store(dataSource);
        String source = "src-" + UUID.randomUUID();
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        String c = UUID.randomUUID().toString();

        long first = store.startRun(source, SyncRun.FULL);
        store.upsert(source, first, service(source, a, "Walking 50% group_" + source, "walking", true));
        store.upsert(source, first, service(source, b, "Welsh choir " + source, "singing", true));
        store.upsert(source, first, service(source, c, "Walking football " + source, "walking", false));
        store.recordReject(first, 1, "bad-1", "id missing");
        store.finishRun(first, SyncRun.SUCCEEDED, 1, 3, 1, 0, null);

        assertThat(store.run(first)).hasValueSatisfying(run -> {
            assertThat(run.state()).isEqualTo(SyncRun.SUCCEEDED);
            assertThat(run.services()).isEqualTo(3);
            assertThat(run.finishedAt()).isEqualTo(TestConfigurations.NOW);
        });
        assertThat(store.rejects(first)).containsExactly(new SyncReject(1, "bad-1", "id missing"));
        assertThat(store.lastSuccessfulRunId(source)).contains(first);

        DirectorySearch byOrg = new DirectorySearch(null, null, null, "Organization/org-" + source, null, null);
        assertThat(store.searchServices(byOrg, 0, 10).total()).isEqualTo(3);
        assertThat(store.searchServices(byOrg, 0, 2).matches()).extracting(StoredResource::id).containsExactly(a, c);
        assertThat(store.searchServices(byOrg, 2, 2).matches()).extracting(StoredResource::id).containsExactly(b);
        // a prefix with LIKE's wildcards in it matches them literally
        assertThat(store.searchServices(new DirectorySearch("walking 50%", null, null, null, null, null), 0, 10).matches())
                .extracting(StoredResource::id).containsExactly(a);
        assertThat(store.searchServices(new DirectorySearch("WALKING", "urn:test:taxonomy|walking", null,
                "Organization/org-" + source, null, true), 0, 10).matches()).extracting(StoredResource::id).containsExactly(a);

        // a second run that does not see b: only b is reported unseen, and deactivating it keeps it readable
        long second = store.startRun(source, SyncRun.FULL);
        store.upsert(source, second, service(source, a, "Walking 50% group_" + source, "walking", true));
        assertThat(store.read("HealthcareService", a)).hasValueSatisfying(r -> assertThat(r.versionId()).isEqualTo(1));
        assertThat(store.activeServicesNotSeenIn(source, second)).containsExactly(b);
        store.deactivate(b, "{\"resourceType\":\"HealthcareService\",\"id\":\"" + b + "\",\"active\":false}");
        store.finishRun(second, SyncRun.FAILED, 0, 0, 0, 0, "HTTP 500");

        assertThat(store.read("HealthcareService", b)).hasValueSatisfying(r -> {
            assertThat(r.versionId()).isEqualTo(2);
            assertThat(r.json()).contains("\"active\":false");
        });
        assertThat(store.searchServices(new DirectorySearch(null, null, null, "Organization/org-" + source, null, false),
                0, 10).matches()).extracting(StoredResource::id).containsExactly(c, b);
        assertThat(store.lastRun(source)).hasValueSatisfying(run -> assertThat(run.error()).isEqualTo("HTTP 500"));
        assertThat(store.lastSuccessfulRunId(source)).contains(first);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theCursorMovesOnSuccessOnlyAndRemembersTheLastFullSync(String name, DataSource dataSource) {
        java.time.Instant[] now = {java.time.Instant.parse("2026-11-21T10:00:00Z")};
        java.time.Clock clock = new java.time.Clock() {
            @Override
            public java.time.Instant instant() {
                return now[0];
            }

            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
        DirectoryStore store = new DirectoryStore(JdbcClient.create(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)), FhirContext.forR4Cached(), clock);
        String source = "src-" + UUID.randomUUID();
        java.time.Instant t0 = now[0];
        assertThat(store.cursor(source)).isEmpty();

        long full = store.startRun(source, SyncRun.FULL);
        store.finishRun(full, SyncRun.SUCCEEDED, 1, 0, 0, 0, null);
        now[0] = t0.plusSeconds(3600);
        long incremental = store.startRun(source, SyncRun.INCREMENTAL, t0);
        store.finishRun(incremental, SyncRun.SUCCEEDED, 1, 0, 0, 0, null);
        now[0] = t0.plusSeconds(7200);
        long failed = store.startRun(source, SyncRun.INCREMENTAL, t0.plusSeconds(3600));
        store.finishRun(failed, SyncRun.FAILED, 0, 0, 0, 0, "HTTP 503");

        assertThat(store.cursor(source)).hasValueSatisfying(c -> {
            assertThat(c.lastRunId()).isEqualTo(failed);
            assertThat(c.lastSuccessRunId()).isEqualTo(incremental);
            assertThat(c.modifiedAfter()).isEqualTo(t0.plusSeconds(3600));
            assertThat(c.lastFullSuccessRunId()).isEqualTo(full);
            assertThat(c.lastFullStartedAt()).isEqualTo(t0);
        });
        assertThat(store.run(incremental)).hasValueSatisfying(run -> {
            assertThat(run.mode()).isEqualTo(SyncRun.INCREMENTAL);
            assertThat(run.modifiedAfter()).isEqualTo(t0);
        });
        assertThat(store.run(full)).hasValueSatisfying(run -> assertThat(run.modifiedAfter()).isNull());
    }

    private static org.hl7.fhir.r4.model.Location location(String id, String name, Double lat, Double lon, String postcode) {
        org.hl7.fhir.r4.model.Location location = new org.hl7.fhir.r4.model.Location();
        location.setId(id);
        location.setName(name);
        if (lat != null) {
            location.getPosition().setLatitude(lat).setLongitude(lon);
        }
        if (postcode != null) {
            location.getAddress().setPostalCode(postcode);
        }
        return location;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void searchesLocationsAndServicesNearAPointAndByPostalCode(String name, DataSource dataSource) {
        DirectoryStore store = store(dataSource);
        String source = "src-" + UUID.randomUUID();
        // a point in the South Atlantic that no other test uses, so only these rows are near it
        String tag = UUID.randomUUID().toString().substring(0, 6).toUpperCase(java.util.Locale.ROOT);
        String near = "loc-near-" + UUID.randomUUID();
        String middle = "loc-middle-" + UUID.randomUUID();
        String far = "loc-far-" + UUID.randomUUID();
        String nowhere = "loc-nowhere-" + UUID.randomUUID();
        long run = store.startRun(source, SyncRun.FULL);
        store.upsert(source, run, List.of(location(near, "Near", -40.0, -20.0, "Q" + tag + " 1AA")));
        store.upsert(source, run, List.of(location(middle, "Middle", -40.05, -20.0, "Q" + tag + " 2BB")));
        store.upsert(source, run, List.of(location(far, "Far", -41.0, -20.0, "Q" + tag + " 3CC")));
        store.upsert(source, run, List.of(location(nowhere, "Nowhere", null, null, null)));
        List<Resource> one = new java.util.ArrayList<>(service(source, "hs-1-" + source, "Service one", "cat", true));
        ((HealthcareService) one.get(0)).addLocation(new Reference("Location/" + far))
                .addLocation(new Reference("Location/" + middle));
        store.upsert(source, run, one);
        List<Resource> two = new java.util.ArrayList<>(service(source, "hs-2-" + source, "Service two", "cat", true));
        ((HealthcareService) two.get(0)).addLocation(new Reference("Location/" + near));
        store.upsert(source, run, two);

        io.github.spfhir.adapter.domain.directory.NearSearch tenKm =
                io.github.spfhir.adapter.domain.directory.NearSearch.parse("-40|-20|10|km");
        DirectoryStore.SearchResult locations = store.searchLocations(new LocationSearch(tenKm, null), 0, 10);
        assertThat(locations.matches()).extracting(StoredResource::id).containsExactly(near, middle);
        assertThat(locations.distancesKm().get(near)).isZero();
        assertThat(locations.distancesKm().get(middle)).isCloseTo(5.56, org.assertj.core.api.Assertions.within(0.01));
        assertThat(store.searchLocations(new LocationSearch(tenKm, null), 1, 10).matches()).extracting(StoredResource::id)
                .containsExactly(middle);
        assertThat(store.searchLocations(new LocationSearch(tenKm, "Q" + tag + "2"), 0, 10).matches())
                .extracting(StoredResource::id).containsExactly(middle);
        assertThat(store.searchLocations(new LocationSearch(null, "Q" + tag), 0, 10).matches())
                .extracting(StoredResource::id).containsExactly(far, middle, near);

        // a service is as near as its nearest location within the distance
        io.github.spfhir.adapter.domain.directory.NearSearch twoHundredKm =
                io.github.spfhir.adapter.domain.directory.NearSearch.parse("-40|-20|200|km");
        DirectoryStore.SearchResult services = store.searchServices(new DirectorySearch(null, null, null, null, null,
                true, twoHundredKm, null), 0, 10);
        assertThat(services.matches()).extracting(StoredResource::id).containsExactly("hs-2-" + source, "hs-1-" + source);
        assertThat(services.total()).isEqualTo(2);
        assertThat(services.distancesKm().get("hs-1-" + source)).isCloseTo(5.56, org.assertj.core.api.Assertions.within(0.01));
        assertThat(store.searchServices(new DirectorySearch("service o", null, null, null, null, null, twoHundredKm,
                null), 0, 10).matches()).extracting(StoredResource::id).containsExactly("hs-1-" + source);
        assertThat(store.searchServices(new DirectorySearch(null, null, null, null, null, null, null, "Q" + tag + "3CC"),
                0, 10).matches()).extracting(StoredResource::id).containsExactly("hs-1-" + source);
    }
}
