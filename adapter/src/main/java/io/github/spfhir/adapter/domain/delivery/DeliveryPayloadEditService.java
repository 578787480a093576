package io.github.spfhir.adapter.domain.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.spfhir.adapter.domain.access.Caller;
import io.github.spfhir.adapter.domain.referral.InboundMessage.FhirFormat;
import io.github.spfhir.adapter.domain.referral.ReferralBundleParser;
import io.github.spfhir.adapter.domain.referral.RejectedMessageException;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.validation.EmittedResourceValidator;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.store.DeliveryEdit;
import io.github.spfhir.adapter.store.DeliveryEditStore;
import io.github.spfhir.adapter.store.DeliveryRecord;
import io.github.spfhir.adapter.store.DeliveryState;
import io.github.spfhir.adapter.store.MessageStore;

/**
 * An operator's correction of a failed delivery's payload, before replaying it: only a FAILED delivery may be
 * corrected (a pending one may be on its way, a delivered one is done); the new payload must read as the delivery's
 * content type; a FHIR payload must stay the same kind of resource and may not break any of our profiles that the
 * payload as emitted met (checked with the shared {@link EmittedResourceValidator}). The payload before and after,
 * who and when are recorded with the change, in one transaction. The delivery stays FAILED: a replay sends it.
 *
 * <p>Payloads are patient data: nothing here logs them or quotes them in a problem.
 */
