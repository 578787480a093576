package io.github.spfhir.adapter.domain.referral;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * A BaRS referral message, read and checked: the resources the referral is made of, resolved from the Bundle.
 *
 * @param inbound                the message as it arrived
 * @param bundle                 the parsed message Bundle
 * @param header                 the MessageHeader (first entry)
 * @param serviceRequest         the MessageHeader's focus
 * @param serviceRequestFullUrl  the focus entry's fullUrl (used for the id when the sender gave no identifier)
 * @param patient                ServiceRequest.subject
 * @param nhsNumber              the patient's NHS number, checked with Modulus 11
 * @param senderOrganisation     the referring organisation (MessageHeader.sender, else the requester's organisation)
 * @param senderOdsCode          its ODS code
 * @param practitioner           the referring practitioner, when the message names one
 * @param practitionerRole       the referring practitioner's role, when the message names one
 */
public record ReferralMessage(
        InboundMessage inbound,
        Bundle bundle,
        MessageHeader header,
        ServiceRequest serviceRequest,
        String serviceRequestFullUrl,
        Patient patient,
        String nhsNumber,
        Organization senderOrganisation,
        String senderOdsCode,
        Practitioner practitioner,
        PractitionerRole practitionerRole) {
}
