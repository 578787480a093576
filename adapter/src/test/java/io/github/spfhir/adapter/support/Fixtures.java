package io.github.spfhir.adapter.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The files under {@code test-fixtures/}, found from the module directory the tests run in. */
public final class Fixtures {

    public static final Path ROOT = locateRoot();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    private static Path locateRoot() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("test-fixtures"))) {
                return p.resolve("test-fixtures");
            }
        }
        throw new IllegalStateException("test-fixtures/ not found above " + here);
    }

    public static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    public static String read(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Scenario names in a folder: files named {@code <scenario>.bundle.json|xml}. */
    public static List<String> scenarios(String folder) {
        try (Stream<Path> files = Files.list(path(folder))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".bundle.json") || n.endsWith(".bundle.xml"))
                    .map(n -> n.substring(0, n.indexOf(".bundle.")))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Scenario names in a folder: files named {@code <scenario><suffix>}, such as {@code .event.json}, sorted. */
    public static List<String> scenarios(String folder, String suffix) {
        try (Stream<Path> files = Files.list(path(folder))) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(suffix))
                    .map(n -> n.substring(0, n.length() - suffix.length()))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The scenario's body file, JSON or XML. */
    public static Path bundleFile(String folder, String scenario) {
        Path json = path(folder + "/" + scenario + ".bundle.json");
        return Files.exists(json) ? json : path(folder + "/" + scenario + ".bundle.xml");
    }

    public static String contentType(Path bundleFile) {
        return bundleFile.toString().endsWith(".xml") ? "application/fhir+xml" : "application/fhir+json";
    }

    /**
     * The HTTP headers of a scenario from {@code <scenario>.headers.json} (NHSD-Target-Identifier given as JSON
     * is Base64-encoded here, as senders do), or fresh random ids when the scenario has no headers file.
     */
    public static Map<String, String> headers(String folder, String scenario) {
        Path file = path(folder + "/" + scenario + ".headers.json");
        Map<String, String> headers = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            headers.put("X-Request-ID", UUID.randomUUID().toString());
            headers.put("X-Correlation-ID", UUID.randomUUID().toString());
            return headers;
        }
        try {
            JsonNode node = JSON.readTree(file.toFile());
            node.fields().forEachRemaining(f -> headers.put(f.getKey(), f.getValue().isTextual()
                    ? f.getValue().asText()
                    : Base64.getEncoder().encodeToString(f.getValue().toString().getBytes(StandardCharsets.UTF_8))));
            return headers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String targetIdentifier(String system, String value) {
        return Base64.getEncoder().encodeToString(("{\"system\":\"" + system + "\",\"value\":\"" + value + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    }
}
