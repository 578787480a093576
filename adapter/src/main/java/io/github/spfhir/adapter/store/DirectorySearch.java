package io.github.spfhir.adapter.store;

import io.github.spfhir.adapter.domain.directory.NearSearch;

/**
 * A HealthcareService search: each criterion is optional (null: not filtered) and they combine with AND.
 *
 * @param namePrefix         the name starts with this, ignoring case
 * @param serviceCategory    a category token: {@code code} or {@code system|code}
 * @param serviceType        a type token: {@code code} or {@code system|code}
 * @param organization       {@code Organization/{id}}
 * @param location           {@code Location/{id}}
 * @param active             the active flag
 * @param locationNear       one of the service's locations is within this distance (FHIR chain
 *                           {@code location.near}); the matches are then in order of their nearest location
 * @param locationPostalCode one of the service's locations has a postal code starting with this, in the form of
 *                           {@link io.github.spfhir.adapter.domain.directory.PostalCodes#normalise}
 *                           ({@code location.address-postalcode})
 */
public record DirectorySearch(String namePrefix, String serviceCategory, String serviceType, String organization,
        String location, Boolean active, NearSearch locationNear, String locationPostalCode) {

    /** A search without location criteria. */
    public DirectorySearch(String namePrefix, String serviceCategory, String serviceType, String organization,
            String location, Boolean active) {
        this(namePrefix, serviceCategory, serviceType, organization, location, active, null, null);
    }
}
