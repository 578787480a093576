package io.github.spfhir.adapter.store;

/**
 * A HealthcareService search: each criterion is optional (null: not filtered) and they combine with AND.
 *
 * @param namePrefix      the name starts with this, ignoring case
 * @param serviceCategory a category token: {@code code} or {@code system|code}
 * @param serviceType     a type token: {@code code} or {@code system|code}
 * @param organization    {@code Organization/{id}}
 * @param location        {@code Location/{id}}
 * @param active          the active flag
 */
public record DirectorySearch(String namePrefix, String serviceCategory, String serviceType, String organization,
        String location, Boolean active) {
}
