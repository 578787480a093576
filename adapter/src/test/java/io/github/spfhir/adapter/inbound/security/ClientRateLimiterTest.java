package io.github.spfhir.adapter.inbound.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.github.spfhir.adapter.domain.access.Role;

/** The per-client allowance: by role, unless the client has its own; one bucket per client identity. */
class ClientRateLimiterTest {

    private static RateLimitProperties limits(List<String> clients) {
        return new RateLimitProperties(true, Duration.ofHours(1), 5, 7, 9, 2, 1, clients);
    }

    @Test
    void eachRoleHasItsAllowanceAndAClientListedHasItsOwn() {
        ClientRateLimiter limiter = new ClientRateLimiter(limits(List.of("big-gp-supplier=50", " tiny = 1 ")));
        assertThat(limiter.limitOf("any-gp", Role.GP_SYSTEM)).isEqualTo(5);
        assertThat(limiter.limitOf("any-platform", Role.LINK_WORKER_PLATFORM)).isEqualTo(7);
        assertThat(limiter.limitOf("any-data-platform", Role.DATA_PLATFORM)).isEqualTo(9);
        assertThat(limiter.limitOf("any-operator", Role.OPERATOR)).isEqualTo(2);
        assertThat(limiter.limitOf("no-role", null)).isEqualTo(1);
        assertThat(limiter.limitOf("big-gp-supplier", Role.GP_SYSTEM)).isEqualTo(50);
        assertThat(limiter.limitOf("tiny", Role.OPERATOR)).isEqualTo(1);
    }

    @Test
    void aClientBeyondItsAllowanceIsRefusedWithTheTimeUntilItHasOneAgainAndOthersAreNotAffected() {
        ClientRateLimiter limiter = new ClientRateLimiter(limits(List.of()));
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire("iss", "gp-a", Role.GP_SYSTEM).allowed()).isTrue();
        }
        ClientRateLimiter.Decision refused = limiter.tryAcquire("iss", "gp-a", Role.GP_SYSTEM);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.limit()).isEqualTo(5);
        // 5 an hour: one comes back every 12 minutes
        assertThat(refused.retryAfter()).isBetween(Duration.ofMinutes(11), Duration.ofMinutes(12));
        assertThat(limiter.tryAcquire("iss", "gp-b", Role.GP_SYSTEM).allowed()).isTrue();
        // the same client id from another issuer is another client
        assertThat(limiter.tryAcquire("another-iss", "gp-a", Role.GP_SYSTEM).allowed()).isTrue();
    }

    @Test
    void malformedSettingsFailAtStartUp() {
        assertThatThrownBy(() -> limits(List.of("no-number"))).hasMessageContaining("client-id=requests");
        assertThatThrownBy(() -> limits(List.of("zero=0"))).hasMessageContaining("'zero=0'");
        assertThatThrownBy(() -> new RateLimitProperties(true, Duration.ZERO, 1, 1, 1, 1, 1, null))
                .hasMessageContaining("period");
        assertThatThrownBy(() -> new RateLimitProperties(true, Duration.ofMinutes(1), 0, 1, 1, 1, 1, null))
                .hasMessageContaining("at least 1");
    }
}
