package io.github.spfhir.adapter.domain.gp;

/**
 * What the referring GP system is told. Each change carries, or not, the national coded entry the practice record
 * counts (SNOMED CT, standards reference §1), and the BaRS message reason of the message back.
 */
public enum GpChange {
    /**
     * The person accepted the referral to the link-worker service: coded entry 871731000000106 "Referral to social
     * prescribing service" (first interaction of an episode only: one per referral, see {@link CodedEntries}).
     */
    ACCEPTED(CodedEntries.SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING, CodedEntries.DISPLAY_REFERRAL_TO_SOCIAL_PRESCRIBING,
            GpUpdateMessageBuilder.REASON_NEW),
    /**
     * <b>The person</b> declined the referral: coded entry 871711000000103 "Social prescribing declined". That
     * concept records the person's decision; a refusal by the service is {@link #DECLINED_BY_SERVICE}.
     */
    DECLINED(CodedEntries.SNOMED_SOCIAL_PRESCRIBING_DECLINED, CodedEntries.DISPLAY_SOCIAL_PRESCRIBING_DECLINED,
            GpUpdateMessageBuilder.REASON_NEW),
    /**
     * The link-worker service could not take the referral on (out of area, not eligible, ...): the Task, rejected,
     * with its statusReason, and no coded entry, since 871711000000103 would record that the person declined.
     */
    DECLINED_BY_SERVICE(null, null, GpUpdateMessageBuilder.REASON_NEW),
    /** The work on the referral is complete: the Task and any outcome Observations; no confirmed code. */
    COMPLETED(null, null, GpUpdateMessageBuilder.REASON_UPDATE),
    /** The work ended without success (for example the person could not be reached): the Task, failed; no confirmed code. */
    FAILED(null, null, GpUpdateMessageBuilder.REASON_UPDATE),
    /** The referral was cancelled: the Task (cancelled) and the ServiceRequest; no confirmed code. */
    CANCELLED(null, null, GpUpdateMessageBuilder.REASON_UPDATE),
    /** An outcome measure was recorded: the Task and the Observations; no confirmed code. */
    OUTCOME_RECORDED(null, null, GpUpdateMessageBuilder.REASON_UPDATE);

    private final String codedEntryCode;
    private final String codedEntryDisplay;
    private final String messageReason;

    GpChange(String codedEntryCode, String codedEntryDisplay, String messageReason) {
        this.codedEntryCode = codedEntryCode;
        this.codedEntryDisplay = codedEntryDisplay;
        this.messageReason = messageReason;
    }

    /** The SNOMED CT code of the coded entry the GP record counts, or null when none is confirmed. */
    public String codedEntryCode() {
        return codedEntryCode;
    }

    String codedEntryDisplay() {
        return codedEntryDisplay;
    }

    /** The BaRS message reason ({@code new} for the first answer to the referral, {@code update} afterwards). */
    public String messageReason() {
        return messageReason;
    }
}
