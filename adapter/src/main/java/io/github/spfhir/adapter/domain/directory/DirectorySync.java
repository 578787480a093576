package io.github.spfhir.adapter.domain.directory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

import com.fasterxml.jackson.databind.JsonNode;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.client.directory.CsvExportFilePages;
import io.github.spfhir.adapter.client.directory.DirectoryPageSource;
import io.github.spfhir.adapter.client.directory.DirectorySourceException;
import io.github.spfhir.adapter.client.directory.ExportFilePages;
import io.github.spfhir.adapter.client.directory.OrukPage;
import io.github.spfhir.adapter.client.directory.OrukV1Client;
import io.github.spfhir.adapter.client.directory.OrukV3Client;
import io.github.spfhir.adapter.client.directory.PostcodePosition;
import io.github.spfhir.adapter.client.linkworker.PartnerCredentials;
import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.config.PostcodeLookupProperties;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.domain.validation.Profiles;
import io.github.spfhir.adapter.domain.validation.ValidationResult;
import io.github.spfhir.adapter.observability.SafeErrors;
import io.github.spfhir.adapter.store.DirectoryStore;
import io.github.spfhir.adapter.store.SyncCursor;
import io.github.spfhir.adapter.store.SyncRun;

/**
 * A sync of one directory source: reads the source page by page (one page in memory at a time), maps each record
 * to FHIR, validates it, and stores it. A <b>full</b> sync reads every service and then marks the source's
 * services that were not seen inactive. An <b>incremental</b> sync (a source with {@code incremental: true} whose
 * API filters by {@code modified_after}) asks only for the services modified since the start of the last
 * successful sync, and deactivates nothing, since a service gone from the source is simply not listed.
 *
 * <p>Which one runs: a full sync when the source is not incremental, has never synced successfully in full, or
 * its last successful full sync started {@code full-sync-every} ago or more; otherwise an incremental one.
 *
 * <ul>
 *   <li>A bad record (unmappable, or failing validation) is skipped and recorded with the source's id for it and
 *       the reason; the run goes on.</li>
 *   <li>A source that fails (network error, timeout, non-2xx, a page that is not the envelope) ends the run as
 *       FAILED before anything is deactivated: what the last good sync stored keeps being served, and the next
 *       scheduled run tries again.</li>
 *   <li>Logs carry the source id, run id and counts only: never a name, description or other free text.</li>
 * </ul>
 *
 * <p>One run per source at a time: a run asked for while one is going is skipped.
 */
@Service
public class DirectorySync {

    private static final Logger LOG = LoggerFactory.getLogger(DirectorySync.class);
    /** Validation results of a run's distinct Organizations kept at most (then forgotten): bounds a run's memory. */
    private static final int MAX_ORGANISATIONS_REMEMBERED = 5000;

    private final AdapterProperties properties;
    private final DirectoryStore store;
    private final FhirProfileValidator validator;
    private final FhirContext fhirContext;
    private final Clock clock;
    private final PostcodeLookup postcodes;
    private final PartnerCredentials credentials;
    private final Map<String, DirectoryPageSource> clients = new ConcurrentHashMap<>();
    /** The export mapping of each dewis-export source, read once: a bad one stops the start-up, not a sync. */
    private final Map<String, DewisExportMapping> exportMappings = new ConcurrentHashMap<>();
    private final Map<String, DewisExportMapper> exportMappers = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> running = new ConcurrentHashMap<>();

    /** Open sources only, without a postcode lookup: no credentials are sent, no position comes from a postcode. */
    public DirectorySync(AdapterProperties properties, DirectoryStore store, FhirProfileValidator validator,
            FhirContext fhirContext, Clock clock) {
        this(properties, store, validator, fhirContext, clock, null, new PostcodeLookup(PostcodeLookupProperties.disabled()));
    }

    /**
     * @param credentials the sources' credentials ({@code adapter.directories.<id>.credentials})
     * @param postcodes   when enabled, gives a location that has a full postcode but no position the postcode's
     *                    position (a page's postcodes in bulk); when it fails, those locations have no position
     *                    until a later sync, and the sync goes on
     */
    @Autowired
    public DirectorySync(AdapterProperties properties, DirectoryStore store, FhirProfileValidator validator,
            FhirContext fhirContext, Clock clock, PartnerCredentials credentials, PostcodeLookup postcodes) {
        this.postcodes = postcodes;
        this.properties = properties;
        this.credentials = credentials;
        this.store = store;
        this.validator = validator;
        this.fhirContext = fhirContext;
        this.clock = clock;
        DewisExportMapping bundled = null;
        for (Map.Entry<String, AdapterProperties.DirectorySource> entry : properties.directories().entrySet()) {
            AdapterProperties.DirectorySource source = entry.getValue();
            if (source.kind() == AdapterProperties.DirectorySourceKind.DEWIS_EXPORT) {
                DewisExportMapping mapping;
                if (source.mappingFile() != null) {
                    mapping = DewisExportMapping.read(source.mappingFile());
                } else {
                    bundled = bundled == null ? DewisExportMapping.bundled() : bundled;
                    mapping = bundled;
                }
                exportMappings.put(entry.getKey(), mapping);
                exportMappers.put(entry.getKey(), new DewisExportMapper(mapping));
            }
        }
    }

