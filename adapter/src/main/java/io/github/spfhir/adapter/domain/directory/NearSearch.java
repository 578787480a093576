package io.github.spfhir.adapter.domain.directory;

import java.math.BigDecimal;
import java.util.Map;

/**
 * A FHIR R4 {@code near} search (SearchParameter {@code Location-near}): positions within a distance of a point,
 * written {@code [latitude]|[longitude]|[distance]|[units]} (WGS84). Units are UCUM codes; if omitted, km (as
 * the R4 definition says). If the distance is omitted the server may choose what "near" means: here
 * {@value #DEFAULT_DISTANCE_KM} km.
 *
 * <p>Distances are great-circle (haversine) distances on a sphere of the Earth's mean radius, which is within
 * about 0.5% of the WGS84 ellipsoid's: good enough to rank and bound community services, not for surveying. The
 * search is bounded: at most {@value #MAX_DISTANCE_KM} km, and a store first narrows the candidates to the
 * {@link #boundingBox() bounding box} of the circle (an index range), then keeps those within the exact distance.
 *
 * <p>Messages of a malformed value never quote it: a point searched near may be where a person lives.
 *
 * @param latitude   decimal degrees, -90 to 90
 * @param longitude  decimal degrees, -180 to 180
 * @param distanceKm the radius in km, more than 0 and at most {@value #MAX_DISTANCE_KM}
 * @param units      the UCUM code the distance was given in (distances are reported back in it)
 */
public record NearSearch(double latitude, double longitude, double distanceKm, String units) {

    /** The mean radius of the Earth (IUGG), km. */
    static final double EARTH_RADIUS_KM = 6371.0088;
    public static final double DEFAULT_DISTANCE_KM = 10;
    public static final double MAX_DISTANCE_KM = 1000;
    public static final String DEFAULT_UNITS = "km";

    /** UCUM codes accepted, and km in one of each. */
    static final Map<String, Double> KM_PER_UNIT = Map.of("km", 1.0, "m", 0.001, "[mi_i]", 1.609344);

    public NearSearch {
        if (!(latitude >= -90 && latitude <= 90)) {
            throw new IllegalArgumentException("near: the latitude must be between -90 and 90 degrees");
        }
        if (!(longitude >= -180 && longitude <= 180)) {
            throw new IllegalArgumentException("near: the longitude must be between -180 and 180 degrees");
        }
        if (!(distanceKm > 0)) {
            throw new IllegalArgumentException("near: the distance must be more than 0");
        }
        if (distanceKm > MAX_DISTANCE_KM) {
            throw new IllegalArgumentException("near: the distance must be at most " + (int) MAX_DISTANCE_KM + " km");
        }
        if (!KM_PER_UNIT.containsKey(units)) {
            throw new IllegalArgumentException(unitsMessage());
        }
    }

    /**
     * Reads a {@code near} value: {@code lat|lon}, {@code lat|lon|distance} or {@code lat|lon|distance|units}.
     *
     * @throws IllegalArgumentException saying what is wrong (without quoting the value)
     */
    public static NearSearch parse(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("near must be latitude|longitude|distance|units, e.g. 51.48|-3.18|5|km");
        }
        String[] parts = value.trim().split("\\|", -1);
        if (parts.length < 2 || parts.length > 4) {
            throw new IllegalArgumentException("near must be latitude|longitude|distance|units (2 to 4 parts separated"
                    + " by |), e.g. 51.48|-3.18|5|km; it has " + parts.length);
        }
        double latitude = number(parts[0], "latitude");
        double longitude = number(parts[1], "longitude");
        String units = parts.length == 4 && !parts[3].isBlank() ? parts[3].trim() : DEFAULT_UNITS;
        if (!KM_PER_UNIT.containsKey(units)) {
            throw new IllegalArgumentException(unitsMessage());
        }
        if (parts.length < 3 || parts[2].isBlank()) {
            // no distance: ours, and then the units say nothing
            return new NearSearch(latitude, longitude, DEFAULT_DISTANCE_KM, DEFAULT_UNITS);
        }
        return new NearSearch(latitude, longitude, number(parts[2], "distance") * KM_PER_UNIT.get(units), units);
    }

    private static String unitsMessage() {
        return "near: the units must be km, m or [mi_i] (UCUM codes); without units the distance is in km";
    }

    /** A decimal number as FHIR writes one (no NaN, infinity, hexadecimal or exponent tricks). */
    private static double number(String text, String what) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("near: the " + what + " is missing");
        }
        if (!trimmed.matches("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)")) {
            throw new IllegalArgumentException("near: the " + what + " must be a decimal number");
        }
        return new BigDecimal(trimmed).doubleValue();
    }

    /** The great-circle distance in km from the searched point to a position. */
    public double distanceKmTo(double lat, double lon) {
        double phi1 = Math.toRadians(latitude);
        double phi2 = Math.toRadians(lat);
        double dPhi = phi2 - phi1;
        double dLambda = Math.toRadians(lon - longitude);
        double a = Math.sin(dPhi / 2) * Math.sin(dPhi / 2)
                + Math.cos(phi1) * Math.cos(phi2) * Math.sin(dLambda / 2) * Math.sin(dLambda / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
    }

    /** A distance in km in the units the search was given in. */
    public double inUnits(double km) {
        return km / KM_PER_UNIT.get(units);
    }

    /**
     * The latitude/longitude box that holds every point within the distance (it may hold more: the corners).
     * Near a pole the circle takes in every longitude; across the 180th meridian the longitudes wrap, and the
     * box says so ({@link BoundingBox#wrapsLongitude()}).
     */
    public BoundingBox boundingBox() {
        double angular = distanceKm / EARTH_RADIUS_KM; // radians
        // a hair wider than the circle (about 10 cm), so that rounding never drops a point on its edge
        double pad = 1e-6;
        double minLat = latitude - Math.toDegrees(angular) - pad;
        double maxLat = latitude + Math.toDegrees(angular) + pad;
        if (minLat <= -90 || maxLat >= 90) {
            return new BoundingBox(Math.max(-90, minLat), Math.min(90, maxLat), -180, 180);
        }
        // the widest longitude span is at the latitude where the circle touches its meridian tangent
        double lat = Math.toRadians(latitude);
        double deltaLon = Math.toDegrees(Math.asin(Math.min(1, Math.sin(angular) / Math.cos(lat)))) + pad;
        double minLon = longitude - deltaLon;
        double maxLon = longitude + deltaLon;
        if (deltaLon >= 180) {
            return new BoundingBox(minLat, maxLat, -180, 180);
        }
        if (minLon < -180) {
            minLon += 360;
        }
        if (maxLon > 180) {
            maxLon -= 360;
        }
        return new BoundingBox(minLat, maxLat, minLon, maxLon);
    }

    /**
     * Latitude and longitude ranges, inclusive. When {@code minLongitude > maxLongitude} the range crosses the
     * 180th meridian: longitudes from {@code minLongitude} to 180 and from -180 to {@code maxLongitude}.
     */
    public record BoundingBox(double minLatitude, double maxLatitude, double minLongitude, double maxLongitude) {

        public boolean wrapsLongitude() {
            return minLongitude > maxLongitude;
        }

        public boolean allLongitudes() {
            return minLongitude <= -180 && maxLongitude >= 180;
        }
    }
}
