package io.github.spfhir.adapter.client.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.spfhir.adapter.support.Fixtures;

/**
 * A CSV export read in pages with Apache Commons CSV: the fixture {@code directory-sync/dewis-csv/export.csv}
 * (quoted commas, quotes and line breaks, Welsh letters, a row with a field too many), and files that cannot be
 * read: each of those fails the whole run.
 */
class CsvExportFilePagesTest {

    private static final Path EXPORT = Fixtures.path("directory-sync/dewis-csv/export.csv");
    private static final Set<String> COLUMNS = Set.of("ID", "Name (English)", "Enw (Cymraeg)", "Provider ID", "Postcode");

    @TempDir
    Path folder;

    @Test
    void readsRowsAsFlatRecordsPageByPageAndReportsARowWithTheWrongNumberOfFields() {
        CsvExportFilePages pages = new CsvExportFilePages(EXPORT, COLUMNS, "ID", 2);

        OrukPage first = pages.servicesPage(1);
        assertThat(first.lastPage()).isFalse();
        assertThat(first.unreadable()).isEmpty();
        assertThat(first.contents()).hasSize(2);
        assertThat(first.contents().get(0).get("Enw (Cymraeg)").asText()).isEqualTo("Grŵp Cerdded Enghreifftiol");
        // an empty field is absent, not ""
        assertThat(first.contents().get(1).has("Name (English)")).isFalse();
        assertThat(first.contents().get(1).get("Enw (Cymraeg)").asText()).isEqualTo("Clwb Cinio Enghreifftiol");

        OrukPage second = pages.servicesPage(2);
        assertThat(second.contents()).singleElement().satisfies(choir -> {
            assertThat(choir.get("Description (English)").asText())
                    .isEqualTo("Sings on Tuesdays, 7pm: \"all voices welcome\".\r\nNo auditions.");
            assertThat(choir.get("Disgrifiad (Cymraeg)").asText()).endsWith("Dŵr a thŷ bach ar gael.");
        });
        assertThat(second.unreadable()).singleElement().isEqualTo(new OrukPage.UnreadableRecord(
                "5f1c2a9e-7b3d-4e8f-9a1b-2c3d4e5f6a04", "CSV record 4 has 15 fields, the header 14"));
        assertThat(second.lastPage()).isFalse();

        OrukPage third = pages.servicesPage(3);
        assertThat(third.contents()).singleElement()
                .satisfies(r -> assertThat(r.get("ID").asText()).isEqualTo("5f1c2a9e-7b3d-4e8f-9a1b-2c3d4e5f6a05"));
        assertThat(third.lastPage()).isTrue();

        // page 1 again starts the file again
        assertThat(pages.servicesPage(1).contents()).hasSize(2);
        assertThatThrownBy(() -> pages.servicesPage(3)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> pages.servicesPage(1, Instant.EPOCH)).isInstanceOf(IllegalArgumentException.class);
        pages.close();
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstColumnsName() throws IOException {
        Path file = write("\uFEFFID,Name (English),Enw (Cymraeg),Provider ID,Postcode\r\nr1,Choir,Côr,p1,\r\n");

        OrukPage page = new CsvExportFilePages(file, COLUMNS, "ID", 10).servicesPage(1);

        assertThat(page.contents()).singleElement().satisfies(r -> assertThat(r.get("ID").asText()).isEqualTo("r1"));
        assertThat(page.lastPage()).isTrue();
    }

    @Test
    void aFileThatCannotBeReadFailsTheRunWithoutQuotingIt() throws IOException {
        assertFails(write("ID,Name (English),Enw (Cymraeg),Provider ID\r\nr1,a,b,p\r\n"),
                "Export file lacks the column(s) [Postcode] of its mapping");
        assertFails(write("ID,Name (English),Enw (Cymraeg),Provider ID,Postcode\r\nr1,\"an unclosed quote,b,p,\r\n"),
                "Unreadable export file");
        assertFails(write("ID,ID,Name (English),Enw (Cymraeg),Provider ID,Postcode\r\n"), "Unreadable export file");
        assertFails(write(""), "Export file lacks the column(s)");
        Path latin1 = folder.resolve("latin1.csv");
        Files.write(latin1, "ID,Name (English),Enw (Cymraeg),Provider ID,Postcode\r\nr1,Caf\u00e9,Caffi,p,\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertFails(latin1, "Unreadable export file");
        assertFails(folder.resolve("missing.csv"), "Export file missing or unreadable");
    }

    private void assertFails(Path file, String message) {
        assertThatThrownBy(() -> new CsvExportFilePages(file, COLUMNS, "ID", 10).servicesPage(1))
                .isInstanceOf(DirectorySourceException.class).hasMessageStartingWith(message)
                .hasMessageNotContaining("Caf").hasMessageNotContaining("unclosed");
    }

    private Path write(String text) throws IOException {
        Path file = Files.createTempFile(folder, "export", ".csv");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
