package io.github.spfhir.adapter.client.directory;

/**
 * A directory source could not be read: network error, timeout, a non-2xx answer or a page that is not the
 * expected envelope. The message names the source's status or the kind of failure only, never a body.
 */
public class DirectorySourceException extends RuntimeException {

    private final Integer httpStatus;

    public DirectorySourceException(String message, Integer httpStatus, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
    }

    /** The source's HTTP status, or null when there was no answer. */
    public Integer httpStatus() {
        return httpStatus;
    }
}
