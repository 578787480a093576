package io.github.spfhir.adapter.domain.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.github.spfhir.adapter.domain.referral.Referral;

/**
 * Turns the canonical {@link Referral} into a link-worker platform's JSON payload by applying that platform's
 * mapping file. Plain Java: the rules are data ({@code mappings/platforms/}), this class only interprets them.
 *
 * <p>The referral is serialised to a JSON tree (Jackson 2, component names as member names) and each field of
 * the mapping is written in file order, so the same referral and mapping give byte-identical JSON. A source
 * that is absent, null, blank text or an empty array has no value: the field is left out (never written as
 * null), its {@code default} is written, or, if {@code required}, the referral is refused.
 */
@Component
public class PlatformPayloadMapper {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final PlatformMappings mappings;

    public PlatformPayloadMapper(PlatformMappings mappings) {
        this.mappings = mappings;
    }

    /**
     * The payload for a platform, as compact JSON.
     *
     * @param mappingName the mapping's name (its file name under {@code mappings/platforms/} without {@code .yaml})
     * @throws IllegalArgumentException if there is no such mapping
     * @throws PayloadMappingException  if the referral lacks a required value, or has a value the mapping cannot translate
     */
    public String toPayload(Referral referral, String mappingName) {
        return toPayload(referral, mappings.get(mappingName));
    }

    /** The payload for a mapping already looked up, as compact JSON. */
    public String toPayload(Referral referral, PlatformMapping mapping) {
        try {
            return JSON.writeValueAsString(toTree(referral, mapping));
        } catch (JsonProcessingException e) {
            // a tree of plain JSON nodes always serialises; say which mapping, never what was in it
            throw new IllegalStateException("Cannot write the payload of mapping '" + mapping.platform() + "'", e);
        }
    }

    /** The payload as a JSON tree. */
    public ObjectNode toTree(Referral referral, PlatformMapping mapping) {
        JsonNode canonical = JSON.valueToTree(referral);
        return mapObject(mapping, mapping.fields(), canonical, "");
    }

    private ObjectNode mapObject(PlatformMapping mapping, List<PlatformMapping.Field> fields, JsonNode context,
            String targetPrefix) {
        ObjectNode out = NODES.objectNode();
        for (PlatformMapping.Field field : fields) {
            String target = targetPrefix + field.target();
            JsonNode value = valueOf(mapping, field, context, target);
            if (value != null) {
                write(out, field.target(), value);
            } else if (field.required()) {
                throw new PayloadMappingException(mapping, target, "is required but has no value (source "
                        + field.source() + ")");
            }
        }
        return out;
    }

    /** The value a field writes, or null for none. */
    private JsonNode valueOf(PlatformMapping mapping, PlatformMapping.Field field, JsonNode context, String target) {
        if (field.constant() != null) {
            return field.constant().deepCopy();
        }
        JsonNode value = pruned(context.at(field.source()));
        if (value != null && !field.each().isEmpty()) {
            value = mapEach(mapping, field, (ArrayNode) value, target);
        } else if (value != null && field.join() != null) {
            value = joined(value, field.join());
        } else if (value != null && !field.valueMap().isEmpty()) {
            JsonNode mapped = field.valueMap().get(value.asText());
            if (mapped == null && field.defaultValue() == null) {
                throw new PayloadMappingException(mapping, target, "has a source value that 'value-map' does not list,"
                        + " and no 'default' (source " + field.source() + ")");
            }
            value = mapped;
        }
        if (value == null && field.defaultValue() != null) {
            value = field.defaultValue();
        }
        return value == null ? null : value.deepCopy();
    }

    private JsonNode mapEach(PlatformMapping mapping, PlatformMapping.Field field, ArrayNode source, String target) {
        ArrayNode out = NODES.arrayNode();
        List<PlatformMapping.Field> each = field.each();
        boolean elementIsValue = each.size() == 1 && each.get(0).target().matches();
        for (int i = 0; i < source.size(); i++) {
            String elementTarget = target + "/" + i;
            if (elementIsValue) {
                JsonNode value = valueOf(mapping, each.get(0), source.get(i), elementTarget);
                if (value != null) {
                    out.add(value);
                } else if (each.get(0).required()) {
                    throw new PayloadMappingException(mapping, elementTarget, "is required but has no value (source "
                            + each.get(0).source() + " of each element)");
                }
            } else {
                ObjectNode element = mapObject(mapping, each, source.get(i), elementTarget);
                if (!element.isEmpty()) {
                    out.add(element);
                }
            }
        }
        return out.isEmpty() ? null : out;
    }

    private static JsonNode joined(JsonNode value, String separator) {
        List<String> parts = new ArrayList<>();
        value.forEach(part -> {
            if (part.isValueNode() && !part.asText().isBlank()) {
                parts.add(part.asText());
            }
        });
        return parts.isEmpty() ? null : TextNode.valueOf(String.join(separator, parts));
    }

    /**
     * The value with every null, blank text, empty array and empty object removed (recursively), or null if
     * nothing is left: payloads never carry nulls or empty placeholders.
     */
    private static JsonNode pruned(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return node.asText().isBlank() ? null : node;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            node.forEach(element -> {
                JsonNode kept = pruned(element);
                if (kept != null) {
                    out.add(kept);
                }
            });
            return out.isEmpty() ? null : out;
        }
        if (node.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                JsonNode kept = pruned(property.getValue());
                if (kept != null) {
                    out.set(property.getKey(), kept);
                }
            }
            return out.isEmpty() ? null : out;
        }
        return node;
    }

    /** Writes a value at a pointer of object members, creating the objects on the way. */
    private static void write(ObjectNode root, JsonPointer target, JsonNode value) {
        ObjectNode current = root;
        JsonPointer rest = target;
        while (!rest.tail().matches()) {
            String name = rest.getMatchingProperty();
            JsonNode child = current.get(name);
            if (child == null) {
                child = current.putObject(name);
            }
            // the reader refuses overlapping targets, so anything on the way is an object made here
            current = (ObjectNode) child;
            rest = rest.tail();
        }
        current.set(rest.getMatchingProperty(), value);
    }
}
