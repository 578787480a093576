package io.github.spfhir.adapter.domain.validation;

import java.util.List;

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

    /** What XML 1.0 cannot carry even as a character reference (U+FFFE, U+FFFF, most controls, lone surrogates). */
    private static final java.util.regex.Pattern NOT_XML = java.util.regex.Pattern.compile(
            "[^\\x{9}\\x{A}\\x{D}\\x{20}-\\x{D7FF}\\x{E000}-\\x{FFFD}\\x{10000}-\\x{10FFFF}]");

    /**
     * The diagnostics and expression may quote what was sent (a parser's or validator's message); what cannot be
     * written in an XML answer is replaced by U+FFFD, so every refusal is well-formed in both formats.
     */
    public Problem {
        diagnostics = printable(diagnostics);
        expression = printable(expression);
    }

    private static String printable(String text) {
        return text == null ? null : NOT_XML.matcher(text).replaceAll("\uFFFD");
    }

    public static Problem error(IssueType code, String diagnostics, String expression) {
        return new Problem(IssueSeverity.ERROR, code, diagnostics, expression);
    }

    public static Problem error(IssueType code, String diagnostics) {
        return new Problem(IssueSeverity.ERROR, code, diagnostics, null);
    }

    /**
     * Problems in a few words for an exception's message, which frameworks log: how many, and the first one's issue
     * type and expression (a path, never a value), e.g. {@code 2 problem(s); first: invalid at Patient.photo[0].url}.
     * Never the diagnostics: those may quote what was sent, so they go only to the sender's OperationOutcome.
     */
    public static String summary(List<Problem> problems) {
        if (problems.isEmpty()) {
            return "no problem(s)";
        }
        Problem first = problems.get(0);
        return problems.size() + " problem(s); first: " + (first.code() == null ? "unknown" : first.code().toCode())
                + (first.expression() == null ? "" : " at " + first.expression());
    }

    public boolean isError() {
        return severity == IssueSeverity.ERROR || severity == IssueSeverity.FATAL;
    }
}
