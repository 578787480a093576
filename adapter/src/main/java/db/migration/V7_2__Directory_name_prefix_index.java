package db.migration;

import java.sql.Statement;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Lets PostgreSQL answer the directory's name search ({@code name_lower like 'prefix%'}) from an index. The
 * index of V2 ({@code resource_type, name_lower}) serves it on H2, but PostgreSQL uses a btree for {@code like}
 * only under the C collation, and a database is usually created with a language's collation: there a name search
 * read every HealthcareService row (issue #4's benchmark: 10,000 services, about 5 ms a statement and two
 * statements a search). {@code varchar_pattern_ops} compares by character, so a prefix is an index range.
 * Java, not SQL, because H2 has no operator classes: on H2 this migration does nothing.
 */
public class V7_2__Directory_name_prefix_index extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
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
