package io.pgpartition.maintenance;

import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.guard.internal.GuardSql;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What maintenance would do at a given time: the ordered actions with their exact SQL, and what it found and only
 * reports. A plan runs nothing; {@link #script()} renders it for review or for a migration tool.
 *
 * @param at       the time the plan was made for
 * @param actions  the actions, in the order they run
 * @param findings what was found and is left as it is
 * @param options  the lock timeout the statements run with
 * @param settings what each transaction sets with {@code SET LOCAL} besides the lock timeout, in order: on Citus,
 *                 {@code citus.multi_shard_modify_mode = sequential}, without which DDL on a distributed table with a
 *                 foreign key to a reference table is refused after a statement that used several connections per node
 */
public record MaintenancePlan(Instant at, List<MaintenanceAction> actions, List<MaintenanceFinding> findings,
                             MaintenanceOptions options, Map<String, String> settings) {

    public MaintenancePlan {
        Objects.requireNonNull(at, "at");
        actions = List.copyOf(actions);
        findings = List.copyOf(findings);
        Objects.requireNonNull(options, "options");
        settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
    }

    /** A plan whose transactions set nothing but the lock timeout. */
    public MaintenancePlan(Instant at, List<MaintenanceAction> actions, List<MaintenanceFinding> findings, MaintenanceOptions options) {
        this(at, actions, findings, options, Map.of());
    }

    /** Whether there is nothing to do. */
    public boolean isEmpty() {
        return actions.isEmpty();
    }

    /** The findings of one kind. */
    public List<MaintenanceFinding> findings(MaintenanceFinding.Kind kind) {
        return findings.stream().filter(f -> f.kind() == kind).toList();
    }

    /** The actions of one kind. */
    public List<MaintenanceAction> actions(MaintenanceAction.Kind kind) {
        return actions.stream().filter(a -> a.kind() == kind).toList();
    }

    /**
     * The plan as a SQL script: each action as a comment line, then its statements (in a transaction with
     * {@code SET LOCAL lock_timeout} when it runs in one); findings as comments at the end. Runs as it stands in
     * {@code psql} or as a Flyway/Liquibase migration that allows non-transactional statements.
     */
    public String script() {
        StringBuilder script = new StringBuilder("-- pgpartition maintenance plan for ").append(at).append('\n');
        String timeout = Sql.literal(options.lockTimeoutSetting());
        if (actions.isEmpty()) {
            script.append("-- nothing to do\n");
        }
        for (MaintenanceAction action : actions) {
            script.append('\n').append("-- ").append(action.description()).append('\n');
            if (action.inTransaction()) {
                script.append("BEGIN;\nSET LOCAL lock_timeout = ").append(timeout).append(";\n");
                settings.forEach((name, value) -> script.append("SET LOCAL ").append(name).append(" = ").append(Sql.literal(value))
                        .append(";\n"));
                if (action.statements().stream().anyMatch(io.pgpartition.ddl.PartitionDdl::movesRows)) {
                    script.append("SET LOCAL ").append(GuardSql.BYPASS_SETTING).append(" = on; -- rows move between partitions\n");
                }
                action.statements().forEach(statement -> script.append(statement).append(";\n"));
                script.append("COMMIT;\n");
            } else {
                script.append("SET lock_timeout = ").append(timeout).append(";\n");
                action.statements().forEach(statement -> script.append(statement).append(";\n"));
                script.append("RESET lock_timeout;\n");
            }
        }
        if (!findings.isEmpty()) {
            script.append('\n');
            findings.forEach(finding -> script.append("-- ").append(finding.toString().replace("\n", "\n-- ")).append('\n'));
        }
        return script.toString();
    }
}
