package io.github.spfhir.adapter.domain.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.support.Fixtures;

/** DEWIS export records (assumed shape, mappings/directories/dewis.yaml) mapped to bilingual FHIR. */
class DewisExportGoldenTest {

    static final String FOLDER = "directory-sync/dewis";
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static FhirProfileValidator validator;
    private static DewisExportMapper mapper;

    @BeforeAll
    static void setUp() {
        validator = new FhirProfileValidator(FHIR);
        mapper = new DewisExportMapper(DewisExportMapping.bundled());
    }

    static List<String> scenarios() throws IOException {
        try (Stream<Path> files = Files.list(Fixtures.path(FOLDER))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".record.json"))
                    .map(n -> n.substring(0, n.length() - ".record.json".length())).sorted().toList();
        }
    }

    private static MappedService map(String scenario) throws IOException {
        return mapper.map("dewis", JSON.readTree(Fixtures.read(FOLDER + "/" + scenario + ".record.json")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void mapsToTheGoldenFhirAndValidates(String scenario) throws IOException {
        MappedService mapped = map(scenario);

        MappedServiceGolden.assertMatchesAndValidates(mapped, Fixtures.path(FOLDER + "/" + scenario + ".expected.json"),
                validator);
    }

    @Test
    void welshAndEnglishSitSideBySide() throws IOException {
        MappedService mapped = map("bilingual-service");

        assertThat(mapped.healthcareService().getName()).isEqualTo("Example Walking Group");
        assertThat(Translations.get(mapped.healthcareService().getNameElement(), Translations.WELSH))
                .isEqualTo("Grŵp Cerdded Enghreifftiol");
        assertThat(Translations.get(mapped.organization().getNameElement(), Translations.WELSH))
                .isEqualTo("Ymddiriedolaeth Gymunedol Enghreifftiol");
        assertThat(Translations.localise(mapped.healthcareService(), Translations.WELSH, Translations.ENGLISH)).isTrue();
        assertThat(mapped.healthcareService().getComment()).startsWith("Taith gerdded wythnosol");
    }

    @Test
    void aRecordWithoutIdOrOrganisationIsRefused() throws IOException {
        assertThatThrownBy(() -> mapper.map("dewis", JSON.readTree("{\"name_en\":\"x\",\"provider\":{\"id\":\"p\"}}")))
                .isInstanceOf(InvalidDirectoryRecordException.class).hasMessage("id missing");
        assertThatThrownBy(() -> mapper.map("dewis", JSON.readTree("{\"id\":\"r1\",\"name_en\":\"x\"}")))
                .isInstanceOf(InvalidDirectoryRecordException.class).hasMessage("organisation-id missing");
    }

    @Test
    void theMappingIsCheckedWhenRead() {
        assertThatThrownBy(() -> read("format: json\nrecords: /r\nfields:\n  id: /id\n  organisation-id: /o\n"
                + "  name: {en: /n}\n  colour: /c\n")).hasMessageContaining("colour");
        assertThatThrownBy(() -> read("format: json\nrecords: /r\nfields:\n  id: /id\n  organisation-id: /o\n"
                + "  name: {en: /n, fr: /f}\n")).hasMessageContaining("fr");
        assertThatThrownBy(() -> read("format: xml\nrecords: /r\nfields:\n  id: /id\n")).hasMessageContaining("json or csv");
        assertThatThrownBy(() -> read("format: json\nrecords: /r\nfields:\n  id: /id\n")).hasMessageContaining("required");
        assertThatThrownBy(() -> read("format: json\nrecords: /a/b\nfields:\n  id: /id\n  organisation-id: /o\n"
                + "  name: {en: /n}\n")).hasMessageContaining("top-level");
        assertThat(DewisExportMapping.bundled().recordsField()).isEqualTo("resources");
        assertThat(DewisExportMapping.bundled().format()).isEqualTo(DewisExportMapping.Format.JSON);
    }

    private static DewisExportMapping read(String yaml) throws IOException {
        return DewisExportMapping.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }
}
