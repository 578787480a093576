package io.github.spfhir.adapter.inbound.http;

import java.math.BigDecimal;
import java.math.RoundingMode;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Distance;

import io.github.spfhir.adapter.domain.directory.NearSearch;
import io.github.spfhir.adapter.domain.directory.PostalCodes;

/**
 * The location search parameters of the directory: {@code near} (FHIR R4 SearchParameter {@code Location-near})
 * and {@code address-postalcode} ({@code Location-address-postalcode}), on Location and chained from
 * HealthcareService as {@code location.near} / {@code location.address-postalcode}; and the distance of each
 * match, as FHIR R4's core extension {@code location-distance} on {@code Bundle.entry.search}.
 */
final class NearSearchParameters {

    static final String NEAR_DEFINITION = "http://hl7.org/fhir/SearchParameter/Location-near";
    static final String POSTAL_CODE_DEFINITION = "http://hl7.org/fhir/SearchParameter/Location-address-postalcode";
    static final String LOCATION_DISTANCE = "http://hl7.org/fhir/StructureDefinition/location-distance";
    static final String UCUM = "http://unitsofmeasure.org";

    /** What a near value is, for the CapabilityStatement. */
    static final String NEAR_VALUE = "latitude|longitude|distance|units (WGS84 decimal degrees; units km, m or [mi_i],"
            + " km when omitted; distance " + (int) NearSearch.DEFAULT_DISTANCE_KM + " km when omitted, at most "
            + (int) NearSearch.MAX_DISTANCE_KM + " km; great-circle distance)";
    static final String NEAR_DOCUMENTATION = NEAR_VALUE + ": locations within the distance, nearest first, each with"
            + " its distance (extension location-distance on Bundle.entry.search)";
    static final String POSTAL_CODE_DOCUMENTATION = "The postal code starts with this, ignoring case and spaces"
            + " (ZZ99 finds ZZ99 3CZ)";

    private NearSearchParameters() {
    }

    /** The value of a near parameter; an {@link IllegalArgumentException} names the parameter and the problem. */
    static NearSearch near(String parameter, String value) {
        try {
            return NearSearch.parse(value);
        } catch (IllegalArgumentException e) {
            // NearSearch says "near ..."; the caller may have used a chain (location.near)
            throw new IllegalArgumentException(parameter + e.getMessage().substring("near".length()), e);
        }
    }

    /** The value of an address-postalcode parameter in its compared form. */
    static String postalCode(String parameter, String value) {
        String normalised = PostalCodes.normalise(value);
        if (normalised == null) {
            throw new IllegalArgumentException(parameter + " must be a postal code or its start, at most "
                    + PostalCodes.MAX_LENGTH + " characters besides spaces");
        }
        return normalised;
    }

    /** Adds the match's distance from the searched point, in the units it was asked in, to its search entry. */
    static void addDistance(Bundle.BundleEntryComponent entry, NearSearch near, double km) {
        int scale = "m".equals(near.units()) ? 0 : 3;
        Distance distance = new Distance();
        distance.setValue(BigDecimal.valueOf(near.inUnits(km)).setScale(scale, RoundingMode.HALF_UP));
        distance.setUnit(near.units()).setSystem(UCUM).setCode(near.units());
        entry.getSearch().addExtension(LOCATION_DISTANCE, distance);
    }
}
