package io.github.spfhir.adapter.domain.dataplatform;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Resource;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.support.Fixtures;

/** Reads {@code test-fixtures/data-platform/<scenario>.input.json} (shape: that folder's README). */
final class DataPlatformFixtures {

    static final String FOLDER = "data-platform";
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    /** One scenario's input: the changed resources, whether to pseudonymise, and the key (null when not). */
    record Input(List<Resource> resources, boolean pseudonymise, byte[] key) {
    }

    private DataPlatformFixtures() {
    }

    static List<String> scenarios() {
        return Fixtures.scenarios(FOLDER, ".input.json");
    }

    static Path expected(String scenario) {
        return Fixtures.path(FOLDER + "/" + scenario + ".expected.json");
    }

    static Input read(String scenario) {
        Bundle input = FHIR.newJsonParser().parseResource(Bundle.class, Fixtures.read(FOLDER + "/" + scenario + ".input.json"));
        Parameters parameters = (Parameters) input.getEntryFirstRep().getResource();
        List<Resource> resources = new ArrayList<>();
        input.getEntry().stream().skip(1).forEach(entry -> resources.add(entry.getResource()));
        boolean pseudonymise = parameters.getParameterBool("pseudonymise");
        Parameters.ParametersParameterComponent key = parameters.getParameter("key");
        return new Input(resources, pseudonymise, key == null ? null : ((org.hl7.fhir.r4.model.Base64BinaryType) key.getValue()).getValue());
    }
}
