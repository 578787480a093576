package io.github.spfhir.adapter.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Fresh copies of the full fixture referral, so each test has a referral, and ids, of its own. */
public final class Referrals {

    public static final String FULL_REFERRAL = "referral-to-link-worker/valid/full-referral.bundle.json";
    /** The sender's ServiceRequest identifier in the fixture, replaced in each fresh copy. */
    public static final String FIXTURE_IDENTIFIER = "REF-2026-000123";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Referrals() {
    }

    /** The full fixture referral with a new sender identifier: a new referral with new deterministic ids. */
    public static String freshBody() {
        return Fixtures.read(FULL_REFERRAL).replace(FIXTURE_IDENTIFIER, "REF-" + UUID.randomUUID());
    }

    /** New BaRS X-Request-ID and X-Correlation-ID. */
    public static Map<String, String> freshHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Request-ID", UUID.randomUUID().toString());
        headers.put("X-Correlation-ID", UUID.randomUUID().toString());
        return headers;
    }

    /** Posts a fresh referral and returns the ServiceRequest id from the 200 response message. */
    public static String accept(AdapterHttp http) {
        return referralId(http.processMessage(freshBody(), "application/fhir+json", freshHeaders()));
    }

    /** The ServiceRequest id named by a response message's MessageHeader.focus. */
    public static String referralId(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        try {
            String reference = JSON.readTree(response.body()).get("entry").get(0).get("resource").get("focus").get(0)
                    .get("reference").asText();
            return reference.substring("ServiceRequest/".length());
        } catch (Exception e) {
            throw new AssertionError("not a response message: " + response.body(), e);
        }
    }

    /** The referral's delivery to its link-worker platform (it also has data-platform deliveries). */
    public static io.github.spfhir.adapter.store.DeliveryRecord linkWorkerDelivery(
            io.github.spfhir.adapter.store.MessageStore store, String referralId) {
        return store.deliveriesForReferral(referralId).stream()
                .filter(d -> d.flow() == io.github.spfhir.adapter.domain.delivery.DeliveryFlow.REFERRAL_TO_LINK_WORKER)
                .findFirst().orElseThrow(() -> new AssertionError("no link-worker delivery for " + referralId));
    }
}
