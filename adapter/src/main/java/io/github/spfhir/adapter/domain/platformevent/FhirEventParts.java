package io.github.spfhir.adapter.domain.platformevent;

import java.time.Instant;
import java.util.List;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;

import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent;
import io.github.spfhir.adapter.domain.referral.Referral.CodedValue;
import io.github.spfhir.adapter.domain.validation.Problem;

/** What the FHIR readers of platform events share: references, reasons, link workers and timestamps. */
final class FhirEventParts {

    private FhirEventParts() {
    }

    /** {@code Type/id} of a reference, relative or absolute, without version; null when it has none. */
    static String typeAndId(Reference reference) {
        if (reference == null || !reference.hasReference()) {
            return null;
        }
        IdType id = new IdType(reference.getReference());
        if (!id.hasResourceType() || !id.hasIdPart()) {
            return reference.getReference();
        }
        return id.getResourceType() + "/" + id.getIdPart();
    }

    /** The first coding and the text of a CodeableConcept; null when it has neither. */
    static CodedValue codedValue(CodeableConcept concept) {
        if (concept == null || concept.isEmpty()) {
            return null;
        }
        Coding coding = concept.getCodingFirstRep();
        String text = concept.hasText() ? concept.getText() : null;
        if (!coding.hasCode() && text == null && !coding.hasDisplay()) {
            return null;
        }
        return new CodedValue(coding.hasCode() ? coding.getSystem() : null, coding.hasCode() ? coding.getCode() : null,
                coding.hasDisplay() ? coding.getDisplay() : null, text);
    }

    /**
     * The link worker from a reference to a Practitioner or PractitionerRole (a Task's owner, once the platform
     * has given the referral to a person); null for anything else, such as our link-worker Organization.
     */
    static ReferralEvent.LinkWorker linkWorker(Reference reference) {
        if (reference == null || reference.isEmpty()) {
            return null;
        }
        String type = reference.hasType() ? reference.getType() : null;
        String typeAndId = typeAndId(reference);
        if (type == null && typeAndId != null && typeAndId.contains("/")) {
            type = typeAndId.substring(0, typeAndId.indexOf('/'));
        }
        if (!"Practitioner".equals(type) && !"PractitionerRole".equals(type)) {
            return null;
        }
        String name = reference.hasDisplay() ? reference.getDisplay() : null;
        String system = reference.getIdentifier().hasValue() ? reference.getIdentifier().getSystem() : null;
        String value = reference.getIdentifier().hasValue() ? reference.getIdentifier().getValue() : null;
        return name == null && value == null ? null : new ReferralEvent.LinkWorker(name, system, value);
    }

    /**
     * A FHIR dateTime or instant as an instant: required, with a time and a UTC offset. Null after recording a
     * problem at {@code path} when it is not.
     */
    static Instant instant(PrimitiveType<?> value, String path, List<Problem> problems) {
        if (value == null || value.isEmpty() || value.getValueAsString() == null) {
            problems.add(Problem.error(IssueType.REQUIRED, path + " is required: it says when this happened, which orders"
                    + " late and out-of-order events", path));
            return null;
        }
        EventTimes.Parsed parsed = EventTimes.parse(value.getValueAsString());
        if (parsed.instant() == null) {
            problems.add(Problem.error(IssueType.VALUE, path + " " + parsed.fault(), path));
        }
        return parsed.instant();
    }
}
