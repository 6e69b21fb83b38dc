package io.pgpartition.guard;

import io.pgpartition.model.TableName;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the server guard looks like in the database now, per partitioned root table: what is missing or not as the
 * guard installs it, each with the statements that repair it, and the statements that remove the guard.
 *
 * @param roots    the partitioned root tables looked at, in name order
 * @param detached the statements that remove the guard's triggers from tables that are no longer partitions
 * @param refused  roots no trigger can guard (Citus tables), each with why and what keeps their rows instead; they are
 *                 not among {@code roots}, and {@code install} refuses them before running anything
 */
public record GuardState(List<Root> roots, List<String> detached, List<Refused> refused) {

    public GuardState {
        roots = List.copyOf(roots);
        detached = List.copyOf(detached);
        refused = List.copyOf(refused);
    }

    /** The state of roots that can all be guarded. */
    public GuardState(List<Root> roots, List<String> detached) {
        this(roots, detached, List.of());
    }

    /**
     * A root the guard cannot be installed on.
     *
     * @param name   the root
     * @param reason why, and what keeps its rows instead, naming the table
     */
    public record Refused(TableName name, String reason) {

        public Refused {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * One partitioned root table.
     *
     * @param name       the root
     * @param partitions its partitions at every level, by depth then name
     * @param gaps       what is missing or not as the guard installs it, in the order of their repair
     * @param removal    the statements that remove every trigger of the guard from the tree
     */
    public record Root(TableName name, List<TableName> partitions, List<Gap> gaps, List<String> removal) {

        public Root {
            Objects.requireNonNull(name, "name");
            partitions = List.copyOf(partitions);
            gaps = List.copyOf(gaps);
            removal = List.copyOf(removal);
        }
    }

    /**
     * One thing missing or wrong.
     *
     * @param table   the table it is on
     * @param problem what is wrong and what is not refused because of it, naming the table
     * @param repair  the statements {@code install} runs to repair it; empty when only the application can (the
     *                problem then says how)
     */
    public record Gap(TableName table, String problem, List<String> repair) {

        public Gap {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(problem, "problem");
            repair = List.copyOf(repair);
        }
    }

    /** Every gap of every root, one line each naming the table. */
    public List<String> gaps() {
        List<String> lines = new ArrayList<>();
        roots.forEach(root -> root.gaps().forEach(gap -> lines.add(gap.problem())));
        return lines;
    }

    /** The gaps that {@code install} cannot repair, one line each. */
    public List<String> unrepairable() {
        List<String> lines = new ArrayList<>();
        roots.forEach(root -> root.gaps().stream().filter(gap -> gap.repair().isEmpty()).forEach(gap -> lines.add(gap.problem())));
        return lines;
    }

    /** Whether every root looked at is fully guarded. */
    public boolean complete() {
        return refused.isEmpty() && roots.stream().allMatch(root -> root.gaps().isEmpty());
    }
}
