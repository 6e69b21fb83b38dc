package io.pgpartition.cli;

import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.catalog.CatalogSnapshot;
import io.pgpartition.maintenance.MaintenanceFinding;
import io.pgpartition.maintenance.MaintenancePolicy;
import io.pgpartition.maintenance.RecordedPolicies;
import io.pgpartition.maintenance.PartitionMaintenance;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.TableName;
import io.pgpartition.report.PartitionHealth;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code pgpartition check}: for cron and monitoring, whether partitions reach the premake horizon and whether default
 * partitions hold rows.
 */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check partitioned tables for monitoring: with a policy (--interval, --list or --hash-modulus), that "
                + "every partition it wants from now to the premake horizon exists and no gap is left; always, that no default "
                + "partition holds rows, no partition is left DETACH PENDING and no table that retention detached waits for "
                + "its drop or archive, and that a partition other than the default holds the current time (for a key of "
                + "one date or timestamp column), and that the connection's role and database do not force generic plans "
                + "(plan_cache_mode = force_generic_plan, which plans every prepared statement for all partitions). Prints one line "
                + "per problem and OK when there is none. Changes nothing.",
                "",
                "Example: pgpartition check --url jdbc:postgresql://localhost/app --table chat_messages --interval '1 month' --premake 3"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:OK.", "1:The database refused.", "2:Invalid command-line usage.",
                "3:Partitions are missing for the horizon or in a gap, a default partition holds rows, a detach or a retention "
                        + "was left unfinished, the policy does not fit the table, or no partition but the default (or none) "
                        + "holds the current time, or plan_cache_mode forces generic plans."})
final class CheckCommand implements Callable<Integer> {

    /** Exit code when the check finds a problem. */
    static final int PROBLEM = 3;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    PolicyOptions policy;

