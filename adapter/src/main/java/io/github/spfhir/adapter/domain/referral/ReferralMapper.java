package io.github.spfhir.adapter.domain.referral;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Task;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.domain.validation.Profiles;

/**
 * Maps a routed BaRS referral to what we emit: a social-prescribing ServiceRequest, its Task, the Patient, and
 * the canonical {@link Referral}. Plain Java: ids are derived from the sender's identifiers and time comes from
 * the injected clock, so the same message always maps to the same output.
 */
@Component
public class ReferralMapper {

    public static final String SNOMED = "http://snomed.info/sct";
    /** SNOMED CT UK 871731000000106 |Referral to social prescribing service| (standards.md §1). */
    public static final String SOCIAL_PRESCRIBING_REFERRAL = "871731000000106";
    public static final String BARS_CATEGORY_SYSTEM = "https://fhir.nhs.uk/CodeSystem/message-category-servicerequest";
    public static final String TASK_CODE_SYSTEM = "http://hl7.org/fhir/CodeSystem/task-code";
    private static final String URI_SYSTEM = "urn:ietf:rfc:3986";

    private final Clock clock;

    public ReferralMapper(Clock clock) {
        this.clock = clock;
    }

    public MappedReferral map(RoutedReferral routed) {
        ReferralMessage message = routed.message();
        ServiceRequest inbound = message.serviceRequest();
        String referralKey = referralKey(message);
        String serviceRequestId = DeterministicIds.of("ServiceRequest", referralKey);
        String taskId = DeterministicIds.of("Task", referralKey);
        String patientId = DeterministicIds.of("Patient", referralKey);

        Patient patient = mapPatient(message, patientId);
        Reference requester = organisationReference(message.senderOdsCode(), message.senderOrganisation().getName());
        AdapterProperties.Destination destination = routed.destination();
        Reference performer = serviceReference(routed);
        Reference owner = organisationReference(destination.organisationOdsCode(), destination.organisationName());
        DateTimeType authoredOn = inbound.hasAuthoredOn()
                ? inbound.getAuthoredOnElement().copy()
                : new DateTimeType(Date.from(clock.instant()), ca.uhn.fhir.model.api.TemporalPrecisionEnum.SECOND,
                        java.util.TimeZone.getTimeZone("UTC"));

        ServiceRequest serviceRequest = new ServiceRequest();
        serviceRequest.setId(serviceRequestId);
        serviceRequest.setMeta(new Meta().addProfile(Profiles.SERVICE_REQUEST));
        // Sender extensions are kept, known or not: dropping one could lose clinical meaning.
        inbound.getExtension().forEach(e -> serviceRequest.addExtension(e.copy()));
        serviceRequest.setIdentifier(senderIdentifiers(message));
        serviceRequest.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        serviceRequest.setIntent(inbound.getIntent());
        serviceRequest.setCategory(categories(inbound));
        if (inbound.hasPriority()) {
            serviceRequest.setPriority(inbound.getPriority());
        }
        serviceRequest.setCode(new CodeableConcept(new Coding(SNOMED, SOCIAL_PRESCRIBING_REFERRAL,
                "Referral to social prescribing service")));
        serviceRequest.setSubject(new Reference("Patient/" + patientId));
        if (inbound.hasOccurrence()) {
            serviceRequest.setOccurrence(inbound.getOccurrence().copy());
        }
        serviceRequest.setAuthoredOnElement(authoredOn.copy());
        serviceRequest.setRequester(requester.copy());
        serviceRequest.addPerformer(performer);
        inbound.getReasonCode().forEach(r -> serviceRequest.addReasonCode(r.copy()));
        inbound.getNote().forEach(n -> serviceRequest.addNote(n.copy()));

        Task task = new Task();
        task.setId(taskId);
        task.setMeta(new Meta().addProfile(Profiles.TASK));
        task.setStatus(Task.TaskStatus.REQUESTED);
        task.setIntent(Task.TaskIntent.ORDER);
        task.setCode(new CodeableConcept(new Coding(TASK_CODE_SYSTEM, "fulfill", "Fulfill the focal request")));
        task.setFocus(new Reference("ServiceRequest/" + serviceRequestId));
        task.setFor(new Reference("Patient/" + patientId));
        task.setAuthoredOnElement(authoredOn.copy());
        task.setRequester(requester.copy());
        task.setOwner(owner);

        Referral referral = canonical(routed, message, serviceRequest, taskId, patient);
        return new MappedReferral(routed, serviceRequest, task, patient, referral);
    }

    /** The sender's identity of the referral: its ODS code and its ServiceRequest identifier (or fullUrl). */
    static String referralKey(ReferralMessage message) {
        ServiceRequest sr = message.serviceRequest();
        String local;
        if (sr.hasIdentifier() && sr.getIdentifierFirstRep().hasValue()) {
            Identifier first = sr.getIdentifierFirstRep();
            local = first.getSystem() + "|" + first.getValue();
        } else if (message.serviceRequestFullUrl() != null) {
            local = message.serviceRequestFullUrl();
        } else {
            local = "ServiceRequest/" + sr.getIdElement().getIdPart();
        }
        return message.senderOdsCode().toUpperCase() + "|" + local;
    }

    private static List<Identifier> senderIdentifiers(ReferralMessage message) {
        List<Identifier> identifiers = new ArrayList<>();
        message.serviceRequest().getIdentifier().forEach(i -> identifiers.add(i.copy()));
        if (identifiers.isEmpty() && message.serviceRequestFullUrl() != null) {
            identifiers.add(new Identifier().setSystem(URI_SYSTEM).setValue(message.serviceRequestFullUrl()));
        }
        return identifiers;
    }

