package io.github.spfhir.adapter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.support.Fixtures;

class FhirConfigurationTest {

    /** HAPI's defaults, the automatic containment included. */
    private static final FhirContext HAPI_DEFAULTS = FhirContext.forR4();

    @Test
    void theSharedContextIsHapisCachedOneWithoutTheLookForUnsavedReferenceTargets() {
        FhirContext shared = FhirConfiguration.sharedFhirContext();

        assertThat(shared).isSameAs(FhirContext.forR4Cached());
        assertThat(shared.getParserOptions().isAutoContainReferenceTargetsWithNoId()).isFalse();
        assertThat(new FhirConfiguration().fhirContext()).isSameAs(shared);
    }

    /** Every resource in the golden outputs (what the adapter emits) is encoded to the same JSON either way. */
    @Test
    void everyResourceTheAdapterEmitsEncodesAsWithHapisDefaults() throws IOException {
        List<JsonNode> resources = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Fixtures.ROOT)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".expected.json")).toList()) {
                collectResources(new ObjectMapper().readTree(file.toFile()), resources);
            }
        }
        assertThat(resources).hasSizeGreaterThan(50);
        FhirContext shared = FhirConfiguration.sharedFhirContext();
        for (JsonNode json : resources) {
            IBaseResource resource = HAPI_DEFAULTS.newJsonParser().parseResource(json.toString());
            assertThat(shared.newJsonParser().encodeResourceToString(resource))
                    .as("%s/%s", json.path("resourceType").asText(), json.path("id").asText())
                    .isEqualTo(HAPI_DEFAULTS.newJsonParser().encodeResourceToString(resource));
        }
    }

    /** What the option changes: a reference to an in-memory resource without id, which the adapter never makes. */
    @Test
    void aReferenceToAnUnsavedResourceIsNotTurnedIntoAContainedOne() {
        // one each: HAPI's containment gives the in-memory resource an id, changing the model it encodes
        assertThat(HAPI_DEFAULTS.newJsonParser().encodeResourceToString(observationOfAnUnsavedPatient()))
                .contains("\"contained\"");
        assertThat(FhirConfiguration.sharedFhirContext().newJsonParser()
                .encodeResourceToString(observationOfAnUnsavedPatient()))
                .doesNotContain("\"contained\"").doesNotContain("Patient");
    }

    private static Observation observationOfAnUnsavedPatient() {
        Observation observation = new Observation();
        observation.getSubject().setResource(new Patient().setActive(true));
        return observation;
    }

    private static void collectResources(JsonNode node, List<JsonNode> resources) {
        if (node.isObject() && node.has("resourceType")) {
            resources.add(node);
            return; // a resource's contained and nested resources are encoded with it
        }
        node.elements().forEachRemaining(child -> collectResources(child, resources));
    }
}
