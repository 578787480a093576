package io.github.spfhir.adapter.inbound.http;

import java.math.BigDecimal;
import java.math.RoundingMode;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Distance;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.http.HttpStatus;

import io.github.spfhir.adapter.domain.directory.NearSearch;
import io.github.spfhir.adapter.domain.directory.PostcodeLookup;
import io.github.spfhir.adapter.domain.directory.PostcodeNear;
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

    static final String NEAR_POSTCODE_VALUE = "postcode|distance|units (a full UK postcode, e.g. CF10 1AA|5|km;"
            + " distance and units as in near)";
    static final String NEAR_POSTCODE_DOCUMENTATION = NEAR_POSTCODE_VALUE + ": as near, from the postcode's position"
            + " (its centroid, ONS Postcode Directory data through the configured postcode lookup). A postcode the"
            + " lookup does not know is a 400, a lookup that cannot answer a 503";

    private NearSearchParameters() {
    }

    /**
     * The near search of a near-postcode parameter ({@code postcode|distance|units}), the postcode looked up.
     *
     * @throws DirectorySearchRequest.Refused 400 when the value is malformed, the lookup is not enabled or does not know the postcode;
     *                 503 when the lookup cannot answer now
     */
    static NearSearch nearPostcode(String parameter, String value, PostcodeLookup lookup) {
        if (!lookup.enabled()) {
            throw new DirectorySearchRequest.Refused(HttpStatus.BAD_REQUEST, IssueType.NOTSUPPORTED, parameter + " needs the postcode lookup,"
                    + " which is not enabled here (adapter.postcode-lookup); search with a point (near) instead");
        }
        PostcodeNear near;
        try {
            near = PostcodeNear.parse(parameter, value);
        } catch (IllegalArgumentException e) {
            throw new DirectorySearchRequest.Refused(HttpStatus.BAD_REQUEST, IssueType.INVALID, e.getMessage());
        }
        try {
            return near.at(parameter, lookup.position(near.postcode()).orElseThrow(() -> new DirectorySearchRequest.Refused(
                    HttpStatus.BAD_REQUEST, IssueType.INVALID, parameter + ": the postcode is not known to the postcode"
                            + " lookup (a terminated or mistyped postcode?)")));
        } catch (PostcodeLookup.Unavailable e) {
            throw new DirectorySearchRequest.Refused(HttpStatus.SERVICE_UNAVAILABLE, IssueType.TRANSIENT, parameter + ": the postcode lookup"
                    + " cannot answer now (" + e.getMessage() + "); try again later, or search with a point (near)");
        }
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
