package io.github.spfhir.adapter.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The H2 store the run command uses, for the benchmarks: its URL options are read from {@code application.yml}'s
 * default, not copied, because a copy that drifted (H2's 500 ms write delay instead of {@code WRITE_DELAY=0})
 * once made every throughput figure describe a less durable store than the one shipped (docs/benchmarks.md).
 */
final class RunCommandStore {

    private static final Pattern DEFAULT_URL = Pattern.compile("\\$\\{ADAPTER_DB_URL:(jdbc:h2:file:[^;}]*)(;[^}]*)}");

    private RunCommandStore() {
    }

    /** The options of the default H2 URL, from its first {@code ;} (for example {@code ;WRITE_DELAY=0}). */
    static String h2Options() {
        try (InputStream in = RunCommandStore.class.getResourceAsStream("/application.yml")) {
            String url = new ObjectMapper(new YAMLFactory()).readTree(in).at("/spring/datasource/url").asText();
            Matcher matcher = DEFAULT_URL.matcher(url);
            if (!matcher.matches()) {
                throw new IllegalStateException("application.yml's datasource url is not an H2 file default: " + url);
            }
            return matcher.group(2);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read application.yml", e);
        }
    }

    /**
     * A JDBC URL for an H2 file in {@code dataDir} with the run command's options, or those of the system property
     * {@code bench.h2Options} when it is set (to measure another setting against them).
     */
    static String h2Url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("adapter") + System.getProperty("bench.h2Options", h2Options());
    }
}
