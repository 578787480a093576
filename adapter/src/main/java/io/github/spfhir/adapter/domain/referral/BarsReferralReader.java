package io.github.spfhir.adapter.domain.referral;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MessageHeader;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.validation.NhsNumber;
import io.github.spfhir.adapter.domain.validation.Problem;

/**
 * Reads a BaRS referral message (standards.md §4): a message Bundle whose first entry is a MessageHeader with
 * event {@code servicerequest-request}, reason {@code new}, focus the ServiceRequest; the ServiceRequest's subject
 * a Patient with a valid NHS number; a referring organisation with an ODS code. Every problem found is reported
 * at once, each with the FHIRPath of the element, so a sender can fix a message in one round.
 *
 * <p>BaRS's own ServiceRequest shape is accepted as it is: {@code intent = plan}, category {@code referral}, and
 * no {@code code} (the destination service defines what is requested).
 */
@Component
public class BarsReferralReader {

    public static final String BARS_EVENT_SYSTEM = "https://fhir.nhs.uk/CodeSystem/message-events-bars";
    public static final String EVENT_REFERRAL_REQUEST = "servicerequest-request";
    public static final String EVENT_REFERRAL_RESPONSE = "servicerequest-response";
    public static final String BARS_REASON_SYSTEM = "https://fhir.nhs.uk/CodeSystem/message-reason-bars";
    public static final String NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";
    public static final String ODS_ORGANISATION_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code";
    /** What an ODS organisation code looks like (a trust RX9, a site RX9FP, a practice A81001): a sanity check only. */
    private static final java.util.regex.Pattern ODS_CODE_FORMAT = java.util.regex.Pattern.compile("^[A-Za-z0-9]{3,10}$");

    private static final String HEADER_PATH = "Bundle.entry[0].resource.ofType(MessageHeader)";

    private static final ZoneId UK = ZoneId.of("Europe/London");

    private final Clock clock;

    public BarsReferralReader(Clock clock) {
        this.clock = clock;
    }

