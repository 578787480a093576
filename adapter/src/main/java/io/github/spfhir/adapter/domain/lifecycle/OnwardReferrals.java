package io.github.spfhir.adapter.domain.lifecycle;

import java.util.Date;
import java.util.TimeZone;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import io.github.spfhir.adapter.domain.directory.DirectoryIds;
import io.github.spfhir.adapter.domain.referral.DeterministicIds;

/**
 * The ServiceRequest of an onward referral: the link worker refers the person on to a community service found
 * in a directory. It is {@code basedOn} the social-prescribing ServiceRequest, and its performer is the
 * directory's HealthcareService, by the same id and identifier the directory sync gives it, so the two join up.
 */
final class OnwardReferrals {

    private OnwardReferrals() {
    }

    /** The onward referral's id: the same referral to the same service always gets the same id. */
    static String id(String referralId, ReferralEvent.OnwardReferral onward) {
        return DeterministicIds.of("ServiceRequest",
                "onward|" + referralId + "|" + onward.directorySourceId() + "|" + onward.serviceId());
    }

    static ServiceRequest build(ReferralEvent event, ServiceRequest socialPrescribing, Task task) {
        ReferralEvent.OnwardReferral onward = event.onwardReferral();
        String referralId = socialPrescribing.getIdElement().getIdPart();

        ServiceRequest request = new ServiceRequest();
        request.setId(id(referralId, onward));
        request.setMeta(new Meta().addProfile(LifecycleProfiles.ONWARD_REFERRAL));
        request.addBasedOn(new Reference("ServiceRequest/" + referralId));
        request.setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE);
        request.setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        // No category: the SP ServiceRequest's BaRS "referral" category names a BaRS message, and this
        // referral is recorded, never sent as one; no other category code is confirmed.
        request.setCode(new CodeableConcept().setText(LifecycleProfiles.ONWARD_REFERRAL_CODE_TEXT));
        request.setSubject(socialPrescribing.getSubject().copy());
        request.setAuthoredOnElement(dateTime(event.occurredAt()));
        request.setRequester(requester(event.linkWorker(), task));
        request.addPerformer(performer(onward));
        return request;
    }

    /** The link worker who made the referral, or the Task's owner (the link-worker service) when not named. */
    private static Reference requester(ReferralEvent.LinkWorker linkWorker, Task task) {
        boolean hasIdentifier = linkWorker != null && present(linkWorker.identifierSystem())
                && present(linkWorker.identifierValue());
        boolean hasName = linkWorker != null && present(linkWorker.name());
        if (!hasIdentifier && !hasName) {
            return task.getOwner().copy();
        }
        Reference reference = new Reference().setType("Practitioner");
        if (hasIdentifier) {
            reference.setIdentifier(new Identifier().setSystem(linkWorker.identifierSystem())
                    .setValue(linkWorker.identifierValue()));
        }
        if (hasName) {
            reference.setDisplay(linkWorker.name());
        }
        return reference;
    }

    private static Reference performer(ReferralEvent.OnwardReferral onward) {
        Reference reference = new Reference("HealthcareService/"
                + DirectoryIds.of("HealthcareService", onward.directorySourceId(), onward.serviceId()));
        reference.setType("HealthcareService");
        reference.setIdentifier(new Identifier().setSystem(DirectoryIds.identifierSystem(onward.directorySourceId()))
                .setValue(onward.serviceId()));
        if (present(onward.serviceName())) {
            reference.setDisplay(onward.serviceName());
        }
        return reference;
    }

    static DateTimeType dateTime(java.time.Instant instant) {
        TemporalPrecisionEnum precision = instant.getNano() == 0 ? TemporalPrecisionEnum.SECOND : TemporalPrecisionEnum.MILLI;
        return new DateTimeType(Date.from(instant), precision, TimeZone.getTimeZone("UTC"));
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
