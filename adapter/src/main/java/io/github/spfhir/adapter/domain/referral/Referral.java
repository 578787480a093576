package io.github.spfhir.adapter.domain.referral;

import java.util.List;

/**
 * The canonical social-prescribing referral: what every destination mapping reads from.
 *
 * <p>It is built once per accepted referral from the BaRS message and the emitted FHIR resources, and is
 * serialised to a JSON tree that the per-platform field mappings in {@code mappings/platforms/} address by
 * path (for example {@code /patient/nhsNumber}). Field names are part of the mapping contract: renaming one
 * breaks every mapping file that uses it, so the golden tests of each mapping guard them.
 *
 * @param referralId         our ServiceRequest id (deterministic, from the sender's identifiers)
 * @param taskId             our Task id
 * @param requestId          the BaRS X-Request-ID of the inbound message
 * @param correlationId      the BaRS X-Correlation-ID (the case's conversation id)
 * @param senderIdentifiers  the sender's ServiceRequest identifiers, kept as sent
 * @param status             ServiceRequest.status
 * @param priority           ServiceRequest.priority (routine | urgent | asap | stat), may be null
 * @param authoredOn         ServiceRequest.authoredOn as an ISO-8601 date-time
 * @param patient            the person referred
 * @param referrer           who referred them
 * @param destination        the link-worker service the referral is addressed to
 * @param reasons            the person's needs (ServiceRequest.reasonCode)
 * @param notes              free-text notes (ServiceRequest.note), patient data: never logged
 */
public record Referral(
        String referralId,
        String taskId,
        String requestId,
        String correlationId,
        List<CodedValue> senderIdentifiers,
        String status,
        String priority,
        String authoredOn,
        Person patient,
        Referrer referrer,
        Destination destination,
        List<CodedValue> reasons,
        List<String> notes) {

    public Referral {
        senderIdentifiers = List.copyOf(senderIdentifiers);
        reasons = List.copyOf(reasons);
        notes = List.copyOf(notes);
    }

    /**
     * A code or an identifier: {@code system} and {@code code} (for identifiers the value), an optional
     * {@code display}, and {@code text} for a free-text-only concept.
     */
    public record CodedValue(String system, String code, String display, String text) {
    }

    /** The person referred. Every field here is patient data: never log it. */
    public record Person(
            String nhsNumber,
            String givenName,
            String familyName,
            String birthDate,
            String gender,
            List<String> addressLines,
            String postcode,
            String phone,
            String email) {

        public Person {
            addressLines = addressLines == null ? List.of() : List.copyOf(addressLines);
        }
    }

    /** The referring professional and practice. */
    public record Referrer(
            String practitionerName,
            String practitionerIdentifier,
            String organisationOdsCode,
            String organisationName,
            String phone) {
    }

    /** The configured destination the referral was routed to. */
    public record Destination(
            String destinationId,
            String serviceIdentifierSystem,
            String serviceIdentifierValue,
            String serviceName,
            String organisationOdsCode,
            String organisationName) {
    }
}