    /**
     * A sync of the configured source with this id (enabled or not: {@code enabled} governs the schedule), full
     * or incremental as its settings and cursor say.
     */
    public SyncSummary sync(String sourceId) {
        AdapterProperties.DirectorySource source = properties.directories().get(sourceId);
        if (source == null) {
            throw new IllegalArgumentException("No directory source '" + sourceId + "' is configured");
        }
        ReentrantLock lock = running.computeIfAbsent(sourceId, id -> new ReentrantLock());
        if (!lock.tryLock()) {
            LOG.info("Directory sync {} is running already; this run is skipped", sourceId);
            return new SyncSummary(-1, null, null, SyncSummary.SKIPPED, 0, 0, 0, 0);
        }
        try {
            DirectoryPageSource client = client(sourceId, source);
            return run(sourceId, source.kind(), client, incrementalFrom(sourceId, source, client));
        } finally {
            lock.unlock();
        }
    }

    private DirectoryPageSource client(String sourceId, AdapterProperties.DirectorySource source) {
        boolean file = source.kind() == AdapterProperties.DirectorySourceKind.DEWIS_EXPORT;
        if (source.kind() == null || (file ? source.exportFile() == null : source.baseUrl() == null)) {
            throw new IllegalStateException("adapter.directories." + sourceId + ".kind and ."
                    + (file ? "export-file" : "base-url") + " must be set");
        }
        int perPage = Math.max(1, source.pageSize());
        return clients.computeIfAbsent(sourceId, id -> switch (source.kind()) {
            case ORUK_V3 -> new OrukV3Client(source.baseUrl(), source.timeout(), perPage, credentials,
                    PartnerCredentials.directory(sourceId), source.serviceDetails());
            case ORUK_V1 -> new OrukV1Client(source.baseUrl(), source.timeout(), perPage, credentials,
                    PartnerCredentials.directory(sourceId));
            case DEWIS_EXPORT -> exportPages(source.exportFile(), exportMappings.get(sourceId), perPage);
        });
    }

    private static DirectoryPageSource exportPages(java.nio.file.Path file, DewisExportMapping mapping, int perPage) {
        return mapping.format() == DewisExportMapping.Format.CSV
                ? new CsvExportFilePages(file, mapping.columns(), mapping.idColumn(), perPage)
                : new ExportFilePages(file, mapping.recordsField(), perPage);
    }

    /**
     * The {@code modified_after} of an incremental sync of the source now, or null when this run is to be full:
     * the source is not incremental (or cannot filter), it has no successful full sync yet, or its last one
     * started {@code full-sync-every} ago or more.
     */
    private Instant incrementalFrom(String sourceId, AdapterProperties.DirectorySource source, DirectoryPageSource client) {
        if (!source.incremental() || !client.supportsModifiedAfter()) {
            return null;
        }
        SyncCursor cursor = store.cursor(sourceId).orElse(null);
        if (cursor == null || cursor.modifiedAfter() == null || cursor.lastFullStartedAt() == null) {
            return null;
        }
        boolean fullDue = !clock.instant().isBefore(cursor.lastFullStartedAt().plus(source.fullSyncEvery()));
        return fullDue ? null : cursor.modifiedAfter();
    }

