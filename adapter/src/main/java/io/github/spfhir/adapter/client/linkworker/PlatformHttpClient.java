package io.github.spfhir.adapter.client.linkworker;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * POSTs a payload to a link-worker platform and sorts the outcome into success, "try again"
 * ({@link RetryableDeliveryException}) and "give up" ({@link PermanentDeliveryException}).
 *
 * <p>One JDK {@link HttpClient} is shared by all deliveries: HTTP/1.1 (what platform APIs and proxies expect),
 * a connect timeout, and no redirects (a POST is never replayed elsewhere). The caller passes the BaRS-style
 * headers, above all {@code X-Request-ID}, the idempotency key, which must be the same on every retry of one
 * delivery, and {@code X-Correlation-ID}. A partner with mutual TLS gets a client of its own, made with its TLS
 * context ({@link PartnerCredentials#sslContext}). Nothing here logs a payload or a response body.
 */
@Component
public class PlatformHttpClient {

    /** How much of a response body an exception keeps. */
    public static final int MAX_BODY_CHARS = 2000;

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(PlatformHttpClient.class);

    /**
     * The threads that wait for partner calls, so that the caller can give up after its timeout; idle ones are kept
     * for reuse. Why not the JDK's {@code sendAsync}: it hands every response on to {@code CompletableFuture}'s
     * default executor, which starts a new thread for each one when the common pool has fewer than two threads
     * (any machine with one or two cores): about 0.2 ms of CPU per delivery, and a thread started per delivery.
     */
    private static final ExecutorService EXCHANGES = Executors.newCachedThreadPool(daemonThreads("partner-http-"));

    private final Duration connectTimeout;
    private final HttpClient http;
    /** One client per partner TLS context (there are few, made at start-up). */
    private final Map<SSLContext, HttpClient> tlsClients = new ConcurrentHashMap<>();

    public PlatformHttpClient() {
        this(DEFAULT_CONNECT_TIMEOUT);
    }

    public PlatformHttpClient(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
        this.http = newHttpClient(connectTimeout, HttpClient.Redirect.NEVER, null);
    }

    /**
     * The JDK client of partner calls: HTTP/1.1 (what partner APIs and proxies expect), a connect timeout, the
     * redirect policy given, and the partner's TLS context when it has one (else the JDK's default).
     */
    public static HttpClient newHttpClient(Duration connectTimeout, HttpClient.Redirect redirects, SSLContext tls) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(redirects);
        if (tls != null) {
            builder.sslContext(tls);
        }
        return builder.build();
    }

    /** The client for calls with this TLS context (null: the default one). */
    HttpClient client(SSLContext tls) {
        return tls == null ? http : tlsClients.computeIfAbsent(tls,
                context -> newHttpClient(connectTimeout, HttpClient.Redirect.NEVER, context));
    }

    /**
     * POSTs one payload.
     *
     * @param endpoint    where to
     * @param contentType the payload's media type, sent as Content-Type
     * @param payload     the body, sent as UTF-8
     * @param headers     further request headers, such as X-Request-ID and X-Correlation-ID (not Content-Type)
     * @param timeout     the most one attempt may take, from sending to the whole response being read
     * @return the platform's 2xx answer
     * @throws RetryableDeliveryException on 408, 429, 5xx, a network error or the timeout
     * @throws PermanentDeliveryException on any other non-2xx status
     */
    public DeliveryResponse post(URI endpoint, String contentType, String payload, Map<String, String> headers,
            Duration timeout) {
        return post(endpoint, contentType, payload, headers, timeout, null);
    }

    /**
     * As {@link #post(URI, String, String, Map, Duration)}, over the partner's TLS context: our client certificate
     * and the CAs trusted for the partner (null: the JDK's defaults, no client certificate).
     */
    public DeliveryResponse post(URI endpoint, String contentType, String payload, Map<String, String> headers,
            Duration timeout, SSLContext tls) {
        Objects.requireNonNull(payload, "payload");
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(payload, StandardCharsets.UTF_8));
        headers.forEach((name, value) -> {
            if (name.equalsIgnoreCase("Content-Type")) {
                throw new IllegalArgumentException("Pass the content type as contentType, not as a header");
            }
            request.header(name, value);
        });

        String target = "POST " + withoutQuery(endpoint);
        HttpResponse<String> response = exchange(client(tls), request.build(), target, timeout);
        return new DeliveryResponse(response.statusCode(), response.body());
    }

    /**
     * Sends one request and classifies the answer, for every partner call: the 2xx response, or a
     * {@link RetryableDeliveryException} (408, 429, 5xx, a network error, the timeout) or a
     * {@link PermanentDeliveryException} (any other status, or a TLS failure: a refused certificate, ours or the
     * partner's, is not mended by waiting; the delivery fails at once and is replayed once the certificates are
     * put right). {@code target} names the call in messages: method and
     * URL without query (never a payload or an id from a query).
     */
    static HttpResponse<String> exchange(HttpClient http, HttpRequest request, String target, Duration timeout) {
        long started = System.nanoTime();
        Future<HttpResponse<String>> sent = EXCHANGES.submit(
                () -> http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)));
        HttpResponse<String> response;
        try {
            // the request timeout covers the wait for the response headers; this covers reading the body too
            response = sent.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            sent.cancel(true); // interrupts the blocked send, which cancels the exchange and frees its connection
            throw new RetryableDeliveryException(DeliveryException.NO_RESPONSE,
                    target + " failed: no complete response within " + timeout + " (TimeoutException)", null, null, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SSLException) {
                // the JDK's message may name certificates; the type is enough to say what went wrong
                throw new PermanentDeliveryException(DeliveryException.NO_RESPONSE, target + " failed: TLS refused ("
                        + cause.getClass().getSimpleName() + "): check the client certificate (key-store) and the "
                        + "partner's CA (trust-store)");
            }
            if (cause instanceof IOException || cause instanceof InterruptedException) {
                // HttpTimeoutException, HttpConnectTimeoutException, ConnectException, ...: messages may say little
                // and never hold the payload; the class name says enough
                throw new RetryableDeliveryException(DeliveryException.NO_RESPONSE,
                        target + " failed: " + cause.getClass().getSimpleName(), null, null, cause);
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(target + " failed: " + cause.getClass().getSimpleName(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sent.cancel(true);
            throw new RetryableDeliveryException(DeliveryException.NO_RESPONSE,
                    target + " interrupted (InterruptedException)", null, null, e);
        }

        int status = response.statusCode();
        log.debug("{} answered HTTP {} in {} ms", target, status, (System.nanoTime() - started) / 1_000_000);
        if (status >= 200 && status < 300) {
            return response;
        }
        String message = target + " answered HTTP " + status;
        String body = truncated(response.body());
        if (status == 408 || status == 429 || status >= 500) {
            throw new RetryableDeliveryException(status, message, body, retryAfter(response), null);
        }
        throw new PermanentDeliveryException(status, message, body);
    }

    /** Retry-After in delta-seconds; the HTTP-date form is ignored (the caller's own backoff applies). */
    static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After")
                .map(String::trim)
                .filter(value -> value.matches("\\d{1,9}"))
                .map(value -> Duration.ofSeconds(Long.parseLong(value)))
                .orElse(null);
    }

    static String truncated(String body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        return body.length() <= MAX_BODY_CHARS ? body : body.substring(0, MAX_BODY_CHARS);
    }

    /** The endpoint for messages: no user info, query or fragment, which may carry credentials or ids. */
    static String withoutQuery(URI endpoint) {
        return endpoint.getScheme() + "://" + endpoint.getHost() + (endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort())
                + (endpoint.getRawPath() == null ? "" : endpoint.getRawPath());
    }

    private static ThreadFactory daemonThreads(String prefix) {
        CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
        threads.setDaemon(true); // never holds the JVM up at shutdown: a call in flight is retried after a restart
        return threads;
    }
}
