package io.github.spfhir.adapter.domain.outcome;

import java.util.List;

import io.github.spfhir.adapter.domain.validation.Problem;

/**
 * An outcome measure refused, with one {@link Problem} per fault (expressions relative to the canonical
 * {@code ReferralEvent}, e.g. {@code measure.score}, {@code measure.items[3].value}). Carries no patient data:
 * diagnostics name the instrument and its allowed range, never the person nor the value sent.
 */
public class OutcomeMeasureRejectedException extends RuntimeException {

    private final transient List<Problem> problems;

    public OutcomeMeasureRejectedException(List<Problem> problems) {
        super("outcome measure refused: " + Problem.summary(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every fault found, in the order of the checks; never empty. */
    public List<Problem> problems() {
        return problems;
    }
}
