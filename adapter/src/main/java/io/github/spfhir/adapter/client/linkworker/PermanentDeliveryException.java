package io.github.spfhir.adapter.client.linkworker;

/**
 * A delivery the platform refused for good: a 4xx other than 408 and 429 (or any other non-2xx answer, such as
 * a redirect, which is not followed). Sending the same request again will not help.
 */
public final class PermanentDeliveryException extends DeliveryException {

    private static final long serialVersionUID = 1L;

    public PermanentDeliveryException(int status, String message) {
        this(status, message, null);
    }

    public PermanentDeliveryException(int status, String message, String responseBody) {
        super(status, message, responseBody, null);
    }
}
