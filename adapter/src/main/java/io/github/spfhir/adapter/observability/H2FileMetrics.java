package io.github.spfhir.adapter.observability;

import org.springframework.stereotype.Component;

import io.github.spfhir.adapter.store.H2FileCompaction;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The embedded H2 file's size and number of chunks, {@code adapter_store_h2_file_bytes} and
 * {@code adapter_store_h2_chunks}, read from H2's own counters at each scrape: what to watch to see that
 * {@link H2FileCompaction} keeps the file in check. Registered only when the store is an H2 file in this JVM; NaN
 * while the store cannot be read.
 */
@Component
public class H2FileMetrics {

    public H2FileMetrics(H2FileCompaction compaction, MeterRegistry registry) {
        if (!compaction.isH2File()) {
            return;
        }
        Gauge.builder("adapter.store.h2.file", compaction, H2FileCompaction::fileBytes)
                .description("Size of the embedded H2 file").baseUnit("bytes").strongReference(true).register(registry);
        Gauge.builder("adapter.store.h2.chunks", compaction, H2FileCompaction::chunks)
                .description("Chunks in the embedded H2 file (each commit writes one; compaction frees them)")
                .strongReference(true).register(registry);
    }
}
