package io.github.spfhir.adapter.domain.outcome;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import org.hl7.fhir.r4.model.ServiceRequest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.lifecycle.ReferralEvent;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.support.Fixtures;

/** The outcome-measure fixtures in {@code test-fixtures/outcome-measures/} and how their outputs are written as JSON. */
final class OutcomeFixtures {

    static final String FOLDER = "outcome-measures";
    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    private OutcomeFixtures() {
    }

    /** Scenario names: files {@code <scenario>.event.json}, sorted. */
    static List<String> scenarios() {
        return Fixtures.scenarios(FOLDER, ".event.json");
    }

    static ReferralEvent event(String scenario) {
        try {
            return JSON.readValue(Fixtures.read(FOLDER + "/" + scenario + ".event.json"), ReferralEvent.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path expected(String scenario) {
        return Fixtures.path(FOLDER + "/" + scenario + ".expected.json");
    }

    /** The ServiceRequest the intake pipeline emits for {@code referral-to-link-worker/valid/full-referral}. */
    static ServiceRequest serviceRequest() {
        try {
            JsonNode pipelineOutput = JSON.readTree(Fixtures.read("referral-to-link-worker/valid/full-referral.expected.json"));
            return FHIR.newJsonParser().parseResource(ServiceRequest.class, pipelineOutput.get("serviceRequest").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String toJson(MappedOutcome mapped) {
        ObjectNode document = JSON.createObjectNode();
        document.set("observation", resourceTree(mapped.observation()));
        mapped.itemAnswers().ifPresent(answers -> document.set("questionnaireResponse", resourceTree(answers)));
        return document.toString();
    }

    static String toJson(List<Problem> problems) {
        ObjectNode document = JSON.createObjectNode();
        ArrayNode list = document.putArray("problems");
        for (Problem problem : problems) {
            ObjectNode node = list.addObject();
            node.put("severity", problem.severity().toCode());
            node.put("code", problem.code().toCode());
            node.put("diagnostics", problem.diagnostics());
            node.put("expression", problem.expression());
        }
        return document.toString();
    }

    private static JsonNode resourceTree(org.hl7.fhir.instance.model.api.IBaseResource resource) {
        try {
            return JSON.readTree(FHIR.newJsonParser().encodeResourceToString(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
