package db.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import db.migration.V12__Reuse_indexes_for_foreign_keys.ForeignKey;
import io.github.spfhir.adapter.support.TestDatabases;

/**
 * After V12 the four foreign keys are named and still enforced, and no table has two indexes on the same columns
 * (on H2 a key used to bring a second index of its own); rows stored before the migration stay, on H2 and PostgreSQL.
 */
class ReuseIndexesForForeignKeysMigrationTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.spfhir.adapter.support.TestDatabases#both")
    void everyKeyHasItsNameAndIsStillEnforced(String database, DataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            for (ForeignKey key : V12__Reuse_indexes_for_foreign_keys.KEYS) {
                assertThat(V12__Reuse_indexes_for_foreign_keys.foreignKeyNames(connection, key))
                        .as(key.table()).map(name -> name.toLowerCase(Locale.ROOT)).containsExactly(key.name());
            }
            String missing = UUID.randomUUID().toString();
            assertThatThrownBy(() -> update(connection, """
                    insert into delivery_attempt (delivery_id, attempt_number, started_at, duration_ms, outcome)
                    values (?, 1, current_timestamp, 1, 'DELIVERED')""", missing))
                    .as("an attempt at a delivery that does not exist").isInstanceOf(SQLException.class);

            // a resource's search rows go with it (on delete cascade, as before)
            String id = "v12-" + UUID.randomUUID();
            update(connection, """
                    insert into fhir_resource (resource_type, id, version_id, last_updated, body)
                    values ('Task', ?, 1, current_timestamp, '{}')""", id);
            update(connection, """
                    insert into fhir_search_index (resource_type, resource_id, param_name, param_value)
                    values ('Task', ?, 'status', 'requested')""", id);
            update(connection, "delete from fhir_resource where resource_type = 'Task' and id = ?", id);
            assertThat(count(connection, "select count(*) from fhir_search_index where resource_id = ?", id)).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.github.spfhir.adapter.support.TestDatabases#both")
    void noTableHasTwoIndexesOnTheSameColumns(String database, DataSource dataSource) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            List<String> redundant = new ArrayList<>();
            try (ResultSet tables = metaData.getTables(connection.getCatalog(), connection.getSchema(), "%",
                    new String[] {"TABLE"})) {
                while (tables.next()) {
                    redundant.addAll(redundantIndexes(metaData, connection, tables.getString("TABLE_NAME")));
                }
            }
            assertThat(redundant).as("an index on the same columns as another of its table").isEmpty();
        }
    }

    @Test
    void rowsStoredBeforeStayOnH2AndPostgreSql() throws Exception {
        for (DataSource dataSource : TestDatabases.freshUnmigratedH2AndPostgres()) {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("11").load().migrate();
            try (Connection connection = dataSource.getConnection()) {
                update(connection, """
                        insert into fhir_resource (resource_type, id, version_id, last_updated, body)
                        values ('ServiceRequest', ?, 1, current_timestamp, '{}')""", "sr-1");
                update(connection, """
                        insert into fhir_search_index (resource_type, resource_id, param_name, param_value)
                        values ('ServiceRequest', ?, 'status', 'active')""", "sr-1");

                Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();

                assertThat(count(connection, "select count(*) from fhir_search_index where resource_id = ?", "sr-1"))
                        .isEqualTo(1);
                assertThat(redundantIndexes(connection.getMetaData(), connection, table(connection, "fhir_search_index")))
                        .isEmpty();
                assertThat(redundantIndexes(connection.getMetaData(), connection, table(connection, "delivery_attempt")))
                        .isEmpty();
            }
        }
    }

    /**
     * The indexes of the table on the same columns, in the same order, as another of its indexes. Not PostgreSQL's
     * {@code ix_directory_resource_name_prefix} (V10_1): its operator class ({@code varchar_pattern_ops}, for
     * {@code like 'prefix%'}) is what sets it apart from {@code ix_directory_resource_name}, and JDBC's metadata does
     * not show operator classes.
     */
    private static List<String> redundantIndexes(DatabaseMetaData metaData, Connection connection, String table)
            throws SQLException {
        Map<String, TreeMap<Integer, String>> columns = new TreeMap<>();
        try (ResultSet indexes = metaData.getIndexInfo(connection.getCatalog(), connection.getSchema(), table, false,
                false)) {
            while (indexes.next()) {
                String name = indexes.getString("INDEX_NAME");
                if (name == null || name.equalsIgnoreCase("ix_directory_resource_name_prefix")) {
                    continue; // a row of table statistics; the operator-class index above
                }
                columns.computeIfAbsent(name, n -> new TreeMap<>()).put((int) indexes.getShort("ORDINAL_POSITION"),
                        indexes.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        List<String> redundant = new ArrayList<>();
        columns.forEach((name, own) -> columns.forEach((other, theirs) -> {
            if (name.compareTo(other) < 0 && List.copyOf(own.values()).equals(List.copyOf(theirs.values()))) {
                redundant.add(table + ": " + name + " and " + other + " on " + own.values());
            }
        }));
        return redundant;
    }

    private static String table(Connection connection, String name) throws SQLException {
        return connection.getMetaData().storesUpperCaseIdentifiers() ? name.toUpperCase(Locale.ROOT) : name;
    }

    private static void update(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            statement.executeUpdate();
        }
    }

    private static int count(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
