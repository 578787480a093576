package io.github.spfhir.adapter.domain.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.databind.JsonNode;

import ca.uhn.fhir.context.FhirContext;
import io.github.spfhir.adapter.client.directory.CsvExportFilePages;
import io.github.spfhir.adapter.client.directory.OrukPage;
import io.github.spfhir.adapter.config.AdapterProperties;
import io.github.spfhir.adapter.config.SyncSchedule;
import io.github.spfhir.adapter.domain.validation.FhirProfileValidator;
import io.github.spfhir.adapter.store.DirectoryStore;
import io.github.spfhir.adapter.store.SyncRun;
import io.github.spfhir.adapter.support.Fixtures;
import io.github.spfhir.adapter.support.TestConfigurations;

/**
 * DEWIS Cymru exports in CSV ({@code format: csv}, the fixture mapping {@code directory-sync/dewis-csv/dewis-csv.yaml}):
 * a row gives the same FHIR as the same record in JSON (the JSON golden files), the Welsh kept beside the English;
 * and a sync of the CSV export through {@link DirectorySync}, into a database of its own (so that these services
 * stay out of the other tests' searches).
 */
class DewisCsvExportTest {

    static final String FOLDER = "directory-sync/dewis-csv";
    static final Path MAPPING = Fixtures.path(FOLDER + "/dewis-csv.yaml");
    static final Path EXPORT = Fixtures.path(FOLDER + "/export.csv");
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static FhirProfileValidator validator;
    private static DewisExportMapping mapping;

    @BeforeAll
    static void setUp() {
        validator = new FhirProfileValidator(FHIR);
        mapping = DewisExportMapping.read(MAPPING);
    }

    /** The records of the fixture export that can be read, in order. */
    private static List<JsonNode> rows() {
        CsvExportFilePages pages = new CsvExportFilePages(EXPORT, mapping.columns(), mapping.idColumn(), 100);
        OrukPage page = pages.servicesPage(1);
        assertThat(page.lastPage()).isTrue();
        return page.contents();
    }

    @Test
    void theCsvMappingNamesColumns() {
        assertThat(mapping.format()).isEqualTo(DewisExportMapping.Format.CSV);
        assertThat(mapping.idColumn()).isEqualTo("ID");
        assertThat(mapping.columns()).contains("ID", "Name (English)", "Enw (Cymraeg)", "Provider ID", "Postcode")
                .hasSize(14);
        assertThat(mapping.recordsField()).isNull();
    }

    @Test
    void aRowGivesTheSameFhirAsTheSameRecordInJson() {
        DewisExportMapper mapper = new DewisExportMapper(mapping);
        List<JsonNode> rows = rows();

        MappedServiceGolden.assertMatchesAndValidates(mapper.map("dewis", rows.get(0)),
                Fixtures.path("directory-sync/dewis/bilingual-service.expected.json"), validator);
        MappedServiceGolden.assertMatchesAndValidates(mapper.map("dewis", rows.get(1)),
                Fixtures.path("directory-sync/dewis/welsh-only-service.expected.json"), validator);
    }

    @Test
    void quotedCommasQuotesAndLineBreaksReachFhirIntact() {
        MappedService choir = new DewisExportMapper(mapping).map("dewis", rows().get(2));

        MappedServiceGolden.assertMatchesAndValidates(choir, Fixtures.path(FOLDER + "/choir-service.expected.json"), validator);
        assertThat(choir.healthcareService().getComment())
                .isEqualTo("Sings on Tuesdays, 7pm: \"all voices welcome\".\r\nNo auditions.");
        assertThat(Translations.get(choir.healthcareService().getCommentElement(), Translations.WELSH))
                .startsWith("Canu ar ddydd Mawrth, 7yh: \"croeso i bob llais\".").endsWith("Dŵr a thŷ bach ar gael.");
    }

    @Test
    void aCsvMappingIsCheckedWhenRead() {
        assertThatThrownBy(() -> read("format: xml\nfields:\n  id: ID\n")).hasMessageContaining("json or csv");
        assertThatThrownBy(() -> read("format: csv\nrecords: /r\nfields:\n  id: ID\n  organisation-id: P\n"
                + "  name: {en: N}\n")).hasMessageContaining("records is for json exports");
        assertThatThrownBy(() -> read("format: csv\nfields:\n  id: \"\"\n  organisation-id: P\n  name: {en: N}\n"))
                .hasMessageContaining("id names no column");
        // a column name is taken as written, even one that looks like a pointer
        assertThat(uncheckedRead("format: csv\nfields:\n  id: /id~\n  organisation-id: P\n  name: {en: N}\n").idColumn())
                .isEqualTo("/id~");
    }

