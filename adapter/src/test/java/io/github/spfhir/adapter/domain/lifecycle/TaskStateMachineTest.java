package io.github.spfhir.adapter.domain.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.spfhir.adapter.domain.validation.Problem;

/**
 * Every (from, to, actor) over every FHIR R4 Task status (the nine the machine names and the three it does not
 * use) against the table of directories.md §5, written out here independently of the class under test.
 */
class TaskStateMachineTest {

    /** The legal transitions, and nothing else: "from -> to by ACTOR". */
    private static final Set<String> LEGAL = Set.of(
            "requested -> accepted by PERFORMER",
            "requested -> rejected by PERFORMER",
            "accepted -> in-progress by PERFORMER",
            "accepted -> on-hold by PERFORMER",
            "accepted -> completed by PERFORMER",
            "accepted -> failed by PERFORMER",
            "accepted -> cancelled by PERFORMER",
            "in-progress -> on-hold by PERFORMER",
            "in-progress -> completed by PERFORMER",
            "in-progress -> failed by PERFORMER",
            "in-progress -> cancelled by PERFORMER",
            "on-hold -> in-progress by PERFORMER",
            "on-hold -> completed by PERFORMER",
            "on-hold -> failed by PERFORMER",
            "on-hold -> cancelled by PERFORMER",
            "requested -> entered-in-error by REQUESTER",
            "accepted -> entered-in-error by REQUESTER",
            "rejected -> entered-in-error by REQUESTER",
            "in-progress -> entered-in-error by REQUESTER",
            "on-hold -> entered-in-error by REQUESTER",
            "completed -> entered-in-error by REQUESTER",
            "failed -> entered-in-error by REQUESTER",
            "cancelled -> entered-in-error by REQUESTER");

    private static List<TaskStatus> everyStatus() {
        return Arrays.stream(TaskStatus.values()).filter(s -> s != TaskStatus.NULL).toList();
    }

    static Stream<Arguments> everyTransition() {
        List<Arguments> all = new ArrayList<>();
        for (TaskStatus from : everyStatus()) {
            for (TaskStatus to : everyStatus()) {
                for (Actor actor : Actor.values()) {
                    all.add(Arguments.of(from.toCode(), to.toCode(), actor,
                            LEGAL.contains(from.toCode() + " -> " + to.toCode() + " by " + actor)));
                }
            }
        }
        return all.stream();
    }

    @Test
    void theTableCoversTwelveStatusesBothActorsAndTwentyThreeLegalMoves() {
        assertThat(everyTransition()).hasSize(12 * 12 * 2);
        assertThat(everyTransition().filter(a -> (boolean) a.get()[3])).hasSize(LEGAL.size()).hasSize(23);
    }

    @ParameterizedTest(name = "{0} -> {1} by {2}: legal {3}")
    @MethodSource("everyTransition")
    void everyTransitionIsAllowedExactlyWhenTheTableSaysSo(String fromCode, String toCode, Actor actor, boolean legal) {
        TaskStatus from = TaskStatus.fromCode(fromCode);
        TaskStatus to = TaskStatus.fromCode(toCode);

        assertThat(TaskStateMachine.allows(from, to, actor)).isEqualTo(legal);
        assertThat(TaskStateMachine.targets(from, actor).contains(to)).isEqualTo(legal);
        if (legal) {
            assertThat(TaskStateMachine.check(from, to, actor)).isEmpty();
        } else {
            Problem problem = TaskStateMachine.check(from, to, actor).orElseThrow();
            assertThat(problem.severity()).isEqualTo(IssueSeverity.ERROR);
            assertThat(problem.code()).isEqualTo(IssueType.BUSINESSRULE);
            assertThat(problem.expression()).isEqualTo("Task.status");
            assertThat(problem.diagnostics()).startsWith("Task is " + fromCode + "; ")
                    .contains(" cannot move it to " + toCode + " (");
        }
    }

    @Test
    void aFinalStatusNamesItselfAsFinal() {
        assertThat(TaskStateMachine.check(TaskStatus.COMPLETED, TaskStatus.INPROGRESS, Actor.PERFORMER))
                .map(Problem::diagnostics)
                .contains("Task is completed; a referral event cannot move it to in-progress"
                        + " (completed is final: only the requester may mark it entered-in-error)");
        assertThat(TaskStateMachine.check(TaskStatus.ENTEREDINERROR, TaskStatus.COMPLETED, Actor.REQUESTER))
                .map(Problem::diagnostics)
                .contains("Task is entered-in-error; the requester cannot move it to completed (entered-in-error is final)");
    }

    @Test
    void onlyTheRequesterMarksATaskEnteredInError() {
        assertThat(TaskStateMachine.check(TaskStatus.INPROGRESS, TaskStatus.ENTEREDINERROR, Actor.PERFORMER))
                .map(Problem::diagnostics)
                .contains("Task is in-progress; a referral event cannot move it to entered-in-error"
                        + " (only the requester may mark a Task entered-in-error)");
    }

    @Test
    void anIllegalMoveFromAnOpenStatusListsTheLegalOnes() {
        assertThat(TaskStateMachine.check(TaskStatus.REQUESTED, TaskStatus.INPROGRESS, Actor.PERFORMER))
                .map(Problem::diagnostics)
                .contains("Task is requested; a referral event cannot move it to in-progress"
                        + " (from requested a referral event may move it only to accepted or rejected)");
        assertThat(TaskStateMachine.check(TaskStatus.INPROGRESS, TaskStatus.COMPLETED, Actor.REQUESTER))
                .map(Problem::diagnostics)
                .contains("Task is in-progress; the requester cannot move it to completed"
                        + " (from in-progress the requester may move it only to entered-in-error)");
    }

    @Test
    void statusesTheMachineDoesNotUseAreNamedAsSuch() {
        assertThat(TaskStateMachine.check(TaskStatus.DRAFT, TaskStatus.REQUESTED, Actor.REQUESTER))
                .map(Problem::diagnostics)
                .contains("Task is draft; the requester cannot move it to requested"
                        + " (draft is not a status of the referral state machine)");
        assertThat(TaskStateMachine.check(TaskStatus.ACCEPTED, TaskStatus.READY, Actor.PERFORMER))
                .map(Problem::diagnostics)
                .hasValueSatisfying(d -> assertThat(d).contains("ready is not a status of the referral state machine"));
    }

    @Test
    void nullsAreRefusedNotThrown() {
        assertThat(TaskStateMachine.allows(null, TaskStatus.ACCEPTED, Actor.PERFORMER)).isFalse();
        assertThat(TaskStateMachine.allows(TaskStatus.REQUESTED, null, Actor.PERFORMER)).isFalse();
        assertThat(TaskStateMachine.allows(TaskStatus.REQUESTED, TaskStatus.ACCEPTED, null)).isFalse();
        assertThat(TaskStateMachine.check(null, TaskStatus.ACCEPTED, Actor.PERFORMER)).isPresent();
    }

    @Test
    void finalStatusesAreExactlyTheFiveTerminalOnes() {
        assertThat(TaskStateMachine.FINAL).containsExactlyInAnyOrder(TaskStatus.COMPLETED, TaskStatus.REJECTED,
                TaskStatus.CANCELLED, TaskStatus.FAILED, TaskStatus.ENTEREDINERROR);
        for (TaskStatus status : TaskStateMachine.FINAL) {
            assertThat(TaskStateMachine.targets(status, Actor.PERFORMER)).as(status.toCode()).isEmpty();
        }
    }
}
