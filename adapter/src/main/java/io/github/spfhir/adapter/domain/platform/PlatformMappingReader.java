package io.github.spfhir.adapter.domain.platform;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

import io.github.spfhir.adapter.domain.platform.CanonicalShape.Kind;

/**
 * Reads and validates one mapping file of {@code mappings/platforms/} (format: {@code mappings/README.md}).
 *
 * <p>Every problem in the file is reported at once, each with where it is ({@code fields[2].each[0]}) and the
 * field's target, so a file can be fixed in one pass. Sources are checked against {@link CanonicalShape#REFERRAL}.
 */
public final class PlatformMappingReader extends MappingFileReader {

    /** The mapping file extension; {@code .yml} is refused so that a file is never silently skipped. */
    public static final String EXTENSION = ".yaml";

    static final List<String> FILE_KEYS = List.of("platform", "mapping-version", "content-type", "description", "fields");
    static final List<String> FIELD_KEYS =
            List.of("target", "source", "constant", "required", "default", "value-map", "join", "each", "description");

    private static final Pattern JSON_MEDIA_TYPE =
            Pattern.compile("application/([a-z0-9.+-]+\\+)?json(\\s*;.*)?", Pattern.CASE_INSENSITIVE);
    private static final String DEFAULT_CONTENT_TYPE = "application/json";


    private PlatformMappingReader(String fileName) {
        super(fileName);
    }

    /**
     * Reads one mapping file.
     *
     * @param fileName the file's name, for example {@code example-linkworker.yaml}: the platform must be named after it
     * @param in       the file's content (UTF-8 YAML); not closed here
     * @throws InvalidPlatformMappingException naming the file and every problem found
     */
    public static PlatformMapping read(String fileName, InputStream in) {
        return new PlatformMappingReader(fileName).read(in);
    }

    private PlatformMapping read(InputStream in) {
        JsonNode root = readRoot(in, EXTENSION, FILE_KEYS);
        String platform = platform(root, EXTENSION);
        int mappingVersion = mappingVersion(root, "payload change");

        String contentType = text(root, "content-type", "");
        if (contentType == null) {
            contentType = DEFAULT_CONTENT_TYPE;
        } else if (!JSON_MEDIA_TYPE.matcher(contentType).matches()) {
            problems.add("'content-type' '" + contentType + "' is not a JSON media type (application/json or application/*+json)");
        }
        String description = text(root, "description", "");

        List<PlatformMapping.Field> fields = List.of();
        JsonNode fieldsNode = root.get("fields");
        if (fieldsNode == null || !fieldsNode.isArray() || fieldsNode.isEmpty()) {
            problems.add("'fields' must be a non-empty list");
        } else {
            fields = fields(fieldsNode, "fields", CanonicalShape.REFERRAL, null);
        }

        refuseIfAnyProblem();
        return new PlatformMapping(platform, mappingVersion, contentType, description, fields);
    }

