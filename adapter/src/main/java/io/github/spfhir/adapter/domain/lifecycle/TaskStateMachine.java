package io.github.spfhir.adapter.domain.lifecycle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Task.TaskStatus;

import io.github.spfhir.adapter.domain.validation.Problem;

/**
 * The FHIR Task state machine of a closed-loop referral, as in the HL7 Gravity SDOH Clinical Care referral
 * pattern ({@code shared/reference/directories.md} §5, from Gravity's ReferralTaskStateDiagram):
 *
 * <pre>
 * requested   -> accepted | rejected                                        performer
 * accepted    -> in-progress | on-hold | completed | failed | cancelled      performer
 * in-progress -> on-hold | completed | failed | cancelled                   performer
 * on-hold     -> in-progress | completed | failed | cancelled               performer
 * any status  -> entered-in-error                                           requester only
 * </pre>
 *
 * <p>completed, rejected, cancelled, failed and entered-in-error are final: nothing leaves them, except that the
 * requester may still mark any of them but entered-in-error itself entered-in-error. A status moving to itself is
 * not a transition. The statuses the pattern does not use ({@code draft}, {@code received}, {@code ready}; the
 * adapter creates Tasks at {@code requested}) are neither sources nor targets of any transition.
 *
 * <p>Gravity also lets the requester cancel an accepted Task; that is not modelled here: the adapter's only
 * actor today is the platform (performer), and a GP's cancellation would come as a BaRS cancellation of the
 * ServiceRequest, a flow of its own.
 *
 * <p>Pure: no state, no clock, no I/O.
 */
public final class TaskStateMachine {

    /** Every status the machine names (FHIR R4 task-status without draft, received and ready). */
    public static final Set<TaskStatus> STATUSES = Collections.unmodifiableSet(EnumSet.of(
            TaskStatus.REQUESTED, TaskStatus.ACCEPTED, TaskStatus.REJECTED, TaskStatus.INPROGRESS,
            TaskStatus.ONHOLD, TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED,
            TaskStatus.ENTEREDINERROR));

    /** The final statuses: only the requester's entered-in-error leaves them (and not entered-in-error itself). */
    public static final Set<TaskStatus> FINAL = Collections.unmodifiableSet(EnumSet.of(
            TaskStatus.COMPLETED, TaskStatus.REJECTED, TaskStatus.CANCELLED, TaskStatus.FAILED,
            TaskStatus.ENTEREDINERROR));

    private static final Map<TaskStatus, Set<TaskStatus>> PERFORMER_MOVES = performerMoves();
    /** The order diagnostics list statuses in: a referral's course, not the enum's. */
    private static final List<TaskStatus> LIFECYCLE_ORDER = List.of(TaskStatus.REQUESTED, TaskStatus.ACCEPTED,
            TaskStatus.REJECTED, TaskStatus.INPROGRESS, TaskStatus.ONHOLD, TaskStatus.COMPLETED, TaskStatus.FAILED,
            TaskStatus.CANCELLED, TaskStatus.ENTEREDINERROR);

    private TaskStateMachine() {
    }

    /** Whether {@code actor} may move a Task from {@code from} to {@code to}. */
    public static boolean allows(TaskStatus from, TaskStatus to, Actor actor) {
        return targets(from, actor).contains(to);
    }

    /** Every status {@code actor} may move a Task in {@code from} to; empty for a final or unused status. */
    public static Set<TaskStatus> targets(TaskStatus from, Actor actor) {
        if (from == null || actor == null || !STATUSES.contains(from)) {
            return Set.of();
        }
        if (actor == Actor.REQUESTER) {
            return from == TaskStatus.ENTEREDINERROR ? Set.of() : Set.of(TaskStatus.ENTEREDINERROR);
        }
        return PERFORMER_MOVES.getOrDefault(from, Set.of());
    }

    /**
     * Empty when the transition is allowed; otherwise why not, as a Problem of issue type
     * {@code business-rule} on {@code Task.status} whose diagnostics name both statuses, for example
     * "Task is completed; a referral event cannot move it to in-progress (completed is final: only the requester
     * may mark it entered-in-error)".
     *
     * <p>Why {@code business-rule} and not {@code conflict}: FHIR defines {@code conflict} as an edit conflict
     * (a version-aware update that lost a race, HTTP 409); an illegal transition is refused whatever the
     * version, because the workflow's rules forbid it, which is what {@code business-rule} means (HTTP 422).
     */
    public static Optional<Problem> check(TaskStatus from, TaskStatus to, Actor actor) {
        if (allows(from, to, actor)) {
            return Optional.empty();
        }
        String who = actor == Actor.REQUESTER ? "the requester" : "a referral event";
        String head = "Task is " + code(from) + "; " + who + " cannot move it to " + code(to);
        String why;
        if (from == null || !STATUSES.contains(from)) {
            why = code(from) + " is not a status of the referral state machine";
        } else if (to == null || !STATUSES.contains(to)) {
            why = code(to) + " is not a status of the referral state machine";
        } else if (from == to) {
            why = "it is already " + code(to);
        } else if (to == TaskStatus.ENTEREDINERROR && actor == Actor.PERFORMER) {
            why = "only the requester may mark a Task entered-in-error";
        } else if (FINAL.contains(from)) {
            why = from == TaskStatus.ENTEREDINERROR
                    ? "entered-in-error is final"
                    : code(from) + " is final: only the requester may mark it entered-in-error";
        } else {
            why = "from " + code(from) + " " + who + " may move it only to " + list(targets(from, actor));
        }
        return Optional.of(Problem.error(IssueType.BUSINESSRULE, head + " (" + why + ")", "Task.status"));
    }

    /** Whether {@code status} is final (see {@link #FINAL}). */
    public static boolean isFinal(TaskStatus status) {
        return FINAL.contains(status);
    }

    private static Map<TaskStatus, Set<TaskStatus>> performerMoves() {
        Map<TaskStatus, Set<TaskStatus>> moves = new EnumMap<>(TaskStatus.class);
        moves.put(TaskStatus.REQUESTED, EnumSet.of(TaskStatus.ACCEPTED, TaskStatus.REJECTED));
        moves.put(TaskStatus.ACCEPTED, EnumSet.of(TaskStatus.INPROGRESS, TaskStatus.ONHOLD, TaskStatus.COMPLETED,
                TaskStatus.FAILED, TaskStatus.CANCELLED));
        moves.put(TaskStatus.INPROGRESS, EnumSet.of(TaskStatus.ONHOLD, TaskStatus.COMPLETED, TaskStatus.FAILED,
                TaskStatus.CANCELLED));
        moves.put(TaskStatus.ONHOLD, EnumSet.of(TaskStatus.INPROGRESS, TaskStatus.COMPLETED, TaskStatus.FAILED,
                TaskStatus.CANCELLED));
        moves.replaceAll((from, to) -> Collections.unmodifiableSet(to));
        return Collections.unmodifiableMap(moves);
    }

    private static String code(TaskStatus status) {
        return status == null || status == TaskStatus.NULL ? "(no status)" : status.toCode();
    }

    private static String list(Set<TaskStatus> statuses) {
        List<String> codes = new ArrayList<>();
        LIFECYCLE_ORDER.stream().filter(statuses::contains).forEach(s -> codes.add(s.toCode()));
        if (codes.size() <= 1) {
            return String.join("", codes);
        }
        return String.join(", ", codes.subList(0, codes.size() - 1)) + " or " + codes.get(codes.size() - 1);
    }
}
