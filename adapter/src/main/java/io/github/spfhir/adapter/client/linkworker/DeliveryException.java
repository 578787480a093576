package io.github.spfhir.adapter.client.linkworker;

import java.util.Optional;

/**
 * A delivery to a link-worker platform failed. The two kinds tell the caller what to do: try again later
 * ({@link RetryableDeliveryException}) or give up and report ({@link PermanentDeliveryException}).
 *
 * <p>The message says what happened (endpoint without query, status or exception class) and never holds the
 * payload or the response body, so it is safe to log. The response body, which a platform may fill with our
 * own patient data, is only available through {@link #responseBody()}, cut to
 * {@value PlatformHttpClient#MAX_BODY_CHARS} characters.
 */
public abstract sealed class DeliveryException extends RuntimeException
        permits RetryableDeliveryException, PermanentDeliveryException {

    /** The {@link #status()} when no HTTP response came back (connection refused, timeout, ...). */
    public static final int NO_RESPONSE = 0;

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String responseBody;

    protected DeliveryException(int status, String message, String responseBody, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.responseBody = responseBody;
    }

    /** The HTTP status, or {@link #NO_RESPONSE}. */
    public int status() {
        return status;
    }

    public boolean hasResponse() {
        return status != NO_RESPONSE;
    }

    /** The response body, at most {@value PlatformHttpClient#MAX_BODY_CHARS} characters. Patient data: never log. */
    public Optional<String> responseBody() {
        return Optional.ofNullable(responseBody);
    }
}
