package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Indexes the identifiers of the directory's Organizations stored before Organization search (issue #4): from this
 * release the store writes {@code identifier} rows of {@code directory_search_index} for every Organization it
 * stores or changes ({@code store/DirectorySearchIndex}), but a sync leaves an unchanged Organization as it is, so
 * without this those stored earlier could never be found by identifier. As the store writes them: the value, and
 * {@code system|value}; values over 512 characters are not indexed. Java, not SQL, because the identifiers are
 * inside the JSON and H2 and PostgreSQL read JSON differently. Runs once; rows present are skipped.
 */
public class V10_2__Index_directory_organization_identifiers extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        ObjectMapper json = new ObjectMapper();
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                select r.id, r.body from directory_resource r where r.resource_type = 'Organization'
                and not exists (select 1 from directory_search_index i where i.resource_type = 'Organization'
                                and i.resource_id = r.id and i.param_name = 'identifier')""");
                ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                Set<String> values = new LinkedHashSet<>();
                for (JsonNode identifier : json.readTree(rs.getString(2)).path("identifier")) {
                    String value = identifier.path("value").asText("");
                    String system = identifier.path("system").asText("");
                    if (!value.isEmpty()) {
                        values.add(value);
                        if (!system.isEmpty()) {
                            values.add(system + "|" + value);
                        }
                    }
                }
                values.stream().filter(v -> v.length() <= 512).forEach(v -> rows.add(new String[] {id, v}));
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("""
                insert into directory_search_index (resource_type, resource_id, param_name, param_value)
                values ('Organization', ?, 'identifier', ?)""")) {
            for (String[] row : rows) {
                insert.setString(1, row[0]);
                insert.setString(2, row[1]);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
