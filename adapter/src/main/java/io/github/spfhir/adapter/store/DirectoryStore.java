package io.github.spfhir.adapter.store;

import static io.github.spfhir.adapter.store.JdbcValues.instant;
import static io.github.spfhir.adapter.store.JdbcValues.truncate;
import static io.github.spfhir.adapter.store.JdbcValues.ts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import io.github.spfhir.adapter.domain.directory.NearSearch;
import io.github.spfhir.adapter.domain.directory.PostalCodes;

/**
 * The directory's FHIR resources (HealthcareService, Organization, Location from directory sources), their
 * search index, and the bookkeeping of sync runs: one row per run, one per rejected record, a cursor per source.
 */
@Repository
public class DirectoryStore {

    public static final String HEALTHCARE_SERVICE = "HealthcareService";
    private static final int MAX_REASON_LENGTH = 2000;
    private static final int MAX_ERROR_LENGTH = 500;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final FhirContext fhirContext;
    private final Clock clock;
    private final PlannerStatistics statistics = new PlannerStatistics();

    public DirectoryStore(JdbcClient jdbc, TransactionTemplate transactions, FhirContext fhirContext, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.fhirContext = fhirContext;
        this.clock = clock;
    }

    /** Records the start of a full run and returns its id. */
    public long startRun(String sourceId, String mode) {
        return startRun(sourceId, mode, null);
    }

