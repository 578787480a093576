package io.github.spfhir.adapter.domain.directory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Where the fields of a DEWIS Cymru export record are ({@code mappings/directories/dewis.yaml}): one JSON
 * pointer per field, and an English/Welsh pair of pointers for the bilingual fields. Read once, checked
 * strictly: an unknown key or a pointer that is not one is an error at load, not a silent gap.
 *
 * <p>{@code format: json}: the export is a JSON file, {@code records} says where its array of records is, and
 * each field is a JSON pointer into a record. {@code format: csv}: the export is a CSV file (RFC 4180, UTF-8, a
 * header row), each row a record, and each field is a column's name as the header has it; a row is read as a
 * flat JSON object of column name to text, so the one mapper serves both.
 *
 * @param format    how the export file is written
 * @param records   where the array of records is in a JSON export file; null for CSV
 * @param fields    single-language fields: pointer per field name
 * @param bilingual bilingual fields: per field name, pointer per language ({@code en}, {@code cy})
 */
public record DewisExportMapping(Format format, JsonPointer records, Map<String, JsonPointer> fields,
        Map<String, Map<String, JsonPointer>> bilingual) {

    /** How a DEWIS export file is written. */
    public enum Format {
        JSON, CSV
    }

    public static final String CLASSPATH = "mappings/directories/dewis.yaml";
    static final Set<String> SINGLE = Set.of("id", "organisation-id", "phone", "email", "website", "address-line",
            "town", "postcode");
    static final Set<String> BILINGUAL = Set.of("name", "description", "organisation-name");
    static final Set<String> LANGUAGES = Set.of(Translations.ENGLISH, Translations.WELSH);

    /** A mapping file of the operator's (a source's {@code mapping-file}), read and checked as the bundled one. */
    public static DewisExportMapping read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("DEWIS export mapping file cannot be read: " + e.getClass().getSimpleName(), e);
        }
    }

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
        Format format = switch (root.path("format").asText()) {
            case "json" -> Format.JSON;
            case "csv" -> Format.CSV;
            default -> throw new IllegalArgumentException("DEWIS export mapping: format must be json or csv");
        };
        Map<String, JsonPointer> fields = new LinkedHashMap<>();
        Map<String, Map<String, JsonPointer>> bilingual = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("fields").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (SINGLE.contains(field.getKey()) && field.getValue().isTextual()) {
                fields.put(field.getKey(), pointer(format, field.getKey(), field.getValue().asText()));
            } else if (BILINGUAL.contains(field.getKey()) && field.getValue().isObject()) {
                Map<String, JsonPointer> languages = new LinkedHashMap<>();
                for (Iterator<Map.Entry<String, JsonNode>> l = field.getValue().fields(); l.hasNext(); ) {
                    Map.Entry<String, JsonNode> language = l.next();
                    if (!LANGUAGES.contains(language.getKey())) {
                        throw new IllegalArgumentException("DEWIS export mapping: " + field.getKey()
                                + " has language " + language.getKey() + "; only en and cy are known");
                    }
                    languages.put(language.getKey(), pointer(format, field.getKey(), language.getValue().asText()));
                }
                bilingual.put(field.getKey(), languages);
            } else {
                throw new IllegalArgumentException("DEWIS export mapping: unknown field or wrong shape: " + field.getKey());
            }
        }
        if (!fields.containsKey("id") || !fields.containsKey("organisation-id") || !bilingual.containsKey("name")) {
            throw new IllegalArgumentException("DEWIS export mapping: id, organisation-id and name are required");
        }
        if (format == Format.CSV) {
            if (root.has("records")) {
                throw new IllegalArgumentException("DEWIS export mapping: records is for json exports; in a csv"
                        + " export every row is a record");
            }
            return new DewisExportMapping(format, null, Map.copyOf(fields), Map.copyOf(bilingual));
        }
        JsonPointer records = pointer(format, "records", root.path("records").asText());
        if (!records.matches() && !records.tail().matches()) {
            throw new IllegalArgumentException("DEWIS export mapping: records must be the file itself (\"\") or one "
                    + "top-level field (\"/name\")");
        }
        return new DewisExportMapping(format, records, Map.copyOf(fields), Map.copyOf(bilingual));
    }

    /** The top-level field holding the records of a JSON export, or null when the file is the array itself. */
    public String recordsField() {
        return records == null || records.matches() ? null : records.getMatchingProperty();
    }

    /** The columns a CSV export must have: every one the mapping names (empty for a JSON export). */
    public Set<String> columns() {
        if (format != Format.CSV) {
            return Set.of();
        }
        Set<String> columns = new TreeSet<>();
        fields.values().forEach(p -> columns.add(p.getMatchingProperty()));
        bilingual.values().forEach(languages -> languages.values().forEach(p -> columns.add(p.getMatchingProperty())));
        return Collections.unmodifiableSet(columns);
    }

    /** The column of a CSV export holding the record's id (null for a JSON export). */
    public String idColumn() {
        return format == Format.CSV ? fields.get("id").getMatchingProperty() : null;
    }

    /** A JSON pointer as written (JSON), or the pointer to a column of that name in a row (CSV). */
    private static JsonPointer pointer(Format format, String field, String value) {
        if (format == Format.CSV) {
            if (value.isBlank()) {
                throw new IllegalArgumentException("DEWIS export mapping: " + field + " names no column");
            }
            // a row is a flat object: one property per column, whatever characters its name has
            return JsonPointer.compile("/" + value.replace("~", "~0").replace("/", "~1"));
        }
        try {
            return JsonPointer.compile(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DEWIS export mapping: " + field + " is not a JSON pointer");
        }
    }
}
