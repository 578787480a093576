package io.github.spfhir.adapter.domain.outcome;

import java.util.Objects;

import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.QuestionnaireResponse;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseItemComponent;
import org.hl7.fhir.r4.model.QuestionnaireResponse.QuestionnaireResponseStatus;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Type;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.lifecycle.EventKind;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent.ItemAnswer;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent.LinkWorker;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent.OutcomeMeasure;
import io.github.spfhir.adapter.domain.referral.DeterministicIds;

/**
 * An outcome-measure event ({@link EventKind#OUTCOME_RECORDED}) as a FHIR Observation (profile
 * {@link OutcomeProfiles#OBSERVATION}), and its item answers, when sent, as a QuestionnaireResponse the
 * Observation is derived from. Plain Java: no clock, no I/O; the same event always gives the same resources.
 *
 * <p>Baseline and follow-up are told apart by the LOCAL extension {@link OutcomeProfiles#TIMING_EXTENSION}
 * rather than by the code, the category or a component: both Observations of one scale keep the same
 * Observation.code and basedOn, so {@code Observation?based-on=ServiceRequest/x&code=...} returns them together
 * and effectiveDateTime orders them. The category means "what kind of observation" and a component would be a
 * second measured value; neither is "when in the episode", and FHIR R4 has no element for it.
 */
@Component
public class OutcomeObservationMapper {

    /**
     * @param event                    an OUTCOME_RECORDED event with its measure
     * @param socialPrescribingRequest the referral the measure belongs to (our SocialPrescribingServiceRequest,
     *                                 with its id and subject)
     * @return the Observation and, when item answers were sent, their QuestionnaireResponse
     * @throws OutcomeMeasureRejectedException when the measure is unknown, incomplete or inconsistent, with
     *                                         every fault found
     * @throws IllegalArgumentException        when the event is of another kind or names another referral, or
     *                                         the ServiceRequest has no id or subject (a fault of the caller, not
     *                                         of the platform)
     */
    public MappedOutcome map(ReferralEvent event, ServiceRequest socialPrescribingRequest) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(socialPrescribingRequest, "socialPrescribingRequest");
        if (event.kind() != EventKind.OUTCOME_RECORDED) {
            throw new IllegalArgumentException("Not an outcome-measure event: " + event.kind());
        }
        String serviceRequestId = socialPrescribingRequest.getIdElement().getIdPart();
        if (serviceRequestId == null || !socialPrescribingRequest.hasSubject()) {
            throw new IllegalArgumentException("The ServiceRequest needs an id and a subject");
        }
        if (event.referralId() != null && !event.referralId().equals(serviceRequestId)) {
            // a measure attached to another person's referral would be a clinical-safety fault: never map it
            throw new IllegalArgumentException("The event is about referral " + event.referralId()
                    + ", not ServiceRequest " + serviceRequestId);
        }
        var problems = OutcomeMeasureRules.check(event);
        if (!problems.isEmpty()) {
            throw new OutcomeMeasureRejectedException(problems);
        }
        OutcomeMeasure measure = event.measure();
        OutcomeInstrument instrument = OutcomeInstrument.fromCode(measure.instrument()).orElseThrow();
        String eventKey = event.platformId() + "|" + event.eventId();
        Identifier eventIdentifier = new Identifier()
                .setSystem(OutcomeProfiles.platformEventIdentifierSystem(event.platformId()))
                .setValue(event.eventId());
        Reference basedOn = new Reference("ServiceRequest/" + serviceRequestId);
        Reference subject = subjectOf(socialPrescribingRequest);
        Reference linkWorker = linkWorkerReference(event.linkWorker());

