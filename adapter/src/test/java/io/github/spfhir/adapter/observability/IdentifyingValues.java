package io.github.spfhir.adapter.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;

/**
 * The values in the test fixtures that identify a patient or say something about them, read from the fixtures
 * themselves so a new fixture is covered without editing a list: everything under a {@code Patient} (identifiers
 * such as the NHS number, names, telecoms, birth date, address) except codes and plumbing, the free text of a
 * {@code ServiceRequest} (notes, reasons, patient instruction), and the free text of a platform's events (notes and
 * reason texts). A fixture that is not well-formed (the malformed ones) is read for its quoted free text instead.
 */
final class IdentifyingValues {

    /** Members whose values are codes, references or structure, never something that identifies a patient. */
    private static final Set<String> NOT_IDENTIFYING = Set.of("resourceType", "id", "system", "use", "gender", "url",
            "reference", "profile", "code", "display", "version", "status", "meta", "fullUrl", "div", "type",
            "language");
    /** Members of a ServiceRequest that are free text about the patient. */
    private static final Set<String> SERVICE_REQUEST_FREE_TEXT = Set.of("note", "reasonCode", "patientInstruction",
            "orderDetail", "supportingInfo");
    private static final Pattern QUOTED_FREE_TEXT =
            Pattern.compile("\"(?:note|text|family|given|birthDate|postalCode|line)\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern NHS_NUMBER = Pattern.compile("\\d{10}");
    /** Shorter values (a two-letter given name) would match ordinary words in log text. */
    private static final int MIN_LENGTH = 3;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final Set<String> values = new TreeSet<>();

    /**
     * The values found. A value that is also the name of a FHIR resource type is left out (the XML fixture's family
     * name is Specimen, and HAPI names its model classes in DEBUG lines); the test's sentinel family name stands
     * for names in general.
     */
    Set<String> values() {
        Set<String> resourceTypes = FHIR.getResourceTypes();
        return values.stream().filter(v -> !resourceTypes.contains(v)).collect(Collectors.toUnmodifiableSet());
    }

    /** Every FHIR message fixture ({@code *.bundle.json}, {@code *.bundle.xml}) in a folder. */
    IdentifyingValues fromReferralFixtures(Path folder) {
        for (Path file : files(folder)) {
            String name = file.getFileName().toString();
            if (name.endsWith(".bundle.json")) {
                fromFhirJson(read(file));
            } else if (name.endsWith(".bundle.xml")) {
                fromFhirXml(read(file));
            }
        }
        return this;
    }

    /** Every platform event fixture in a folder (the {@code .expected.json} beside each is output, not input). */
    IdentifyingValues fromPlatformEventFixtures(Path folder) {
        for (Path file : files(folder)) {
            String name = file.getFileName().toString();
            if (name.endsWith(".json") && !name.endsWith(".expected.json")) {
                fromPlatformEvent(read(file));
            }
        }
        return this;
    }

    IdentifyingValues add(String value) {
        if (value != null && value.strip().length() >= MIN_LENGTH) {
            String v = value.strip();
            values.add(v);
            if (NHS_NUMBER.matcher(v).matches()) {
                // as NHS numbers are printed and read aloud: 943 476 5919
                values.add(v.substring(0, 3) + " " + v.substring(3, 6) + " " + v.substring(6));
            }
        }
        return this;
    }

    private void fromFhirJson(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException notWellFormed) {
            fromQuotedFreeText(body);
            return;
        }
        fromResources(root);
    }

    private void fromFhirXml(String body) {
        IParser parser = FHIR.newXmlParser().setParserErrorHandler(new LenientErrorHandler(false));
        try {
            fromFhirJson(FHIR.newJsonParser().encodeResourceToString(parser.parseResource(body)));
        } catch (RuntimeException notWellFormed) {
            fromQuotedFreeText(body);
        }
    }

    private void fromPlatformEvent(String body) {
        JsonNode event;
        try {
            event = JSON.readTree(body);
        } catch (IOException notWellFormed) {
            fromQuotedFreeText(body);
            return;
        }
        if (event.isObject()) {
            addText(event.get("note"));
            addText(event.path("reason").get("text"));
        }
    }

    /** Walks the JSON for resources: every Patient in full, every ServiceRequest's free text. */
    private void fromResources(JsonNode node) {
        if (node.isObject()) {
            String type = node.path("resourceType").asText();
            if ("Patient".equals(type)) {
                allValues(node);
                return;
            }
            if ("ServiceRequest".equals(type)) {
                SERVICE_REQUEST_FREE_TEXT.forEach(member -> {
                    if (node.has(member)) {
                        allValues(node.get(member));
                    }
                });
            }
        }
        node.forEach(this::fromResources);
    }

    private void allValues(JsonNode node) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> member = it.next();
                if (!NOT_IDENTIFYING.contains(member.getKey())) {
                    allValues(member.getValue());
                }
            }
        } else if (node.isArray()) {
            node.forEach(this::allValues);
        } else if (node.isTextual()) {
            add(node.asText());
        }
    }

    private void addText(JsonNode node) {
        if (node != null && node.isTextual()) {
            add(node.asText());
        }
    }

    private void fromQuotedFreeText(String body) {
        Matcher matcher = QUOTED_FREE_TEXT.matcher(body);
        while (matcher.find()) {
            add(matcher.group(1));
        }
    }

    private static Iterable<Path> files(Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