    private SyncSummary run(String sourceId, AdapterProperties.DirectorySourceKind kind, DirectoryPageSource client,
            Instant modifiedAfter) {
        boolean full = modifiedAfter == null;
        String mode = full ? SyncRun.FULL : SyncRun.INCREMENTAL;
        long runId = store.startRun(sourceId, mode, modifiedAfter);
        if (full) {
            LOG.info("Directory sync {} run {} started (full)", sourceId, runId);
        } else {
            LOG.info("Directory sync {} run {} started (incremental, modified_after {})", sourceId, runId, modifiedAfter);
        }
        int pages = 0;
        int services = 0;
        int rejected = 0;
        Map<String, String> organisationsChecked = new ConcurrentHashMap<>();
        // a page is stored on this thread while the next is read and validated: storing is one thread's work, and
        // would otherwise leave the other cores idle (issue #4's benchmark). One page at most waits to be stored,
        // and pages are stored in order.
        ExecutorService storing = Executors.newSingleThreadExecutor(task -> new Thread(task, "directory-store-" + sourceId));
        CompletableFuture<Void> pageBeingStored = CompletableFuture.completedFuture(null);
        try {
            for (int pageNumber = 1; ; pageNumber++) {
                OrukPage page = client.servicesPage(pageNumber, modifiedAfter);
                pages++;
                for (OrukPage.UnreadableRecord unreadable : page.unreadable()) {
                    rejected++;
                    store.recordReject(runId, pageNumber, unreadable.recordId(), unreadable.reason());
                }
                // the page's good records are stored together, in one transaction: a commit per record was most of
                // a sync's time on PostgreSQL (issue #4's benchmark)
                List<Resource> toStore = new ArrayList<>();
                // mapping and validation, most of a sync's time (CPU), on the cores in parallel: the page's records
                // are independent; the results are then handled in the page's order
                List<MappedOrProblem> results = page.contents().parallelStream()
                        .map(record -> check(sourceId, kind, record, organisationsChecked)).toList();
                for (int i = 0; i < results.size(); i++) {
                    JsonNode record = page.contents().get(i);
                    MappedOrProblem checked = results.get(i);
                    if (checked.problem() == null) {
                        services++;
                        toStore.addAll(checked.resources());
                    } else {
                        rejected++;
                        store.recordReject(runId, pageNumber, recordId(sourceId, kind, record), checked.problem());
                    }
                }
                awaitStored(pageBeingStored);
                if (!toStore.isEmpty()) {
                    positionFromPostcodes(sourceId, runId, pageNumber, toStore);
                    pageBeingStored = CompletableFuture.runAsync(() -> store.upsert(sourceId, runId, toStore), storing);
                }
                if (organisationsChecked.size() > MAX_ORGANISATIONS_REMEMBERED) {
                    organisationsChecked.clear();
                }
                LOG.info("Directory sync {} run {}: page {} of {} read; {} services stored, {} rejected so far",
                        sourceId, runId, pageNumber, page.totalPages() > 0 ? page.totalPages() : "?", services, rejected);
                if (page.lastPage()) {
                    break;
                }
            }
            awaitStored(pageBeingStored);
        } catch (DirectorySourceException e) {
            awaitStoredQuietly(pageBeingStored);
            store.finishRun(runId, SyncRun.FAILED, pages, services, rejected, 0, e.getMessage());
            LOG.warn("Directory sync {} run {} FAILED after {} pages ({}); the last good copy keeps serving, the next "
                    + "scheduled run tries again", sourceId, runId, pages, e.getMessage());
            return new SyncSummary(runId, mode, modifiedAfter, SyncRun.FAILED, pages, services, rejected, 0);
        } catch (RuntimeException e) {
            awaitStoredQuietly(pageBeingStored);
            store.finishRun(runId, SyncRun.FAILED, pages, services, rejected, 0, e.getClass().getSimpleName());
            throw e;
        } finally {
            storing.shutdown();
        }
        // only a full sync lists every service, so only a full sync can tell that one has gone
        int deactivated = full ? deactivateUnseen(sourceId, runId) : 0;
        store.finishRun(runId, SyncRun.SUCCEEDED, pages, services, rejected, deactivated, null);
        LOG.info("Directory sync {} run {} SUCCEEDED ({}): {} pages, {} services stored, {} rejected, {} deactivated",
                sourceId, runId, full ? "full" : "incremental", pages, services, rejected, deactivated);
        return new SyncSummary(runId, mode, modifiedAfter, SyncRun.SUCCEEDED, pages, services, rejected, deactivated);
    }

