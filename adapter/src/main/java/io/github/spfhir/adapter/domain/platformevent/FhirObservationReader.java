package io.github.spfhir.adapter.domain.platformevent;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Observation.ObservationStatus;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Type;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.domain.lifecycle.EventKind;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent;
import io.github.spfhir.adapter.domain.outcome.OutcomeInstrument;
import io.github.spfhir.adapter.domain.outcome.OutcomeMeasureRules;
import io.github.spfhir.adapter.domain.outcome.OutcomeProfiles;
import io.github.spfhir.adapter.domain.outcome.OutcomeTiming;
import io.github.spfhir.adapter.domain.referral.RejectionReason;
import io.github.spfhir.adapter.domain.validation.Problem;

/**
 * Reads an outcome measure a platform that speaks FHIR creates ({@code POST Observation}) into the canonical
 * {@link EventKind#OUTCOME_RECORDED} event, the one every other way of sending a measure gives, so the measure then
 * goes through the same checks and mapping ({@code OutcomeObservationMapper}) as any other.
 *
 * <ul>
 * <li><b>basedOn</b>: exactly one reference to our ServiceRequest ({@code ServiceRequest/{id}}, relative or
 * absolute): the referral.</li>
 * <li><b>code</b>: one coding with the system and code of an {@link OutcomeInstrument} (SNOMED CT, or our LOCAL
 * {@value OutcomeProfiles#MEASURES_CODE_SYSTEM}); other codings beside it (a LOINC one, say) are allowed. An
 * unknown code is refused at {@code Observation.code}: an unknown measure is never dropped or guessed.</li>
 * <li><b>value</b>: {@code valueInteger}, or {@code valueQuantity} (a unitless score: no unit, or UCUM
 * {@value OutcomeProfiles#UCUM_SCORE} or {@code 1}; no comparator).</li>
 * <li><b>effective</b>: {@code effectiveDateTime} (or {@code effectiveInstant}) with a UTC offset.</li>
 * <li><b>status</b>: {@code final}: a preliminary, cancelled or entered-in-error measure is not one to record.</li>
 * <li>The timing extension {@value OutcomeProfiles#TIMING_EXTENSION} ({@code valueCode} baseline or follow-up),
 * when sent; the link worker from the first {@code performer} that is a Practitioner or PractitionerRole.</li>
 * <li><b>subject</b>, when sent, must reference the referral's Patient: the subject of what is stored is always
 * the referral's.</li>
 * </ul>
 * Nothing else is taken over (id, identifier, meta, category, component, note, derivedFrom): the Observation the
 * adapter stores is the one its mapper builds. The range and whole-number checks are {@link OutcomeMeasureRules},
 * run here so that their problems point into the Observation sent (FHIRPath) rather than into the canonical event;
 * the mapper runs them again. Diagnostics never quote a value sent.
 */
@Component
public class FhirObservationReader {

    static final String BASED_ON = "Observation.basedOn";
    static final String CODE = "Observation.code";
    static final String VALUE = "Observation.value";
    static final String EFFECTIVE = "Observation.effective";
    static final String STATUS = "Observation.status";
    static final String SUBJECT = "Observation.subject";
    static final String TIMING = "Observation.extension('" + OutcomeProfiles.TIMING_EXTENSION + "')";

    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final String SERVICE_REQUEST = "ServiceRequest/";

    /**
     * The id of the referral (our ServiceRequest) the Observation is {@code basedOn}.
     *
     * @throws PlatformEventRejectedException (INVALID_CONTENT) at {@code Observation.basedOn} when it names no
     *                                        ServiceRequest, or several
     */
    public String referralId(Observation posted) {
        List<Problem> problems = new ArrayList<>();
        String referralId = referralId(posted, problems);
        if (!problems.isEmpty()) {
            throw new PlatformEventRejectedException(null, RejectionReason.INVALID_CONTENT, problems);
        }
        return referralId;
    }

