package io.github.spfhir.adapter.support;

import java.util.List;

import org.hl7.fhir.r4.model.OperationOutcome;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent;
import io.github.spfhir.adapter.domain.referral.RejectedMessageException;
import io.github.spfhir.adapter.domain.validation.Problem;

/**
 * Canonical events and refusals as JSON, for golden files: a {@link ReferralEvent} (or a list of them) with its
 * component names as members, instants as ISO-8601 text ({@code 2026-11-20T09:15:00Z}) and nulls kept, so a golden
 * file shows every part of the event; a refusal as its reason and an OperationOutcome with one issue per problem
 * (as the HTTP layer answers it, without the HTTP-only BaRS error code).
 */
public final class ReferralEventJson {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private ReferralEventJson() {
    }

    /** An event, or a list of events, as JSON. */
    public static String write(Object eventOrEvents) {
        try {
            return JSON.writeValueAsString(eventOrEvents);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads an event back (to check the JSON form loses nothing). */
    public static ReferralEvent read(String json) {
        try {
            return JSON.readValue(json, ReferralEvent.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A refusal: {@code {"reason": "INVALID_CONTENT", "outcome": <OperationOutcome>}}. */
    public static String refusal(RejectedMessageException rejected) {
        ObjectNode node = JSON.createObjectNode();
        node.put("reason", rejected.reason().name());
        node.set("outcome", outcome(rejected.problems()));
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Problems as an OperationOutcome: severity, code, diagnostics and expression of each. */
    public static JsonNode outcome(List<Problem> problems) {
        OperationOutcome outcome = new OperationOutcome();
        for (Problem problem : problems) {
            OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                    .setSeverity(problem.severity())
                    .setCode(problem.code())
                    .setDiagnostics(problem.diagnostics());
            if (problem.expression() != null) {
                issue.addExpression(problem.expression());
            }
        }
        try {
            return JSON.readTree(FHIR.newJsonParser().encodeResourceToString(outcome));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
