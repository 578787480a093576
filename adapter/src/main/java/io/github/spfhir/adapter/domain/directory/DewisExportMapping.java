package io.github.spfhir.adapter.domain.directory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Where the fields of a DEWIS Cymru export record are ({@code mappings/directories/dewis.yaml}): one JSON
 * pointer per field, and an English/Welsh pair of pointers for the bilingual fields. Read once, checked
 * strictly: an unknown key or a pointer that is not one is an error at load, not a silent gap.
 *
 * @param records where the array of records is in the export file
 * @param fields  single-language fields: pointer per field name
 * @param bilingual bilingual fields: per field name, pointer per language ({@code en}, {@code cy})
 */
public record DewisExportMapping(JsonPointer records, Map<String, JsonPointer> fields,
        Map<String, Map<String, JsonPointer>> bilingual) {

    public static final String CLASSPATH = "mappings/directories/dewis.yaml";
    static final Set<String> SINGLE = Set.of("id", "organisation-id", "phone", "email", "website", "address-line",
            "town", "postcode");
    static final Set<String> BILINGUAL = Set.of("name", "description", "organisation-name");
    static final Set<String> LANGUAGES = Set.of(Translations.ENGLISH, Translations.WELSH);

    /** The mapping shipped in {@value #CLASSPATH}. */
    public static DewisExportMapping bundled() {
        try (InputStream in = DewisExportMapping.class.getClassLoader().getResourceAsStream(CLASSPATH)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH + " is not on the classpath");
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static DewisExportMapping read(InputStream in) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
        if (!"json".equals(root.path("format").asText())) {
            throw new IllegalArgumentException("DEWIS export mapping: format must be json");
        }
        Map<String, JsonPointer> fields = new LinkedHashMap<>();
        Map<String, Map<String, JsonPointer>> bilingual = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("fields").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (SINGLE.contains(field.getKey()) && field.getValue().isTextual()) {
                fields.put(field.getKey(), pointer(field.getKey(), field.getValue().asText()));
            } else if (BILINGUAL.contains(field.getKey()) && field.getValue().isObject()) {
                Map<String, JsonPointer> languages = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> l = field.getValue().fields(); l.hasNext(); ) {
                    Map.Entry<String, JsonNode> language = l.next();
                    if (!LANGUAGES.contains(language.getKey())) {
                        throw new IllegalArgumentException("DEWIS export mapping: " + field.getKey()
                                + " has language " + language.getKey() + "; only en and cy are known");
                    }
                    languages.put(language.getKey(), pointer(field.getKey(), language.getValue().asText()));
                }
                bilingual.put(field.getKey(), languages);
            } else {
                throw new IllegalArgumentException("DEWIS export mapping: unknown field or wrong shape: " + field.getKey());
            }
        }
        if (!fields.containsKey("id") || !fields.containsKey("organisation-id") || !bilingual.containsKey("name")) {
            throw new IllegalArgumentException("DEWIS export mapping: id, organisation-id and name are required");
        }
        JsonPointer records = pointer("records", root.path("records").asText());
        if (!records.matches() && !records.tail().matches()) {
            throw new IllegalArgumentException("DEWIS export mapping: records must be the file itself (\"\") or one "
                    + "top-level field (\"/name\")");
        }
        return new DewisExportMapping(records, Map.copyOf(fields), Map.copyOf(bilingual));
    }

    /** The top-level field holding the records, or null when the file is the array itself. */
    public String recordsField() {
        return records.matches() ? null : records.getMatchingProperty();
    }

    private static JsonPointer pointer(String field, String value) {
        try {
            return JsonPointer.compile(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DEWIS export mapping: " + field + " is not a JSON pointer");
        }
    }
}