        QuestionnaireResponse answers = null;
        if (!measure.items().isEmpty()) {
            answers = new QuestionnaireResponse();
            answers.setId(DeterministicIds.of("QuestionnaireResponse", eventKey));
            answers.setIdentifier(eventIdentifier.copy());
            answers.addBasedOn(basedOn.copy());
            answers.setStatus(QuestionnaireResponseStatus.COMPLETED);
            answers.setSubject(subject.copy());
            answers.setAuthoredElement(new DateTimeType(event.occurredAt().toString()));
            if (linkWorker != null) {
                answers.setAuthor(linkWorker.copy());
            }
            for (ItemAnswer answer : measure.items()) {
                QuestionnaireResponseItemComponent item = answers.addItem().setLinkId(answer.linkId());
                if (answer.text() != null && !answer.text().isBlank()) {
                    item.setText(answer.text());
                }
                // whole numbers: checked by OutcomeMeasureRules
                item.addAnswer().setValue(new IntegerType(answer.value().intValueExact()));
            }
        }

        Observation observation = new Observation();
        observation.setId(observationId(event.platformId(), event.eventId()));
        observation.setMeta(new Meta().addProfile(OutcomeProfiles.OBSERVATION));
        if (measure.timing() != null) {
            observation.addExtension(OutcomeProfiles.TIMING_EXTENSION,
                    new CodeType(OutcomeTiming.fromCode(measure.timing()).orElseThrow().code()));
        }
        observation.addIdentifier(eventIdentifier);
        observation.addBasedOn(basedOn);
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory(new CodeableConcept(new Coding(OutcomeProfiles.OBSERVATION_CATEGORY_SYSTEM,
                OutcomeProfiles.CATEGORY_SURVEY, OutcomeProfiles.CATEGORY_SURVEY_DISPLAY)));
        observation.setCode(new CodeableConcept(instrument.coding()));
        observation.setSubject(subject);
        observation.setEffective(new DateTimeType(event.occurredAt().toString()));
        if (linkWorker != null) {
            observation.addPerformer(linkWorker);
        }
        observation.setValue(value(instrument, measure));
        if (answers != null) {
            observation.addDerivedFrom(new Reference("QuestionnaireResponse/" + answers.getIdElement().getIdPart()));
        }
        return new MappedOutcome(observation, answers);
    }

    /**
     * The id of the Observation an outcome-measure event becomes: derived from the platform and the event id, so
     * the same event always gives the same Observation, and whoever holds the event can find it.
     */
    public static String observationId(String platformId, String eventId) {
        return DeterministicIds.of("Observation", platformId + "|" + eventId);
    }

    private static Type value(OutcomeInstrument instrument, OutcomeMeasure measure) {
        if (instrument.wholeNumbers()) {
            // 45.0 is accepted as 45 (OutcomeMeasureRules.isWhole); nothing is rounded
            return new IntegerType(measure.score().stripTrailingZeros().intValueExact());
        }
        // the decimal as sent, precision kept
        return new Quantity().setValue(measure.score()).setSystem(OutcomeProfiles.UCUM).setCode(OutcomeProfiles.UCUM_SCORE);
    }

    /**
     * The referral's subject, by reference and identifier as the ServiceRequest holds it; its display (a
     * name) is not copied, so a person's name is not spread into every measure.
     */
    private static Reference subjectOf(ServiceRequest request) {
        Reference source = request.getSubject();
        Reference subject = new Reference();
        if (source.hasReference()) {
            subject.setReference(source.getReference());
        }
        if (source.hasType()) {
            subject.setType(source.getType());
        }
        if (source.hasIdentifier()) {
            subject.setIdentifier(source.getIdentifier().copy());
        }
        return subject;
    }

    /** The link worker by identifier and name (the platform's own staff id), or null when the event names none. */
    private static Reference linkWorkerReference(LinkWorker linkWorker) {
        if (linkWorker == null) {
            return null;
        }
        Reference reference = new Reference();
        if (linkWorker.identifierValue() != null && !linkWorker.identifierValue().isBlank()) {
            reference.setType("Practitioner");
            Identifier identifier = new Identifier().setValue(linkWorker.identifierValue());
            if (linkWorker.identifierSystem() != null && !linkWorker.identifierSystem().isBlank()) {
                identifier.setSystem(linkWorker.identifierSystem());
            }
            reference.setIdentifier(identifier);
        }
        if (linkWorker.name() != null && !linkWorker.name().isBlank()) {
            reference.setDisplay(linkWorker.name());
        }
        return reference.isEmpty() ? null : reference;
    }
}
