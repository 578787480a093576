package io.github.spfhir.adapter.client.directory;

/**
 * Where a postcode is, as a postcodes.io-compatible API gives it: WGS84 decimal degrees of the postcode's
 * centroid (ONS Postcode Directory), not of any one address in it.
 */
public record PostcodePosition(double latitude, double longitude) {
}
