package io.pgpartition.cli;

import io.pgpartition.maintenance.MaintenanceFinding;
import io.pgpartition.maintenance.MaintenancePolicy;
import io.pgpartition.maintenance.MaintenancePlan;
import io.pgpartition.maintenance.MaintenanceResult;
import io.pgpartition.maintenance.PartitionMaintenance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code pgpartition maintain}: creates the partitions a policy wants, rescues rows from the default partition, retires
 * expired partitions; or, with {@code --dry-run}, prints the SQL it would run.
 */
@Command(name = "maintain", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Create the partitions the policy wants from now to the premake horizon (standalone table, then "
                + "ATTACH: never an ACCESS EXCLUSIVE lock on the parent), move their rows out of the default partition, "
                + "and detach, drop, archive or rewrite to columnar the partitions past retention. Each statement runs with a lock timeout and is "
                + "retried with backoff; concurrent runs on the same table wait for each other. A second run does nothing.",
                "",
                "Example: pgpartition maintain --url jdbc:postgresql://localhost/app --table claim_line_items "
                        + "--interval '1 month' --premake 6 --naming '{table}_y{yyyy}m{MM}' --retention '24 months' "
                        + "--on-expiry archive --dry-run"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:Done (or, with --dry-run, planned).", "1:The database refused, an action was given up or failed, "
                + "a table is missing or does not fit the policy, or the policy could not be applied (a privilege missing, a "
                + "name taken, an overlap, an unreadable bound): each is printed.", "2:Invalid command-line usage; nothing was changed."})
final class MaintainCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Mixin
    PolicyOptions policy;

    @Parameters(paramLabel = "TABLE", arity = "0..*",
            description = "Parent tables, as name or schema.name: the same as --table, which may be used instead or as well.")
    List<String> positionalTables = new ArrayList<>();

    @Option(names = "--dry-run", description = "Print the SQL script maintenance would run, and change nothing.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        policy.tables.addAll(positionalTables);
        PrintWriter out = spec.commandLine().getOut();
        List<MaintenancePolicy> given = policy.hasPolicy() ? policy.policies(spec.commandLine()) : List.of();
        try (Connection db = connection.open()) {
            PartitionMaintenance maintenance = new PartitionMaintenance(RecordedPolicyOptions.policies(policy, given,
                    spec.commandLine(), db, out, dryRun ? "-- " : ""), policy.options(spec.commandLine()));
            if (dryRun) {
                MaintenancePlan plan = maintenance.plan(db, policy.now(spec.commandLine()));
                out.print(plan.script());
                out.flush();
                return plan.findings().stream().anyMatch(MaintainCommand::unfit) ? 1 : 0;
            }
            MaintenanceResult result = maintenance.apply(db, policy.now(spec.commandLine()));
            result.applied().forEach(done -> out.println(done.action().description()
                    + (done.rowsMoved() > 0 ? " (" + done.rowsMoved() + " rows moved)" : "")
                    + (done.attempts() > 1 ? " (attempt " + done.attempts() + ")" : "")));
            boolean failed = !result.isComplete() || result.findings().stream().anyMatch(MaintainCommand::unfit);
            if (result.applied().isEmpty() && !failed) {
                out.println("nothing to do");
            }
            for (MaintenanceFinding finding : result.findings()) {
                if (finding.kind() != MaintenanceFinding.Kind.HORIZON_SHORT) {
                    out.println(finding);
                }
            }
            out.flush();
            return failed ? 1 : 0;
        }
    }

    /**
     * What keeps the run from applying its policy: a table missing, not partitioned or not fitting its policy, and an
     * action not started because a privilege is missing, a name is taken, a partition would overlap, or a bound cannot
     * be read. A cron job or a Kubernetes CronJob should alarm on each, as on an action given up.
     */
    static boolean unfit(MaintenanceFinding finding) {
        return switch (finding.kind()) {
            case TABLE_MISSING, POLICY_MISMATCH, PRIVILEGE_MISSING, NAME_TAKEN, OVERLAP, UNREADABLE -> true;
            default -> false;
        };
    }
}
