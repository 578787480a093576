package io.github.spfhir.adapter.domain.directory;

/**
 * A directory record that cannot be mapped (not an object, no id, no organisation). The reason names the
 * missing or malformed field, never a value from the record.
 */
public class InvalidDirectoryRecordException extends RuntimeException {

    public InvalidDirectoryRecordException(String reason) {
        super(reason);
    }
}
