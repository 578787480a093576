package io.github.spfhir.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Keeps the operations guide's settings table honest: every environment variable that
 * {@code application.yml} reads through a {@code ${VARIABLE:default}} placeholder, and every {@code adapter.*}
 * key, must be named in {@code docs/operations.md}. Adding a setting without documenting it fails here.
 * Plain JUnit, no Spring context.
 */
class OperationsGuideSettingsTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)(?::([^}]*))?}");

    private static Map<String, String> leaves;
    private static String guide;

    @BeforeAll
    static void read() throws IOException {
        Path root = repositoryRoot();
        Path yaml = root.resolve("adapter/src/main/resources/application.yml");
        JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(yaml.toFile());
        leaves = new LinkedHashMap<>();
        collectLeaves("", tree, leaves);
        guide = Files.readString(root.resolve("docs/operations.md"), StandardCharsets.UTF_8);
    }

    @Test
    void theConfigurationFileIsReadAndHasAdapterSettings() {
        assertThat(leaves).isNotEmpty();
        assertThat(leaves.keySet()).anyMatch(k -> k.startsWith("adapter."));
        assertThat(environmentVariables()).isNotEmpty();
    }

    @Test
    void everyEnvironmentVariableOfTheConfigurationFileIsDocumented() {
        List<String> missing = new ArrayList<>();
        for (String variable : environmentVariables()) {
            if (!guide.contains("`" + variable + "`")) {
                missing.add(variable);
            }
        }
        assertThat(missing).as("environment variables of application.yml not named (in backquotes) in docs/operations.md")
                .isEmpty();
    }

    @Test
    void everyAdapterKeyOfTheConfigurationFileIsDocumented() {
        List<String> missing = new ArrayList<>();
        for (String key : leaves.keySet()) {
            if (key.startsWith("adapter.") && !guide.contains("`" + key + "`")) {
                missing.add(key);
            }
        }
        assertThat(missing).as("adapter.* keys of application.yml not named (in backquotes) in docs/operations.md")
                .isEmpty();
    }

    @Test
    void everyPlaceholderHasASettingsTableRowWithItsVariableAndExactDefault() {
        // the settings table: | `key` | `VARIABLE` | `default` or (empty) | meaning |
        Map<String, List<String>> rows = settingsTableRows();
        List<String> wrong = new ArrayList<>();
        leaves.forEach((key, value) -> {
            Matcher m = PLACEHOLDER.matcher(value);
            while (m.find()) {
                String variable = m.group(1);
                String defaultValue = m.group(2) == null ? "" : m.group(2);
                String expectedDefault = defaultValue.isEmpty() ? "(empty)" : "`" + defaultValue + "`";
                List<String> cells = rows.get(key);
                if (cells == null) {
                    wrong.add(key + ": no row in the settings table");
                } else if (!cells.get(1).equals("`" + variable + "`")) {
                    wrong.add(key + ": variable is " + cells.get(1) + ", application.yml says `" + variable + "`");
                } else if (!cells.get(2).equals(expectedDefault)) {
                    wrong.add(key + ": default is " + cells.get(2) + ", application.yml says " + expectedDefault);
                }
            }
        });
        assertThat(wrong).as("settings table of docs/operations.md out of step with application.yml").isEmpty();
    }

    /** Rows of the guide's Markdown tables whose first cell is a back-quoted key, by key; cells unescaped. */
    private static Map<String, List<String>> settingsTableRows() {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        guide.lines().filter(line -> line.startsWith("| `")).forEach(line -> {
            List<String> cells = new ArrayList<>();
            for (String cell : line.substring(1).split("(?<!\\\\)\\|")) {
                cells.add(cell.trim().replace("\\|", "|"));
            }
            if (cells.size() >= 4) {
                String key = cells.get(0).replace("`", "");
                rows.putIfAbsent(key, cells);
            }
        });
        return rows;
    }

    private static Set<String> environmentVariables() {
        Set<String> variables = new LinkedHashSet<>();
        for (String value : leaves.values()) {
            Matcher m = PLACEHOLDER.matcher(value);
            while (m.find()) {
                variables.add(m.group(1));
            }
        }
        return variables;
    }

    private static void collectLeaves(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                collectLeaves(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectLeaves(prefix + "[" + i + "]", node.get(i), out);
            }
        } else {
            out.put(prefix, node.isNull() ? "" : node.asText());
        }
    }

    /** The repository root: the first directory above the working directory that holds {@code test-fixtures/}. */
    private static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("test-fixtures"))) {
                return p;
            }
        }
        throw new IllegalStateException("test-fixtures/ not found above " + here);
    }
}
