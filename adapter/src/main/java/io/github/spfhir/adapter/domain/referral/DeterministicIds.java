package io.github.spfhir.adapter.domain.referral;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Resource ids derived from the sender's identifiers (name-based UUIDs), so the same referral always gets the
 * same ids: retries and replays upsert rather than duplicate, and outputs are reproducible byte for byte.
 *
 * <p>Keys never include patient identifiers: an id built from an NHS number could be reversed by trying every
 * NHS number.
 */
public final class DeterministicIds {

    private DeterministicIds() {
    }

    public static String of(String resourceType, String referralKey) {
        return UUID.nameUUIDFromBytes((resourceType + "|" + referralKey).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
