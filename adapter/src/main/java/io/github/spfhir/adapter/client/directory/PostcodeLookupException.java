package io.github.spfhir.adapter.client.directory;

/**
 * The postcode lookup could not answer (network error, timeout, a non-2xx other than 404, an unreadable body): a
 * transient failure, not a verdict on the postcode. The message names the kind of failure only, never a postcode
 * (a postcode searched near may be where a person lives).
 */
public class PostcodeLookupException extends RuntimeException {

    public PostcodeLookupException(String message, Throwable cause) {
        super(message, cause);
    }
}