    public ReferralMessage read(ReferralBundleParser.ParsedMessage parsed) {
        Bundle bundle = parsed.bundle();
        List<Problem> problems = new ArrayList<>();
        if (bundle.getType() != Bundle.BundleType.MESSAGE) {
            problems.add(Problem.error(IssueType.INVALID, "Bundle.type must be 'message' for $process-message, not '"
                    + (bundle.hasType() ? bundle.getType().toCode() : "absent") + "'", "Bundle.type"));
        }
        if (bundle.getEntry().isEmpty() || !(bundle.getEntryFirstRep().getResource() instanceof MessageHeader)) {
            problems.add(Problem.error(IssueType.REQUIRED, "The first entry of a message Bundle must be a MessageHeader",
                    "Bundle.entry[0].resource"));
            throw invalid(problems);
        }
        BundleReferences references = new BundleReferences(bundle);
        MessageHeader header = (MessageHeader) bundle.getEntryFirstRep().getResource();
        checkEvent(header, problems);

        ServiceRequest serviceRequest = null;
        String serviceRequestFullUrl = null;
        if (!header.hasFocus()) {
            problems.add(Problem.error(IssueType.REQUIRED, "MessageHeader.focus must reference the ServiceRequest",
                    HEADER_PATH + ".focus"));
        } else {
            Optional<Bundle.BundleEntryComponent> focus = references.entry(header.getFocusFirstRep());
            if (focus.isEmpty()) {
                problems.add(Problem.error(IssueType.NOTFOUND, "MessageHeader.focus points to no entry of the Bundle",
                        HEADER_PATH + ".focus[0]"));
            } else if (focus.get().getResource() == null) {
                // an entry with a fullUrl but no resource: found by its fullUrl, yet there is nothing to read
                problems.add(Problem.error(IssueType.REQUIRED, "MessageHeader.focus points to a Bundle entry that has "
                        + "no resource", HEADER_PATH + ".focus[0]"));
            } else if (!(focus.get().getResource() instanceof ServiceRequest sr)) {
                problems.add(Problem.error(IssueType.INVALID, "MessageHeader.focus must be a ServiceRequest, not a "
                        + focus.get().getResource().fhirType(), HEADER_PATH + ".focus[0]"));
            } else {
                serviceRequest = sr;
                serviceRequestFullUrl = focus.get().getFullUrl();
            }
        }
        if (serviceRequest == null) {
            throw invalid(problems);
        }
        String srPath = "Bundle.entry.resource.ofType(ServiceRequest)";
        checkServiceRequest(serviceRequest, srPath, problems);

        Patient patient = null;
        String nhsNumber = null;
        if (!serviceRequest.hasSubject()) {
            problems.add(Problem.error(IssueType.REQUIRED, "ServiceRequest.subject must reference the Patient", srPath + ".subject"));
        } else {
            patient = references.resolve(serviceRequest.getSubject(), Patient.class).orElse(null);
            if (patient == null) {
                problems.add(Problem.error(IssueType.NOTFOUND,
                        "ServiceRequest.subject must reference a Patient entry of the Bundle", srPath + ".subject"));
            } else {
                nhsNumber = checkPatient(patient, problems);
            }
        }

        Practitioner practitioner = null;
        PractitionerRole practitionerRole = null;
        Organization requesterOrganisation = null;
        if (!serviceRequest.hasRequester()) {
            problems.add(Problem.error(IssueType.REQUIRED, "ServiceRequest.requester must name who referred",
                    srPath + ".requester"));
        } else {
            Reference requester = serviceRequest.getRequester();
            practitionerRole = references.resolve(requester, PractitionerRole.class).orElse(null);
            practitioner = references.resolve(requester, Practitioner.class).orElse(null);
            requesterOrganisation = references.resolve(requester, Organization.class).orElse(null);
            if (practitionerRole != null) {
                practitioner = references.resolve(practitionerRole.getPractitioner(), Practitioner.class).orElse(null);
                requesterOrganisation = references.resolve(practitionerRole.getOrganization(), Organization.class).orElse(null);
            }
            if (practitionerRole == null && practitioner == null && requesterOrganisation == null) {
                problems.add(Problem.error(IssueType.NOTFOUND, "ServiceRequest.requester must reference a Practitioner, "
                        + "PractitionerRole or Organization entry of the Bundle", srPath + ".requester"));
            }
        }

        Organization sender = header.hasSender()
                ? references.resolve(header.getSender(), Organization.class).orElse(null)
                : null;
        if (header.hasSender() && sender == null) {
            problems.add(Problem.error(IssueType.NOTFOUND, "MessageHeader.sender must reference an Organization entry "
                    + "of the Bundle", HEADER_PATH + ".sender"));
        }
        Organization senderOrganisation = sender != null ? sender : requesterOrganisation;
        String senderOdsCode = senderOrganisation == null ? null : odsCode(senderOrganisation);
        if (senderOdsCode == null && problems.stream().noneMatch(p -> p.expression() != null
                && p.expression().startsWith(HEADER_PATH + ".sender"))) {
            problems.add(Problem.error(IssueType.REQUIRED, "The referring organisation (MessageHeader.sender, or the "
                    + "requester's organisation) must carry an ODS code (" + ODS_ORGANISATION_SYSTEM + ")",
                    HEADER_PATH + ".sender"));
        } else if (senderOdsCode != null && !ODS_CODE_FORMAT.matcher(senderOdsCode).matches()) {
            // the code decides which GP system may send and read the referral: a malformed one is refused, not
            // stored (and not quoted: it could be anything)
            problems.add(Problem.error(IssueType.VALUE, "The referring organisation's ODS code is malformed: an ODS "
                    + "organisation code is 3 to 10 letters and digits", HEADER_PATH + ".sender"));
        }

        if (!problems.isEmpty()) {
            throw invalid(problems);
        }
        return new ReferralMessage(parsed.inbound(), bundle, header, serviceRequest, serviceRequestFullUrl, patient,
                nhsNumber, senderOrganisation, senderOdsCode, practitioner, practitionerRole);
    }

