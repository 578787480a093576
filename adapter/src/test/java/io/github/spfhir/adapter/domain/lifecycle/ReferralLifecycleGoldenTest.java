package io.github.spfhir.adapter.domain.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.domain.validation.Problem;
import io.github.spfhir.adapter.domain.validation.Profiles;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.GoldenFiles;
import io.github.spfhir.adapter.support.TestConfigurations;

/**
 * Golden files of the referral lifecycle: each {@code test-fixtures/referral-lifecycle/<scenario>.event.json}
 * (a starting Task and ServiceRequest from the referral spine's output, and events applied one after another)
 * gives exactly {@code <scenario>.expected.json}: each event's outcome, the final Task and ServiceRequest, and
 * the resources created. Every Task and ServiceRequest an applied event returns is validated against our
 * profiles, and the inputs of every call are checked to be unchanged.
 */
class ReferralLifecycleGoldenTest {

    private static FhirProfileValidator validator;
    private static ReferralLifecycle lifecycle;

    @BeforeAll
    static void build() {
        validator = new FhirProfileValidator(LifecycleFixtures.FHIR);
        lifecycle = new ReferralLifecycle(TestConfigurations.fixedClock());
    }

    static List<String> scenarios() {
        return LifecycleFixtures.scenarios();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void appliesTheEventsAsTheGoldenFileSays(String scenario) throws Exception {
        JsonNode spec = LifecycleFixtures.scenario(scenario);
        Task task = LifecycleFixtures.startingTask(spec);
        ServiceRequest serviceRequest = LifecycleFixtures.startingServiceRequest(spec);
        assertValid(task, Profiles.TASK, scenario + " starting Task");

        ObjectNode actual = LifecycleFixtures.JSON.createObjectNode();
        ArrayNode steps = actual.putArray("steps");
        Map<String, Resource> created = new LinkedHashMap<>();
        for (JsonNode entry : spec.get("events")) {
            ReferralEvent event = LifecycleFixtures.JSON.treeToValue(entry.get("event"), ReferralEvent.class);
            List<Reference> outputs = new ArrayList<>();
            entry.path("outputs").forEach(o -> outputs.add(new Reference(o.asText())));
            Task taskBefore = task.copy();
            ServiceRequest serviceRequestBefore = serviceRequest.copy();

            LifecycleResult result = lifecycle.apply(event, task, serviceRequest, outputs);

            assertThat(task.equalsDeep(taskBefore)).as("%s: the caller's Task is unchanged", event.eventId()).isTrue();
            assertThat(serviceRequest.equalsDeep(serviceRequestBefore)).as("%s: the caller's ServiceRequest is unchanged",
                    event.eventId()).isTrue();
            ObjectNode step = steps.addObject();
            step.put("eventId", event.eventId());
            step.put("kind", event.kind().name());
            step.put("outcome", result.outcome().name());
            if (result instanceof LifecycleResult.Applied applied) {
                step.put("gpChange", applied.gpChange().name());
                step.put("taskChanged", applied.taskChanged());
                step.put("taskStatus", applied.task().getStatus().toCode());
                step.put("serviceRequestChanged", applied.changedServiceRequest().isPresent());
                ArrayNode createdIds = step.putArray("created");
                assertValid(applied.task(), Profiles.TASK, event.eventId() + " Task");
                task = applied.task();
                if (applied.changedServiceRequest().isPresent()) {
                    serviceRequest = applied.changedServiceRequest().get();
                    assertValid(serviceRequest, Profiles.SERVICE_REQUEST, event.eventId() + " ServiceRequest");
                }
                for (Resource resource : applied.created()) {
                    assertValid(resource, LifecycleProfiles.ONWARD_REFERRAL, event.eventId() + " onward referral");
                    String id = resource.fhirType() + "/" + resource.getIdElement().getIdPart();
                    createdIds.add(id);
                    created.put(id, resource);
                }
            } else if (result instanceof LifecycleResult.Stale stale) {
                step.put("reason", stale.reason());
            } else if (result instanceof LifecycleResult.Refused refused) {
                ArrayNode problems = step.putArray("problems");
                for (Problem problem : refused.problems()) {
                    ObjectNode p = problems.addObject();
                    p.put("severity", problem.severity().toCode());
                    p.put("code", problem.code().toCode());
                    p.put("diagnostics", problem.diagnostics());
                    p.put("expression", problem.expression());
                }
            }
        }
        actual.set("task", LifecycleFixtures.toJson(task));
        actual.set("serviceRequest", LifecycleFixtures.toJson(serviceRequest));
        ArrayNode createdResources = actual.putArray("created");
        created.values().forEach(r -> createdResources.add(LifecycleFixtures.toJson(r)));

        GoldenFiles.assertMatches(Fixtures.path(LifecycleFixtures.FOLDER + "/" + scenario + ".expected.json"),
                actual.toString());
    }

    private static void assertValid(Resource resource, String profile, String what) {
        assertThat(validator.validate(resource, profile).errors()).as("%s against %s", what, profile).isEmpty();
    }
}
