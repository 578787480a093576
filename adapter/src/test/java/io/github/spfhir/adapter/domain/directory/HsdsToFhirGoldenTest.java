package io.github.spfhir.adapter.domain.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.domain.validation.Profiles;
import io.github.spfhir.adapter.support.Fixtures;

/** Each ORUK service fixture (v3 and v1) mapped to FHIR, compared with its golden file, and valid against the profiles. */
class HsdsToFhirGoldenTest {

    static final String FOLDER = "directory-sync";
    static final String SOURCE = "example-oruk";
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FhirProfileValidator validator;

    @BeforeAll
    static void validator() {
        validator = new FhirProfileValidator(FHIR);
    }

    /** {@code oruk-v3/<scenario>} and {@code oruk-v1/<scenario>}. */
    static List<String> scenarios() throws IOException {
        List<String> scenarios = new java.util.ArrayList<>();
        for (String version : List.of("oruk-v1", "oruk-v3")) {
            try (Stream<Path> files = Files.list(Fixtures.path(FOLDER + "/" + version))) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".service.json"))
                        .map(n -> version + "/" + n.substring(0, n.length() - ".service.json".length())).sorted()
                        .forEach(scenarios::add);
            }
        }
        return scenarios;
    }

    static JsonNode record(String scenario) {
        try {
            return JSON.readTree(Fixtures.read(FOLDER + "/" + scenario + ".service.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void mapsToTheGoldenFhirAndValidates(String scenario) {
        MappedService mapped = HsdsToFhirMapper.map(SOURCE, record(scenario));

        MappedServiceGolden.assertMatchesAndValidates(mapped, Fixtures.path(FOLDER + "/" + scenario + ".expected.json"),
                validator);
    }

    @Test
    void theSameRecordAlwaysGetsTheSameIdsAndAnotherSourceOthers() {
        MappedService once = HsdsToFhirMapper.map(SOURCE, record("oruk-v3/full-service"));
        MappedService again = HsdsToFhirMapper.map(SOURCE, record("oruk-v3/full-service"));
        MappedService elsewhere = HsdsToFhirMapper.map("another-source", record("oruk-v3/full-service"));

        assertThat(again.healthcareService().getIdElement().getIdPart()).isEqualTo(once.healthcareService().getIdElement().getIdPart());
        assertThat(elsewhere.healthcareService().getIdElement().getIdPart()).isNotEqualTo(once.healthcareService().getIdElement().getIdPart());
        assertThat(once.healthcareService().getIdElement().getIdPart())
                .isEqualTo(DirectoryIds.of("HealthcareService", SOURCE, "ac148810-d857-441c-9679-408f346de14b"));
    }

    @Test
    void aRecordWithoutIdOrOrganisationIsRefusedWithTheFieldNamed() throws IOException {
        assertThatThrownBy(() -> HsdsToFhirMapper.map(SOURCE, JSON.readTree("{\"name\":\"x\",\"organization_id\":\"o\"}")))
                .isInstanceOf(InvalidDirectoryRecordException.class).hasMessage("id missing");
        assertThatThrownBy(() -> HsdsToFhirMapper.map(SOURCE, JSON.readTree("{\"id\":\"s1\",\"name\":\"x\"}")))
                .isInstanceOf(InvalidDirectoryRecordException.class).hasMessage("organization_id missing");
        assertThatThrownBy(() -> HsdsToFhirMapper.map(SOURCE, JSON.readTree("[1]")))
                .isInstanceOf(InvalidDirectoryRecordException.class).hasMessage("record is not a JSON object");
    }

    @Test
    void aRecordWithoutNameOrStatusMapsButFailsTheProfile() throws IOException {
        MappedService mapped = HsdsToFhirMapper.map(SOURCE, JSON.readTree("{\"id\":\"s1\",\"organization_id\":\"o1\"}"));

        assertThat(validator.validate(mapped.healthcareService(), Profiles.HEALTHCARE_SERVICE).errors())
                .anySatisfy(p -> assertThat(p.diagnostics()).contains("HealthcareService.name: minimum required = 1"))
                .anySatisfy(p -> assertThat(p.diagnostics()).contains("HealthcareService.active: minimum required = 1"));
    }
}