    @Parameters(paramLabel = "TABLE", arity = "0..*",
            description = "Parent tables, as name or schema.name: the same as --table, which may be used instead or as well.")
    List<String> positionalTables = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        policy.tables.addAll(positionalTables);
        PrintWriter out = spec.commandLine().getOut();
        List<MaintenanceFinding> findings = new ArrayList<>();
        List<PartitionHealth> health;
        java.util.Optional<String> genericPlans;
        try (Connection db = connection.open()) {
            genericPlans = io.pgpartition.pruning.GenericPlans.forced(db);
            Instant now = policy.now(spec.commandLine());
            if (policy.hasPolicy()) {
                List<MaintenancePolicy> policies = RecordedPolicyOptions.policies(policy, spec.commandLine(), db, out, "");
                PartitionMaintenance maintenance = new PartitionMaintenance(policies, policy.options(spec.commandLine()));
                findings.addAll(maintenance.check(db, now));
                health = PartitionHealth.check(db, List.of(), policies, now);
            } else {
                // the tables with a recorded policy are checked against it, the others for what needs no policy
                List<TableName> named = policy.tables.stream().map(TableName::parse).toList();
                List<RecordedPolicies.Recorded> recorded = RecordedPolicies.read(db, named);
                List<MaintenancePolicy> policies = RecordedPolicyOptions.fromRecorded(recorded, spec.commandLine(), out, "");
                if (!policies.isEmpty()) {
                    findings.addAll(new PartitionMaintenance(policies, policy.options(spec.commandLine())).check(db, now));
                }
                Set<TableName> withPolicy = recorded.stream().map(RecordedPolicies.Recorded::table).collect(Collectors.toSet());
                List<String> without = policy.tables.stream().filter(text -> recorded.stream()
                        .noneMatch(r -> RecordedPolicyOptions.names(r.table(), TableName.parse(text)))).toList();
                List<TableName> roots = new ArrayList<>();
                if (named.isEmpty() || !without.isEmpty()) {
                    policy.tables.retainAll(without);
                    defaultRows(db, roots).stream().filter(finding -> !withPolicy.contains(finding.table())).forEach(findings::add);
                    roots.removeAll(withPolicy);
                }
                health = PartitionHealth.check(db, roots, policies, now);
            }
        }
        List<MaintenanceFinding> problems = findings.stream().filter(f -> f.kind().isProblem()).toList();
        findings.forEach(out::println);
        // what only the health check sees (the current time held by no partition, or only by the default one)
        Set<String> said = findings.stream().map(MaintenanceFinding::message).collect(Collectors.toSet());
        List<String> unhealthy = new ArrayList<>();
        for (PartitionHealth table : health) {
            table.problems().stream().filter(problem -> !said.contains(problem))
                    .forEach(problem -> unhealthy.add("[" + table.status() + "] " + problem));
        }
        unhealthy.forEach(out::println);
        genericPlans.ifPresent(problem -> out.println("[" + io.pgpartition.ProblemCode.GENERIC_PLANS_FORCED + "] " + problem));
        boolean fine = problems.isEmpty() && health.stream().allMatch(h -> h.status() == PartitionHealth.Status.OK) && genericPlans.isEmpty();
        if (fine) {
            out.println("OK");
        }
        out.flush();
        return fine ? 0 : PROBLEM;
    }

    /**
     * Without a policy: the default partitions holding rows, at every level of the named tables' trees or of every
     * partitioned table, partitions left detach pending and tables retention detached and did not drop or archive, and
     * the tables whose layout cannot be read.
     */
    private List<MaintenanceFinding> defaultRows(Connection db, List<TableName> roots) throws Exception {
        CatalogReader reader = new CatalogReader();
        CatalogSnapshot snapshot = policy.tables.isEmpty() ? reader.readAllPartitioned(db)
                : reader.read(db, policy.tables.stream().map(TableName::parse).toList());
        snapshot.rootPartitionedTables().forEach(table -> roots.add(table.name()));
        List<MaintenanceFinding> findings = new ArrayList<>();
        for (String text : policy.tables) {
            notCheckable(snapshot, TableName.parse(text)).ifPresent(findings::add);
        }
        findings.addAll(PartitionMaintenance.defaultPartitionRows(db, snapshot.allPartitionedTables()));
        Set<TableName> named = snapshot.allPartitionedTables().stream().map(PartitionedTable::name).collect(Collectors.toSet());
        PartitionMaintenance.interrupted(db).stream().filter(f -> policy.tables.isEmpty() || named.contains(f.table()))
                .forEach(findings::add);
        snapshot.unreadableTables().forEach((table, reason) -> findings.add(new MaintenanceFinding(MaintenanceFinding.Kind.UNREADABLE,
                table, java.util.Optional.empty(), "Table " + table + " is not checked: " + reason)));
        return findings;
    }

    /**
     * Why a table named with {@code --table} cannot be checked: it does not exist, or it is no partitioned table (a
     * plain table, a view, a partition of another table); empty for a partitioned table. A mistyped name must not
     * leave a monitor green.
     */
    private static java.util.Optional<MaintenanceFinding> notCheckable(CatalogSnapshot snapshot, TableName name) {
        java.util.Optional<io.pgpartition.catalog.Relation> relation = snapshot.relation(name);
        if (relation.isEmpty()) {
            return java.util.Optional.of(new MaintenanceFinding(MaintenanceFinding.Kind.TABLE_MISSING, name, java.util.Optional.empty(), "Table " + name
                    + " does not exist, so it is not checked. Fix: name a partitioned table as it is spelled in the database, "
                    + "schema-qualified where it is not on the search_path (a name holding a dot in double quotes: "
                    + "-t 'public.\"my.table\"'); pgpartition report lists them all."));
        }
        io.pgpartition.catalog.Relation found = relation.get();
        if (found.isPartition()) {
            TableName root = found.root().orElseGet(() -> found.parent().orElseThrow());
            return java.util.Optional.of(new MaintenanceFinding(MaintenanceFinding.Kind.TABLE_MISSING, found.name(), java.util.Optional.empty(), "Table "
                    + found.name() + " is a partition of " + found.parent().orElseThrow() + ", so it is not checked on its own. "
                    + "Fix: check its partitioned table: -t " + root + "."));
        }
        if (!found.isPartitioned()) {
            return java.util.Optional.of(new MaintenanceFinding(MaintenanceFinding.Kind.TABLE_MISSING, found.name(), java.util.Optional.empty(), "Table "
                    + found.name() + " is " + describe(found.kind()) + ", not a partitioned table, so there is nothing to check. "
                    + "Fix: name a partitioned table; pgpartition report lists them all."));
        }
        return java.util.Optional.empty();
    }

    private static String describe(io.pgpartition.catalog.RelationKind kind) {
        return switch (kind) {
            case TABLE -> "a plain table";
            case VIEW -> "a view";
            case MATERIALIZED_VIEW -> "a materialized view";
            case FOREIGN_TABLE -> "a foreign table";
            case PARTITIONED_TABLE -> "a partitioned table";
            case OTHER -> "not a table";
        };
    }
}
