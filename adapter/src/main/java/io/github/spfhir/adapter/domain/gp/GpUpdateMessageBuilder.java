package io.github.spfhir.adapter.domain.gp;

import java.time.Clock;
import java.util.Date;
import java.util.TimeZone;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.referral.BarsReferralReader;
import io.github.spfhir.adapter.domain.referral.DeterministicIds;
import io.github.spfhir.adapter.domain.validation.Profiles;

/**
 * The message back to the referring GP system, as BaRS does feedback: the roles reverse and we POST a message
 * Bundle to the sender's {@code $process-message} (standards reference §4). This class builds the Bundle only;
 * sending it, with X-Request-ID and the referral's X-Correlation-ID, is delivery's job.
 *
 * <p>The Bundle ({@code type message}, id and MessageHeader id deterministic, timestamp from the clock) holds, in
 * this order: the MessageHeader; the Task; the ServiceRequest; the Patient; for ACCEPTED and DECLINED the coded
 * entry (an Observation meeting {@link CodedEntries#PROFILE}) that makes the practice record count the activity;
 * then the outcome Observations. Every fullUrl is {@code <our FHIR base>/<type>/<id>}, as in the synchronous
 * referral response ({@code ResponseMessageBuilder}), so the resources' relative references resolve in the Bundle.
 *
 * <p>The MessageHeader: event {@code servicerequest-response} (BaRS {@code message-events-bars}); reason
 * {@code new} for the first answer to the referral (accepted or declined), {@code update} for later news (BaRS:
 * reason says whether the message is new or an update to something the receiver already knows);
 * {@code response.identifier} the id of the GP's referral MessageHeader and {@code response.code ok}; focus the
 * Task, then the ServiceRequest; source our FHIR base; sender the link-worker organisation and destination the
 * referring organisation, both by ODS code, with the GP's endpoint.
 *
 * <p>No {@code MessageHeader.definition}: the one BaRS MessageDefinition for this event,
 * {@code https://fhir.nhs.uk/MessageDefinition/bars-message-servicerequest-response-referral}, describes a response
 * focused on the responder's Encounter, and no Task appears anywhere in BaRS. A BaRS receiver must reject a message
 * that does not adhere to the definition it claims, so claiming it for a Task-focused message would be wrong.
 */
@Component
public class GpUpdateMessageBuilder {

    /** BaRS {@code message-reason-bars}: the first message about something. */
    public static final String REASON_NEW = "new";
    /** BaRS {@code message-reason-bars}: news about something the receiver already knows. */
    public static final String REASON_UPDATE = "update";

    static final String ODS_ORGANISATION_SYSTEM = BarsReferralReader.ODS_ORGANISATION_SYSTEM;

    private final Clock clock;
    private final String baseUrl;

    @Autowired
    public GpUpdateMessageBuilder(Clock clock, AdapterProperties properties) {
        this(clock, properties.fhir().baseUrl());
    }

    /** @param ourFhirBase our FHIR API's base, for {@code MessageHeader.source.endpoint} and the fullUrls */
    public GpUpdateMessageBuilder(Clock clock, String ourFhirBase) {
        this.clock = clock;
        this.baseUrl = ourFhirBase.replaceAll("/+$", "");
    }

    /**
     * @return the message Bundle; the update's resources are copied, never changed
     * @throws IllegalArgumentException if a resource has no id, or the resources are not about one referral of one
     *                                  person (the Task's focus is not the ServiceRequest, or the Task, ServiceRequest
     *                                  or an Observation is about another Patient): such a message would put one
     *                                  person's news in another's record
     */
    public Bundle build(GpUpdate update) {
        String taskId = idOf(update.task());
        String serviceRequestId = idOf(update.serviceRequest());
        String patientId = idOf(update.patient());
        requirePointsAt(update.task().getFocus(), "ServiceRequest", serviceRequestId, "Task.focus");
        requirePointsAt(update.task().getFor(), "Patient", patientId, "Task.for");
        requirePointsAt(update.serviceRequest().getSubject(), "Patient", patientId, "ServiceRequest.subject");
        for (Observation observation : update.observations()) {
            idOf(observation);
            requirePointsAt(observation.getSubject(), "Patient", patientId, "Observation.subject");
        }

        Bundle bundle = new Bundle();
        bundle.setId(DeterministicIds.of("Bundle", update.messageId()));
        bundle.setType(Bundle.BundleType.MESSAGE);
        bundle.setTimestampElement(new InstantType(Date.from(clock.instant()), TemporalPrecisionEnum.MILLI,
                TimeZone.getTimeZone("UTC")));
        add(bundle, header(update, taskId, serviceRequestId));
        add(bundle, update.task().copy());
        add(bundle, update.serviceRequest().copy());
        add(bundle, update.patient().copy());
        if (update.change().codedEntryCode() != null) {
            add(bundle, codedEntry(update, serviceRequestId, patientId));
        }
        for (Observation observation : update.observations()) {
            add(bundle, observation.copy());
        }
        return bundle;
    }

