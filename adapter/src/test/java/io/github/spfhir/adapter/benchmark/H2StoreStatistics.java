package io.github.spfhir.adapter.benchmark;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the embedded H2 store wrote, from its own counters ({@code INFORMATION_SCHEMA.SETTINGS}): how many commits
 * (store versions), how many bytes went to the file, how many chunks it holds and how full they are. Unlike a rate
 * these do not depend on what else the machine is doing, so they show what a store change does on a noisy machine.
 */
record H2StoreStatistics(long versions, long bytesWritten, long fileSize, long chunks, int chunksFillRate) {

    static H2StoreStatistics of(ApplicationContext context) {
        Map<String, String> info = new HashMap<>();
        new JdbcTemplate(context.getBean(DataSource.class)).query(
                "select setting_name, setting_value from information_schema.settings where setting_name like 'info.%'",
                row -> {
                    info.put(row.getString(1), row.getString(2));
                });
        return new H2StoreStatistics(Long.parseLong(info.get("info.CURRENT_VERSION")),
                Long.parseLong(info.get("info.FILE_WRITE_BYTES")), Long.parseLong(info.get("info.FILE_SIZE")),
                Long.parseLong(info.get("info.CHUNK_COUNT")), Integer.parseInt(info.get("info.CHUNKS_FILL_RATE")));
    }

    void printSince(H2StoreStatistics before, int messages, String what) {
        System.out.printf(Locale.ROOT, "  H2 store, per %-8s                   : %.1f commits, %.1f KB written%n", what,
                (versions - before.versions) / (double) messages, (bytesWritten - before.bytesWritten) / 1024.0 / messages);
        System.out.printf(Locale.ROOT, "  H2 file at the end                        : %.0f MB, %d chunks, %d %% full%n",
                fileSize / 1024.0 / 1024.0, chunks, chunksFillRate);
    }
}
