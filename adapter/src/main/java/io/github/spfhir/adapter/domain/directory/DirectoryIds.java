package io.github.spfhir.adapter.domain.directory;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.github.spfhir.adapter.domain.validation.Profiles;

/**
 * Stable ids and identifier systems for directory records: a resource's id is a name-based UUID of its type,
 * the source's id in our configuration and the record's id at that source, so every sync of the same record
 * writes the same resource (as {@code domain/referral/DeterministicIds} does for referrals).
 */
public final class DirectoryIds {

    private DirectoryIds() {
    }

    public static String of(String resourceType, String sourceId, String sourceRecordId) {
        return UUID.nameUUIDFromBytes((resourceType + "|" + sourceId + "|" + sourceRecordId)
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * The identifier system of one source's record ids. LOCAL: ORUK defines no URI for a feed's ids, so we mint
     * one per configured source under our own base.
     */
    public static String identifierSystem(String sourceId) {
        return Profiles.BASE + "/Id/directory/" + sourceId;
    }

    /**
     * The code system of one taxonomy of one source. LOCAL: ORUK taxonomy terms carry a taxonomy name but no
     * confirmed canonical URI, so the codes (taken as the source sends them) go under our own base.
     */
    public static String taxonomySystem(String sourceId, String taxonomy) {
        return Profiles.BASE + "/CodeSystem/directory-taxonomy/" + sourceId + "/" + slug(taxonomy);
    }

    static String slug(String value) {
        String slug = value.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return slug.isEmpty() ? "unnamed" : slug;
    }
}
