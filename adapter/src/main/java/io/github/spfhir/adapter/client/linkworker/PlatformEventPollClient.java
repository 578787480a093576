package io.github.spfhir.adapter.client.linkworker;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import javax.net.ssl.SSLContext;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * GETs one page of events from a link-worker platform that has no webhooks, as its events mapping's
 * {@code polling:} section ({@link EventPollSpec}) describes: {@code GET <base URL><path>?<cursor-parameter>=<cursor>},
 * then the events array and the next cursor read from the JSON answer by JSON Pointer.
 *
 * <p>The answers are sorted as {@link PlatformHttpClient} sorts them: {@link RetryableDeliveryException} for 408,
 * 429, 5xx, a network error or the timeout (poll again later, same cursor), {@link PermanentDeliveryException}
 * for any other non-2xx status, and also for a 2xx whose body is not a page of events (a platform or mapping
 * fault that waiting will not mend: alert someone). Nothing here logs the cursor, an event or a body.
 */
@Component
public class PlatformEventPollClient {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** The JDK clients, one per partner TLS context, made as for deliveries. */
    private final PlatformHttpClient clients;

    public PlatformEventPollClient() {
        this(PlatformHttpClient.DEFAULT_CONNECT_TIMEOUT);
    }

    public PlatformEventPollClient(Duration connectTimeout) {
        this.clients = new PlatformHttpClient(connectTimeout);
    }

    /**
     * GETs the page of events after a cursor.
     *
     * @param baseUrl the platform's API base, e.g. {@code https://platform.example} (a trailing slash is ignored)
     * @param spec    the request and response shape, from the platform's events mapping
     * @param cursor  the cursor from the previous page, or null on the very first poll (the parameter is left out)
     * @param headers further request headers, such as an API key (not Accept, which is {@code application/json})
     * @param timeout the most one poll may take, from sending to the whole response being read
     * @return the events, in the platform's order, and the cursor to send next
     * @throws RetryableDeliveryException on 408, 429, 5xx, a network error or the timeout
     * @throws PermanentDeliveryException on any other non-2xx status, or a 2xx body that is not a page of events
     */
    public EventPage poll(URI baseUrl, EventPollSpec spec, String cursor, Map<String, String> headers,
            Duration timeout) {
        return poll(baseUrl, spec, cursor, headers, timeout, null);
    }

    /** As {@link #poll(URI, EventPollSpec, String, Map, Duration)}, over the platform's TLS context (null: none). */
    public EventPage poll(URI baseUrl, EventPollSpec spec, String cursor, Map<String, String> headers,
            Duration timeout, SSLContext tls) {
        URI uri = uri(baseUrl, spec, cursor);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", "application/json")
                .GET();
        headers.forEach((name, value) -> {
            if (name.equalsIgnoreCase("Accept")) {
                throw new IllegalArgumentException("The Accept header is set here (application/json)");
            }
            request.header(name, value);
        });

        // the query holds the cursor, which may identify events: messages name the path only
        String target = "GET " + PlatformHttpClient.withoutQuery(uri);
        HttpResponse<String> response = PlatformHttpClient.exchange(clients.client(tls), request.build(), target, timeout);
        int status = response.statusCode();
        return page(target, status, response.body(), spec, cursor);
    }

    private static EventPage page(String target, int status, String body, EventPollSpec spec, String cursor) {
        String notAPage = target + " answered HTTP " + status + " with a body that is not a page of events: ";
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            // the parser's message may quote the body: give the position only
            // (a limit of the parser, such as nesting depth, has no position)
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new PermanentDeliveryException(status, notAPage + "not JSON" + where, PlatformHttpClient.truncated(body));
        }
        if (root == null || root.isMissingNode()) {
            throw new PermanentDeliveryException(status, notAPage + "the body is empty", null);
        }
        JsonNode events = root.at(spec.events());
        if (!events.isArray()) {
            // strict: a wrong 'events' pointer must not pass for "nothing new" forever
            throw new PermanentDeliveryException(status, notAPage + "there is no array of events at '"
                    + spec.events() + "'", PlatformHttpClient.truncated(body));
        }
        List<String> raw = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            JsonNode event = events.get(i);
            if (!event.isObject()) {
                throw new PermanentDeliveryException(status, notAPage + "event " + i + " of '" + spec.events()
                        + "' is not a JSON object", PlatformHttpClient.truncated(body));
            }
            raw.add(event.toString());
        }
        JsonNode next = root.at(spec.nextCursor());
        String nextCursor;
        if (next.isMissingNode() || next.isNull() || (next.isTextual() && next.asText().isBlank())) {
            nextCursor = cursor;
        } else if (next.isTextual() || next.isNumber()) {
            nextCursor = next.asText();
        } else {
            throw new PermanentDeliveryException(status, notAPage + "the next cursor at '" + spec.nextCursor()
                    + "' is not text or a number", PlatformHttpClient.truncated(body));
        }
        return new EventPage(raw, nextCursor);
    }

    /** The base URL, the path and the cursor parameter (URL-encoded), if there is a cursor. */
    static URI uri(URI baseUrl, EventPollSpec spec, String cursor) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        String base = baseUrl.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        String path = spec.path().startsWith("/") ? spec.path() : "/" + spec.path();
        StringBuilder uri = new StringBuilder(base).append(path);
        if (cursor != null) {
            uri.append(path.contains("?") ? '&' : '?')
                    .append(URLEncoder.encode(spec.cursorParameter(), StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        return URI.create(uri.toString());
    }
}
