package db.migration;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Gives four foreign keys a name and lets H2 enforce them with the index the schema already has on their columns.
 *
 * <p>H2 makes an index of its own for a foreign key declared before an index on its columns exists, which is how
 * the first migrations declared these (in {@code create table}, then {@code create index}). So on H2 each of these
 * tables kept two indexes on the same columns, and every row written was written to both: for
 * {@code fhir_search_index}, about a dozen rows per referral, that was 4 % of what the store wrote to its file per
 * referral (docs/benchmarks.md). On H2 each key is dropped and added again: a key added once the index exists takes
 * that index, and dropping the old key drops the index H2 made for it. PostgreSQL makes no index for a foreign key,
 * so there each key is only renamed. Java, not SQL, because two of the keys were declared without a name, and H2
 * and PostgreSQL named them differently: the current name is read from the database's metadata.
 */
public class V12__Reuse_indexes_for_foreign_keys extends BaseJavaMigration {

    /** A foreign key as it should be: its name, where, and what it refers to. */
    record ForeignKey(String name, String table, List<String> columns, String referencedTable,
            List<String> referencedColumns, boolean cascadeOnDelete) {

        String definition() {
            return "alter table " + table + " add constraint " + name + " foreign key (" + String.join(", ", columns)
                    + ") references " + referencedTable + " (" + String.join(", ", referencedColumns) + ")"
                    + (cascadeOnDelete ? " on delete cascade" : "");
        }
    }

    /**
     * Each has an index on exactly its columns (V1, V2): H2 takes no longer one, so {@code delivery_edit}'s key keeps
     * the index H2 made for it beside {@code ix_delivery_edit_delivery (delivery_id, edited_at)} (edits are rare).
     */
    static final List<ForeignKey> KEYS = List.of(
            // ix_fhir_search_index_resource (V1)
            new ForeignKey("fk_search_index_resource", "fhir_search_index", List.of("resource_type", "resource_id"),
                    "fhir_resource", List.of("resource_type", "id"), true),
            // ix_directory_search_index_resource (V2)
            new ForeignKey("fk_directory_search_index_resource", "directory_search_index",
                    List.of("resource_type", "resource_id"), "directory_resource", List.of("resource_type", "id"), true),
            // ix_delivery_attempt_delivery (V1)
            new ForeignKey("fk_delivery_attempt_delivery", "delivery_attempt", List.of("delivery_id"), "delivery",
                    List.of("id"), false),
            // ix_directory_sync_reject_run (V2)
            new ForeignKey("fk_directory_sync_reject_run", "directory_sync_reject", List.of("run_id"),
                    "directory_sync_run", List.of("id"), false));

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        boolean postgres = connection.getMetaData().getDatabaseProductName().equals("PostgreSQL");
        try (Statement statement = connection.createStatement()) {
            for (ForeignKey key : KEYS) {
                List<String> existing = foreignKeyNames(connection, key);
                if (postgres && existing.size() == 1) {
                    // no index to change: a rename, which neither checks the rows again nor locks for long
                    if (!existing.get(0).equals(key.name())) {
                        statement.execute("alter table " + key.table() + " rename constraint \"" + existing.get(0)
                                + "\" to " + key.name());
                    }
                    continue;
                }
                for (String name : existing) {
                    statement.execute("alter table " + key.table() + " drop constraint \"" + name + "\"");
                }
                statement.execute(key.definition());
            }
        }
    }

    /** The names the database gives the foreign keys of {@code key.table()} on exactly {@code key.columns()}. */
    static List<String> foreignKeyNames(Connection connection, ForeignKey key) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        String table = metaData.storesUpperCaseIdentifiers() ? key.table().toUpperCase(Locale.ROOT) : key.table();
        Map<String, TreeMap<Integer, String>> columnsByKey = new LinkedHashMap<>();
        try (ResultSet keys = metaData.getImportedKeys(connection.getCatalog(), connection.getSchema(), table)) {
            while (keys.next()) {
                columnsByKey.computeIfAbsent(keys.getString("FK_NAME"), name -> new TreeMap<>())
                        .put(keys.getInt("KEY_SEQ"), keys.getString("FKCOLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        List<String> names = new ArrayList<>();
        columnsByKey.forEach((name, columns) -> {
            if (new ArrayList<>(columns.values()).equals(key.columns())) {
                names.add(name);
            }
        });
        return names;
    }
}
