package io.github.spfhir.adapter.inbound.http;

import java.util.List;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.http.HttpStatus;

import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.validation.Problem;

/**
 * Refusals as FHIR OperationOutcomes: one issue per problem, each with severity, code, diagnostics and FHIRPath
 * expression, and BaRS's HTTP error code in {@code details} (standards.md §4) where BaRS defines one.
 */
final class OperationOutcomes {

    /** BaRS spells this system with a lower-case "s" in "Codesystem"; we copy it as published. */
    static final String BARS_ERROR_SYSTEM = "https://fhir.nhs.uk/Codesystem/http-error-codes";

    private OperationOutcomes() {
    }

    static HttpStatus status(RejectionReason reason) {
        return switch (reason) {
            case UNPARSEABLE, INVALID_HEADERS, INVALID_REQUEST -> HttpStatus.BAD_REQUEST;
            case UNSUPPORTED_MEDIA_TYPE -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case INVALID_CONTENT, ILLEGAL_TRANSITION -> HttpStatus.UNPROCESSABLE_CONTENT;
            case DUPLICATE -> HttpStatus.CONFLICT;
            case UNKNOWN_DESTINATION, UNKNOWN_REFERRAL -> HttpStatus.NOT_FOUND;
            case PRECONDITION_FAILED -> HttpStatus.PRECONDITION_FAILED;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case PROCESSING_ERROR -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }

    static OperationOutcome of(HttpStatus status, List<Problem> problems) {
        OperationOutcome outcome = new OperationOutcome();
        String barsCode = barsCode(status);
        for (Problem problem : problems) {
            OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                    .setSeverity(problem.severity())
                    .setCode(problem.code())
                    .setDiagnostics(problem.diagnostics());
            if (barsCode != null) {
                issue.setDetails(new CodeableConcept(new Coding(BARS_ERROR_SYSTEM, barsCode, null)));
            }
            if (problem.expression() != null) {
                issue.addExpression(problem.expression());
            }
        }
        return outcome;
    }

    private static String barsCode(HttpStatus status) {
        return switch (status) {
            case BAD_REQUEST -> "REC_BAD_REQUEST";
            case UNAUTHORIZED -> "SEND_UNAUTHORIZED";
            case FORBIDDEN -> "SEND_FORBIDDEN";
            case NOT_FOUND -> "REC_NOT_FOUND";
            case METHOD_NOT_ALLOWED -> "SEND_METHOD_NOT_ALLOWED";
            case NOT_ACCEPTABLE -> "SEND_NOT_ACCEPTABLE";
            case CONFLICT -> "REC_CONFLICT";
            case UNPROCESSABLE_CONTENT -> "REC_UNPROCESSABLE_ENTITY";
            case INTERNAL_SERVER_ERROR -> "REC_SERVER_ERROR";
            case SERVICE_UNAVAILABLE -> "REC_UNAVAILABLE";
            default -> null;
        };
    }
}
