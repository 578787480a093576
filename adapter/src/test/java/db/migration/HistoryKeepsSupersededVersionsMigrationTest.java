package db.migration;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.github.spfhir.adapter.support.TestDatabases;

/**
 * V13: a resource stored before it had its current version in both tables; after it, the history table keeps only
 * the versions superseded, and no version is lost (the current one stays in {@code fhir_resource}), on H2 and
 * PostgreSQL.
 */
class HistoryKeepsSupersededVersionsMigrationTest {

    @Test
    void theCurrentVersionLeavesTheHistoryTableAndTheEarlierOnesStay() {
        for (DataSource dataSource : TestDatabases.freshUnmigratedH2AndPostgres()) {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("12").load().migrate();
            JdbcClient jdbc = JdbcClient.create(dataSource);
            // as the store wrote them before V13: a Task at version 2 (both versions in the history), a
            // ServiceRequest at version 1 (its one version in both tables)
            resource(jdbc, "Task", "t-1", 2, "{\"v\":2}");
            history(jdbc, "Task", "t-1", 1, "{\"v\":1}");
            history(jdbc, "Task", "t-1", 2, "{\"v\":2}");
            resource(jdbc, "ServiceRequest", "sr-1", 1, "{\"sr\":1}");
            history(jdbc, "ServiceRequest", "sr-1", 1, "{\"sr\":1}");

            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();

            assertThat(jdbc.sql("select resource_type || '/' || id || '/' || version_id || ' ' || body "
                    + "from fhir_resource_history order by resource_type, id, version_id").query(String.class).list())
                    .as(dataSource.getClass().getSimpleName()).containsExactly("Task/t-1/1 {\"v\":1}");
            assertThat(jdbc.sql("select resource_type || '/' || id || '/' || version_id || ' ' || body "
                    + "from fhir_resource order by resource_type, id").query(String.class).list())
                    .containsExactly("ServiceRequest/sr-1/1 {\"sr\":1}", "Task/t-1/2 {\"v\":2}");
        }
    }

    private static void resource(JdbcClient jdbc, String type, String id, int version, String body) {
        jdbc.sql("insert into fhir_resource (resource_type, id, version_id, last_updated, body) "
                + "values (?, ?, ?, current_timestamp, ?)").params(type, id, version, body).update();
    }

    private static void history(JdbcClient jdbc, String type, String id, int version, String body) {
        jdbc.sql("insert into fhir_resource_history (resource_type, id, version_id, last_updated, body) "
                + "values (?, ?, ?, current_timestamp, ?)").params(type, id, version, body).update();
    }
}
