package io.github.spfhir.adapter.store;

import io.github.spfhir.adapter.domain.directory.NearSearch;

/**
 * A search of the directory's Locations; each criterion optional (null: not filtered), combined with AND.
 *
 * @param near             the position is within this distance; the matches are then in order of distance
 * @param postalCodePrefix the postal code starts with this, in the form of
 *                         {@link io.github.spfhir.adapter.domain.directory.PostalCodes#normalise}
 */
public record LocationSearch(NearSearch near, String postalCodePrefix) {
}
