package io.github.spfhir.adapter.domain.directory;

import java.util.Locale;

/**
 * Postal codes as they are compared: upper case, with no spaces, so {@code zz99 3cz}, {@code ZZ993CZ} and
 * {@code ZZ99 3CZ} are one code. A search value then matches the codes it begins (FHIR string search): the
 * outward code {@code ZZ99} finds every location in that district.
 */
public final class PostalCodes {

    /** Longer values are not postal codes of any country we know of; they are not indexed. */
    public static final int MAX_LENGTH = 20;

    private PostalCodes() {
    }

    /** The comparable form, or null for a blank or over-long value. */
    public static String normalise(String postalCode) {
        if (postalCode == null) {
            return null;
        }
        String normalised = postalCode.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
        return normalised.isEmpty() || normalised.length() > MAX_LENGTH ? null : normalised;
    }
}
