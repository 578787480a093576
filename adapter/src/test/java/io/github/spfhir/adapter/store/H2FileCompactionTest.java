package io.github.spfhir.adapter.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.github.spfhir.adapter.support.TestConfigurations.h2CompactionProperties;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.util.unit.DataSize;

import io.github.spfhir.adapter.config.AdapterProperties;


/**
 * {@link H2FileCompaction} on a real H2 file with the embedded run's {@code WRITE_DELAY=0}: every commit leaves a
 * chunk behind until compaction frees it, compaction keeps every row, the file opens again afterwards (also after a
 * stop without clean-up, SHUTDOWN IMMEDIATELY, the nearest one JVM gets to a killed process), and nothing happens on
 * any other database. H2's retention time is 100 ms here instead of 45 s, so chunks are old enough to
 * rewrite within the test.
 */
class H2FileCompactionTest {

    private static final int ROWS = 1500;

    @TempDir
    Path folder;

    @Test
    void everyCommitLeavesAChunkBehindUntilCompactionFreesThem() throws SQLException {
        DataSource file = h2File();
        createMessageTable(file);
        AtomicInteger written = new AtomicInteger();
        for (int i = 0; i < ROWS; i++) {
            insertMessage(file);
            written.incrementAndGet();
        }
        long chunksBefore = storeInfo(file, "info.CHUNK_COUNT");
        assertThat(chunksBefore).as("H2 with WRITE_DELAY=0 and no housekeeping keeps a chunk per commit")
                .isGreaterThan(ROWS * 9L / 10);

        H2FileCompaction compaction = new H2FileCompaction(file, h2CompactionProperties(true));
        // each run rewrites live pages; the next commit writes them, and then the emptied chunks are dropped
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            compaction.compactOnce();
            insertMessage(file);
            written.incrementAndGet();
            return storeInfo(file, "info.CHUNK_COUNT") < chunksBefore / 10;
        });

        assertEveryMessageIsIntact(file, written.get());
        reopen(file);
        assertEveryMessageIsIntact(file, written.get());
    }

    @Test
    void aStopWithoutCleanUpJustAfterCompactionLosesNoCommittedRow() throws SQLException {
        DataSource file = h2File();
        createMessageTable(file);
        for (int i = 0; i < ROWS / 3; i++) {
            insertMessage(file);
        }
        H2FileCompaction compaction = new H2FileCompaction(file, h2CompactionProperties(true));

        // pages rewritten in memory, not yet on file; then the database stops as if the process were killed
        await().atMost(Duration.ofSeconds(30)).until(compaction::compactOnce);
        try (Connection connection = file.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("shutdown immediately");
        }

        assertEveryMessageIsIntact(file, ROWS / 3);
    }

    @Test
    void runsItsTimerOnAnH2FileOnlyWhenEnabled() throws SQLException {
        DataSource file = h2File();
        createMessageTable(file);

        H2FileCompaction disabled = new H2FileCompaction(file, h2CompactionProperties(false));
        disabled.start();
        assertThat(disabled.isRunning()).isFalse();

        H2FileCompaction enabled = new H2FileCompaction(file, h2CompactionProperties(true));
        assertThat(enabled.isH2File()).isTrue();
        enabled.start();
        assertThat(enabled.isRunning()).isTrue();
        enabled.stop();
        assertThat(enabled.isRunning()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.spfhir.adapter.support.TestDatabases#both")
    void doesNothingOnAnInMemoryH2OrPostgreSql(String name, DataSource dataSource) {
        H2FileCompaction compaction = new H2FileCompaction(dataSource, h2CompactionProperties(true));

        assertThat(compaction.isH2File()).isFalse();
        assertThat(compaction.compactOnce()).isFalse();
        compaction.start();
        assertThat(compaction.isRunning()).isFalse();
    }

    @Test
    void aSettingOutOfRangeIsRefusedByName() {
        assertThatThrownBy(() -> new AdapterProperties.H2Compaction(true, Duration.ZERO, 50, DataSize.ofMegabytes(16)))
                .hasMessage("adapter.store.h2-compaction.interval must be a positive duration");
        assertThatThrownBy(() -> new AdapterProperties.H2Compaction(true, Duration.ofSeconds(1), 150, DataSize.ofMegabytes(16)))
                .hasMessage("adapter.store.h2-compaction.target-fill-rate must be a percentage from 1 to 100, not 150");
        assertThatThrownBy(() -> new AdapterProperties.H2Compaction(true, Duration.ofSeconds(1), 50, DataSize.ofBytes(0)))
                .hasMessage("adapter.store.h2-compaction.max-rewrite-per-run must be a positive size");
    }

    private DataSource h2File() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + folder.resolve("store") + ";WRITE_DELAY=0;RETENTION_TIME=100;DB_CLOSE_DELAY=-1");
        return dataSource;
    }

    /** Shaped like inbound_message: a random key, so inserts land all over its index, and a body of a few KB. */
    private static void createMessageTable(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("create table message (id varchar(36) not null primary key, body text not null)");
        }
    }

    private static void insertMessage(DataSource dataSource) throws SQLException {
        String id = UUID.randomUUID().toString();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("insert into message (id, body) values (?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, bodyOf(id));
            insert.executeUpdate();
        }
    }

    private static String bodyOf(String id) {
        return (id + ' ').repeat(80);
    }

    private static void assertEveryMessageIsIntact(DataSource dataSource, int expected) throws SQLException {
        int read = 0;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select id, body from message")) {
            while (rows.next()) {
                assertThat(rows.getString(2)).isEqualTo(bodyOf(rows.getString(1)));
                read++;
            }
        }
        assertThat(read).isEqualTo(expected);
    }

    private static long storeInfo(DataSource dataSource, String setting) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select setting_value from information_schema.settings where setting_name = ?")) {
            query.setString(1, setting);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return Long.parseLong(row.getString(1));
            }
        }
    }

    /** Closes the database (DB_CLOSE_DELAY=-1 keeps it open until then) so that the next connection opens the file. */
    private static void reopen(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("shutdown");
        }
    }
}
