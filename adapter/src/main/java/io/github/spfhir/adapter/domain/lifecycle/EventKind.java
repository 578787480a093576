package io.github.spfhir.adapter.domain.lifecycle;

/**
 * What a link-worker platform tells us happened to a referral. Each platform's own event names are mapped to
 * these by data ({@code mappings/platforms/<platform>.events.yaml}).
 */
public enum EventKind {
    /** the link-worker service took the referral on (Task requested -> accepted) */
    ACCEPTED,
    /** the service or the person declined it, with a reason (Task requested -> rejected) */
    DECLINED,
    /** the link worker tried to reach the person (businessStatus contact-attempted) */
    CONTACT_ATTEMPTED,
    /** the link worker reached the person (businessStatus contacted; Task in-progress) */
    CONTACT_MADE,
    /** an appointment with the link worker was booked (businessStatus first-appointment-booked) */
    APPOINTMENT_BOOKED,
    /** the person came to an appointment (businessStatus appointment-attended) */
    APPOINTMENT_ATTENDED,
    /** the person did not come to a booked appointment (businessStatus did-not-attend) */
    DID_NOT_ATTEND,
    /** the link worker referred the person on to a community service from a directory */
    ONWARD_REFERRAL,
    /** an outcome measure (WEMWBS, SWEMWBS, ONS4, UCLA-3, EQ-5D-5L) was recorded */
    OUTCOME_RECORDED,
    /** the work is paused, e.g. the person asked to wait (Task in-progress -> on-hold) */
    ON_HOLD,
    /** paused work goes on (Task on-hold -> in-progress) */
    RESUMED,
    /** the work ended without success, e.g. the person could not be reached (Task failed) */
    FAILED,
    /** the person was discharged from the link-worker service (Task completed, businessStatus discharged) */
    DISCHARGED,
    /** the work on the referral is complete (Task completed) */
    COMPLETED,
    /** the referral was cancelled (Task cancelled, ServiceRequest revoked) */
    CANCELLED
}
