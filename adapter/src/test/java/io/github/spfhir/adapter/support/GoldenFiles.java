package io.github.spfhir.adapter.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.json.JSONException;
import org.skyscreamer.jsonassert.JSONAssert;
import org.skyscreamer.jsonassert.JSONCompareMode;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Compares an output with its golden file as JSON (strict: same fields, same array order), never as text.
 *
 * <p>To (re)write golden files after a deliberate change, run the tests with {@code -Dgolden.update=true}, then
 * review the diff of {@code test-fixtures/} before committing it: the files are the specification.
 */
public final class GoldenFiles {

    private static final boolean UPDATE = Boolean.getBoolean("golden.update");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private GoldenFiles() {
    }

    public static void assertMatches(Path expectedFile, String actualJson) {
        try {
            if (UPDATE) {
                Files.writeString(expectedFile, JSON.writeValueAsString(JSON.readTree(actualJson)) + "\n",
                        StandardCharsets.UTF_8);
            }
            assertThat(expectedFile).as("golden file %s (write it with -Dgolden.update=true)", expectedFile).exists();
            JSONAssert.assertEquals("golden file " + expectedFile, Files.readString(expectedFile, StandardCharsets.UTF_8),
                    actualJson, JSONCompareMode.STRICT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JSONException e) {
            throw new AssertionError("not JSON: " + e.getMessage(), e);
        }
    }
}