    /**
     * Records the start of a run and returns its id.
     *
     * @param mode          {@link SyncRun#FULL} or {@link SyncRun#INCREMENTAL}
     * @param modifiedAfter what an incremental run asks its source for; null for a full run
     */
    public long startRun(String sourceId, String mode, Instant modifiedAfter) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.sql("""
                insert into directory_sync_run (source_id, sync_mode, started_at, state, pages, services, rejected,
                                                deactivated, modified_after)
                values (?, ?, ?, 'RUNNING', 0, 0, 0, 0, ?)""")
                .params(sourceId, mode, ts(clock.instant()), modifiedAfter == null ? null : ts(modifiedAfter))
                .update(keys, "id");
        long runId = keys.getKeyAs(Long.class) != null ? keys.getKeyAs(Long.class) : keys.getKey().longValue();
        transactions.executeWithoutResult(status -> {
            if (jdbc.sql("update directory_sync_cursor set last_run_id = ? where source_id = ?").params(runId, sourceId).update() == 0) {
                jdbc.sql("insert into directory_sync_cursor (source_id, last_run_id) values (?, ?)").params(sourceId, runId).update();
            }
        });
        return runId;
    }

    /**
     * Writes resources (of one source record, or of a page of records), all or nothing, marking each as seen in this run. A resource
     * whose JSON is unchanged keeps its version; a changed one gets the next version and a new last-updated time.
     * An Organization without a name (the record named only its id) does not overwrite one already stored.
     */
    public void upsert(String sourceId, long runId, List<Resource> resources) {
        IParser parser = fhirContext.newJsonParser();
        int inserted = transactions.execute(status -> {
            // what is stored of them, read in one statement per type rather than one per resource (round trips
            // were most of a sync's store time on PostgreSQL), then kept current as they are written
            Map<String, List<String>> idsByType = new LinkedHashMap<>();
            resources.forEach(r -> idsByType.computeIfAbsent(r.fhirType(), t -> new ArrayList<>()).add(r.getIdElement().getIdPart()));
            Map<String, String> stored = new HashMap<>();
            idsByType.forEach((type, ids) -> readAll(type, ids.stream().distinct().toList())
                    .forEach(r -> stored.put(type + "/" + r.id(), r.json())));
            java.util.Set<String> written = new java.util.HashSet<>();
            NewRows newRows = new NewRows();
            for (Resource resource : resources) {
                String key = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
                String json = parser.encodeResourceToString(resource);
                // the organisation of a page's services comes once per service: the same JSON again is a no-op
                if (written.add(key + "\n" + json)) {
                    if (newRows.holds(key)) {
                        newRows.insert(); // written before it is changed, as if each were written in turn
                    }
                    upsertOne(sourceId, runId, resource, json, stored.get(key), newRows);
                    if (stored.get(key) == null || !(resource instanceof Organization org && !org.hasName())) {
                        stored.put(key, json);
                    }
                }
            }
            newRows.insert();
            return newRows.inserted;
        });
        statistics.inserted(inserted);
    }

    /**
     * Keeps the database's planner statistics of the directory tables in step with a bulk load. A first sync fills
     * empty tables faster than PostgreSQL's autovacuum analyses them (it looks once a minute; H2 never does unless
     * told), and the plans made for a nearly empty table (the foreign-key check of each search-index row, the read
     * of what a page has stored) then cost more with every page. In issue #4's benchmark (10,000 services) a first
     * sync took 51 s on PostgreSQL and 33 s on H2, and 21 s and 26 s with the tables analysed. So each time the rows
     * inserted since the last analysis reach the number there were then (at least
     * {@value #MIN_ROWS_BEFORE_ANALYZE}), the two tables are analysed: about seven times in a first sync of 10,000
     * services, rarely afterwards.
     */
    private final class PlannerStatistics {

        private static final int MIN_ROWS_BEFORE_ANALYZE = 200;

        private final java.util.concurrent.atomic.AtomicLong insertedSince = new java.util.concurrent.atomic.AtomicLong();
        private volatile long rowsAtLastAnalyze = -1;
        private volatile Boolean postgres;
        private volatile boolean refused;

        void inserted(int rows) {
            if (rows == 0) {
                return;
            }
            if (rowsAtLastAnalyze < 0) {
                rowsAtLastAnalyze = jdbc.sql("select count(*) from directory_resource").query(Long.class).single() - rows;
            }
            long since = insertedSince.addAndGet(rows);
            if (since >= Math.max(MIN_ROWS_BEFORE_ANALYZE, rowsAtLastAnalyze) && !refused) {
                synchronized (this) {
                    if (insertedSince.get() >= since) {
                        analyze();
                        rowsAtLastAnalyze += insertedSince.getAndSet(0);
                    }
                }
            }
        }

        /**
         * The rows are stored already: an analysis the database refuses (H2 wants an admin user for it) only
         * costs speed, so it is logged once and not tried again.
         */
        private void analyze() {
            String analyze = isPostgres() ? "analyze " : "analyze table ";
            try {
                jdbc.sql(analyze + "directory_resource").update();
                jdbc.sql(analyze + "directory_search_index").update();
            } catch (org.springframework.dao.DataAccessException e) {
                refused = true;
                org.slf4j.LoggerFactory.getLogger(DirectoryStore.class).warn("The database refused to analyse the "
                        + "directory tables ({}); syncs go on without it, slower as the tables grow",
                        e.getClass().getSimpleName());
            }
        }

        private boolean isPostgres() {
            if (postgres == null) {
                org.springframework.jdbc.core.ResultSetExtractor<Boolean> product = rs -> rs.getStatement()
                        .getConnection().getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT)
                        .contains("postgres");
                postgres = jdbc.sql("select 1").query(product);
            }
            return postgres;
        }
    }

    /**
     * The rows of resources new to the store, and of their search index, inserted a few hundred to a statement:
     * a statement per resource was most of a first sync's time on PostgreSQL (issue #4's benchmark).
     */
    private final class NewRows {

        private static final int RESOURCES_PER_STATEMENT = 200;
        private static final int INDEX_ROWS_PER_STATEMENT = 1000;

        private final List<List<Object>> resourceRows = new ArrayList<>();
        private final List<List<Object>> indexRows = new ArrayList<>();
        private final java.util.Set<String> keys = new java.util.HashSet<>();
        private int inserted;

        void add(String key, List<Object> resourceRow, Resource resource) {
            keys.add(key);
            resourceRows.add(resourceRow);
            for (Map.Entry<String, String> entry : DirectorySearchIndex.entries(resource)) {
                indexRows.add(List.of(resource.fhirType(), resource.getIdElement().getIdPart(), entry.getKey(),
                        entry.getValue()));
            }
        }

        boolean holds(String key) {
            return keys.contains(key);
        }

        void insert() {
            insertRows("""
                    insert into directory_resource (resource_type, id, source_id, source_record_id, active, name_lower,
                                                    last_seen_run_id, version_id, last_updated, body, latitude,
                                                    longitude, postal_code)
                    values\s""", "(?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?)", resourceRows, RESOURCES_PER_STATEMENT);
            insertRows("insert into directory_search_index (resource_type, resource_id, param_name, param_value) values ",
                    "(?, ?, ?, ?)", indexRows, INDEX_ROWS_PER_STATEMENT);
            inserted += resourceRows.size();
            resourceRows.clear();
            indexRows.clear();
            keys.clear();
        }

        private void insertRows(String insert, String placeholders, List<List<Object>> rows, int perStatement) {
            for (int from = 0; from < rows.size(); from += perStatement) {
                List<List<Object>> chunk = rows.subList(from, Math.min(rows.size(), from + perStatement));
                List<Object> params = new ArrayList<>();
                chunk.forEach(params::addAll);
                jdbc.sql(insert + String.join(", ", java.util.Collections.nCopies(chunk.size(), placeholders)))
                        .params(params).update();
            }
        }
    }

    /**
     * @param existingJson the stored body, or null when none is stored
     * @param newRows      where a resource new to the store goes, to be inserted with the others
     */
    private void upsertOne(String sourceId, long runId, Resource resource, String json, String existingJson,
            NewRows newRows) {
        String type = resource.fhirType();
        String id = resource.getIdElement().getIdPart();
        Optional<String> existing = Optional.ofNullable(existingJson);
        boolean active = active(resource);
        String nameLower = name(resource);
        Double latitude = position(resource, true);
        Double longitude = position(resource, false);
        String postalCode = postalCode(resource);
        if (existing.isEmpty()) {
            newRows.add(type + "/" + id, java.util.Arrays.asList(type, id, sourceId, sourceRecordId(resource), active,
                    nameLower, runId, ts(clock.instant()), json, latitude, longitude, postalCode), resource);
            return;
        }
        boolean keepStored = existing.get().equals(json)
                || (resource instanceof Organization org && !org.hasName());
        if (keepStored) {
            if (resource instanceof Location) {
                // also fills the search columns of a Location stored before they existed (V6)
                jdbc.sql("""
                        update directory_resource set last_seen_run_id = ?, latitude = ?, longitude = ?, postal_code = ?
                        where resource_type = ? and id = ?""")
                        .params(runId, latitude, longitude, postalCode, type, id).update();
            } else {
                jdbc.sql("update directory_resource set last_seen_run_id = ? where resource_type = ? and id = ?")
                        .params(runId, type, id).update();
            }
            return;
        }
        jdbc.sql("""
                update directory_resource set active = ?, name_lower = ?, last_seen_run_id = ?, version_id = version_id + 1,
                                              last_updated = ?, body = ?, latitude = ?, longitude = ?, postal_code = ?
                where resource_type = ? and id = ?""")
                .params(active, nameLower, runId, ts(clock.instant()), json, latitude, longitude, postalCode, type, id)
                .update();
        jdbc.sql("delete from directory_search_index where resource_type = ? and resource_id = ?").params(type, id).update();
        index(resource);
    }

    /** Ids of the source's HealthcareServices that are active but were not seen in this run. */
    public List<String> activeServicesNotSeenIn(String sourceId, long runId) {
        return jdbc.sql("""
                select id from directory_resource
                where source_id = ? and resource_type = 'HealthcareService' and active = ? and last_seen_run_id <> ?
                order by id""")
                .params(sourceId, true, runId).query(String.class).list();
    }

    /** Replaces a service's body with its inactive version (next version, new last-updated time). */
    public void deactivate(String id, String json) {
        jdbc.sql("""
                update directory_resource set active = ?, version_id = version_id + 1, last_updated = ?, body = ?
                where resource_type = 'HealthcareService' and id = ?""")
                .params(false, ts(clock.instant()), json, id).update();
    }

    public void recordReject(long runId, int page, String recordId, String reason) {
        jdbc.sql("insert into directory_sync_reject (run_id, page, record_id, reason) values (?, ?, ?, ?)")
                .params(runId, page, truncate(recordId, 255), truncate(reason, MAX_REASON_LENGTH)).update();
    }

    /**
     * Records how a run ended. A SUCCEEDED run also moves the source's cursor: {@code modified_after} becomes the
     * run's start (so the next incremental sync asks for what changed since this one began), and a full run
     * becomes the last successful full run. A FAILED run moves nothing.
     */
    public void finishRun(long runId, String state, int pages, int services, int rejected, int deactivated, String error) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("""
                    update directory_sync_run set finished_at = ?, state = ?, pages = ?, services = ?, rejected = ?,
                                                  deactivated = ?, error = ?
                    where id = ?""")
                    .params(ts(clock.instant()), state, pages, services, rejected, deactivated,
                            truncate(error, MAX_ERROR_LENGTH), runId)
                    .update();
            if (SyncRun.SUCCEEDED.equals(state)) {
                jdbc.sql("""
                        update directory_sync_cursor set last_success_run_id = ?,
                            modified_after = (select started_at from directory_sync_run where id = ?),
                            last_full_success_run_id = case
                                when (select sync_mode from directory_sync_run where id = ?) = 'FULL' then ?
                                else last_full_success_run_id end
                        where source_id = (select source_id from directory_sync_run where id = ?)""")
                        .params(runId, runId, runId, runId, runId).update();
            }
        });
    }

    public Optional<SyncRun> run(long runId) {
        return jdbc.sql(RUN_SELECT + " where id = ?").param(runId).query(DirectoryStore::syncRun).optional();
    }

    /** The source's latest run, whatever its state. */
    public Optional<SyncRun> lastRun(String sourceId) {
        return jdbc.sql(RUN_SELECT + " where source_id = ? order by id desc").param(sourceId)
                .query(DirectoryStore::syncRun).list().stream().findFirst();
    }

    /** The source's latest run that has ended (SUCCEEDED or FAILED). */
    public Optional<SyncRun> lastFinishedRun(String sourceId) {
        return jdbc.sql(RUN_SELECT + " where source_id = ? and state <> 'RUNNING' order by id desc fetch first 1 rows only")
                .param(sourceId).query(DirectoryStore::syncRun).optional();
    }

    /** Where the source's syncs stand; empty before its first run. */
    public Optional<SyncCursor> cursor(String sourceId) {
        return jdbc.sql("""
                select c.source_id, c.last_run_id, c.last_success_run_id, c.modified_after, c.last_full_success_run_id,
                       f.started_at
                from directory_sync_cursor c left join directory_sync_run f on f.id = c.last_full_success_run_id
                where c.source_id = ?""").param(sourceId)
                .query((rs, n) -> new SyncCursor(rs.getString(1), rs.getObject(2, Long.class), rs.getObject(3, Long.class),
                        instant(rs, 4), rs.getObject(5, Long.class), instant(rs, 6)))
                .optional();
    }

    /** The source's last successful run (full or incremental), if any. */
    public Optional<Long> lastSuccessfulRunId(String sourceId) {
        return jdbc.sql("select last_success_run_id from directory_sync_cursor where source_id = ?").param(sourceId)
                .query((rs, n) -> (Long) rs.getObject(1, Long.class)).list().stream()
                .filter(java.util.Objects::nonNull).findFirst();
    }

    public List<SyncReject> rejects(long runId) {
        return jdbc.sql("select page, record_id, reason from directory_sync_reject where run_id = ? order by id")
                .param(runId).query((rs, n) -> new SyncReject(rs.getInt(1), rs.getString(2), rs.getString(3))).list();
    }

    public Optional<StoredResource> read(String resourceType, String id) {
        return jdbc.sql("""
                select resource_type, id, version_id, last_updated, body from directory_resource
                where resource_type = ? and id = ?""")
                .params(resourceType, id).query(DirectoryStore::storedResource).optional();
    }

    /**
     * One page of HealthcareServices matching every given criterion, and the total. In name then id order; with
     * {@link DirectorySearch#locationNear()}, in order of the distance to the service's nearest location within
     * it (then name, then id), with that distance for each match.
     */
    public SearchResult searchServices(DirectorySearch search, int offset, int count) {
        // token criteria are joins on the search index (one row per resource and value), driven by its lookup
        // index: an "id in (subquery)" per criterion made H2 read far more rows (issue #4's benchmark)
        StringBuilder joins = new StringBuilder();
        List<Object> params = new ArrayList<>();
        tokenJoin(joins, params, HEALTHCARE_SERVICE, "service-category", search.serviceCategory());
        tokenJoin(joins, params, HEALTHCARE_SERVICE, "service-type", search.serviceType());
        tokenJoin(joins, params, HEALTHCARE_SERVICE, "organization", search.organization());
        tokenJoin(joins, params, HEALTHCARE_SERVICE, "location", search.location());
        StringBuilder filter = new StringBuilder();
        List<Object> filterParams = new ArrayList<>();
        if (search.namePrefix() != null) {
            filter.append(" and r.name_lower like ? escape '!'");
            filterParams.add(likePrefix(search.namePrefix()));
        }
        if (search.active() != null) {
            filter.append(" and r.active = ?");
            filterParams.add(search.active());
        }
        if (search.locationPostalCode() != null) {
            filter.append(" and r.id in (select i.resource_id from directory_search_index i join directory_resource l"
                    + " on l.resource_type = 'Location' and i.param_value = 'Location/' || l.id"
                    + " where i.resource_type = 'HealthcareService' and i.param_name = 'location'"
                    + " and l.postal_code like ? escape '!')");
            filterParams.add(likeExactPrefix(search.locationPostalCode()));
        }
        if (search.locationNear() != null) {
            NearSearch near = search.locationNear();
            StringBuilder sql = new StringBuilder("select r.id, r.name_lower, l.latitude, l.longitude"
                    + " from directory_resource r").append(joins).append("""
                     join directory_search_index i on i.resource_type = 'HealthcareService' and i.resource_id = r.id
                                                  and i.param_name = 'location'
                    join directory_resource l on l.resource_type = 'Location' and i.param_value = 'Location/' || l.id
                    where r.resource_type = 'HealthcareService'""").append(filter);
            List<Object> nearParams = new ArrayList<>(params);
            nearParams.addAll(filterParams);
            boundingBox(sql, nearParams, "l", near.boundingBox());
            return nearest(HEALTHCARE_SERVICE, sql.toString(), nearParams, near, offset, count);
        }
        params.addAll(filterParams);
        String where = " from directory_resource r" + joins + " where r.resource_type = 'HealthcareService'" + filter;
        return byName(HEALTHCARE_SERVICE, where, params, offset, count);
    }

    /**
     * One page of the directory's Organizations whose name starts with {@code namePrefix} (ignoring case) and that
     * have the {@code identifier} ({@code system|value} or {@code value}); null criteria are not filtered. In name
     * then id order, with the total.
     */
    public SearchResult searchOrganizations(String namePrefix, String identifier, int offset, int count) {
        StringBuilder joins = new StringBuilder();
        List<Object> params = new ArrayList<>();
        tokenJoin(joins, params, "Organization", "identifier", identifier);
        String where = " from directory_resource r" + joins + " where r.resource_type = 'Organization'";
        if (namePrefix != null) {
            where += " and r.name_lower like ? escape '!'";
            params.add(likePrefix(namePrefix));
        }
        return byName("Organization", where, params, offset, count);
    }

    /**
     * One page of the directory's Locations matching every given criterion, and the total: in name then id order,
     * or with {@link LocationSearch#near()} in order of distance (then name, then id), with the distance of each.
     */
    public SearchResult searchLocations(LocationSearch search, int offset, int count) {
        StringBuilder filter = new StringBuilder();
        List<Object> params = new ArrayList<>();
        if (search.postalCodePrefix() != null) {
            filter.append(" and r.postal_code like ? escape '!'");
            params.add(likeExactPrefix(search.postalCodePrefix()));
        }
        if (search.near() != null) {
            StringBuilder sql = new StringBuilder("""
                    select r.id, r.name_lower, r.latitude, r.longitude from directory_resource r
                    where r.resource_type = 'Location'""").append(filter);
            List<Object> nearParams = new ArrayList<>(params);
            boundingBox(sql, nearParams, "r", search.near().boundingBox());
            return nearest("Location", sql.toString(), nearParams, search.near(), offset, count);
        }
        return byName("Location", " from directory_resource r where r.resource_type = 'Location'" + filter, params,
                offset, count);
    }

    /**
     * A page in name then id order: ids first (sorting narrow rows), with the total from the same statement (a
     * window count: one pass over the matches, not two), then the bodies of that page only.
     */
    private SearchResult byName(String type, String where, List<Object> params, int offset, int count) {
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(offset);
        pageParams.add(count);
        List<Map.Entry<String, Integer>> rows = jdbc.sql("select r.id, count(*) over ()" + where
                + " order by r.name_lower, r.id offset ? rows fetch next ? rows only")
                .params(pageParams).query((rs, n) -> Map.entry(rs.getString(1), rs.getInt(2))).list();
        int total = !rows.isEmpty() ? rows.get(0).getValue()
                : offset == 0 ? 0 // past the last match the page has no row to carry the total: count them
                : jdbc.sql("select count(*)" + where).params(params).query(Integer.class).single();
        return new SearchResult(readAll(type, rows.stream().map(Map.Entry::getKey).toList()), total);
    }

    /** The stored resources of this type with these ids, in the order of the ids (unknown ids left out), in one query. */
    private List<StoredResource> readAll(String type, List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>(ids.size() + 1);
        params.add(type);
        params.addAll(ids);
        Map<String, StoredResource> byId = new HashMap<>();
        jdbc.sql("select resource_type, id, version_id, last_updated, body from directory_resource"
                + " where resource_type = ? and id in (" + String.join(", ", java.util.Collections.nCopies(ids.size(), "?")) + ")")
                .params(params).query(DirectoryStore::storedResource).list().forEach(stored -> byId.put(stored.id(), stored));
        return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
    }

    /** The SQL's latitude/longitude range on the alias's columns (the bounding box of a near search). */
    private static void boundingBox(StringBuilder sql, List<Object> params, String alias, NearSearch.BoundingBox box) {
        sql.append(" and ").append(alias).append(".latitude between ? and ?");
        params.add(box.minLatitude());
        params.add(box.maxLatitude());
        if (box.allLongitudes()) {
            sql.append(" and ").append(alias).append(".longitude is not null");
        } else if (box.wrapsLongitude()) {
            sql.append(" and (").append(alias).append(".longitude >= ? or ").append(alias).append(".longitude <= ?)");
            params.add(box.minLongitude());
            params.add(box.maxLongitude());
        } else {
            sql.append(" and ").append(alias).append(".longitude between ? and ?");
            params.add(box.minLongitude());
            params.add(box.maxLongitude());
        }
    }

    /**
     * The candidates of a near search (rows of id, lower-cased name, latitude, longitude; an id may come once per
     * position), kept when within the distance at their nearest, in order of that distance, then name, then id;
     * then the bodies of the page only.
     */
    private SearchResult nearest(String type, String sql, List<Object> params, NearSearch near, int offset, int count) {
        Map<String, Candidate> nearest = new HashMap<>();
        jdbc.sql(sql).params(params).query(rs -> {
            double km = near.distanceKmTo(rs.getDouble(3), rs.getDouble(4));
            if (km <= near.distanceKm()) {
                nearest.merge(rs.getString(1), new Candidate(rs.getString(1), rs.getString(2), km),
                        (a, b) -> a.km() <= b.km() ? a : b);
            }
        });
        List<Candidate> sorted = nearest.values().stream()
                .sorted(Comparator.comparingDouble(Candidate::km)
                        .thenComparing(Candidate::nameLower, Comparator.nullsLast(Comparator.naturalOrder()))
                        .thenComparing(Candidate::id))
                .toList();
        List<Candidate> onPage = sorted.subList(Math.min(offset, sorted.size()), Math.min(offset + count, sorted.size()));
        List<StoredResource> page = readAll(type, onPage.stream().map(Candidate::id).toList());
        Map<String, Double> distances = new LinkedHashMap<>();
        onPage.forEach(candidate -> distances.put(candidate.id(), candidate.km()));
        distances.keySet().retainAll(page.stream().map(StoredResource::id).toList());
        return new SearchResult(page, sorted.size(), distances);
    }

    private record Candidate(String id, String nameLower, double km) {
    }

    /**
     * A page of search matches and how many match in all.
     *
     * @param distancesKm for a near search, each match's distance in km by its id; otherwise empty
     */
    public record SearchResult(List<StoredResource> matches, int total, Map<String, Double> distancesKm) {

        public SearchResult(List<StoredResource> matches, int total) {
            this(matches, total, Map.of());
        }
    }

    /** A join on the search index for a token criterion; {@code params} holds only those of earlier joins. */
    private static void tokenJoin(StringBuilder joins, List<Object> params, String resourceType, String name, String value) {
        if (value != null) {
            String alias = "t" + params.size() / 3;
            joins.append(" join directory_search_index ").append(alias).append(" on ").append(alias)
                    .append(".resource_type = ? and ").append(alias).append(".resource_id = r.id and ")
                    .append(alias).append(".param_name = ? and ").append(alias).append(".param_value = ?");
            params.add(resourceType);
            params.add(name);
            params.add(value);
        }
    }

    private static String likePrefix(String prefix) {
        return likeExactPrefix(prefix.toLowerCase(Locale.ROOT));
    }

    /** A LIKE pattern matching values that start with the prefix as it is (its wildcards escaped with '!'). */
    private static String likeExactPrefix(String prefix) {
        return prefix.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    /** The resource's index rows, in one statement (a row per statement was a round trip each on PostgreSQL). */
    private void index(Resource resource) {
        List<Map.Entry<String, String>> entries = DirectorySearchIndex.entries(resource);
        if (entries.isEmpty()) {
            return;
        }
        List<Object> params = new ArrayList<>(entries.size() * 4);
        for (Map.Entry<String, String> entry : entries) {
            params.addAll(List.of(resource.fhirType(), resource.getIdElement().getIdPart(), entry.getKey(), entry.getValue()));
        }
        jdbc.sql("insert into directory_search_index (resource_type, resource_id, param_name, param_value) values "
                + String.join(", ", java.util.Collections.nCopies(entries.size(), "(?, ?, ?, ?)")))
                .params(params).update();
    }

    private static boolean active(Resource resource) {
        if (resource instanceof HealthcareService hs) {
            return hs.getActive();
        }
        if (resource instanceof Organization org) {
            return !org.hasActive() || org.getActive();
        }
        if (resource instanceof Location location) {
            return location.getStatus() != Location.LocationStatus.INACTIVE;
        }
        return true;
    }

    private static String name(Resource resource) {
        String name = null;
        if (resource instanceof HealthcareService hs) {
            name = hs.getName();
        } else if (resource instanceof Organization org) {
            name = org.getName();
        } else if (resource instanceof Location location) {
            name = location.getName();
        }
        return name == null ? null : truncate(name.toLowerCase(Locale.ROOT), 512);
    }

    /** A Location's latitude (or longitude), when it has a position within range; null otherwise. */
    private static Double position(Resource resource, boolean latitude) {
        if (!(resource instanceof Location location) || !location.hasPosition()
                || !location.getPosition().hasLatitude() || !location.getPosition().hasLongitude()) {
            return null;
        }
        double lat = location.getPosition().getLatitude().doubleValue();
        double lon = location.getPosition().getLongitude().doubleValue();
        if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) {
            return null; // not a WGS84 position: it cannot be near anything
        }
        return latitude ? lat : lon;
    }

    private static String postalCode(Resource resource) {
        return resource instanceof Location location && location.hasAddress()
                ? PostalCodes.normalise(location.getAddress().getPostalCode())
                : null;
    }

    private static String sourceRecordId(Resource resource) {
        String value = null;
        if (resource instanceof HealthcareService hs) {
            value = hs.getIdentifierFirstRep().getValue();
        } else if (resource instanceof Organization org) {
            value = org.getIdentifierFirstRep().getValue();
        } else if (resource instanceof Location location) {
            value = location.getIdentifierFirstRep().getValue();
        }
        return truncate(value == null ? resource.getIdElement().getIdPart() : value, 255);
    }

    private static final String RUN_SELECT = """
            select id, source_id, sync_mode, started_at, finished_at, state, pages, services, rejected, deactivated, error,
                   modified_after
            from directory_sync_run""";

    private static SyncRun syncRun(ResultSet rs, int row) throws SQLException {
        return new SyncRun(rs.getLong(1), rs.getString(2), rs.getString(3), instant(rs, 4), instant(rs, 5),
                rs.getString(6), rs.getInt(7), rs.getInt(8), rs.getInt(9), rs.getInt(10), rs.getString(11), instant(rs, 12));
    }

    private static StoredResource storedResource(ResultSet rs, int row) throws SQLException {
        return new StoredResource(rs.getString(1), rs.getString(2), rs.getInt(3), instant(rs, 4), rs.getString(5));
    }

}
