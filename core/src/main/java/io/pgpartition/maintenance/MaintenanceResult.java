package io.pgpartition.maintenance;

import io.pgpartition.model.TableName;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a maintenance run did: the actions that ran, and the findings it reports, including actions it gave up on.
 *
 * @param at       the time the run planned for
 * @param applied  the actions that ran to completion, in order
 * @param findings what was found and left, and what could not be done
 */
public record MaintenanceResult(Instant at, List<Applied> applied, List<MaintenanceFinding> findings) {

    /**
     * One action that ran.
     *
     * @param action    the action
     * @param rowsMoved rows moved out of the default partition into the new one
     * @param attempts  how many tries it took (more than one when a lock timed out)
     * @param took      how long it took, waits included
     */
    public record Applied(MaintenanceAction action, long rowsMoved, int attempts, Duration took) {
    }

    public MaintenanceResult {
        Objects.requireNonNull(at, "at");
        applied = List.copyOf(applied);
        findings = List.copyOf(findings);
    }

    /** The partitions created (the default partition included). */
    public List<TableName> created() {
        return partitions(MaintenanceAction.Kind.CREATE, MaintenanceAction.Kind.CREATE_DEFAULT);
    }

    /** The partitions detached and kept as plain tables. */
    public List<TableName> detached() {
        return partitions(MaintenanceAction.Kind.DETACH);
    }

    /** The partitions dropped. */
    public List<TableName> dropped() {
        return partitions(MaintenanceAction.Kind.DROP);
    }

    /** The partitions moved to an archive schema (by their name before the move). */
    public List<TableName> archived() {
        return partitions(MaintenanceAction.Kind.ARCHIVE);
    }

    /** Rows moved out of default partitions, in all. */
    public long rowsMoved() {
        return applied.stream().mapToLong(Applied::rowsMoved).sum();
    }

    /** The findings of one kind. */
    public List<MaintenanceFinding> findings(MaintenanceFinding.Kind kind) {
        return findings.stream().filter(f -> f.kind() == kind).toList();
    }

    /** Whether every action of the plan ran: nothing was given up and nothing failed. */
    public boolean isComplete() {
        return findings.stream().noneMatch(f -> f.kind() == MaintenanceFinding.Kind.GAVE_UP
                || f.kind() == MaintenanceFinding.Kind.FAILED);
    }

    private List<TableName> partitions(MaintenanceAction.Kind... kinds) {
        List<MaintenanceAction.Kind> wanted = List.of(kinds);
        return applied.stream().map(Applied::action).filter(a -> wanted.contains(a.kind())).map(MaintenanceAction::partition).toList();
    }
}