    private MessageHeader header(GpUpdate update, String taskId, String serviceRequestId) {
        MessageHeader header = new MessageHeader();
        header.setId(update.messageId());
        header.setEvent(new Coding(BarsReferralReader.BARS_EVENT_SYSTEM, BarsReferralReader.EVENT_REFERRAL_RESPONSE,
                "Referral response"));
        header.addDestination()
                .setEndpoint(update.gpEndpoint())
                .setReceiver(organisation(update.referringOdsCode(), null));
        header.setSender(organisation(update.sender().odsCode(), update.sender().name()));
        header.setSource(new MessageHeader.MessageSourceComponent().setName("sp-fhir-adapter").setEndpoint(baseUrl));
        header.setReason(new CodeableConcept(new Coding(BarsReferralReader.BARS_REASON_SYSTEM,
                update.change().messageReason(), null)));
        header.setResponse(new MessageHeader.MessageHeaderResponseComponent()
                .setIdentifier(update.requestMessageHeaderId())
                .setCode(MessageHeader.ResponseType.OK));
        header.addFocus(new Reference("Task/" + taskId));
        header.addFocus(new Reference("ServiceRequest/" + serviceRequestId));
        return header;
    }

    /**
     * The coded entry: one per referral and code (its id is derived from both), so the same news sent twice
     * files one entry, and "Referral to social prescribing service" stays the first interaction of the episode.
     */
    private Observation codedEntry(GpUpdate update, String serviceRequestId, String patientId) {
        String code = update.change().codedEntryCode();
        Observation entry = new Observation();
        entry.setId(DeterministicIds.of("Observation", "coded-entry|" + serviceRequestId + "|" + code));
        entry.getMeta().addProfile(CodedEntries.PROFILE);
        entry.addBasedOn(new Reference("ServiceRequest/" + serviceRequestId));
        entry.setStatus(Observation.ObservationStatus.FINAL);
        entry.setCode(new CodeableConcept(new Coding(Profiles.SNOMED_CT, code, update.change().codedEntryDisplay())));
        entry.setSubject(new Reference("Patient/" + patientId));
        entry.setEffective(new DateTimeType(Date.from(update.occurredAt()), TemporalPrecisionEnum.SECOND,
                TimeZone.getTimeZone("UTC")));
        entry.addPerformer(organisation(update.sender().odsCode(), update.sender().name()));
        return entry;
    }

    private static Reference organisation(String odsCode, String name) {
        Reference reference = new Reference().setType("Organization")
                .setIdentifier(new Identifier().setSystem(ODS_ORGANISATION_SYSTEM).setValue(odsCode));
        return name == null || name.isBlank() ? reference : reference.setDisplay(name);
    }

    private void add(Bundle bundle, Resource resource) {
        bundle.addEntry().setFullUrl(baseUrl + "/" + resource.fhirType() + "/" + idOf(resource)).setResource(resource);
    }

    private static String idOf(Resource resource) {
        String id = resource.getIdElement().getIdPart();
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(resource.fhirType() + " has no id");
        }
        return id;
    }

    /** Messages name the element and the expected type only: never a value from the resources. */
    private static void requirePointsAt(Reference reference, String type, String id, String element) {
        IdType target = reference == null || !reference.hasReference() ? null : new IdType(reference.getReference());
        if (target == null || !type.equals(target.getResourceType()) || !id.equals(target.getIdPart())) {
            throw new IllegalArgumentException(element + " does not reference the " + type + " of this update");
        }
    }
}
