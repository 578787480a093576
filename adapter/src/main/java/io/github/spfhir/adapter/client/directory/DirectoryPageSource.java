package io.github.spfhir.adapter.client.directory;

import java.time.Instant;

/** A directory source read one page of services at a time, whatever its API's version. */
public interface DirectoryPageSource {

    /**
     * One page of services, numbered from 1.
     *
     * @param modifiedAfter null for every service; otherwise only those modified on or after this instant (HSDS
     *                      3.0 {@code modified_after}), which only a source that {@link #supportsModifiedAfter()}
     *                      is asked for
     * @throws IllegalArgumentException when asked for modified services and the source cannot filter by it
     */
    OrukPage servicesPage(int pageNumber, Instant modifiedAfter);

    /** One page of every service, numbered from 1. */
    default OrukPage servicesPage(int pageNumber) {
        return servicesPage(pageNumber, null);
    }

    /** Whether the source can be asked only for the services modified since an instant (incremental sync). */
    default boolean supportsModifiedAfter() {
        return false;
    }
}
