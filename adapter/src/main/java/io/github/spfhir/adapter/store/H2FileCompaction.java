package io.github.spfhir.adapter.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.db.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.config.AdapterProperties;

/**
 * Compacts the embedded H2 file while the adapter runs, as H2's own background writer would.
 *
 * <p>Why it is needed: the H2 URL of the embedded run carries {@code WRITE_DELAY=0}, so each commit reaches the file
 * before the sender is answered (operations guide, section 7). That setting also stops H2's background writer, and
 * with it H2's housekeeping. Each commit writes a new chunk, and a few of its pages stay live long after (a table's
 * leaf that is full, an index leaf no later insert touches), so without housekeeping most chunks are never freed: the
 * file keeps most of what was ever written, over twenty times the data (measured: 11.1 of the 13.5 GB written for
 * 41,000 referrals; h2database issue #442). This does what the housekeeping would: on a timer it has H2 rewrite the
 * live pages of the emptiest chunks older than H2's retention time ({@link MVStore#compact(int, int)}), so those
 * chunks empty and their space is used again. At the rates a deployment sees, the file then holds the data plus about
 * the last 45 seconds of writes (H2's retention time); at this machine's sustained maximum it ends about half the
 * size but still grows, more slowly (docs/benchmarks.md, seventh session). Commits are unchanged: still one
 * synchronous write each.
 *
 * <p>Only for an H2 file database opened in this JVM; on PostgreSQL, an in-memory H2 or an H2 server it does nothing.
 * It reaches H2's store through H2's own classes ({@code SessionLocal}, {@code Store}): public, but not JDBC, so a
 * new H2 version is checked by {@code H2FileCompactionTest}.
 */
@Component
public class H2FileCompaction implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(H2FileCompaction.class);

    private final DataSource dataSource;
    private final AdapterProperties.H2Compaction settings;
    private ScheduledExecutorService timer;

    public H2FileCompaction(DataSource dataSource, AdapterProperties properties) {
        this.dataSource = dataSource;
        this.settings = properties.store().h2Compaction();
    }

    /** Starts the timer when compaction is on and the store is an H2 file in this JVM. */
    @Override
    public synchronized void start() {
        if (!settings.enabled() || timer != null || !isH2File()) {
            return;
        }
        long every = settings.interval().toMillis();
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "h2-file-compaction");
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(this::compactOnce, every, every, TimeUnit.MILLISECONDS);
        LOG.info("H2 file compaction every {} ms (chunks up to {} % full, at most {} bytes rewritten a run)", every,
                settings.targetFillRate(), settings.maxRewritePerRun().toBytes());
    }

    /**
     * Stops the timer before the connection pool closes, and lets a run in progress finish: an interrupt could reach
     * H2 in the middle of a file write, and H2 closes a file channel that is interrupted.
     */
    @Override
    public synchronized void stop() {
        if (timer == null) {
            return;
        }
        timer.shutdown();
        try {
            if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("H2 file compaction still running after 30 s at shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }

    /**
     * One run: H2 rewrites the live pages of its emptiest chunks that are older than its retention time, up to the
     * configured number of bytes; they reach the file with the next commit. Returns whether anything was rewritten.
     * A failure is logged and the next run tries again: the store works the same without it, only its file grows.
     */
    public boolean compactOnce() {
        try (Connection connection = dataSource.getConnection()) {
            Optional<MVStore> store = fileStore(connection);
            return store.isPresent()
                    && store.get().compact(settings.targetFillRate(), (int) Math.min(Integer.MAX_VALUE,
                            settings.maxRewritePerRun().toBytes()));
        } catch (SQLException | RuntimeException e) {
            LOG.warn("H2 file compaction failed; the next run tries again: {}", e.getClass().getName());
            return false;
        }
    }

    /** Whether the store is an H2 file database opened in this JVM (what this compacts). */
    public boolean isH2File() {
        try (Connection connection = dataSource.getConnection()) {
            return fileStore(connection).isPresent();
        } catch (SQLException e) {
            LOG.warn("Could not tell whether the store is an H2 file; no H2 compaction: {}", e.getClass().getName());
            return false;
        }
    }

    /** The H2 file's size in bytes, from H2's own counters; NaN while the store cannot be read. */
    public double fileBytes() {
        return storeSetting("info.FILE_SIZE");
    }

    /** The number of chunks in the H2 file (each commit writes one; compaction frees them); NaN as above. */
    public double chunks() {
        return storeSetting("info.CHUNK_COUNT");
    }

    private double storeSetting(String name) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "select setting_value from information_schema.settings where setting_name = ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Double.parseDouble(row.getString(1)) : Double.NaN;
            }
        } catch (SQLException e) {
            // the store's own health indicator reports the outage
            return Double.NaN;
        }
    }

    private static Optional<MVStore> fileStore(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(JdbcConnection.class)) {
            return Optional.empty(); // not H2
        }
        if (!(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
            return Optional.empty(); // an H2 server in another process (AUTO_SERVER, tcp): that process's housekeeping
        }
        Store store = session.getDatabase().getStore();
        MVStore mvStore = store == null ? null : store.getMvStore();
        boolean writableFile = mvStore != null && mvStore.isPersistent() && !mvStore.isReadOnly();
        return writableFile ? Optional.of(mvStore) : Optional.empty();
    }
}
