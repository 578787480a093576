package io.github.spfhir.adapter.domain.lifecycle;

/**
 * What an applied event changed that the referring GP may need to be told of. The lifecycle only names the
 * change; whether a message goes back is the caller's decision (issue #3 asks for accepted, declined and
 * completed, and configurably each outcome measure).
 */
public enum GpNotifiableChange {
    /** nothing the GP is told about (a finer stage, a pause, an onward referral, a late fact) */
    NONE,
    /** the Task became accepted */
    ACCEPTED,
    /** the Task became rejected (the referral was declined) */
    DECLINED,
    /** the Task became completed (completed or discharged) */
    COMPLETED,
    /** the Task became cancelled (and its ServiceRequest revoked) */
    CANCELLED,
    /** the Task became failed (the work ended without success) */
    FAILED,
    /** an outcome measure was added to the Task's output (its status did not change) */
    OUTCOME_RECORDED
}
