package io.github.spfhir.adapter.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real HTTP calls to the adapter under test. Unless a call names its own {@code Authorization}, a bearer token of
 * {@link TestIssuer} suited to the path is attached, as the adapter's callers would send it: the GP system of the
 * practice the message names (A81001 when it names none) for {@code $process-message}, the GP system of A81001 for
 * the other {@code /fhir} calls, the platform itself for {@code /platforms/{id}/...}, an operator for {@code /ops} and
 * {@code /actuator}. {@link #anonymous()} sends none.
 */
public final class AdapterHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    /** The first ODS organisation code a message names (JSON or XML): in the fixtures, the referring practice's. */
    private static final Pattern ODS_CODE = Pattern.compile(
            "ods-organization-code\"\\s*(?:,\\s*\"value\"\\s*:\\s*\"|/>\\s*<value value=\")([A-Za-z0-9]+)\"");
    private static final Pattern PLATFORM_PATH = Pattern.compile("^/platforms/([^/?]+)");

    private final String baseUrl;
    private final boolean withTokens;

    public AdapterHttp(int port) {
        this("http://127.0.0.1:" + port, true);
    }

    private AdapterHttp(String baseUrl, boolean withTokens) {
        this.baseUrl = baseUrl;
        this.withTokens = withTokens;
    }

    /** The same adapter, called with no token unless a call names one. */
    public AdapterHttp anonymous() {
        return new AdapterHttp(baseUrl, false);
    }

    public HttpResponse<String> processMessage(String body, String contentType, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/fhir/$process-message"))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        authorise(request, headers, "/fhir/$process-message", body);
        return send(request.build());
    }

    public HttpResponse<String> post(String path, String body, String contentType) {
        return post(path, body, contentType, Map.of());
    }

    public HttpResponse<String> post(String path, String body, String contentType, Map<String, String> headers) {
        return send("POST", path, body, contentType, headers);
    }

    public HttpResponse<String> put(String path, String body, String contentType, Map<String, String> headers) {
        return send("PUT", path, body, contentType, headers);
    }

    /** Any method, with a body (or none when {@code body} is null). */
    public HttpResponse<String> send(String method, String path, String body, String contentType,
            Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        authorise(request, headers, path, body);
        return send(request.build());
    }

    public HttpResponse<String> get(String path) {
        return get(path, "application/fhir+json");
    }

    /** GET as FHIR JSON, which must be answered 200: the body as JSON. */
    public com.fasterxml.jackson.databind.JsonNode getOk(String path) {
        HttpResponse<String> response = get(path);
        org.assertj.core.api.Assertions.assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    public HttpResponse<String> get(String path, String accept) {
        return get(path, accept, Map.of());
    }

    public HttpResponse<String> get(String path, String accept, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", accept).GET();
        headers.forEach(request::header);
        authorise(request, headers, path, null);
        return send(request.build());
    }

    /** {@code Authorization: Bearer <token>}, for a call's own headers. */
    public static String bearer(String token) {
        return "Bearer " + token;
    }

    private void authorise(HttpRequest.Builder request, Map<String, String> headers, String path, String body) {
        if (!withTokens || headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Authorization"))) {
            return;
        }
        String token = defaultToken(path, body);
        if (token != null) {
            request.header("Authorization", bearer(token));
        }
    }

    private static String defaultToken(String path, String body) {
        if (path.startsWith("/fhir/$process-message")) {
            Matcher ods = body == null ? null : ODS_CODE.matcher(body);
            return TestIssuer.gpSystem(ods != null && ods.find() ? ods.group(1) : TestIssuer.FIXTURE_PRACTICE);
        }
        if (path.startsWith("/fhir/")) {
            return TestIssuer.gpSystem(TestIssuer.FIXTURE_PRACTICE);
        }
        Matcher platform = PLATFORM_PATH.matcher(path);
        if (platform.find()) {
            return TestIssuer.linkWorkerPlatform(platform.group(1));
        }
        if (path.startsWith("/ops") || (path.startsWith("/actuator") && !path.startsWith("/actuator/health"))) {
            return TestIssuer.operator();
        }
        return null;
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
