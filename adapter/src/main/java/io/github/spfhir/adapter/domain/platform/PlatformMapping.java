package io.github.spfhir.adapter.domain.platform;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One validated mapping file of {@code mappings/platforms/}: how the canonical referral becomes the JSON payload
 * of one link-worker platform's own API. The file format is described in {@code mappings/README.md}.
 *
 * @param platform       the platform's name, equal to the file name without {@code .yaml}
 * @param mappingVersion the version of this mapping, raised on every change to the payload it produces
 * @param contentType    the media type the payload is sent as
 * @param description    free text for people, or null
 * @param fields         the payload's fields, in the order they are written
 */
public record PlatformMapping(
        String platform, int mappingVersion, String contentType, String description, List<Field> fields) {

    public PlatformMapping {
        fields = List.copyOf(fields);
    }

    /**
     * One field of the payload. Exactly one of {@code source} and {@code constant} is set.
     *
     * @param target       where the value goes in the payload (relative to the array element inside {@code each});
     *                     the empty pointer only as the single field of an {@code each}: the element is the value
     * @param source       where the value comes from in the canonical referral (in an element inside {@code each})
     * @param constant     a fixed value
     * @param required     a referral without a value here cannot be mapped
     * @param defaultValue written when the source has no value, or has one that {@code valueMap} does not list
     * @param valueMap     code translation from the source's text to the value written (empty: none)
     * @param join         separator joining an array of scalars into one string, or null
     * @param each         how each element of an array source is mapped (empty: the array is copied)
     */
    public record Field(
            JsonPointer target,
            JsonPointer source,
            JsonNode constant,
            boolean required,
            JsonNode defaultValue,
            Map<String, JsonNode> valueMap,
            String join,
            List<Field> each) {

        public Field {
            valueMap = Collections.unmodifiableMap(new LinkedHashMap<>(valueMap));
            each = List.copyOf(each);
        }
    }
}
