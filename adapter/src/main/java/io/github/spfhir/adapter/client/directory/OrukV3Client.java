package io.github.spfhir.adapter.client.directory;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.spfhir.adapter.client.linkworker.PartnerCredentials;

/**
 * Reads an Open Referral UK v3 API ({@code GET /services?page=&per_page=}, the UK profile's {@code Page}
 * envelope: {@code total_items}, {@code total_pages}, {@code page_number}, {@code last_page}, {@code contents})
 * one page at a time: the caller asks for page 1, 2, ... and holds only the page in hand, so memory stays
 * bounded whatever the directory's size.
 */
public class OrukV3Client implements DirectoryPageSource {

    private final JsonPages pages;

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
