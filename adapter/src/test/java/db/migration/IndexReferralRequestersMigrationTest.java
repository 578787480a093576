package db.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A ServiceRequest stored before the release that indexes requesters is indexed by the migration, so its practice's
 * GP system can still read it; one already indexed is left as it is.
 */
class IndexReferralRequestersMigrationTest {

    private static final String URL = "jdbc:h2:mem:requesters-migration;DB_CLOSE_DELAY=-1";

    @Test
    void indexesTheRequesterOfEveryServiceRequestStoredBefore() throws Exception {
        Flyway.configure().dataSource(URL, "sa", "").locations("classpath:db/migration").target("7").load().migrate();
        try (Connection connection = DriverManager.getConnection(URL, "sa", "")) {
            insert(connection, "sr-1", "{\"resourceType\":\"ServiceRequest\",\"id\":\"sr-1\",\"requester\":{\"type\":"
                    + "\"Organization\",\"identifier\":{\"system\":\"https://fhir.nhs.uk/Id/ods-organization-code\","
                    + "\"value\":\"A81001\"}}}");
            insert(connection, "sr-2", "{\"resourceType\":\"ServiceRequest\",\"id\":\"sr-2\"}");

            Flyway.configure().dataSource(URL, "sa", "").locations("classpath:db/migration").load().migrate();

            assertThat(index(connection, "sr-1")).containsExactlyInAnyOrder("A81001",
                    "https://fhir.nhs.uk/Id/ods-organization-code|A81001");
            assertThat(index(connection, "sr-2")).as("no requester, nothing indexed").isEmpty();
        }
    }

    private static void insert(Connection connection, String id, String body) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into fhir_resource (resource_type, id, version_id, last_updated, body)
                values ('ServiceRequest', ?, 1, current_timestamp, ?)""")) {
            insert.setString(1, id);
            insert.setString(2, body);
            insert.executeUpdate();
        }
    }

    private static List<String> index(Connection connection, String id) throws Exception {
        List<String> values = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                select param_value from fhir_search_index where resource_type = 'ServiceRequest' and resource_id = ?
                and param_name = 'requester:identifier'""")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }
}
