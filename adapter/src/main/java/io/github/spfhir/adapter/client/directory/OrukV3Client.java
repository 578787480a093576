package io.github.spfhir.adapter.client.directory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads an Open Referral UK v3 API ({@code GET /services?page=&per_page=}) one page at a time: the caller asks
 * for page 1, 2, ... and holds only the page in hand, so memory stays bounded whatever the directory's size.
 *
 * <p>One JDK {@link HttpClient} per source: HTTP/1.1, a connect timeout, redirects followed only from HTTPS to
 * HTTPS (ORUK feeds are open; no credentials are sent). Every failure becomes a {@link DirectorySourceException}
 * carrying the HTTP status at most, never the body.
 */
public class OrukV3Client {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI baseUrl;
    private final Duration timeout;
    private final int perPage;

    /**
     * @param baseUrl the API stub, e.g. {@code https://example.org/o/ServiceDirectoryService/v2}; paths are
     *                appended to it
     * @param timeout per-request timeout (connect and whole answer)
     * @param perPage page size asked for
     */
    public OrukV3Client(URI baseUrl, Duration timeout, int perPage) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.perPage = perPage;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** One page of {@code /services}, numbered from 1. */
    public OrukPage servicesPage(int pageNumber) {
        String base = baseUrl.toString().endsWith("/") ? baseUrl.toString() : baseUrl + "/";
        URI uri = URI.create(base + "services?page=" + pageNumber + "&per_page=" + perPage);
        JsonNode envelope = get(uri);
        return page(envelope, pageNumber);
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

    private JsonNode get(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new DirectorySourceException("Timed out after " + timeout.toMillis() + " ms", null, e);
        } catch (IOException e) {
            throw new DirectorySourceException("Network error: " + e.getClass().getSimpleName(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DirectorySourceException("Interrupted", null, e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() / 100 != 2) {
                body.transferTo(java.io.OutputStream.nullOutputStream()); // drained so the connection is reused
                throw new DirectorySourceException("HTTP " + response.statusCode(), response.statusCode(), null);
            }
            return JSON.readTree(body);
        } catch (HttpTimeoutException e) {
            throw new DirectorySourceException("Timed out after " + timeout.toMillis() + " ms", null, e);
        } catch (IOException e) {
            throw new DirectorySourceException("Unreadable page: " + e.getClass().getSimpleName(),
                    response.statusCode(), e);
        }
    }
}
