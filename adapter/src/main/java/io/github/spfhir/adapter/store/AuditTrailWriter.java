package io.github.spfhir.adapter.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.config.AdapterProperties;

/**
 * Writes the audit trail's entries in batches, one commit for the entries that arrive within
 * {@code adapter.store.audit-write-delay} of each other, on one background thread, in the order submitted.
 *
 * <p>Why: each commit to the embedded H2 file rewrites every page changed since the one before, so a commit of its own
 * for each request's audit row cost about a twentieth of the adapter's CPU under load (docs/benchmarks.md, eighth
 * session). The audit row is written after the request's answer either way; what changes is that, in a crash, the
 * entries of the last {@code audit-write-delay} (100 ms by default) can be lost. The messages, resources and
 * deliveries themselves are never in this batch: they are committed before the sender is answered. A delay of zero
 * writes each entry on its request's thread before the request ends, as before.
 *
 * <p>Nothing is dropped: when the queue is full, or the writer is not running (before start, after stop), the
 * caller writes its entry itself. On stop it writes what is queued before the connection pool closes.
 */
@Component
public class AuditTrailWriter implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(AuditTrailWriter.class);
    /** Entries waiting at most; beyond this the request's thread writes its own (the slower path, never a loss). */
    static final int QUEUE_CAPACITY = 10_000;
    /** Entries in one commit at most. */
    static final int MAX_BATCH = 500;
    /** How often a waiting writer looks whether it has been stopped (it is never interrupted: H2 closes its file). */
    private static final long IDLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final AuditStore store;
    private final Duration writeDelay;
    private final BlockingQueue<AuditRecord> queue;
    private volatile boolean running;
    private Thread writer;

    @Autowired
    public AuditTrailWriter(AuditStore store, AdapterProperties properties) {
        this(store, properties.store().auditWriteDelay(), QUEUE_CAPACITY);
    }

    AuditTrailWriter(AuditStore store, Duration writeDelay, int queueCapacity) {
        this.store = store;
        this.writeDelay = writeDelay;
        this.queue = new LinkedBlockingQueue<>(queueCapacity);
    }

    /**
     * Submits one entry. Returns once it is queued for the writer, or, when the delay is zero, the queue is full or the
     * writer is not running, once it is written on this thread. A failure to write is logged, not thrown.
     */
    public void submit(AuditRecord entry) {
        if (running && queue.offer(entry)) {
            // stopped in between: the stop's last drain may not see it, so take it back unless it already did
            if (!running && queue.remove(entry)) {
                write(List.of(entry));
            }
            return;
        }
        write(List.of(entry));
    }

    @Override
    public synchronized void start() {
        if (running || writeDelay.isZero()) {
            return;
        }
        running = true;
        writer = new Thread(this::writeUntilStopped, "audit-trail-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Stops after the web server (a lower phase than its lifecycle) and before the connection pool closes: the writer
     * finishes its batch, and what is still queued is written here.
     */
    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<AuditRecord> rest = new ArrayList<>();
        queue.drainTo(rest);
        writeInBatches(rest);
        writer = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts before and stops after the web server's lifecycle (phase {@code Integer.MAX_VALUE - 1024} and above). */
    @Override
    public int getPhase() {
        return 0;
    }

    private void writeUntilStopped() {
        List<AuditRecord> batch = new ArrayList<>(MAX_BATCH);
        try {
            while (running) {
                AuditRecord first = queue.poll(IDLE_POLL_NANOS, TimeUnit.NANOSECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + writeDelay.toNanos();
                // in slices, so that a stop is seen within one: the batch is then written at once
                long left;
                while (batch.size() < MAX_BATCH && running && (left = deadline - System.nanoTime()) > 0) {
                    AuditRecord next = queue.poll(Math.min(left, IDLE_POLL_NANOS), TimeUnit.NANOSECONDS);
                    if (next != null) {
                        batch.add(next);
                    }
                }
                write(batch);
                batch.clear();
            }
        } catch (InterruptedException e) {
            write(batch);
            Thread.currentThread().interrupt();
        }
    }

    private void writeInBatches(List<AuditRecord> entries) {
        for (int from = 0; from < entries.size(); from += MAX_BATCH) {
            write(entries.subList(from, Math.min(entries.size(), from + MAX_BATCH)));
        }
    }

    private void write(List<AuditRecord> entries) {
        if (entries.isEmpty()) {
            return;
        }
        try {
            store.recordAll(entries);
        } catch (RuntimeException e) {
            // the ids and paths of what was lost, never a body or a token (AuditRecord holds neither)
            AuditRecord first = entries.get(0);
            LOG.error("Could not write {} audit entr{} (the first: {} {}, HTTP {}, request {}): {}", entries.size(),
                    entries.size() == 1 ? "y" : "ies", first.method(), first.path(), first.httpStatus(),
                    first.requestId(), e.getClass().getName());
        }
    }
}