    /**
     * Reads a list of fields. {@code shape} is what sources are resolved against: the referral, or the element of
     * the array an {@code each} maps ({@code eachOf} is that array's source, for messages).
     */
    private List<PlatformMapping.Field> fields(JsonNode list, String where, CanonicalShape shape, String eachOf) {
        List<PlatformMapping.Field> fields = new ArrayList<>();
        Map<JsonPointer, String> targets = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String at = where + "[" + i + "]";
            PlatformMapping.Field field = field(list.get(i), at, shape, eachOf, list.size());
            if (field == null) {
                continue;
            }
            for (Map.Entry<JsonPointer, String> earlier : targets.entrySet()) {
                if (overlaps(earlier.getKey(), field.target())) {
                    problems.add(at + ": target " + field.target() + " overlaps target " + earlier.getKey()
                            + " of " + earlier.getValue() + " (each payload member is written by one field)");
                }
            }
            targets.put(field.target(), at);
            fields.add(field);
        }
        return fields;
    }

    private PlatformMapping.Field field(JsonNode node, String at, CanonicalShape shape, String eachOf, int siblings) {
        if (!node.isObject()) {
            problems.add(at + ": a field must be a mapping with at least 'target' and 'source' or 'constant'");
            return null;
        }
        int before = problems.size();
        String targetText = text(node, "target", at + ": ");
        // where, for messages: position plus target
        String here = targetText == null ? at : at + " (target " + targetText + ")";
        checkKeys(node, here + ": ", FIELD_KEYS);

        JsonPointer target = null;
        if (targetText == null) {
            problems.add(at + ": 'target' is missing");
        } else {
            target = pointer(targetText, at + ": 'target'");
            if (target != null && target.matches() && (eachOf == null || siblings != 1)) {
                problems.add(at + ": the empty target is only allowed as the single field of an 'each'"
                        + " (the element itself becomes the value)");
            }
        }
        JsonNode constant = node.get("constant");
        String sourceText = text(node, "source", here + ": ");
        boolean required = bool(node, "required", here + ": ");
        JsonNode defaultValue = scalar(node.get("default"), here + ": 'default'");
        Map<String, JsonNode> valueMap = valueMap(node.get("value-map"), here);
        String join = text(node, "join", here + ": ");
        JsonNode eachNode = node.get("each");

        JsonPointer source = null;
        CanonicalShape sourceShape = null;
        if (constant != null && node.has("source")) {
            problems.add(here + ": has both 'source' and 'constant'; use one");
        } else if (constant == null && !node.has("source")) {
            problems.add(here + ": needs 'source' or 'constant'");
        } else if (constant != null) {
            if (constant.isNull()) {
                problems.add(here + ": 'constant' is null; leave the field out instead (nulls are never written)");
            }
            for (String other : List.of("required", "default", "value-map", "join", "each")) {
                if (node.has(other)) {
                    problems.add(here + ": 'constant' cannot be combined with '" + other + "'");
                }
            }
        } else if (sourceText != null) {
            source = pointer(sourceText, here + ": 'source'");
            if (source != null && source.matches() && eachOf == null) {
                problems.add(here + ": the empty source (the element itself) is only allowed inside 'each'");
                source = null;
            }
            if (source != null) {
                sourceShape = shape.resolve(source).orElse(null);
                if (sourceShape == null) {
                    problems.add(here + ": source " + quoted(sourceText) + " is not a path of "
                            + (eachOf == null ? "the canonical Referral" : "an element of " + eachOf)
                            + " (see the table in mappings/README.md)");
                }
            }
        }

        if (required && node.has("default")) {
            problems.add(here + ": 'required' and 'default' exclude each other");
        }
        if (eachNode != null && (node.has("value-map") || node.has("join"))) {
            problems.add(here + ": 'each' cannot be combined with 'value-map' or 'join'");
        }
        if (node.has("join") && node.has("value-map")) {
            problems.add(here + ": 'join' cannot be combined with 'value-map'");
        }

        List<PlatformMapping.Field> each = List.of();
        if (eachNode != null) {
            if (!eachNode.isArray() || eachNode.isEmpty()) {
                problems.add(here + ": 'each' must be a non-empty list of fields");
            } else if (sourceShape != null && sourceShape.kind() != Kind.ARRAY) {
                problems.add(here + ": 'each' needs an array source; " + sourceText + " is " + describe(sourceShape));
            } else if (sourceShape != null) {
                each = fields(eachNode, at + ".each", sourceShape.element(), sourceText);
            }
        }
        if (join != null && sourceShape != null
                && !(sourceShape.kind() == Kind.ARRAY && sourceShape.element().kind() == Kind.SCALAR)) {
            problems.add(here + ": 'join' needs an array of single values; " + sourceText + " is " + describe(sourceShape));
        }
        if (!valueMap.isEmpty() && sourceShape != null && sourceShape.kind() != Kind.SCALAR) {
            problems.add(here + ": 'value-map' needs a single-value source; " + sourceText + " is " + describe(sourceShape));
        }

        if (problems.size() > before || target == null) {
            return null;
        }
        return new PlatformMapping.Field(target, source, constant, required, defaultValue, valueMap, join, each);
    }

    /** A JSON Pointer, or null after recording why the text is not one. */
    private JsonPointer pointer(String text, String what) {
        if (!text.isEmpty() && !text.startsWith("/")) {
            problems.add(what + " " + quoted(text) + " is not a JSON Pointer (it must start with '/')");
            return null;
        }
        JsonPointer pointer;
        try {
            pointer = JsonPointer.compile(text);
        } catch (IllegalArgumentException e) {
            problems.add(what + " " + quoted(text) + " is not a JSON Pointer: " + e.getMessage());
            return null;
        }
        if (text.endsWith("/") || text.contains("//")) {
            problems.add(what + " " + quoted(text) + " has an empty segment");
            return null;
        }
        if (text.matches(".*~[^01].*|.*~$")) {
            problems.add(what + " " + quoted(text) + " has a '~' not followed by 0 or 1 (write ~0 for '~', ~1 for '/')");
            return null;
        }
        return pointer;
    }

    private boolean bool(JsonNode node, String key, String at) {
        JsonNode value = node.get(key);
        if (value == null) {
            return false;
        }
        if (!value.isBoolean()) {
            problems.add(at + "'" + key + "' must be true or false");
            return false;
        }
        return value.asBoolean();
    }

    private JsonNode scalar(JsonNode value, String what) {
        if (value == null) {
            return null;
        }
        if (!value.isValueNode() || value.isNull()) {
            problems.add(what + " must be a single value (text, number or true/false)");
            return null;
        }
        return value;
    }

    private Map<String, JsonNode> valueMap(JsonNode node, String here) {
        if (node == null) {
            return Map.of();
        }
        if (!node.isObject() || node.isEmpty()) {
            problems.add(here + ": 'value-map' must be a non-empty mapping from source codes to payload values");
            return Map.of();
        }
        Map<String, JsonNode> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            JsonNode value = scalar(entry.getValue(), here + ": 'value-map' entry '" + entry.getKey() + "'");
            if (value != null) {
                map.put(entry.getKey(), value);
            }
        }
        return map;
    }

    /** Two targets overlap when they are equal or one is a prefix of the other, segment by segment. */
    private static boolean overlaps(JsonPointer a, JsonPointer b) {
        JsonPointer x = a;
        JsonPointer y = b;
        while (!x.matches() && !y.matches()) {
            if (!x.getMatchingProperty().equals(y.getMatchingProperty())) {
                return false;
            }
            x = x.tail();
            y = y.tail();
        }
        return true;
    }

    private static String describe(CanonicalShape shape) {
        return switch (shape.kind()) {
            case SCALAR -> "a single value";
            case OBJECT -> "an object (" + shape.javaType() + ")";
            case ARRAY -> "an " + shape.javaType();
        };
    }

    private static String quoted(String text) {
        return "'" + text + "'";
    }
}
