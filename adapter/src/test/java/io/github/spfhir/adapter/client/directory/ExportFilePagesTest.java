package io.github.spfhir.adapter.client.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An export file read in pages with a streaming parser. */
class ExportFilePagesTest {

    @TempDir
    Path dir;

    @Test
    void aTopLevelArrayInPagesAndAgainFromPageOne() throws IOException {
        Path file = Files.writeString(dir.resolve("export.json"), "[{\"id\":\"a\"},{\"id\":\"b\"},{\"id\":\"c\"}]");
        try (ExportFilePages pages = new ExportFilePages(file, null, 2)) {
            OrukPage first = pages.servicesPage(1);
            OrukPage second = pages.servicesPage(2);

            assertThat(first.contents()).extracting(n -> n.get("id").asText()).containsExactly("a", "b");
            assertThat(first.lastPage()).isFalse();
            assertThat(second.contents()).extracting(n -> n.get("id").asText()).containsExactly("c");
            assertThat(second.lastPage()).isTrue();
            assertThat(pages.servicesPage(1).contents()).hasSize(2);
        }
    }

    @Test
    void recordsUnderAFieldAfterOtherFields() throws IOException {
        Path file = Files.writeString(dir.resolve("export.json"),
                "{\"meta\":{\"records\":[1]},\"count\":1,\"resources\":[{\"id\":\"a\"}]}");
        try (ExportFilePages pages = new ExportFilePages(file, "resources", 10)) {
            OrukPage page = pages.servicesPage(1);

            assertThat(page.contents()).extracting(n -> n.get("id").asText()).containsExactly("a");
            assertThat(page.lastPage()).isTrue();
        }
    }

    @Test
    void aFileOfAnotherShapeOrNoneIsASourceFailure() throws IOException {
        Path file = Files.writeString(dir.resolve("export.json"), "{\"other\":[]}");
        try (ExportFilePages pages = new ExportFilePages(file, "resources", 10)) {
            assertThatThrownBy(() -> pages.servicesPage(1)).isInstanceOf(DirectorySourceException.class)
                    .hasMessageContaining("not an array of records");
        }
        try (ExportFilePages pages = new ExportFilePages(dir.resolve("missing.json"), null, 10)) {
            assertThatThrownBy(() -> pages.servicesPage(1)).isInstanceOf(DirectorySourceException.class)
                    .hasMessageContaining("missing");
        }
    }
}
