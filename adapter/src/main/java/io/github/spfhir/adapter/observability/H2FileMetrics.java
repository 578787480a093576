package io.github.spfhir.adapter.observability;

import java.util.function.ToDoubleFunction;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.store.H2FileCompaction;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The embedded H2 file's size and number of chunks, {@code adapter_store_h2_file_bytes} and
 * {@code adapter_store_h2_chunks}, read from H2's own counters ({@code INFORMATION_SCHEMA.SETTINGS}) at each scrape:
 * what to watch to see that {@link H2FileCompaction} keeps the file in check. Registered only when the store is an
 * H2 file in this JVM; NaN while the store cannot be read.
 */
@Component
public class H2FileMetrics {

    /** A field: a gauge holds its object weakly, and a collected one reads NaN. */
    private final JdbcTemplate jdbc;

    public H2FileMetrics(DataSource dataSource, H2FileCompaction compaction, MeterRegistry registry) {
        this.jdbc = new JdbcTemplate(dataSource);
        if (!compaction.isH2File()) {
            return;
        }
        Gauge.builder("adapter.store.h2.file", jdbc, setting("info.FILE_SIZE"))
                .description("Size of the embedded H2 file").baseUnit("bytes").register(registry);
        Gauge.builder("adapter.store.h2.chunks", jdbc, setting("info.CHUNK_COUNT"))
                .description("Chunks in the embedded H2 file (each commit writes one; compaction frees them)")
                .register(registry);
    }

    private static ToDoubleFunction<JdbcTemplate> setting(String name) {
        return jdbc -> {
            try {
                String value = jdbc.queryForObject(
                        "select setting_value from information_schema.settings where setting_name = ?", String.class, name);
                return value == null ? Double.NaN : Double.parseDouble(value);
            } catch (DataAccessException e) {
                // the store's own health indicator reports the outage
                return Double.NaN;
            }
        };
    }
}
