package io.github.spfhir.adapter.domain.validation;

import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * One thing wrong with an input or an output: becomes one {@code OperationOutcome.issue}.
 *
 * @param severity    error, warning, ...
 * @param code        the FHIR issue type (invalid, required, duplicate, not-found, ...)
 * @param diagnostics what is wrong, for a person; must never quote patient data
 * @param expression  FHIRPath of the offending element, or null when it is not about one element
 */
public record Problem(IssueSeverity severity, IssueType code, String diagnostics, String expression) {

    public static Problem error(IssueType code, String diagnostics, String expression) {
        return new Problem(IssueSeverity.ERROR, code, diagnostics, expression);
    }

    public static Problem error(IssueType code, String diagnostics) {
        return new Problem(IssueSeverity.ERROR, code, diagnostics, null);
    }

    public boolean isError() {
        return severity == IssueSeverity.ERROR || severity == IssueSeverity.FATAL;
    }
}
