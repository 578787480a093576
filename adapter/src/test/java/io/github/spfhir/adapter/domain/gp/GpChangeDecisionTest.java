package io.github.spfhir.adapter.domain.gp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import io.github.spfhir.adapter.domain.lifecycle.EventKind;
import io.github.spfhir.adapter.domain.lifecycle.GpNotifiableChange;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent;
import io.github.spfhir.adapter.domain.referral.Referral.CodedValue;

/**
 * Which message goes back to the GP for each change. The coded entry 871711000000103 "Social prescribing
 * declined" records the person's decision: it is sent only when the platform says the person declined, never
 * for a service's refusal (a wrong code in the patient's record is a clinical hazard, HAZ-024).
 */
class GpChangeDecisionTest {

    private static ReferralEvent declined(CodedValue reason) {
        return new ReferralEvent("example-linkworker", "e1", EventKind.DECLINED, "r1", Instant.parse("2026-11-21T09:00:00Z"),
                reason, null, null, null, null, null);
    }

    @Test
    void aDeclineCodedAsThePersonsDecisionCarriesTheSnomedCodedEntry() {
        Optional<GpChange> change = GpUpdatePlanner.gpChange(declined(new CodedValue("http://snomed.info/sct",
                "871711000000103", "Social prescribing declined", null)), GpNotifiableChange.DECLINED, false);

        assertThat(change).contains(GpChange.DECLINED);
        assertThat(change.orElseThrow().codedEntryCode()).isEqualTo("871711000000103");
    }

    @Test
    void aDeclineForAnyOtherReasonOrNoneIsTheServicesAndCarriesNoCodedEntry() {
        assertThat(GpUpdatePlanner.gpChange(declined(new CodedValue("https://platform.example/reasons", "OUT_OF_AREA",
                null, null)), GpNotifiableChange.DECLINED, false)).contains(GpChange.DECLINED_BY_SERVICE);
        assertThat(GpUpdatePlanner.gpChange(declined(new CodedValue(null, null, null, "free text")),
                GpNotifiableChange.DECLINED, false)).contains(GpChange.DECLINED_BY_SERVICE);
        assertThat(GpUpdatePlanner.gpChange(declined(null), GpNotifiableChange.DECLINED, false))
                .contains(GpChange.DECLINED_BY_SERVICE);
        assertThat(GpChange.DECLINED_BY_SERVICE.codedEntryCode()).isNull();
    }

    @Test
    void acceptanceCarriesTheReferralCodedEntry() {
        assertThat(GpUpdatePlanner.gpChange(declined(null), GpNotifiableChange.ACCEPTED, false)
                .orElseThrow().codedEntryCode()).isEqualTo("871731000000106");
    }

    @ParameterizedTest
    @EnumSource(GpNotifiableChange.class)
    void outcomesGoBackOnlyWhenTheGpSystemAsksAndFinerStagesNever(GpNotifiableChange change) {
        Optional<GpChange> without = GpUpdatePlanner.gpChange(declined(null), change, false);
        Optional<GpChange> with = GpUpdatePlanner.gpChange(declined(null), change, true);
        switch (change) {
            case NONE -> assertThat(with).isEmpty();
            case OUTCOME_RECORDED -> {
                assertThat(without).isEmpty();
                assertThat(with).contains(GpChange.OUTCOME_RECORDED);
            }
            default -> assertThat(without).isPresent().isEqualTo(with);
        }
    }
}
