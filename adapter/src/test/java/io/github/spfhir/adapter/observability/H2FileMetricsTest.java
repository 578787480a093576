package io.github.spfhir.adapter.observability;

import static io.github.spfhir.adapter.support.TestConfigurations.h2CompactionProperties;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.spfhir.adapter.store.H2FileCompaction;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The embedded H2 file's gauges: its size and chunks as H2 counts them, on an H2 file only. */
class H2FileMetricsTest {

    @TempDir
    Path folder;

    @Test
    void anH2FileReportsItsSizeAndChunks() throws SQLException, IOException {
        JdbcDataSource file = new JdbcDataSource();
        file.setURL("jdbc:h2:file:" + folder.resolve("store") + ";WRITE_DELAY=0;DB_CLOSE_DELAY=-1");
        try (Connection connection = file.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("create table message (id integer primary key, body text)");
            for (int i = 0; i < 50; i++) {
                statement.execute("insert into message values (" + i + ", repeat('x', 2000))");
            }
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

        new H2FileMetrics(new H2FileCompaction(file, h2CompactionProperties(true)), registry);

        assertThat(registry.scrape()).as("the names the operations guide gives")
                .contains("adapter_store_h2_file_bytes ").contains("adapter_store_h2_chunks ");
        double fileBytes = registry.get("adapter.store.h2.file").gauge().value();
        double chunks = registry.get("adapter.store.h2.chunks").gauge().value();
        assertThat(fileBytes).isEqualTo(Files.size(folder.resolve("store.mv.db")));
        assertThat(chunks).as("WRITE_DELAY=0: a chunk per commit, none old enough to free").isGreaterThanOrEqualTo(50);
        try (Connection connection = file.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("shutdown");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.spfhir.adapter.support.TestDatabases#both")
    void noGaugeOnAnInMemoryH2OrPostgreSql(String name, DataSource dataSource) {
        MeterRegistry registry = new SimpleMeterRegistry();

        new H2FileMetrics(new H2FileCompaction(dataSource, h2CompactionProperties(true)), registry);

        assertThat(registry.find("adapter.store.h2.file").gauge()).isNull();
        assertThat(registry.find("adapter.store.h2.chunks").gauge()).isNull();
    }
}
