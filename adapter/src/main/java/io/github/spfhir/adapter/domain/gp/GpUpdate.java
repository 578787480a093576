package io.github.spfhir.adapter.domain.gp;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

import io.github.spfhir.adapter.domain.referral.DeterministicIds;

/**
 * Everything the message back to the referring GP system is built from. The FHIR resources are patient data:
 * never log them; log the ids.
 *
 * @param change                 what the GP is told
 * @param task                   the Task as it now stands (status, businessStatus, statusReason, output)
 * @param serviceRequest         the social-prescribing ServiceRequest the Task fulfils
 * @param patient                the person referred (the Task's {@code for})
 * @param observations           outcome Observations to carry, of this person; may be empty, never null
 * @param requestMessageHeaderId the id of the MessageHeader of the GP's referral message we answer
 *                               ({@code MessageHeader.response.identifier})
 * @param correlationId          the referral's X-Correlation-ID, unchanged for every message about it: it goes in the
 *                               HTTP header of the POST (delivery's job), not in the Bundle
 * @param referringOdsCode       the referring organisation's ODS code ({@code MessageHeader.destination.receiver})
 * @param gpEndpoint             where the message goes ({@code MessageHeader.destination.endpoint}): the referral
 *                               message's {@code MessageHeader.source.endpoint}, or configuration
 * @param sender                 the link-worker organisation the news comes from ({@code MessageHeader.sender})
 * @param occurredAt             when the change happened (the coded entry's effective time)
 * @param messageId              this message's MessageHeader id, deterministic so that a retry or replay of the
 *                               same change is the same message: {@link #messageIdFor(String, String)}
 */
public record GpUpdate(
        GpChange change,
        Task task,
        ServiceRequest serviceRequest,
        Patient patient,
        List<Observation> observations,
        String requestMessageHeaderId,
        String correlationId,
        String referringOdsCode,
        String gpEndpoint,
        Organisation sender,
        Instant occurredAt,
        String messageId) {

    public GpUpdate {
        Objects.requireNonNull(change, "change");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(serviceRequest, "serviceRequest");
        Objects.requireNonNull(patient, "patient");
        observations = observations == null ? List.of() : List.copyOf(observations);
        requireText(requestMessageHeaderId, "requestMessageHeaderId");
        requireText(correlationId, "correlationId");
        requireText(referringOdsCode, "referringOdsCode");
        requireText(gpEndpoint, "gpEndpoint");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(occurredAt, "occurredAt");
        requireText(messageId, "messageId");
    }

    /**
     * The MessageHeader id of the message about one change of one Task.
     *
     * @param taskId   our Task id
     * @param eventKey what makes the change unique for this Task, e.g. the platform's event id
     */
    public static String messageIdFor(String taskId, String eventKey) {
        return DeterministicIds.of("MessageHeader", taskId + "|" + eventKey);
    }

    /**
     * An organisation by its ODS code, with its name for display.
     *
     * @param odsCode the ODS organisation code ({@code https://fhir.nhs.uk/Id/ods-organization-code})
     * @param name    its name; may be null
     */
    public record Organisation(String odsCode, String name) {

        public Organisation {
            requireText(odsCode, "odsCode");
        }
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }
}
