package io.github.spfhir.adapter.domain.lifecycle;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

import io.github.spfhir.adapter.domain.validation.Problem;

/**
 * What applying one {@link ReferralEvent} to a referral's Task came to: {@link Applied}, {@link Stale} or
 * {@link Refused}. {@link #outcome()} names which, for a {@code switch} (Java 17 has no pattern switch).
 * Nothing in a result quotes patient data: reasons and diagnostics name statuses, kinds and times only.
 */
public sealed interface LifecycleResult {

    /** Which of the three a result is. */
    enum Outcome {
        APPLIED, STALE, REFUSED
    }

    Outcome outcome();

    /**
     * The event was applied.
     *
     * @param task                  the updated Task (a new object; the caller's Task is untouched)
     * @param changedServiceRequest the updated social-prescribing ServiceRequest when its status changed
     *                              (revoked, completed); empty when it did not
     * @param created               resources the event created, to be stored (the onward-referral ServiceRequest);
     *                              ids are deterministic, so storing one twice is an upsert
     * @param gpChange              what changed that the GP may be told of
     * @param taskChanged           false when the Task came out exactly as it went in (for example the same
     *                              outcome reference applied twice)
     */
    record Applied(Task task, Optional<ServiceRequest> changedServiceRequest, List<Resource> created,
            GpNotifiableChange gpChange, boolean taskChanged) implements LifecycleResult {

        public Applied {
            Objects.requireNonNull(task, "task");
            changedServiceRequest = changedServiceRequest == null ? Optional.empty() : changedServiceRequest;
            created = List.copyOf(created);
            Objects.requireNonNull(gpChange, "gpChange");
        }

        @Override
        public Outcome outcome() {
            return Outcome.APPLIED;
        }
    }

    /**
     * The event is older than what the Task already shows (it occurred before the Task's last status change,
     * or the Task has already reached or passed its status): recorded by the caller, not applied.
     *
     * @param reason why, for operators (statuses and times only)
     */
    record Stale(String reason) implements LifecycleResult {

        public Stale {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Outcome outcome() {
            return Outcome.STALE;
        }
    }

    /**
     * The event cannot be applied: an illegal transition ({@code business-rule}), a fact the Task cannot take
     * in its status ({@code business-rule}), or an event lacking what it needs ({@code required},
     * {@code invalid}).
     *
     * @param problems at least one, each an error
     */
    record Refused(List<Problem> problems) implements LifecycleResult {

        public Refused {
            problems = List.copyOf(problems);
            if (problems.isEmpty()) {
                throw new IllegalArgumentException("a refusal needs at least one problem");
            }
        }

        @Override
        public Outcome outcome() {
            return Outcome.REFUSED;
        }
    }
}
