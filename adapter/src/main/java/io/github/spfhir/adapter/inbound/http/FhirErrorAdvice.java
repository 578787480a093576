package io.github.spfhir.adapter.inbound.http;


import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import io.github.spfhir.adapter.domain.referral.InboundMessage.FhirFormat;
import io.github.spfhir.adapter.domain.validation.Problem;
import jakarta.servlet.http.HttpServletRequest;

/** HTTP-level errors on the FHIR API as OperationOutcomes, never an HTML or Spring error page. */
@RestControllerAdvice
public class FhirErrorAdvice {

    private static final Logger LOG = LoggerFactory.getLogger(FhirErrorAdvice.class);
    /** As the message endpoints answer while the store is down. */
    private static final String STORE_RETRY_AFTER_SECONDS = "30";

    private final FhirFormats formats;

    public FhirErrorAdvice(FhirFormats formats) {
        this.formats = formats;
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public ResponseEntity<String> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
        ResponseEntity<String> response = formats.outcome(HttpStatus.METHOD_NOT_ALLOWED,
                Problem.error(IssueType.NOTSUPPORTED, "Method " + e.getMethod() + " is not supported here"),
                FhirFormat.JSON);
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                .allow(e.getSupportedHttpMethods() == null ? new org.springframework.http.HttpMethod[0]
                        : e.getSupportedHttpMethods().toArray(new org.springframework.http.HttpMethod[0]))
                .body(response.getBody());
    }

    /**
     * The store cannot be reached (or failed) while serving a request that no endpoint handled itself: a read, a
     * search, an access check that needs the store, the operations API. 503 {@code transient} with
     * {@code Retry-After}, like the endpoints that accept messages: nothing was read or changed, never a 500 page.
     */
    @ExceptionHandler({DataAccessException.class, CannotCreateTransactionException.class,
            TransactionSystemException.class})
    public ResponseEntity<String> storeUnavailable(RuntimeException e, HttpServletRequest request) {
        LOG.error("Message store unavailable; answered {} {} with 503: {}", request.getMethod(), request.getRequestURI(),
                e.getClass().getName());
        ResponseEntity<String> response = formats.outcome(HttpStatus.SERVICE_UNAVAILABLE, Problem.error(
                IssueType.TRANSIENT, "The message store cannot be reached; nothing was read or changed. Retry later."),
                FhirFormat.JSON);
        return ResponseEntity.status(response.getStatusCode()).headers(response.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, STORE_RETRY_AFTER_SECONDS).body(response.getBody());
    }

    /**
     * The store's failure among an exception and its causes, or null: a data access error, or a transaction that
     * could not begin (no connection) or end (the connection broke at commit; the sender's retry with the same ids
     * then finds out whether it was stored).
     */
    static RuntimeException storeFailureIn(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof DataAccessException || t instanceof CannotCreateTransactionException
                    || t instanceof TransactionSystemException) {
                return (RuntimeException) t;
            }
        }
        return null;
    }

    @ExceptionHandler(NoResourceFoundException.class)
    public ResponseEntity<String> notFound(NoResourceFoundException e) {
        return formats.outcome(HttpStatus.NOT_FOUND, Problem.error(IssueType.NOTSUPPORTED,
                "Nothing is served at /" + e.getResourcePath() + "; see /fhir/metadata"), FhirFormat.JSON);
    }
}
