package io.github.spfhir.adapter.domain.directory;

import java.util.regex.Pattern;

import io.github.spfhir.adapter.client.directory.PostcodePosition;

/**
 * A near search from a UK postcode rather than a point: {@code postcode|distance|units}, e.g. {@code CF10 1AA|5|km}
 * (distance and units as in {@link NearSearch}: 10 km when no distance, km when no units). The postcode is a full
 * UK postcode (outward and inward code; spaces and case do not matter); its position is the postcode's centroid.
 *
 * @param postcode the postcode in {@link PostalCodes#normalise} form
 */
public record PostcodeNear(String postcode, String distance, String units) {

    /** A full UK postcode without its space (BS 7666 shapes, and GIR 0AA). */
    private static final Pattern FULL_POSTCODE = Pattern.compile("[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}|GIR0AA");

    /**
     * Reads a value; an {@link IllegalArgumentException} says what is wrong without quoting it (a postcode
     * searched near may be where a person lives), its message starting with the parameter's name.
     */
    public static PostcodeNear parse(String parameter, String value) {
        String[] parts = value == null ? new String[0] : value.trim().split("\\|", -1);
        if (parts.length < 1 || parts.length > 3 || parts[0].isBlank()) {
            throw new IllegalArgumentException(parameter + " must be postcode|distance|units, e.g. CF10 1AA|5|km"
                    + " (distance and units may be left out)");
        }
        String postcode = PostalCodes.normalise(parts[0]);
        if (postcode == null || !isFullPostcode(postcode)) {
            throw new IllegalArgumentException(parameter + ": the postcode must be a full UK postcode, e.g. CF10 1AA");
        }
        PostcodeNear near = new PostcodeNear(postcode, parts.length > 1 ? parts[1] : "", parts.length > 2 ? parts[2] : "");
        near.at(parameter, new PostcodePosition(0, 0)); // the distance and units are checked before any lookup
        return near;
    }

    /** True for a full UK postcode in {@link PostalCodes#normalise} form. */
    public static boolean isFullPostcode(String normalised) {
        return FULL_POSTCODE.matcher(normalised).matches();
    }

    /** The near search around the postcode's position. */
    public NearSearch at(String parameter, PostcodePosition position) {
        try {
            NearSearch distanceAndUnits = NearSearch.parse("0|0|" + distance + "|" + units);
            return new NearSearch(position.latitude(), position.longitude(), distanceAndUnits.distanceKm(),
                    distanceAndUnits.units());
        } catch (IllegalArgumentException e) {
            // NearSearch says "near ..." of a value the caller did not write: name the caller's parameter
            throw new IllegalArgumentException(parameter + e.getMessage().substring("near".length()), e);
        }
    }
}