    @Test
    void aCsvExportIsSyncedWithItsUnreadableAndUnmappableRowsReported() {
        DataSource dataSource = database();
        DirectoryStore store = new DirectoryStore(JdbcClient.create(dataSource),
                new TransactionTemplate(new DataSourceTransactionManager(dataSource)), FHIR, TestConfigurations.fixedClock());
        AdapterProperties.DirectorySource source = new AdapterProperties.DirectorySource(
                AdapterProperties.DirectorySourceKind.DEWIS_EXPORT, null, EXPORT, false, SyncSchedule.every(Duration.ofHours(24)),
                Duration.ofMinutes(1), Duration.ofSeconds(30), 2, false, null, MAPPING, null);
        DirectorySync sync = new DirectorySync(new AdapterProperties(null, null, Map.of(), null,
                Map.of("dewis-csv", source), null, null, null, null), store, validator, FHIR, TestConfigurations.fixedClock());

        SyncSummary summary = sync.sync("dewis-csv");

        assertThat(summary.state()).isEqualTo(SyncRun.SUCCEEDED);
        assertThat(summary.pages()).isEqualTo(3);
        assertThat(summary.services()).isEqualTo(3);
        assertThat(summary.rejected()).isEqualTo(2);
        List<String> rejects = new ArrayList<>();
        store.rejects(summary.runId()).forEach(r -> rejects.add(r.page() + " " + r.recordId() + " " + r.reason()));
        assertThat(rejects).containsExactly(
                "2 5f1c2a9e-7b3d-4e8f-9a1b-2c3d4e5f6a04 CSV record 4 has 15 fields, the header 14",
                "3 5f1c2a9e-7b3d-4e8f-9a1b-2c3d4e5f6a05 organisation-id missing");
        assertThat(store.read("HealthcareService",
                DirectoryIds.of("HealthcareService", "dewis-csv", "5f1c2a9e-7b3d-4e8f-9a1b-2c3d4e5f6a03")))
                .hasValueSatisfying(r -> assertThat(r.json()).contains("Côr Enghreifftiol").contains("thŷ bach"));
    }

    @Test
    void aMappingFileThatCannotBeReadStopsTheStartUp() {
        AdapterProperties.DirectorySource source = new AdapterProperties.DirectorySource(
                AdapterProperties.DirectorySourceKind.DEWIS_EXPORT, null, EXPORT, false, SyncSchedule.every(Duration.ofHours(24)),
                Duration.ofMinutes(1), Duration.ofSeconds(30), 2, false, null, Path.of("no-such-mapping.yaml"), null);
        AdapterProperties properties = new AdapterProperties(null, null, Map.of(), null, Map.of("dewis-csv", source),
                null, null, null, null);

        assertThatThrownBy(() -> new DirectorySync(properties, null, validator, FHIR, TestConfigurations.fixedClock()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> new AdapterProperties.DirectorySource(AdapterProperties.DirectorySourceKind.ORUK_V3,
                null, null, false, SyncSchedule.every(Duration.ofHours(6)), Duration.ofMinutes(1), Duration.ofSeconds(30), 100, false, null,
                MAPPING, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dewis-export");
    }

    @Test
    void theMappingFileCanBeSetFromTheEnvironment() {
        // as docs/operations.md says: not in application.yml, read through Spring's relaxed binding
        org.springframework.core.env.SystemEnvironmentPropertySource environment =
                new org.springframework.core.env.SystemEnvironmentPropertySource("systemEnvironment", Map.of(
                        "ADAPTER_DIRECTORIES_DEWIS_KIND", "dewis-export",
                        "ADAPTER_DIRECTORIES_DEWIS_EXPORTFILE", "data/dewis-export.csv",
                        "ADAPTER_DIRECTORIES_DEWIS_MAPPINGFILE", "config/dewis-csv.yaml"));
        org.springframework.boot.context.properties.bind.Binder binder = new org.springframework.boot.context.properties.bind.Binder(
                org.springframework.boot.context.properties.source.ConfigurationPropertySources.from(environment), null,
                org.springframework.boot.convert.ApplicationConversionService.getSharedInstance());

        AdapterProperties properties = binder.bind("adapter", AdapterProperties.class).get();

        assertThat(properties.directories().get("dewis")).satisfies(source -> {
            assertThat(source.kind()).isEqualTo(AdapterProperties.DirectorySourceKind.DEWIS_EXPORT);
            assertThat(source.mappingFile()).isEqualTo(Path.of("config/dewis-csv.yaml"));
            assertThat(source.fullSyncEvery()).isEqualTo(Duration.ofHours(24));
        });
    }

    private static DataSource database() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:dewis-csv-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        return dataSource;
    }

    private static DewisExportMapping read(String yaml) throws IOException {
        return DewisExportMapping.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static DewisExportMapping uncheckedRead(String yaml) {
        try {
            return read(yaml);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
