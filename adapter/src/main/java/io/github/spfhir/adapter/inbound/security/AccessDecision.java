package io.github.spfhir.adapter.inbound.security;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.security.authorization.AuthorizationDecision;

/**
 * What {@link AccessRules} decided about one request: granted, or refused with the status, FHIR issue type and
 * diagnostics of the OperationOutcome the caller gets ({@link SecurityRefusals}), and the outcome the audit trail
 * records.
 *
 * @param status      401, 403 or 404 when refused; 0 when granted
 * @param issueType   the OperationOutcome's issue code
 * @param diagnostics what the caller is told
 * @param auditReason what the audit trail records
 */
public final class AccessDecision extends AuthorizationDecision {

    private static final long serialVersionUID = 1L;

    static final AccessDecision GRANTED = new AccessDecision(true, 0, null, null, "allowed");

    private final int status;
    private final transient IssueType issueType;
    private final String diagnostics;
    private final String auditReason;

    private AccessDecision(boolean granted, int status, IssueType issueType, String diagnostics, String auditReason) {
        super(granted);
        this.status = status;
        this.issueType = issueType;
        this.diagnostics = diagnostics;
        this.auditReason = auditReason;
    }

    /** No authenticated caller: answered 401 by the entry point. */
    static AccessDecision unauthenticated() {
        return new AccessDecision(false, 401, IssueType.LOGIN, "This endpoint needs a bearer token", "no bearer token");
    }

    static AccessDecision forbidden(String diagnostics) {
        return new AccessDecision(false, 403, IssueType.FORBIDDEN, diagnostics, "forbidden: " + diagnostics);
    }

    /** Someone else's resource: answered exactly as a resource not held, so its existence is not revealed. */
    static AccessDecision notVisible(String diagnostics) {
        return new AccessDecision(false, 404, IssueType.NOTFOUND, diagnostics, "not visible to this client");
    }

    public int status() {
        return status;
    }

    public IssueType issueType() {
        return issueType;
    }

    public String diagnostics() {
        return diagnostics;
    }

    public String auditReason() {
        return auditReason;
    }
}