    private static void checkEvent(MessageHeader header, List<Problem> problems) {
        if (!(header.getEvent() instanceof Coding event) || !BARS_EVENT_SYSTEM.equals(event.getSystem())
                || !EVENT_REFERRAL_REQUEST.equals(event.getCode())) {
            // referral responses never reach this reader: $process-message sends them to the events flow
            problems.add(Problem.error(IssueType.NOTSUPPORTED, "MessageHeader.eventCoding must be "
                    + BARS_EVENT_SYSTEM + "#" + EVENT_REFERRAL_REQUEST + "; this endpoint accepts referral requests,"
                    + " and " + EVENT_REFERRAL_RESPONSE + " from the link-worker platform a referral was sent to",
                    HEADER_PATH + ".event"));
        }
        if (header.hasReason()) {
            Optional<Coding> reason = header.getReason().getCoding().stream()
                    .filter(c -> BARS_REASON_SYSTEM.equals(c.getSystem())).findFirst();
            if (reason.isPresent() && !"new".equals(reason.get().getCode())) {
                problems.add(Problem.error(IssueType.NOTSUPPORTED, "MessageHeader.reason '" + reason.get().getCode()
                        + "' is not supported yet: only 'new' referrals are accepted", HEADER_PATH + ".reason"));
            }
        }
    }

    private static void checkServiceRequest(ServiceRequest sr, String path, List<Problem> problems) {
        if (sr.getStatus() != ServiceRequest.ServiceRequestStatus.ACTIVE) {
            problems.add(Problem.error(IssueType.VALUE, "A new referral's ServiceRequest.status must be 'active', not '"
                    + (sr.hasStatus() ? sr.getStatus().toCode() : "absent") + "'", path + ".status"));
        }
        if (!sr.hasIntent()) {
            problems.add(Problem.error(IssueType.REQUIRED, "ServiceRequest.intent is required", path + ".intent"));
        }
    }

    private String checkPatient(Patient patient, List<Problem> problems) {
        String path = "Bundle.entry.resource.ofType(Patient)";
        List<Identifier> nhsNumbers = patient.getIdentifier().stream()
                .filter(i -> NHS_NUMBER_SYSTEM.equals(i.getSystem())).toList();
        String nhsNumber = null;
        if (nhsNumbers.isEmpty()) {
            problems.add(Problem.error(IssueType.REQUIRED, "The Patient must carry an NHS number (identifier with system "
                    + NHS_NUMBER_SYSTEM + ")", path + ".identifier"));
        } else if (nhsNumbers.size() > 1) {
            problems.add(Problem.error(IssueType.INVALID, "The Patient carries more than one NHS number",
                    path + ".identifier"));
        } else {
            nhsNumber = nhsNumbers.get(0).getValue();
            if (!NhsNumber.isValid(nhsNumber)) {
                // the value itself is patient data: never quoted back
                problems.add(Problem.error(IssueType.VALUE, "The NHS number is not valid: it must be 10 digits "
                        + "passing the Modulus 11 check", path + ".identifier.where(system='" + NHS_NUMBER_SYSTEM
                        + "').value"));
                nhsNumber = null;
            }
        }
        if (patient.hasBirthDate() && isAfterToday(patient.getBirthDateElement().getValueAsString())) {
            problems.add(Problem.error(IssueType.VALUE, "Patient.birthDate is in the future", path + ".birthDate"));
        }
        return nhsNumber;
    }

    /** A FHIR date (YYYY, YYYY-MM or YYYY-MM-DD) that starts after today in the UK. */
    private boolean isAfterToday(String fhirDate) {
        LocalDate today = LocalDate.now(clock.withZone(UK));
        String padded = switch (fhirDate.length()) {
            case 4 -> fhirDate + "-01-01";
            case 7 -> fhirDate + "-01";
            default -> fhirDate.substring(0, Math.min(10, fhirDate.length()));
        };
        return LocalDate.parse(padded).isAfter(today);
    }

    static String odsCode(Organization organisation) {
        return organisation.getIdentifier().stream()
                .filter(i -> ODS_ORGANISATION_SYSTEM.equalsIgnoreCase(i.getSystem()) && i.hasValue())
                .map(Identifier::getValue).findFirst().orElse(null);
    }

    private static RejectedMessageException invalid(List<Problem> problems) {
        return new RejectedMessageException(RejectionReason.INVALID_CONTENT, problems);
    }
}
