package io.github.spfhir.adapter.client.linkworker;

/**
 * A platform's successful (2xx) answer to a delivery.
 *
 * @param status the HTTP status
 * @param body   the response body (may hold patient data: store it, never log it)
 */
public record DeliveryResponse(int status, String body) {
}
