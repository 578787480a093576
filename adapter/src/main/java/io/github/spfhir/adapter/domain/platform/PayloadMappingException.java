package io.github.spfhir.adapter.domain.platform;

/**
 * A referral cannot be turned into a platform's payload, for example because a required field has no value.
 * Retrying does not help: the referral or the mapping must change. The message names the mapping, the payload
 * field and the canonical path, never a value (values are patient data).
 */
public class PayloadMappingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String platform;
    private final String target;

    public PayloadMappingException(PlatformMapping mapping, String target, String problem) {
        super("Referral cannot be mapped for platform '" + mapping.platform() + "' (mapping-version "
                + mapping.mappingVersion() + "): field " + target + " " + problem);
        this.platform = mapping.platform();
        this.target = target;
    }

    /** The mapping (platform) name. */
    public String platform() {
        return platform;
    }

    /** The payload field that could not be filled, as a JSON Pointer with array indexes. */
    public String target() {
        return target;
    }
}
