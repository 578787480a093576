package io.github.spfhir.adapter.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.config.HandOffProperties;
import io.github.spfhir.adapter.domain.referral.AcceptedReferral;
import io.github.spfhir.adapter.domain.referral.ReferralFixturePipeline;
import io.github.spfhir.adapter.support.TestConfigurations;
import io.github.spfhir.adapter.support.TestDatabases;

/**
 * Operators' payload corrections against both databases the store runs on: written with the new payload in one
 * transaction, only on a FAILED delivery whose payload is still the one checked, listed oldest first, pruned by age.
 */
class DeliveryEditStoreTest {

    static Stream<Arguments> databases() {
        return TestDatabases.both();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aFailedDeliveryIsCorrectedWithItsRecordAndNothingElseIs(String name, DataSource dataSource) {
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        MessageStore store = new MessageStore(JdbcClient.create(dataSource), transactions, FhirContext.forR4Cached(),
                TestConfigurations.fixedClock(), TestConfigurations.handOff(HandOffProperties.Mode.EMBEDDED));
        DeliveryEditStore edits = new DeliveryEditStore(JdbcClient.create(dataSource), transactions,
                TestConfigurations.fixedClock());
        DeliveryRecord delivery = storedDelivery(store);
        String before = delivery.payload();

        // pending: not open to correction
        assertThat(edits.replaceFailedPayload(delivery.id(), before, "{\"corrected\":1}", "ops-1", "iss", "operator",
                null)).isEmpty();

        store.markFailed(delivery.id(), "HTTP 422");
        // checked against another payload than the one held (someone else corrected it meanwhile): nothing written
        assertThat(edits.replaceFailedPayload(delivery.id(), "{\"stale\":true}", "{\"corrected\":1}", "ops-1", "iss",
                "operator", null)).isEmpty();
        assertThat(edits.replaceFailedPayload(delivery.id(), before, "{\"corrected\":1}", "ops-1", "iss", "operator",
                "phone corrected")).hasValueSatisfying(edit -> {
                    assertThat(edit.deliveryId()).isEqualTo(delivery.id());
                    assertThat(edit.editedAt()).isEqualTo(TestConfigurations.NOW);
                    assertThat(edit.clientId()).isEqualTo("ops-1");
                    assertThat(edit.role()).isEqualTo("operator");
                    assertThat(edit.reason()).isEqualTo("phone corrected");
                    assertThat(edit.contentType()).isEqualTo(delivery.contentType());
                    assertThat(edit.before()).isEqualTo(before);
                    assertThat(edit.after()).isEqualTo("{\"corrected\":1}");
                });
        assertThat(edits.replaceFailedPayload(delivery.id(), "{\"corrected\":1}", "{\"corrected\":2}", "ops-2", "iss",
                "operator", null)).isPresent();

        DeliveryRecord corrected = store.findDelivery(delivery.id()).orElseThrow();
        assertThat(corrected.payload()).isEqualTo("{\"corrected\":2}");
        assertThat(corrected.state()).isEqualTo(DeliveryState.FAILED);
        assertThat(corrected.idempotencyKey()).isEqualTo(delivery.idempotencyKey());
        assertThat(edits.edits(delivery.id())).extracting(DeliveryEdit::clientId).containsExactly("ops-1", "ops-2");

        assertThat(edits.pruneBefore(TestConfigurations.NOW)).isZero();
        assertThat(edits.pruneBefore(TestConfigurations.NOW.plus(Duration.ofDays(1)))).isGreaterThanOrEqualTo(2);
        assertThat(edits.edits(delivery.id())).isEmpty();
    }

    private static DeliveryRecord storedDelivery(MessageStore store) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Request-ID", UUID.randomUUID().toString());
        headers.put("X-Correlation-ID", UUID.randomUUID().toString());
        AcceptedReferral accepted = ReferralFixturePipeline.accepted("referral-to-link-worker/valid", "full-referral",
                headers, "REF-2026-000123", "REF-" + UUID.randomUUID());
        store.storeAccepted(accepted);
        return store.deliveriesForReferral(accepted.mapped().serviceRequest().getIdElement().getIdPart()).get(0);
    }
}