    /**
     * The outcome-measure event an Observation says happened.
     *
     * @param platformId      the platform the referral was delivered to
     * @param eventId         the caller's id for this create, the request's X-Request-ID
     * @param posted          the Observation as the platform sent it (parsed from JSON or XML by the caller)
     * @param referralPatient the referral's subject, {@code Patient/{id}}, as our ServiceRequest holds it
     * @return the OUTCOME_RECORDED event: the same Observation always gives the same event
     * @throws PlatformEventRejectedException (INVALID_CONTENT) with one problem per fault, each with its FHIRPath
     */
    public ReferralEvent read(String platformId, String eventId, Observation posted, String referralPatient) {
        Objects.requireNonNull(eventId, "eventId");
        List<Problem> problems = new ArrayList<>();
        String referralId = referralId(posted, problems);

        if (posted.getStatus() == null) {
            problems.add(Problem.error(IssueType.REQUIRED, "Observation.status is required (final)", STATUS));
        } else if (posted.getStatus() != ObservationStatus.FINAL) {
            problems.add(Problem.error(IssueType.BUSINESSRULE, "Observation.status must be final: a "
                    + posted.getStatus().toCode() + " outcome measure is not one to record", STATUS));
        }
        checkSubject(posted.getSubject(), referralPatient, problems);
        Optional<OutcomeInstrument> instrument = instrument(posted, problems);
        Value value = value(posted.getValue(), problems);
        Instant occurredAt = effective(posted.getEffective(), problems);
        String timing = timing(posted, problems);
        if (!problems.isEmpty()) {
            throw rejected(platformId, problems);
        }

        ReferralEvent event = new ReferralEvent(platformId, eventId, EventKind.OUTCOME_RECORDED, referralId, occurredAt,
                null, linkWorker(posted.getPerformer()), null, null,
                new ReferralEvent.OutcomeMeasure(instrument.orElseThrow().code(), value.score(), timing, List.of()),
                null);
        // the same rules the mapper applies, with their expressions moved from the event into the Observation
        for (Problem problem : OutcomeMeasureRules.check(event)) {
            problems.add(new Problem(problem.severity(), problem.code(), problem.diagnostics(),
                    pathInObservation(problem.expression(), value.path())));
        }
        if (!problems.isEmpty()) {
            throw rejected(platformId, problems);
        }
        return event;
    }

    private static String referralId(Observation posted, List<Problem> problems) {
        Set<String> referrals = new LinkedHashSet<>();
        for (Reference basedOn : posted.getBasedOn()) {
            String typeAndId = FhirEventParts.typeAndId(basedOn);
            if (typeAndId != null && typeAndId.startsWith(SERVICE_REQUEST)) {
                referrals.add(typeAndId.substring(SERVICE_REQUEST.length()));
            }
        }
        if (referrals.isEmpty()) {
            problems.add(Problem.error(IssueType.REQUIRED, "Observation.basedOn must reference the referral's"
                    + " ServiceRequest (ServiceRequest/{id}, the id this adapter gave it)", BASED_ON));
            return null;
        }
        if (referrals.size() > 1) {
            problems.add(Problem.error(IssueType.BUSINESSRULE, "Observation.basedOn must reference one referral's"
                    + " ServiceRequest, not " + referrals.size(), BASED_ON));
            return null;
        }
        String referralId = referrals.iterator().next();
        if (!FHIR_ID.matcher(referralId).matches()) {
            problems.add(Problem.error(IssueType.VALUE, "Observation.basedOn does not reference a ServiceRequest by a"
                    + " FHIR id", BASED_ON));
            return null;
        }
        return referralId;
    }

    /** A subject, when sent, must be the referral's Patient: a measure on another person is never recorded. */
    private static void checkSubject(Reference subject, String referralPatient, List<Problem> problems) {
        if (subject == null || subject.isEmpty()) {
            return;
        }
        String typeAndId = FhirEventParts.typeAndId(subject);
        if (typeAndId == null || !typeAndId.equals(referralPatient)) {
            problems.add(Problem.error(IssueType.BUSINESSRULE, "Observation.subject, when sent, must reference the"
                    + " referral's Patient (" + referralPatient + "); leave it out to take the referral's", SUBJECT));
        }
    }

    /** The instrument whose system and code one coding has; every coding of ours must name the same one. */
    private static Optional<OutcomeInstrument> instrument(Observation posted, List<Problem> problems) {
        Set<OutcomeInstrument> found = new LinkedHashSet<>();
        for (Coding coding : posted.getCode().getCoding()) {
            for (OutcomeInstrument instrument : OutcomeInstrument.values()) {
                if (instrument.system().equals(coding.getSystem()) && instrument.observationCode().equals(coding.getCode())) {
                    found.add(instrument);
                }
            }
        }
        if (found.size() == 1) {
            return Optional.of(found.iterator().next());
        }
        if (found.isEmpty()) {
            // the code sent is not quoted: the expression points at it
            problems.add(Problem.error(IssueType.CODEINVALID, "Observation.code is not an outcome measure this"
                    + " adapter records; accepted (system|code): " + acceptedCodes(), CODE));
        } else {
            problems.add(Problem.error(IssueType.BUSINESSRULE, "Observation.code names " + found.size()
                    + " different outcome measures; one Observation is one measure", CODE));
        }
        return Optional.empty();
    }

    private static String acceptedCodes() {
        List<String> codes = new ArrayList<>();
        for (OutcomeInstrument instrument : OutcomeInstrument.values()) {
            codes.add(instrument.system() + "|" + instrument.observationCode() + " (" + instrument.code() + ")");
        }
        return String.join(", ", codes);
    }

