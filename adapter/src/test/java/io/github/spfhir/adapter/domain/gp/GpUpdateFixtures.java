package io.github.spfhir.adapter.domain.gp;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.support.Fixtures;

/** Reads {@code test-fixtures/gp-update/<scenario>.input.json} (shape: that folder's README) into a {@link GpUpdate}. */
final class GpUpdateFixtures {

    static final String FOLDER = "gp-update";
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private GpUpdateFixtures() {
    }

    static List<String> scenarios() {
        return Fixtures.scenarios(FOLDER, ".input.json");
    }

    static Path expected(String scenario) {
        return Fixtures.path(FOLDER + "/" + scenario + ".expected.json");
    }

    static GpUpdate read(String scenario) {
        Bundle input = FHIR.newJsonParser().parseResource(Bundle.class, Fixtures.read(FOLDER + "/" + scenario + ".input.json"));
        Parameters parameters = null;
        Task task = null;
        ServiceRequest serviceRequest = null;
        Patient patient = null;
        List<Observation> observations = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : input.getEntry()) {
            Resource resource = entry.getResource();
            if (resource instanceof Parameters p) {
                parameters = p;
            } else if (resource instanceof Task t) {
                task = t;
            } else if (resource instanceof ServiceRequest s) {
                serviceRequest = s;
            } else if (resource instanceof Patient p) {
                patient = p;
            } else if (resource instanceof Observation o) {
                observations.add(o);
            } else {
                throw new IllegalArgumentException("unexpected " + resource.fhirType() + " in " + scenario);
            }
        }
        if (parameters == null || task == null) {
            throw new IllegalArgumentException(scenario + " needs a Parameters and a Task");
        }
        return new GpUpdate(
                GpChange.valueOf(string(parameters, "change")),
                task, serviceRequest, patient, observations,
                string(parameters, "requestMessageHeaderId"),
                string(parameters, "correlationId"),
                string(parameters, "referringOdsCode"),
                string(parameters, "gpEndpoint"),
                new GpUpdate.Organisation(string(parameters, "senderOdsCode"), string(parameters, "senderName")),
                parameters.getParameter("occurredAt").getValue().dateTimeValue().getValue().toInstant(),
                GpUpdate.messageIdFor(task.getIdElement().getIdPart(), string(parameters, "eventKey")));
    }

    private static String string(Parameters parameters, String name) {
        Parameters.ParametersParameterComponent parameter = parameters.getParameter(name);
        if (parameter == null || !parameter.hasValue()) {
            throw new IllegalArgumentException("parameter " + name + " is missing");
        }
        return parameter.getValue().primitiveValue();
    }
}
