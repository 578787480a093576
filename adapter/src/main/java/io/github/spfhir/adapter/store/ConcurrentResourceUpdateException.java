package io.github.spfhir.adapter.store;

/**
 * Another writer changed a resource between our read and our write (optimistic locking on version_id). The
 * transaction is rolled back; the caller may retry with the current version.
 */
public class ConcurrentResourceUpdateException extends RuntimeException {

    public ConcurrentResourceUpdateException(String resourceKey) {
        super("Resource " + resourceKey + " was changed concurrently; retry with its current version");
    }
}
