package io.github.spfhir.adapter.client.directory;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.spfhir.adapter.client.linkworker.PartnerCredentials;
import io.github.spfhir.adapter.config.AdapterProperties.ServiceDetails;

/**
 * Reads an Open Referral UK v3 API ({@code GET /services?page=&per_page=}, the UK profile's {@code Page}
 * envelope: {@code total_items}, {@code total_pages}, {@code page_number}, {@code last_page}, {@code contents})
 * one page at a time: the caller asks for page 1, 2, ... and holds only the page in hand, so memory stays
 * bounded whatever the directory's size.
 *
 * <p>An ORUK v3 {@code /services} page lists each service's one-to-one fields only; its locations, taxonomy terms,
 * schedules and contacts come nested from {@code GET /services/{id}} (../shared/reference/directories.md). So a
 * listed record with none of the nested collections is replaced by its {@code /services/{id}} (or every record, or
 * none: {@link ServiceDetails}), a few requests at a time. A service listed but answered 404 there is kept as
 * listed; any other failure fails the page, as a failing list would: the sync is retried later and the last good
 * copy keeps serving.
 */
public class OrukV3Client implements DirectoryPageSource {

    private static final Logger LOG = LoggerFactory.getLogger(OrukV3Client.class);
    /** The collections only a nested service has (HSDS 3.0 and ORUK v3 names, and v1's where feeds mix them). */
    private static final Set<String> NESTED = Set.of("service_at_locations", "attributes", "taxonomy_terms",
            "service_taxonomys", "schedules", "regular_schedules", "contacts", "phones", "eligibilitys");
    /** Detail requests in flight at once, per source. */
    private static final int DETAIL_REQUESTS_AT_ONCE = 4;

    private final JsonPages pages;
    private final ServiceDetails details;
    private final ExecutorService detailRequests;

    /**
     * @param baseUrl the API stub, e.g. {@code https://example.org/o/ServiceDirectoryService/v2}; paths are
     *                appended to it
     * @param timeout per-request timeout (connect and whole answer)
     * @param perPage page size asked for
     */
    public OrukV3Client(URI baseUrl, Duration timeout, int perPage) {
        this(baseUrl, timeout, perPage, null, null);
    }

    /**
     * A source that takes credentials.
     *
     * @param credentials the partners' credentials
     * @param partnerId   the source's partner id, {@link PartnerCredentials#directory(String)}
     */
    public OrukV3Client(URI baseUrl, Duration timeout, int perPage, PartnerCredentials credentials, String partnerId) {
        this(baseUrl, timeout, perPage, credentials, partnerId, ServiceDetails.AUTO);
    }

    /** @param details when a listed service's {@code /services/{id}} is read */
    public OrukV3Client(URI baseUrl, Duration timeout, int perPage, PartnerCredentials credentials, String partnerId,
            ServiceDetails details) {
        this.pages = new JsonPages(baseUrl, timeout, perPage, credentials, partnerId);
        this.details = details == null ? ServiceDetails.AUTO : details;
        // idle between syncs (hours): the threads end after a minute without work and come back with the next page
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(
                DETAIL_REQUESTS_AT_ONCE, DETAIL_REQUESTS_AT_ONCE, 1, java.util.concurrent.TimeUnit.MINUTES,
                new java.util.concurrent.LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "oruk-service-details");
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        this.detailRequests = pool;
    }

    @Override
    public OrukPage servicesPage(int pageNumber, Instant modifiedAfter) {
        return withDetails(page(pages.servicesPage(pageNumber, modifiedAfter), pageNumber));
    }

    private OrukPage withDetails(OrukPage page) {
        List<JsonNode> contents = new ArrayList<>(page.contents());
        List<Integer> listedOnly = new ArrayList<>();
        List<CompletableFuture<JsonNode>> fetches = new ArrayList<>();
        for (int i = 0; i < contents.size(); i++) {
            JsonNode record = contents.get(i);
            String id = record.path("id").isTextual() ? record.get("id").asText() : null;
            if (id != null && !id.isBlank() && needsDetails(record)) {
                listedOnly.add(i);
                fetches.add(CompletableFuture.supplyAsync(() -> pages.service(id), detailRequests));
            }
        }
        int keptAsListed = 0;
        for (int n = 0; n < listedOnly.size(); n++) {
            try {
                JsonNode detail = fetches.get(n).join();
                if (detail != null && detail.isObject()) {
                    contents.set(listedOnly.get(n), detail);
                }
            } catch (CompletionException e) {
                if (e.getCause() instanceof DirectorySourceException failed && Integer.valueOf(404).equals(failed.httpStatus())) {
                    keptAsListed++; // listed, but gone (or never served) by id: the listed fields are what there is
                } else {
                    fetches.forEach(f -> f.cancel(false));
                    throw e.getCause() instanceof DirectorySourceException failed ? failed
                            : new DirectorySourceException("Service details: " + e.getCause().getClass().getSimpleName(), null,
                            e.getCause());
                }
            }
        }
        if (keptAsListed > 0) {
            LOG.warn("ORUK v3 page {}: {} of {} listed services have no /services/{{id}} (HTTP 404); kept as listed, "
                    + "without the nested locations, taxonomy and schedules", page.pageNumber(), keptAsListed,
                    listedOnly.size());
        }
        return listedOnly.isEmpty() ? page : new OrukPage(page.pageNumber(), page.totalPages(), page.totalItems(),
                page.lastPage(), contents, page.unreadable());
    }

    private boolean needsDetails(JsonNode record) {
        return switch (details) {
            case NEVER -> false;
            case ALWAYS -> true;
            case AUTO -> NESTED.stream().noneMatch(record::has);
        };
    }

    /**
     * True: {@code modified_after} is sent when asked for. A feed that does not implement the parameter answers
     * with every service, which an incremental sync then stores as unchanged (the same versions), at the cost of
     * reading the whole feed.
     */
    @Override
    public boolean supportsModifiedAfter() {
        return true;
    }

    static OrukPage page(JsonNode envelope, int requestedPage) {
        if (envelope == null || !envelope.isObject() || !envelope.path("contents").isArray()) {
            throw new DirectorySourceException("Not an ORUK v3 page envelope (no contents array)", null, null);
        }
        List<JsonNode> contents = new ArrayList<>();
        envelope.get("contents").forEach(contents::add);
        int pageNumber = envelope.path("page_number").asInt(requestedPage);
        int totalPages = envelope.path("total_pages").asInt(0);
        long totalItems = envelope.path("total_items").asLong(contents.size());
        boolean last = envelope.path("last_page").asBoolean(false) || contents.isEmpty()
                || (totalPages > 0 && pageNumber >= totalPages);
        return new OrukPage(pageNumber, totalPages, totalItems, last, contents);
    }
}