@Service
public class DeliveryPayloadEditService {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryPayloadEditService.class);
    /** How validation problems name the resources checked (the same before and after, so they compare). */
    private static final String PAYLOAD = "in this delivery's payload";

    private final MessageStore store;
    private final DeliveryEditStore edits;
    private final ReferralBundleParser fhirParser;
    private final EmittedResourceValidator validator;
    /** Trailing content after the JSON value is an error too: a partner would read only the first value. */
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public DeliveryPayloadEditService(MessageStore store, DeliveryEditStore edits, ReferralBundleParser fhirParser,
            EmittedResourceValidator validator) {
        this.store = store;
        this.edits = edits;
        this.fhirParser = fhirParser;
        this.validator = validator;
    }

    /**
     * Replaces the payload of a FAILED delivery.
     *
     * @param editor who asks (an operator: the HTTP door lets no one else reach this)
     * @param reason why, in the operator's words (optional; stored with the edit, never logged)
     */
    public EditResult edit(String deliveryId, String newPayload, Caller editor, String reason) {
        Optional<DeliveryRecord> found = store.findDelivery(deliveryId);
        if (found.isEmpty()) {
            return EditResult.of(EditResult.Outcome.NOT_FOUND, "No delivery " + deliveryId);
        }
        DeliveryRecord delivery = found.get();
        if (delivery.state() != DeliveryState.FAILED) {
            return EditResult.of(EditResult.Outcome.NOT_FAILED, "Delivery " + deliveryId + " is " + delivery.state()
                    + ": only a FAILED delivery's payload may be corrected (a pending one may be on its way, a "
                    + "delivered one is done)");
        }
        if (newPayload == null || newPayload.isBlank()) {
            return EditResult.of(EditResult.Outcome.UNREADABLE, "The new payload is empty");
        }
        List<Problem> problems;
        try {
            problems = check(delivery, newPayload);
        } catch (RejectedMessageException unreadable) {
            return new EditResult(EditResult.Outcome.UNREADABLE, null, unreadable.problems());
        }
        if (!problems.isEmpty()) {
            return new EditResult(EditResult.Outcome.INVALID, null, problems);
        }
        Optional<DeliveryEdit> edit = edits.replaceFailedPayload(deliveryId, delivery.payload(), newPayload,
                editor.clientId(), editor.issuer(), editor.role().id(), reason);
        if (edit.isEmpty()) {
            return EditResult.of(EditResult.Outcome.NOT_FAILED, "Delivery " + deliveryId
                    + " changed while the correction was checked (replayed, or corrected by someone else); read it again");
        }
        LOG.info("Payload of delivery {} of referral {} to {} corrected by {} (edit {}); replay it to send it",
                deliveryId, delivery.referralId(), delivery.destinationId(), editor.clientId(), edit.get().id());
        return new EditResult(EditResult.Outcome.EDITED, edit.get(), List.of());
    }

    /** The corrections made to a delivery's payload, oldest first. */
    public List<DeliveryEdit> editsOf(String deliveryId) {
        return edits.edits(deliveryId);
    }

    /**
     * The problems of a new payload; throws {@link RejectedMessageException} when it does not even read as the
     * delivery's content type.
     */
    private List<Problem> check(DeliveryRecord delivery, String newPayload) {
        String contentType = delivery.contentType() == null ? "" : delivery.contentType().toLowerCase(Locale.ROOT);
        if (contentType.contains("fhir+json") || contentType.contains("fhir+xml")) {
            FhirFormat format = contentType.contains("xml") ? FhirFormat.XML : FhirFormat.JSON;
            IBaseResource edited = fhirParser.parseResource(format, newPayload);
            IBaseResource original = fhirParser.parseResource(format, delivery.payload());
            return conformanceProblems(original, edited);
        }
        if (contentType.contains("json")) {
            try {
                json.readTree(newPayload);
            } catch (JsonProcessingException e) {
                throw new RejectedMessageException(RejectionReason.UNPARSEABLE,
                        // the parser's own message may quote the payload: only the position is given
                        Problem.error(IssueType.STRUCTURE, "The new payload is not well-formed JSON ("
                                + delivery.contentType() + ")" + (e.getLocation() == null ? ""
                                : "; the problem is at line " + e.getLocation().getLineNr() + ", column "
                                        + e.getLocation().getColumnNr())));
            }
        }
        return List.of();
    }

    /**
     * A corrected FHIR payload is the same kind of resource (and of Bundle) as the one emitted, and its resources
     * have no profile error that the emitted ones did not have. Comparing with what was emitted keeps the check
     * honest where a flow's resources are held to another profile than {@link EmittedResourceValidator#profileOf}
     * (a data platform's pseudonymised Patient, a GP system's coded entry): those differences were there before.
     */
    private List<Problem> conformanceProblems(IBaseResource original, IBaseResource edited) {
        List<Problem> problems = new ArrayList<>();
        if (!original.fhirType().equals(edited.fhirType())) {
            problems.add(Problem.error(IssueType.INVALID, "The corrected payload is a " + edited.fhirType()
                    + " but the delivery carries a " + original.fhirType()));
            return problems;
        }
        if (original instanceof Bundle before && edited instanceof Bundle after && before.getType() != after.getType()) {
            problems.add(Problem.error(IssueType.INVALID, "The corrected payload is a Bundle of type "
                    + after.getType().toCode() + " but the delivery carries one of type " + before.getType().toCode(),
                    "Bundle.type"));
            return problems;
        }
        List<Problem> emittedErrors = validator.errors(resourcesOf(original), PAYLOAD);
        for (Problem problem : validator.errors(resourcesOf(edited), PAYLOAD)) {
            if (!emittedErrors.contains(problem)) {
                problems.add(problem);
            }
        }
        return problems;
    }

    private static List<Resource> resourcesOf(IBaseResource resource) {
        if (resource instanceof Bundle bundle) {
            return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                    .filter(r -> r != null).toList();
        }
        return resource instanceof Resource r ? List.of(r) : List.of();
    }

    /** What a correction came to; {@code problems} say why it was refused, without quoting the payload. */
    public record EditResult(Outcome outcome, DeliveryEdit edit, List<Problem> problems) {

        /** EDITED; NOT_FOUND; NOT_FAILED (pending, delivered, or changed meanwhile); UNREADABLE; INVALID. */
        public enum Outcome { EDITED, NOT_FOUND, NOT_FAILED, UNREADABLE, INVALID }

        static EditResult of(Outcome outcome, String diagnostics) {
            IssueType code = switch (outcome) {
                case NOT_FOUND -> IssueType.NOTFOUND;
                case NOT_FAILED -> IssueType.CONFLICT;
                default -> IssueType.INVALID;
            };
            return new EditResult(outcome, null, List.of(Problem.error(code, diagnostics)));
        }
    }
}
