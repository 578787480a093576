package db.migration;

import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Two indexes for the directory's search (issue #4's benchmark: 10,000 services on H2 and PostgreSQL).
 *
 * <p>On both databases, {@code (resource_type, id, active, name_lower)}: a token search (category, type,
 * organisation, location) finds ids in the search index, then needs each match's {@code active} and name (to filter
 * and sort); from this index they come without reading the row, whose body is most of its size (a category of
 * 1,000 services took 10 to 15 ms a statement on PostgreSQL reading the rows).
 *
 * <p>On PostgreSQL only, {@code (resource_type, name_lower varchar_pattern_ops)}, so that the name search
 * ({@code name_lower like 'prefix%'}) is an index range. The index of V2 ({@code resource_type, name_lower}) serves it on H2, but PostgreSQL uses a btree for {@code like}
 * only under the C collation, and a database is usually created with a language's collation: there a name search
 * read every HealthcareService row (issue #4's benchmark: 10,000 services, about 5 ms a statement and two
 * statements a search). {@code varchar_pattern_ops} compares by character, so a prefix is an index range.
 * Java, not SQL, because H2 has no operator classes: on H2 only the first index is made.
 */
public class V10_1__Directory_search_indexes extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute("create index ix_directory_resource_search_keys"
                    + " on directory_resource (resource_type, id, active, name_lower)");
        }
        if (!context.getConnection().getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT)
                .contains("postgres")) {
            return;
        }
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute("create index ix_directory_resource_name_prefix"
                    + " on directory_resource (resource_type, name_lower varchar_pattern_ops)");
        }
    }
}