    private static List<CodeableConcept> categories(ServiceRequest inbound) {
        List<CodeableConcept> categories = new ArrayList<>();
        inbound.getCategory().forEach(c -> categories.add(c.copy()));
        boolean hasReferral = categories.stream().flatMap(c -> c.getCoding().stream())
                .anyMatch(c -> BARS_CATEGORY_SYSTEM.equals(c.getSystem()) && "referral".equals(c.getCode()));
        if (!hasReferral) {
            categories.add(new CodeableConcept(new Coding(BARS_CATEGORY_SYSTEM, "referral", "Transfer of Care")));
        }
        return categories;
    }

    private Patient mapPatient(ReferralMessage message, String patientId) {
        Patient patient = message.patient().copy();
        patient.setId(patientId);
        patient.setMeta(new Meta().addProfile(Profiles.PATIENT));
        // References to the message's other entries mean nothing outside it: keep who they name, by identifier.
        patient.setManagingOrganization(null);
        patient.setGeneralPractitioner(new ArrayList<>());
        patient.getContained().clear();
        return patient;
    }

    private static Reference organisationReference(String odsCode, String name) {
        Reference reference = new Reference();
        reference.setType("Organization");
        reference.setIdentifier(new Identifier().setSystem(BarsReferralReader.ODS_ORGANISATION_SYSTEM).setValue(odsCode));
        if (name != null && !name.isBlank()) {
            reference.setDisplay(name);
        }
        return reference;
    }

    private static Reference serviceReference(RoutedReferral routed) {
        String token = routed.routedBy().startsWith("practice:") && !routed.destination().serviceIdentifiers().isEmpty()
                ? routed.destination().serviceIdentifiers().get(0)
                : routed.routedBy();
        Reference reference = new Reference();
        reference.setType("HealthcareService");
        if (token.contains("|")) {
            int bar = token.indexOf('|');
            reference.setIdentifier(new Identifier().setSystem(token.substring(0, bar)).setValue(token.substring(bar + 1)));
        }
        reference.setDisplay(routed.destination().serviceName() != null ? routed.destination().serviceName()
                : routed.destinationId());
        return reference;
    }

    private static Referral canonical(RoutedReferral routed, ReferralMessage message, ServiceRequest sr, String taskId,
            Patient patient) {
        HumanName name = patient.getName().stream().filter(n -> n.getUse() == HumanName.NameUse.OFFICIAL).findFirst()
                .orElse(patient.getNameFirstRep());
        var address = patient.getAddressFirstRep();
        Referral.Person person = new Referral.Person(
                message.nhsNumber(),
                // a repeating string element can be there without a value (only an extension): it holds no text
                name.getGiven().stream().noneMatch(StringType::hasValue) ? null : String.join(" ",
                        name.getGiven().stream().filter(StringType::hasValue).map(StringType::getValue).toList()),
                name.getFamily(),
                patient.hasBirthDate() ? patient.getBirthDateElement().getValueAsString() : null,
                patient.hasGender() ? patient.getGender().toCode() : null,
                address.getLine().stream().filter(StringType::hasValue).map(StringType::getValue).toList(),
                address.getPostalCode(),
                telecom(patient.getTelecom(), ContactPoint.ContactPointSystem.PHONE),
                telecom(patient.getTelecom(), ContactPoint.ContactPointSystem.EMAIL));

        String practitionerName = null;
        String practitionerIdentifier = null;
        if (message.practitioner() != null) {
            HumanName pn = message.practitioner().getNameFirstRep();
            practitionerName = pn.hasText() ? pn.getText() : pn.getNameAsSingleString();
            practitionerIdentifier = message.practitioner().hasIdentifier()
                    ? message.practitioner().getIdentifierFirstRep().getValue() : null;
        }
        Organization sender = message.senderOrganisation();
        Referral.Referrer referrer = new Referral.Referrer(practitionerName, practitionerIdentifier,
                message.senderOdsCode(), sender.getName(),
                telecom(sender.getTelecom(), ContactPoint.ContactPointSystem.PHONE));

        AdapterProperties.Destination d = routed.destination();
        Identifier service = sr.getPerformerFirstRep().getIdentifier();
        Referral.Destination destination = new Referral.Destination(routed.destinationId(), service.getSystem(),
                service.getValue(), d.serviceName(), d.organisationOdsCode(), d.organisationName());

        List<Referral.CodedValue> identifiers = sr.getIdentifier().stream()
                .map(i -> new Referral.CodedValue(i.getSystem(), i.getValue(), null, null)).toList();
        List<Referral.CodedValue> reasons = new ArrayList<>();
        for (CodeableConcept reason : sr.getReasonCode()) {
            if (reason.hasCoding()) {
                for (Coding coding : reason.getCoding()) {
                    reasons.add(new Referral.CodedValue(coding.getSystem(), coding.getCode(), coding.getDisplay(),
                            reason.getText()));
                }
            } else {
                reasons.add(new Referral.CodedValue(null, null, null, reason.getText()));
            }
        }
        // an annotation without text (FHIR requires it; the profile check refuses it later) holds no note
        List<String> notes = sr.getNote().stream().filter(Annotation::hasText).map(Annotation::getText).toList();
        InboundMessage inbound = message.inbound();
        return new Referral(sr.getIdElement().getIdPart(), taskId, inbound.requestId(), inbound.correlationId(),
                identifiers, sr.getStatus().toCode(), sr.hasPriority() ? sr.getPriority().toCode() : null,
                sr.getAuthoredOnElement().getValueAsString(), person, referrer, destination, reasons, notes);
    }

    private static String telecom(List<ContactPoint> telecoms, ContactPoint.ContactPointSystem system) {
        return telecoms.stream().filter(t -> t.getSystem() == system && t.hasValue()).map(ContactPoint::getValue)
                .findFirst().orElse(null);
    }
}
