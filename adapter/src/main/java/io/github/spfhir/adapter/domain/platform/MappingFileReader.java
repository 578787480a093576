package io.github.spfhir.adapter.domain.platform;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * What every per-platform mapping file shares (referral payloads, {@code <platform>.yaml}; events,
 * {@code <platform>.events.yaml}): a YAML mapping whose {@code platform} is named after the file, a
 * {@code mapping-version}, and every problem collected before the file is refused as a whole.
 */
public abstract class MappingFileReader {

    private static final Pattern PLATFORM_NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    protected final String fileName;
    protected final List<String> problems = new ArrayList<>();

    protected MappingFileReader(String fileName) {
        this.fileName = fileName;
    }

    /**
     * The file's top-level mapping, its unknown keys recorded as problems.
     *
     * @throws InvalidPlatformMappingException for a wrong file name, unreadable YAML, or a file that is not a mapping
     */
    protected JsonNode readRoot(InputStream in, String extension, List<String> fileKeys) {
        if (!fileName.endsWith(extension)) {
            throw new InvalidPlatformMappingException(fileName, List.of("the file name must end in " + extension));
        }
        JsonNode root;
        try {
            root = YAML.readTree(in);
        } catch (JsonProcessingException e) {
            throw new InvalidPlatformMappingException(fileName, "not readable as YAML (line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + "): "
                    + withoutContext(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new InvalidPlatformMappingException(fileName, "cannot be read: " + e.getClass().getSimpleName(), e);
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new InvalidPlatformMappingException(fileName,
                    List.of("the file must be a YAML mapping with the keys " + String.join(", ", fileKeys)));
        }
        checkKeys(root, "", fileKeys);
        return root;
    }

    /** The {@code platform} key, which must be the file's name without its extension, in kebab-case. */
    protected String platform(JsonNode root, String extension) {
        String expectedName = fileName.substring(0, fileName.length() - extension.length());
        String platform = text(root, "platform", "");
        if (platform == null) {
            if (!root.hasNonNull("platform")) {
                problems.add("'platform' is missing; it must be '" + expectedName + "', the file name");
            }
        } else if (!platform.equals(expectedName)) {
            problems.add("'platform' is '" + platform + "' but the file is " + fileName
                    + ": the platform must be named after its file ('" + expectedName + "')");
        } else if (!PLATFORM_NAME.matcher(platform).matches()) {
            problems.add("'platform' '" + platform + "' must be kebab-case: lower-case letters, digits and hyphens");
        }
        return platform;
    }

    /** The {@code mapping-version}: a whole number from 1, raised on every change of what the file produces. */
    protected int mappingVersion(JsonNode root, String raisedOn) {
        JsonNode version = root.get("mapping-version");
        if (version == null) {
            problems.add("'mapping-version' is missing (a whole number from 1, raised on every " + raisedOn + ")");
        } else if (!version.isIntegralNumber() || version.asInt() < 1) {
            problems.add("'mapping-version' must be a whole number from 1");
        } else {
            return version.asInt();
        }
        return 0;
    }

    protected void checkKeys(JsonNode node, String at, List<String> allowed) {
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            String key = property.getKey();
            if (!allowed.contains(key)) {
                problems.add(at + "unknown key '" + key + "' (allowed: " + String.join(", ", allowed) + ")");
            }
        }
    }

    protected String text(JsonNode node, String key, String at) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(at + "'" + key + "' must be text");
            return null;
        }
        return value.asText();
    }

    /** Refuses the file, naming every problem recorded, if there is any. */
    protected void refuseIfAnyProblem() {
        if (!problems.isEmpty()) {
            throw new InvalidPlatformMappingException(fileName, problems);
        }
    }

    /** The YAML parser's message without its indented excerpt of the file, on one line. */
    private static String withoutContext(String message) {
        return message.lines()
                .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .reduce((a, b) -> a + ": " + b)
                .orElse(message);
    }
}