    /** The score and the FHIRPath of the value it came from. */
    private record Value(BigDecimal score, String path) {
    }

    private static Value value(Type value, List<Problem> problems) {
        if (value instanceof IntegerType integer && integer.getValue() != null) {
            return new Value(BigDecimal.valueOf(integer.getValue()), VALUE + ".ofType(integer)");
        }
        if (value instanceof Quantity quantity) {
            String path = VALUE + ".ofType(Quantity)";
            if (quantity.getValue() == null) {
                problems.add(Problem.error(IssueType.REQUIRED, "valueQuantity.value is required: it is the score",
                        path + ".value"));
                return new Value(null, path + ".value");
            }
            if (quantity.hasComparator()) {
                problems.add(Problem.error(IssueType.VALUE, "valueQuantity.comparator is not allowed: a score is a"
                        + " value, not a bound", path + ".comparator"));
            }
            boolean ucumScore = (!quantity.hasSystem() || OutcomeProfiles.UCUM.equals(quantity.getSystem()))
                    && (!quantity.hasCode() || OutcomeProfiles.UCUM_SCORE.equals(quantity.getCode())
                            || "1".equals(quantity.getCode()));
            if (!ucumScore) {
                problems.add(Problem.error(IssueType.VALUE, "valueQuantity must be a unitless score: no unit, or UCUM "
                        + OutcomeProfiles.UCUM_SCORE, path + ".code"));
            }
            return new Value(quantity.getValue(), path + ".value");
        }
        problems.add(Problem.error(IssueType.REQUIRED, "The score is required, as valueInteger (or valueQuantity for"
                + " a decimal score such as the EQ-5D-5L index)", VALUE));
        return new Value(null, VALUE);
    }

    private static Instant effective(Type effective, List<Problem> problems) {
        if (effective instanceof DateTimeType dateTime) {
            return FhirEventParts.instant(dateTime, EFFECTIVE, problems);
        }
        if (effective instanceof InstantType instant) {
            return FhirEventParts.instant(instant, EFFECTIVE, problems);
        }
        if (effective == null || effective.isEmpty()) {
            return FhirEventParts.instant(null, EFFECTIVE, problems);
        }
        problems.add(Problem.error(IssueType.VALUE, "Observation.effective must be effectiveDateTime (when the measure"
                + " was taken, with a UTC offset), not a " + effective.fhirType(), EFFECTIVE));
        return null;
    }

    /** The timing extension's code, one of {@link OutcomeTiming}'s, or null when none is sent. */
    private static String timing(Observation posted, List<Problem> problems) {
        List<Extension> timings = posted.getExtensionsByUrl(OutcomeProfiles.TIMING_EXTENSION);
        if (timings.isEmpty()) {
            return null;
        }
        if (timings.size() > 1) {
            problems.add(Problem.error(IssueType.BUSINESSRULE, "The timing extension may be sent once", TIMING));
            return null;
        }
        if (!(timings.get(0).getValue() instanceof CodeType code) || code.getValue() == null) {
            problems.add(Problem.error(IssueType.VALUE, "The timing extension needs a valueCode: baseline or follow-up",
                    TIMING + ".value"));
            return null;
        }
        if (OutcomeTiming.fromCode(code.getValue()).isEmpty()) {
            problems.add(Problem.error(IssueType.CODEINVALID, "Unknown outcome measure timing; accepted: baseline,"
                    + " follow-up (or no timing extension)", TIMING + ".value"));
            return null;
        }
        return code.getValue();
    }

    /** The link worker: the first performer that is a Practitioner or PractitionerRole; null when none is. */
    private static ReferralEvent.LinkWorker linkWorker(List<Reference> performers) {
        for (Reference performer : performers) {
            ReferralEvent.LinkWorker linkWorker = FhirEventParts.linkWorker(performer);
            if (linkWorker != null) {
                return linkWorker;
            }
        }
        return null;
    }

    /** Where in the Observation a fault {@link OutcomeMeasureRules} reports on the canonical event lies. */
    private static String pathInObservation(String eventExpression, String valuePath) {
        if (eventExpression == null) {
            return null;
        }
        return switch (eventExpression) {
            case "measure.score" -> valuePath;
            case "measure.instrument" -> CODE;
            case "measure.timing" -> TIMING + ".value";
            case "occurredAt" -> EFFECTIVE;
            case "referralId" -> BASED_ON;
            default -> eventExpression;
        };
    }

    private static PlatformEventRejectedException rejected(String platformId, List<Problem> problems) {
        return new PlatformEventRejectedException(platformId, RejectionReason.INVALID_CONTENT, problems);
    }
}
