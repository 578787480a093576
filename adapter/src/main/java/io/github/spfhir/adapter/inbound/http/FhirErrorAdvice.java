package io.github.spfhir.adapter.inbound.http;


import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import io.github.spfhir.adapter.domain.referral.InboundMessage.FhirFormat;
import io.github.spfhir.adapter.domain.validation.Problem;

/** HTTP-level errors on the FHIR API as OperationOutcomes, never an HTML or Spring error page. */
@RestControllerAdvice
public class FhirErrorAdvice {

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

    @ExceptionHandler(NoResourceFoundException.class)
    public ResponseEntity<String> notFound(NoResourceFoundException e) {
        return formats.outcome(HttpStatus.NOT_FOUND, Problem.error(IssueType.NOTSUPPORTED,
                "Nothing is served at /" + e.getResourcePath() + "; see /fhir/metadata"), FhirFormat.JSON);
    }
}
