package io.github.spfhir.adapter.domain.access;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a caller of the adapter is, and so what it may do (least privilege; docs/operations.md, "Security"). A
 * caller has exactly one role, read from its token's claims by configuration ({@code adapter.security.roles}).
 */
public enum Role {
    /** sends referrals for its practice and reads the referrals its practice sent */
    GP_SYSTEM("gp-system"),
    /** sends events for, updates and reads the referrals addressed to its platform */
    LINK_WORKER_PLATFORM("link-worker-platform"),
    /** reads what it is configured for ({@code adapter.security.data-platform-reads}), nothing else */
    DATA_PLATFORM("data-platform"),
    /** the operations API ({@code /ops}) and the metrics; no patient data */
    OPERATOR("operator");

    private final String id;

    Role(String id) {
        this.id = id;
    }

    /** The role's name in configuration, in dev tokens and in the audit trail: {@code gp-system}, ... */
    public String id() {
        return id;
    }

    public static Optional<Role> ofId(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
    }
}
