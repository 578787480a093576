package io.github.spfhir.adapter.domain.lifecycle;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import io.github.spfhir.adapter.domain.referral.Referral.CodedValue;

/**
 * The canonical event from a link-worker platform: what every platform's event payload is mapped to (by the
 * event mappings in {@code mappings/platforms/}) and what the Task lifecycle, the outcome measures, the message
 * back to the GP and the data-platform feed are built from.
 *
 * @param platformId     the configured destination id of the platform that sent it
 * @param eventId        the platform's id for the event: a second event with the same id is a duplicate
 * @param kind           what happened
 * @param referralId     our ServiceRequest id, as we sent it to the platform
 * @param occurredAt     when it happened at the platform (orders late and out-of-order events)
 * @param reason         why (declined, cancelled, did not attend), coded or as text; may be null
 * @param linkWorker     who did it; may be null
 * @param appointmentAt  the appointment's start (appointment events); may be null
 * @param onwardReferral the community service referred to (ONWARD_REFERRAL); null otherwise
 * @param measure        the outcome measure (OUTCOME_RECORDED); null otherwise
 * @param note           free text from the link worker: patient data, never logged; may be null
 */
public record ReferralEvent(
        String platformId,
        String eventId,
        EventKind kind,
        String referralId,
        Instant occurredAt,
        CodedValue reason,
        LinkWorker linkWorker,
        Instant appointmentAt,
        OnwardReferral onwardReferral,
        OutcomeMeasure measure,
        String note) {

    /** The longest event id the store keeps ({@code platform_event.event_id}); a longer one is refused, 422. */
    public static final int MAX_EVENT_ID_LENGTH = 200;

    /** The link worker (Observation.performer, Task.owner's practitioner). */
    public record LinkWorker(String name, String identifierSystem, String identifierValue) {
    }

    /**
     * A referral on to a community service found in a directory.
     *
     * @param directorySourceId the configured directory source ({@code adapter.directories.<id>}) the service is from
     * @param serviceId         the service's id at that source (HSDS service.id, DEWIS record id)
     * @param serviceName       its name as the platform knows it
     */
    public record OnwardReferral(String directorySourceId, String serviceId, String serviceName) {
    }

    /**
     * One outcome measure.
     *
     * @param instrument which scale or item, one of the codes of {@code OutcomeInstrument} (e.g. {@code wemwbs},
     *                   {@code swemwbs}, {@code ons4-life-satisfaction}, {@code ucla-3}, {@code eq-5d-5l-index})
     * @param score      the total or item score as sent
     * @param timing     {@code baseline} or {@code follow-up} (null when the platform does not say)
     * @param items      the item answers, when the platform sends them; empty otherwise
     */
    public record OutcomeMeasure(String instrument, BigDecimal score, String timing, List<ItemAnswer> items) {

        public OutcomeMeasure {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }

    /** One item's answer of a questionnaire (QuestionnaireResponse.item). */
    public record ItemAnswer(String linkId, String text, BigDecimal value) {
    }
}
