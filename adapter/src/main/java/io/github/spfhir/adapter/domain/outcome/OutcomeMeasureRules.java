package io.github.spfhir.adapter.domain.outcome;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent.ItemAnswer;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent.OutcomeMeasure;
import io.github.spfhir.adapter.domain.validation.Problem;

/**
 * The checks an outcome-measure event must pass before it becomes an Observation. Every fault gives one
 * {@link Problem}; nothing is dropped, rounded or clamped. Expressions are paths into the canonical
 * {@link ReferralEvent} ({@code measure.score}, {@code measure.items[3].value}, item indexes from 0).
 * Diagnostics name the instrument and its allowed range, and never quote what was sent: no person, no score.
 */
public final class OutcomeMeasureRules {

    private OutcomeMeasureRules() {
    }

    /** Every fault of an outcome-measure event, in a stable order; empty when it can be mapped. */
    public static List<Problem> check(ReferralEvent event) {
        List<Problem> problems = new ArrayList<>();
        if (isBlank(event.platformId())) {
            problems.add(Problem.error(IssueType.REQUIRED, "The platform id is missing", "platformId"));
        }
        if (isBlank(event.eventId())) {
            problems.add(Problem.error(IssueType.REQUIRED, "The event id is missing: an outcome measure is identified by it", "eventId"));
        }
        if (event.occurredAt() == null) {
            problems.add(Problem.error(IssueType.REQUIRED, "The time the outcome measure was taken (occurredAt) is missing", "occurredAt"));
        }
        OutcomeMeasure measure = event.measure();
        if (measure == null) {
            problems.add(Problem.error(IssueType.REQUIRED, "An outcome-measure event carries no measure", "measure"));
            return problems;
        }
        Optional<OutcomeInstrument> instrument = checkInstrument(measure.instrument(), problems);
        if (measure.timing() != null && OutcomeTiming.fromCode(measure.timing()).isEmpty()) {
            problems.add(Problem.error(IssueType.CODEINVALID,
                    "Unknown outcome measure timing; accepted: baseline, follow-up (or none)", "measure.timing"));
        }
        instrument.ifPresent(known -> {
            checkScore(known, measure.score(), problems);
            checkItems(known, measure, problems);
        });
        return problems;
    }

    private static Optional<OutcomeInstrument> checkInstrument(String code, List<Problem> problems) {
        if (isBlank(code)) {
            problems.add(Problem.error(IssueType.REQUIRED, "The outcome measure's instrument is missing; accepted: "
                    + String.join(", ", OutcomeInstrument.codes()), "measure.instrument"));
            return Optional.empty();
        }
        Optional<OutcomeInstrument> instrument = OutcomeInstrument.fromCode(code);
        if (instrument.isEmpty()) {
            // the code sent is not quoted: it is the platform's data, and the expression points at it
            problems.add(Problem.error(IssueType.CODEINVALID, "Unknown outcome measure instrument; accepted: "
                    + String.join(", ", OutcomeInstrument.codes()), "measure.instrument"));
        }
        return instrument;
    }

    private static void checkScore(OutcomeInstrument instrument, BigDecimal score, List<Problem> problems) {
        if (score == null) {
            problems.add(Problem.error(IssueType.REQUIRED, "The " + instrument.code() + " score is missing; allowed: "
                    + instrument.rangeText(), "measure.score"));
            return;
        }
        if (instrument.wholeNumbers() && !isWhole(score)) {
            problems.add(Problem.error(IssueType.VALUE, "The " + instrument.code()
                    + " score must be a whole number, not a fraction; allowed: " + instrument.rangeText(), "measure.score"));
        }
        if (score.compareTo(instrument.min()) < 0 || score.compareTo(instrument.max()) > 0) {
            problems.add(Problem.error(IssueType.VALUE, "The " + instrument.code() + " score is out of range; allowed: "
                    + instrument.rangeText(), "measure.score"));
        }
    }

    private static void checkItems(OutcomeInstrument instrument, OutcomeMeasure measure, List<Problem> problems) {
        List<ItemAnswer> items = measure.items();
        if (items.isEmpty()) {
            return;
        }
        if (!instrument.acceptsItems()) {
            problems.add(Problem.error(IssueType.BUSINESSRULE, "The " + instrument.code()
                    + " measure takes no item answers, only its score", "measure.items"));
            return;
        }
        boolean countRight = items.size() == instrument.itemCount();
        if (!countRight) {
            problems.add(Problem.error(IssueType.BUSINESSRULE, "The " + instrument.code() + " measure has "
                    + instrument.itemCount() + " items; " + items.size() + " item answers were sent", "measure.items"));
        }
        String itemRange = instrument.itemMin().toPlainString() + " to " + instrument.itemMax().toPlainString() + " (whole numbers)";
        boolean allItemsValid = true;
        BigDecimal sum = BigDecimal.ZERO;
        Set<String> linkIds = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            ItemAnswer item = items.get(i) == null ? new ItemAnswer(null, null, null) : items.get(i);
            String at = "measure.items[" + i + "]";
            if (isBlank(item.linkId())) {
                problems.add(Problem.error(IssueType.REQUIRED, "A " + instrument.code() + " item answer has no linkId", at + ".linkId"));
            } else if (!linkIds.add(item.linkId())) {
                problems.add(Problem.error(IssueType.VALUE, "Two " + instrument.code()
                        + " item answers have the same linkId; each item is answered once", at + ".linkId"));
            }
            BigDecimal value = item.value();
            if (value == null) {
                problems.add(Problem.error(IssueType.REQUIRED, "A " + instrument.code() + " item answer has no value; allowed: "
                        + itemRange, at + ".value"));
                allItemsValid = false;
                continue;
            }
            if (!isWhole(value)) {
                problems.add(Problem.error(IssueType.VALUE, "A " + instrument.code()
                        + " item answer must be a whole number, not a fraction; allowed: " + itemRange, at + ".value"));
                allItemsValid = false;
            }
            if (value.compareTo(instrument.itemMin()) < 0 || value.compareTo(instrument.itemMax()) > 0) {
                problems.add(Problem.error(IssueType.VALUE, "A " + instrument.code() + " item answer is out of range; allowed: "
                        + itemRange, at + ".value"));
                allItemsValid = false;
            }
            sum = sum.add(value);
        }
        // The sum says something only about a complete set of valid answers; otherwise the faults above say it.
        if (countRight && allItemsValid && measure.score() != null && sum.compareTo(measure.score()) != 0) {
            problems.add(Problem.error(IssueType.BUSINESSRULE, "The " + instrument.code()
                    + " score is not the sum of its " + instrument.itemCount() + " item answers", "measure.score"));
        }
    }

    /** 45 and 45.0 are whole; 45.5 is not. */
    static boolean isWhole(BigDecimal value) {
        return value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
