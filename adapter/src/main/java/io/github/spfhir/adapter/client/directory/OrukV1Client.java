package io.github.spfhir.adapter.client.directory;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.spfhir.adapter.client.linkworker.PartnerCredentials;

/**
 * Reads a legacy Open Referral UK v1 API ({@code GET /services?page=&per_page=}) one page at a time. Its
 * envelope is {@code totalElements}, {@code totalPages}, {@code number}, {@code size}, {@code first},
 * {@code last} and {@code content} (ORUK human-services {@code Paginator.cs}); the records are v1 services
 * ({@code service_taxonomys}, {@code regular_schedules}, {@code eligibilitys}, ...).
 */
public class OrukV1Client implements DirectoryPageSource {

    private final JsonPages pages;

    /** As {@link OrukV3Client#OrukV3Client(URI, Duration, int)}. */
    public OrukV1Client(URI baseUrl, Duration timeout, int perPage) {
        this(baseUrl, timeout, perPage, null, null);
    }

    /** As {@link OrukV3Client#OrukV3Client(URI, Duration, int, PartnerCredentials, String)}. */
    public OrukV1Client(URI baseUrl, Duration timeout, int perPage, PartnerCredentials credentials, String partnerId) {
        this.pages = new JsonPages(baseUrl, timeout, perPage, credentials, partnerId);
    }

    @Override
    public OrukPage servicesPage(int pageNumber, Instant modifiedAfter) {
        return page(pages.servicesPage(pageNumber, modifiedAfter), pageNumber);
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
        if (envelope == null || !envelope.isObject() || !envelope.path("content").isArray()) {
            throw new DirectorySourceException("Not an ORUK v1 page envelope (no content array)", null, null);
        }
        List<JsonNode> contents = new ArrayList<>();
        envelope.get("content").forEach(contents::add);
        // "number" is not trusted: whether a feed counts it from 0 or 1 is not settled, so our own count is used
        int pageNumber = requestedPage;
        int totalPages = envelope.path("totalPages").asInt(0);
        long totalItems = envelope.path("totalElements").asLong(contents.size());
        boolean last = envelope.path("last").asBoolean(false) || contents.isEmpty()
                || (totalPages > 0 && pageNumber >= totalPages);
        return new OrukPage(pageNumber, totalPages, totalItems, last, contents);
    }
}
