package io.github.spfhir.adapter.domain.directory;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import com.fasterxml.jackson.databind.JsonNode;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.client.directory.DirectoryPageSource;
import io.github.spfhir.adapter.client.directory.DirectorySourceException;
import io.github.spfhir.adapter.client.directory.ExportFilePages;
import io.github.spfhir.adapter.client.directory.OrukPage;
import io.github.spfhir.adapter.client.directory.OrukV1Client;
import io.github.spfhir.adapter.client.directory.OrukV3Client;
import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.domain.validation.Profiles;
import io.github.spfhir.adapter.domain.validation.ValidationResult;
import io.github.spfhir.adapter.store.DirectoryStore;
import io.github.spfhir.adapter.store.SyncRun;

/**
 * A full sync of one directory source: reads the source page by page (one page in memory at a time), maps each
 * record to FHIR, validates it, and stores it; then marks the source's services that were not seen inactive.
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

    private final AdapterProperties properties;
    private final DirectoryStore store;
    private final FhirProfileValidator validator;
    private final FhirContext fhirContext;
    private final Map<String, DirectoryPageSource> clients = new ConcurrentHashMap<>();
    private final DewisExportMapping dewisMapping = DewisExportMapping.bundled();
    private final DewisExportMapper dewisMapper = new DewisExportMapper(dewisMapping);
    private final Map<String, ReentrantLock> running = new ConcurrentHashMap<>();

    public DirectorySync(AdapterProperties properties, DirectoryStore store, FhirProfileValidator validator,
            FhirContext fhirContext) {
        this.properties = properties;
        this.store = store;
        this.validator = validator;
        this.fhirContext = fhirContext;
    }

    /** A full sync of the configured source with this id (enabled or not: {@code enabled} governs the schedule). */
    public SyncSummary sync(String sourceId) {
        AdapterProperties.DirectorySource source = properties.directories().get(sourceId);
        if (source == null) {
            throw new IllegalArgumentException("No directory source '" + sourceId + "' is configured");
        }
        ReentrantLock lock = running.computeIfAbsent(sourceId, id -> new ReentrantLock());
        if (!lock.tryLock()) {
            LOG.info("Directory sync {} is running already; this run is skipped", sourceId);
            return new SyncSummary(-1, SyncSummary.SKIPPED, 0, 0, 0, 0);
        }
        try {
            return fullSync(sourceId, source.kind(), client(sourceId, source));
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
            case ORUK_V3 -> new OrukV3Client(source.baseUrl(), source.timeout(), perPage);
            case ORUK_V1 -> new OrukV1Client(source.baseUrl(), source.timeout(), perPage);
            case DEWIS_EXPORT -> new ExportFilePages(source.exportFile(), dewisMapping.recordsField(), perPage);
        });
    }

    private SyncSummary fullSync(String sourceId, AdapterProperties.DirectorySourceKind kind, DirectoryPageSource client) {
        long runId = store.startRun(sourceId, SyncRun.FULL);
        LOG.info("Directory sync {} run {} started (full)", sourceId, runId);
        int pages = 0;
        int services = 0;
        int rejected = 0;
        try {
            for (int pageNumber = 1; ; pageNumber++) {
                OrukPage page = client.servicesPage(pageNumber);
                pages++;
                for (JsonNode record : page.contents()) {
                    String problem = storeRecord(sourceId, kind, runId, record);
                    if (problem == null) {
                        services++;
                    } else {
                        rejected++;
                        store.recordReject(runId, pageNumber, recordId(kind, record), problem);
                    }
                }
                LOG.info("Directory sync {} run {}: page {} of {} read; {} services stored, {} rejected so far",
                        sourceId, runId, pageNumber, page.totalPages() > 0 ? page.totalPages() : "?", services, rejected);
                if (page.lastPage()) {
                    break;
                }
            }
        } catch (DirectorySourceException e) {
            store.finishRun(runId, SyncRun.FAILED, pages, services, rejected, 0, e.getMessage());
            LOG.warn("Directory sync {} run {} FAILED after {} pages ({}); the last good copy keeps serving, the next "
                    + "scheduled run tries again", sourceId, runId, pages, e.getMessage());
            return new SyncSummary(runId, SyncRun.FAILED, pages, services, rejected, 0);
        } catch (RuntimeException e) {
            store.finishRun(runId, SyncRun.FAILED, pages, services, rejected, 0, e.getClass().getSimpleName());
            throw e;
        }
        int deactivated = deactivateUnseen(sourceId, runId);
        store.finishRun(runId, SyncRun.SUCCEEDED, pages, services, rejected, deactivated, null);
        LOG.info("Directory sync {} run {} SUCCEEDED: {} pages, {} services stored, {} rejected, {} deactivated",
                sourceId, runId, pages, services, rejected, deactivated);
        return new SyncSummary(runId, SyncRun.SUCCEEDED, pages, services, rejected, deactivated);
    }

    /** Maps, validates and stores one record; returns why it was rejected, or null when it was stored. */
    private String storeRecord(String sourceId, AdapterProperties.DirectorySourceKind kind, long runId, JsonNode record) {
        MappedService mapped;
        try {
            mapped = kind == AdapterProperties.DirectorySourceKind.DEWIS_EXPORT
                    ? dewisMapper.map(sourceId, record)
                    : HsdsToFhirMapper.map(sourceId, record);
        } catch (InvalidDirectoryRecordException e) {
            return e.getMessage();
        }
        for (Resource resource : mapped.resources()) {
            ValidationResult result = resource instanceof HealthcareService
                    ? validator.validate(resource, Profiles.HEALTHCARE_SERVICE)
                    : validator.validate(resource);
            if (!result.isValid()) {
                return resource.fhirType() + " invalid: " + describe(result.errors());
            }
        }
        store.upsert(sourceId, runId, mapped.resources());
        return null;
    }

    /** The source's id for a record, for its reject row; null when it has none. */
    private String recordId(AdapterProperties.DirectorySourceKind kind, JsonNode record) {
        if (kind != AdapterProperties.DirectorySourceKind.DEWIS_EXPORT) {
            return HsdsToFhirMapper.text(record, "id");
        }
        JsonNode id = record == null ? null : record.at(dewisMapping.fields().get("id"));
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
