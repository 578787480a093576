package io.github.spfhir.adapter.domain.referral;

import java.util.List;

import io.github.spfhir.adapter.domain.validation.Problem;

/**
 * An inbound message refused, with one {@link Problem} per thing wrong. Carries no patient data: its message names
 * the first problem by issue type and FHIRPath only, because a diagnostics text can quote what was sent (the FHIR
 * validator's do: {@code URI values cannot have whitespace('…')}) and an exception's message reaches log lines
 * this adapter does not write (Camel's pipeline and Spring's transaction template log it at DEBUG).
 */
public class RejectedMessageException extends RuntimeException {

    private final RejectionReason reason;
    private final transient List<Problem> problems;

    public RejectedMessageException(RejectionReason reason, List<Problem> problems) {
        super(reason + ": " + Problem.summary(problems));
        this.reason = reason;
        this.problems = List.copyOf(problems);
    }

    public RejectedMessageException(RejectionReason reason, Problem problem) {
        this(reason, List.of(problem));
    }

    public RejectionReason reason() {
        return reason;
    }

    public List<Problem> problems() {
        return problems;
    }
}
