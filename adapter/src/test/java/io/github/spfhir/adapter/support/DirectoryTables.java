package io.github.spfhir.adapter.support;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The directory's resources in the integration tests' shared database. Test classes that assert on what a search
 * finds start from none, so that what other classes (or other methods of the same class) synced or stored, in
 * whatever order they ran, is not among the matches. Sync runs and cursors are kept: they are per source.
 */
public final class DirectoryTables {

    private DirectoryTables() {
    }

    /** Deletes every directory resource and its search index rows. */
    public static void clearResources(JdbcClient jdbc) {
        jdbc.sql("delete from directory_search_index").update();
        jdbc.sql("delete from directory_resource").update();
    }
}
