package io.github.spfhir.adapter.domain.referral;

import java.util.List;

import io.github.spfhir.adapter.domain.validation.Problem;

/** An inbound message refused, with one {@link Problem} per thing wrong. Carries no patient data. */
public class RejectedMessageException extends RuntimeException {

    private final RejectionReason reason;
    private final transient List<Problem> problems;

    public RejectedMessageException(RejectionReason reason, List<Problem> problems) {
        super(reason + ": " + problems.size() + " problem(s); first: " + (problems.isEmpty() ? "-" : problems.get(0).diagnostics()));
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
