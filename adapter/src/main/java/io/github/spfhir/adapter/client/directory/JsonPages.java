package io.github.spfhir.adapter.client.directory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.spfhir.adapter.client.linkworker.DeliveryException;
import io.github.spfhir.adapter.client.linkworker.PartnerCredentials;
import io.github.spfhir.adapter.client.linkworker.PlatformHttpClient;

/**
 * GETs JSON pages of an ORUK API: one JDK {@link HttpClient} per source (HTTP/1.1, a connect timeout). Most ORUK
 * feeds are open; a source with {@code credentials} ({@link PartnerCredentials}, partner id
 * {@link PartnerCredentials#directory(String)}) gets its API key or access token on every request and its TLS
 * context (mutual TLS), as the adapter's other partners do. Redirects are followed for an open feed only: a secret
 * header is never sent on to another address. Every failure becomes a {@link DirectorySourceException} carrying the
 * HTTP status at most, never the body nor a secret.
 */
final class JsonPages {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String base;
    private final Duration timeout;
    private final int perPage;
    private final PartnerCredentials credentials;
    private final String partnerId;

    /**
     * @param credentials the partners' credentials, or null for an open feed
     * @param partnerId   the source's partner id ({@link PartnerCredentials#directory(String)}); null for an open feed
     */
    JsonPages(URI baseUrl, Duration timeout, int perPage, PartnerCredentials credentials, String partnerId) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        this.base = baseUrl.toString().endsWith("/") ? baseUrl.toString() : baseUrl + "/";
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.perPage = perPage;
        this.credentials = partnerId == null ? null : credentials;
        this.partnerId = partnerId;
        boolean secrets = this.credentials != null && this.credentials.sendsSecretHeaders(partnerId);
        this.http = PlatformHttpClient.newHttpClient(timeout,
                secrets ? HttpClient.Redirect.NEVER : HttpClient.Redirect.NORMAL,
                this.credentials == null ? null : this.credentials.sslContext(partnerId).orElse(null));
    }

    /**
     * {@code GET <base>/services?page=&per_page=}, parsed; with {@code &modified_after=} when an instant is given
     * (HSDS 3.0: "Return all results modified on or after this datetime"), as an ISO 8601 UTC date-time to the
     * second, truncated down so that nothing modified in the cursor's own second is missed.
     */
    JsonNode servicesPage(int pageNumber, Instant modifiedAfter) {
        String query = "services?page=" + pageNumber + "&per_page=" + perPage;
        if (modifiedAfter != null) {
            query += "&modified_after=" + URLEncoder.encode(modifiedAfterValue(modifiedAfter), StandardCharsets.UTF_8);
        }
        return get(URI.create(base + query));
    }

    /** {@code GET <base>/services/{id}}: the fully nested service (ORUK v3, HSDS 3.0). */
    JsonNode service(String id) {
        return get(URI.create(base + "services/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20")));
    }

    /** The {@code modified_after} value sent for an instant, e.g. {@code 2026-11-21T10:00:00Z}. */
    static String modifiedAfterValue(Instant modifiedAfter) {
        return DateTimeFormatter.ISO_INSTANT.format(modifiedAfter.truncatedTo(ChronoUnit.SECONDS));
    }

    private JsonNode get(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json")
                .GET();
        headers().forEach(builder::header);
        HttpRequest request = builder.build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new DirectorySourceException("Timed out after " + timeout.toMillis() + " ms", null, e);
        } catch (javax.net.ssl.SSLException e) {
            throw new DirectorySourceException("TLS refused (" + e.getClass().getSimpleName() + "): check the client "
                    + "certificate (key-store) and the source's CA (trust-store)", null, e);
        } catch (IOException e) {
            throw new DirectorySourceException("Network error: " + e.getClass().getSimpleName(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DirectorySourceException("Interrupted", null, e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() / 100 != 2) {
                body.transferTo(OutputStream.nullOutputStream()); // drained so the connection is reused
                if (response.statusCode() == 401 && credentials != null) {
                    credentials.invalidate(partnerId); // the next run asks for a new token
                }
                throw new DirectorySourceException("HTTP " + response.statusCode(), response.statusCode(), null);
            }
            return JSON.readTree(body);
        } catch (HttpTimeoutException e) {
            throw new DirectorySourceException("Timed out after " + timeout.toMillis() + " ms", null, e);
        } catch (IOException e) {
            throw new DirectorySourceException("Unreadable page: " + e.getClass().getSimpleName(), response.statusCode(), e);
        }
    }

    /** The source's API key or access token; a token endpoint that fails fails the page, by its words only. */
    private Map<String, String> headers() {
        if (credentials == null) {
            return Map.of();
        }
        try {
            return credentials.headersFor(partnerId);
        } catch (DeliveryException e) {
            throw new DirectorySourceException("Credentials: " + e.getMessage(), null, e);
        }
    }
}
