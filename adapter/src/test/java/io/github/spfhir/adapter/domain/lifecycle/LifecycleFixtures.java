package io.github.spfhir.adapter.domain.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.validation.Profiles;
import io.github.spfhir.adapter.support.Fixtures;

/**
 * Reads {@code test-fixtures/referral-lifecycle/} (the format is in that folder's README.md): the starting Task
 * and ServiceRequest, which are those the referral spine emits, set to a scenario's initial state, and its events.
 */
final class LifecycleFixtures {

    static final String FOLDER = "referral-lifecycle";
    /** The referral the scenarios start from, as the spine's golden test has it. */
    static final String SPINE_OUTPUT = "referral-to-link-worker/valid/full-referral.expected.json";
    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    static final FhirContext FHIR = FhirContext.forR4Cached();

    private static final Set<String> SCENARIO_FIELDS = Set.of("description", "startFrom", "initialTaskStatus",
            "initialBusinessStatus", "initialLastModified", "initialServiceRequestStatus", "events");
    private static final Set<String> EVENT_ENTRY_FIELDS = Set.of("event", "outputs");
    private static final Map<String, String> STAGE_DISPLAYS = stageDisplays();

    private LifecycleFixtures() {
    }

    static List<String> scenarios() {
        return Fixtures.scenarios(FOLDER, ".event.json");
    }

    static JsonNode scenario(String name) {
        JsonNode spec = readJson(Fixtures.path(FOLDER + "/" + name + ".event.json"));
        requireOnly(spec, SCENARIO_FIELDS, name);
        spec.get("events").forEach(entry -> requireOnly(entry, EVENT_ENTRY_FIELDS, name + " events[]"));
        return spec;
    }

    static Task startingTask() {
        return parse(readJson(Fixtures.path(SPINE_OUTPUT)).get("task"), Task.class);
    }

    static ServiceRequest startingServiceRequest() {
        return parse(readJson(Fixtures.path(SPINE_OUTPUT)).get("serviceRequest"), ServiceRequest.class);
    }

    /** The scenario's starting Task: the spine's, with the scenario's initial status, stage and lastModified. */
    static Task startingTask(JsonNode spec) {
        Task task = parse(readJson(Fixtures.path(spec.get("startFrom").asText())).get("task"), Task.class);
        if (spec.has("initialTaskStatus")) {
            task.setStatus(Task.TaskStatus.fromCode(spec.get("initialTaskStatus").asText()));
        }
        if (spec.has("initialBusinessStatus")) {
            task.setBusinessStatus(stage(spec.get("initialBusinessStatus").asText()));
        }
        if (spec.has("initialLastModified")) {
            task.setLastModifiedElement(new DateTimeType(spec.get("initialLastModified").asText()));
        }
        return task;
    }

    static ServiceRequest startingServiceRequest(JsonNode spec) {
        ServiceRequest request = parse(readJson(Fixtures.path(spec.get("startFrom").asText())).get("serviceRequest"),
                ServiceRequest.class);
        if (spec.has("initialServiceRequestStatus")) {
            request.setStatus(ServiceRequest.ServiceRequestStatus.fromCode(spec.get("initialServiceRequestStatus").asText()));
        }
        return request;
    }

    /** A business status as the lifecycle writes it, with the code system's display. */
    static CodeableConcept stage(String code) {
        String display = STAGE_DISPLAYS.get(code);
        if (display == null) {
            throw new IllegalArgumentException("not a code of sp-referral-business-status: " + code);
        }
        return new CodeableConcept(new Coding(Profiles.BUSINESS_STATUS_CODE_SYSTEM, code, display));
    }

    static JsonNode toJson(Resource resource) {
        try {
            return JSON.readTree(FHIR.newJsonParser().encodeResourceToString(resource));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T extends Resource> T parse(JsonNode node, Class<T> type) {
        return FHIR.newJsonParser().parseResource(type, node.toString());
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireOnly(JsonNode node, Set<String> allowed, String where) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new IllegalArgumentException(where + ": unknown field " + name + " (allowed: " + allowed + ")");
            }
        }
    }

    private static Map<String, String> stageDisplays() {
        Path codeSystem = Fixtures.ROOT.getParent().resolve("fhir-profiles/CodeSystem/sp-referral-business-status.json");
        Map<String, String> displays = new HashMap<>();
        readJson(codeSystem).get("concept").forEach(c -> displays.put(c.get("code").asText(), c.get("display").asText()));
        return displays;
    }
}