    /** Waits for the page being stored; its failure is the sync's, as if it had been stored on this thread. */
    private static void awaitStored(CompletableFuture<Void> pageBeingStored) {
        try {
            pageBeingStored.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** After another failure: let the page being stored finish (or fail) before the run is recorded as failed. */
    private static void awaitStoredQuietly(CompletableFuture<Void> pageBeingStored) {
        try {
            pageBeingStored.join();
        } catch (CompletionException | java.util.concurrent.CancellationException alsoFailed) {
            // the run fails anyway, for the first failure; this one is only logged
            LOG.warn("Directory sync: storing the previous page failed too: {}", SafeErrors.describe(alsoFailed));
        }
    }

    /**
     * Gives each Location of the page that has a full UK postcode but no position of its own the postcode's
     * position (its centroid), asking the lookup for the page's postcodes in bulk. A lookup that fails leaves them
     * without a position (no near match) until a later sync: it never fails the sync.
     */
    private void positionFromPostcodes(String sourceId, long runId, int pageNumber, List<Resource> resources) {
        if (!postcodes.enabled()) {
            return;
        }
        Map<String, List<Location>> byPostcode = new HashMap<>();
        for (Resource resource : resources) {
            if (resource instanceof Location location && location.hasAddress() && !(location.hasPosition()
                    && location.getPosition().hasLatitude() && location.getPosition().hasLongitude())) {
                String postcode = PostalCodes.normalise(location.getAddress().getPostalCode());
                if (postcode != null && PostcodeNear.isFullPostcode(postcode)) {
                    byPostcode.computeIfAbsent(postcode, p -> new ArrayList<>()).add(location);
                }
            }
        }
        if (byPostcode.isEmpty()) {
            return;
        }
        try {
            Map<String, PostcodePosition> found = postcodes.positions(byPostcode.keySet());
            found.forEach((postcode, position) -> byPostcode.get(postcode).forEach(location -> location.getPosition()
                    .setLatitude(BigDecimal.valueOf(position.latitude()))
                    .setLongitude(BigDecimal.valueOf(position.longitude()))));
        } catch (PostcodeLookup.Unavailable e) {
            LOG.warn("Directory sync {} run {}: page {}: the postcode lookup failed ({}); {} postcodes left without a"
                    + " position until a later sync", sourceId, runId, pageNumber, e.getMessage(), byPostcode.size());
        }
    }

    /** Mapped and valid resources of a record, or why it is rejected. */
    private record MappedOrProblem(List<Resource> resources, String problem) {
    }

    /**
     * Maps and validates one record. An Organization is shared by many services, each record carrying it again:
     * one identical to one already validated in this run (same JSON) has that result, not a validation of its own.
     */
    private MappedOrProblem check(String sourceId, AdapterProperties.DirectorySourceKind kind, JsonNode record,
            Map<String, String> organisationsChecked) {
        MappedService mapped;
        try {
            mapped = kind == AdapterProperties.DirectorySourceKind.DEWIS_EXPORT
                    ? exportMappers.get(sourceId).map(sourceId, record)
                    : HsdsToFhirMapper.map(sourceId, record);
        } catch (InvalidDirectoryRecordException e) {
            return new MappedOrProblem(List.of(), e.getMessage());
        }
        for (Resource resource : mapped.resources()) {
            String problem;
            if (resource instanceof Organization) {
                problem = organisationsChecked.computeIfAbsent(fhirContext.newJsonParser().encodeResourceToString(resource),
                        json -> problem(resource, validator.validate(resource)));
            } else {
                problem = problem(resource, resource instanceof HealthcareService
                        ? validator.validate(resource, Profiles.HEALTHCARE_SERVICE)
                        : validator.validate(resource));
            }
            if (!problem.isEmpty()) {
                return new MappedOrProblem(List.of(), problem);
            }
        }
        return new MappedOrProblem(mapped.resources(), null);
    }

    /** Why the resource is invalid; empty when it is valid. */
    private static String problem(Resource resource, ValidationResult result) {
        return result.isValid() ? "" : resource.fhirType() + " invalid: " + describe(result.errors());
    }

    /** The source's id for a record, for its reject row; null when it has none. */
    private String recordId(String sourceId, AdapterProperties.DirectorySourceKind kind, JsonNode record) {
        if (kind != AdapterProperties.DirectorySourceKind.DEWIS_EXPORT) {
            return HsdsToFhirMapper.text(record, "id");
        }
        JsonNode id = record == null ? null : record.at(exportMappings.get(sourceId).fields().get("id"));
        return id == null || !id.isValueNode() || id.asText().isBlank() ? null : id.asText().trim();
    }

    private static String describe(List<Problem> errors) {
        return errors.stream()
                .map(p -> (p.expression() == null ? "" : p.expression() + ": ") + p.diagnostics())
                .collect(Collectors.joining("; "));
    }

    private int deactivateUnseen(String sourceId, long runId) {
        int deactivated = 0;
        for (String id : store.activeServicesNotSeenIn(sourceId, runId)) {
            store.read(DirectoryStore.HEALTHCARE_SERVICE, id).ifPresent(stored -> {
                HealthcareService service = (HealthcareService) fhirContext.newJsonParser().parseResource(stored.json());
                service.setActive(false);
                store.deactivate(id, fhirContext.newJsonParser().encodeResourceToString(service));
            });
            deactivated++;
        }
        return deactivated;
    }
}
