package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Indexes the requester of every ServiceRequest stored before the audit and access release (issue #6, schema version 7): who may read a referral is the
 * practice that sent it, found by the {@code requester:identifier} rows of {@code fhir_search_index}, which the store
 * writes for every ServiceRequest from this release on ({@code store/SearchIndex}). Without this, referrals stored
 * before the upgrade would be visible to no GP system. Java, not SQL, because the ODS code is inside the resource's
 * JSON and H2 and PostgreSQL read JSON differently. Runs once; re-running inserts nothing (rows present are skipped).
 */
public class V7_1__Index_referral_requesters extends BaseJavaMigration {

    private static final String PARAMETER = "requester:identifier";

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        ObjectMapper json = new ObjectMapper();
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                select r.id, r.body from fhir_resource r where r.resource_type = 'ServiceRequest'
                and not exists (select 1 from fhir_search_index i where i.resource_type = 'ServiceRequest'
                                and i.resource_id = r.id and i.param_name = ?)""")) {
            select.setString(1, PARAMETER);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    JsonNode identifier = json.readTree(rs.getString(2)).path("requester").path("identifier");
                    String value = identifier.path("value").asText("");
                    String system = identifier.path("system").asText("");
                    if (!value.isEmpty()) {
                        rows.add(new String[] {rs.getString(1), value});
                        if (!system.isEmpty()) {
                            rows.add(new String[] {rs.getString(1), system + "|" + value});
                        }
                    }
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into fhir_search_index (resource_type, resource_id, param_name, param_value)
                values ('ServiceRequest', ?, ?, ?)""")) {
            for (String[] row : rows) {
                insert.setString(1, row[0]);
                insert.setString(2, PARAMETER);
                insert.setString(3, row[1].length() > 512 ? row[1].substring(0, 512) : row[1]);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
