package io.github.spfhir.adapter.client.directory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A postcodes.io-compatible postcode lookup (postcodes.io serves the ONS Postcode Directory as open data):
 * {@code GET {base}/postcodes/{postcode}} answers {@code {"status":200,"result":{"latitude":..,"longitude":..}}},
 * or 404 for a postcode it does not know (or that is not a postcode); the bulk {@code POST {base}/postcodes} with
 * {@code {"postcodes":[...]}} (at most {@value #MAX_BULK}) answers {@code result[]} of {@code {query, result}}, the
 * result null for an unknown one. A postcode the API knows but without a position (some have none) counts as
 * unknown. No cache here: see the domain's {@code PostcodeLookup}.
 */
public class PostcodesIoClient {

    /** postcodes.io's limit on a bulk lookup. */
    public static final int MAX_BULK = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String base;
    private final Duration timeout;

    public PostcodesIoClient(URI baseUrl, Duration timeout) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String text = baseUrl.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /**
     * The position of one postcode; empty when the API does not know it.
     *
     * @throws PostcodeLookupException when the API cannot answer
     */
    public Optional<PostcodePosition> position(String postcode) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/postcodes/"
                + URLEncoder.encode(postcode, StandardCharsets.UTF_8).replace("+", "%20")))
                .timeout(timeout).header("Accept", "application/json").GET().build();
        JsonNode answer = send(request, true);
        return answer == null ? Optional.empty() : position(answer.path("result"));
    }

    /**
     * The positions of up to {@value #MAX_BULK} postcodes in one request, by the postcode as given; unknown ones
     * are left out.
     *
     * @throws PostcodeLookupException when the API cannot answer
     */
    public Map<String, PostcodePosition> positions(List<String> postcodes) {
        if (postcodes.size() > MAX_BULK) {
            throw new IllegalArgumentException("At most " + MAX_BULK + " postcodes a request");
        }
        Map<String, PostcodePosition> found = new LinkedHashMap<>();
        if (postcodes.isEmpty()) {
            return found;
        }
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("postcodes");
        postcodes.forEach(list::add);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/postcodes")).timeout(timeout)
                .header("Accept", "application/json").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build();
        JsonNode answer = send(request, false);
        if (!answer.path("result").isArray()) {
            throw new PostcodeLookupException("Unreadable answer: no result array", null);
        }
        for (JsonNode item : answer.path("result")) {
            String query = item.path("query").asText(null);
            if (query != null) {
                position(item.path("result")).ifPresent(p -> found.put(query, p));
            }
        }
        return found;
    }

    private static Optional<PostcodePosition> position(JsonNode result) {
        JsonNode latitude = result.path("latitude");
        JsonNode longitude = result.path("longitude");
        if (!latitude.isNumber() || !longitude.isNumber()) {
            return Optional.empty();
        }
        double lat = latitude.asDouble();
        double lon = longitude.asDouble();
        return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
                ? Optional.of(new PostcodePosition(lat, lon)) : Optional.empty();
    }

    /** The parsed answer; null for a 404 when {@code notFoundIsEmpty}. */
    private JsonNode send(HttpRequest request, boolean notFoundIsEmpty) {
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new PostcodeLookupException("Timed out after " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new PostcodeLookupException("Network error: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PostcodeLookupException("Interrupted", e);
        }
        try (InputStream body = response.body()) {
            if (notFoundIsEmpty && response.statusCode() == 404) {
                body.transferTo(OutputStream.nullOutputStream());
                return null;
            }
            if (response.statusCode() / 100 != 2) {
                body.transferTo(OutputStream.nullOutputStream()); // drained so the connection is reused
                throw new PostcodeLookupException("HTTP " + response.statusCode(), null);
            }
            return JSON.readTree(body);
        } catch (HttpTimeoutException e) {
            throw new PostcodeLookupException("Timed out after " + timeout.toMillis() + " ms", e);
        } catch (IOException e) {
            throw new PostcodeLookupException("Unreadable answer: " + e.getClass().getSimpleName(), e);
        }
    }
}
