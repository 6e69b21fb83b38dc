package io.pgpartition.cli;

import io.pgpartition.internal.ShellWords;
import io.pgpartition.maintenance.MaintenancePolicy;
import io.pgpartition.maintenance.RecordedPolicies;
import io.pgpartition.model.TableName;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintWriter;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * Which policies a command maintains or checks: those its options give (saying where they differ from what the
 * application recorded), else those the application recorded in the database for the named tables, or every recorded
 * one when none is named. Each recorded policy is read back through the same options, so that the command line
 * maintains what the application would.
 */
final class RecordedPolicyOptions {

    /** Reads one recorded policy's options as the command line reads its own. */
    @Command(name = "recorded")
    static final class Recorded {
        @Mixin
        PolicyOptions policy;
    }

    private RecordedPolicyOptions() {
    }

    /**
     * The policies, and a line per policy saying where it came from ({@code prefix} before each line: {@code "-- "} in
     * a SQL script).
     *
     * @throws CommandLine.ParameterException when no option gives a policy and none is recorded for a named table
     */
    static List<MaintenancePolicy> policies(PolicyOptions options, CommandLine commandLine, Connection db, PrintWriter out,
                                            String prefix) {
        return policies(options, options.hasPolicy() ? options.policies(commandLine) : List.of(), commandLine, db, out, prefix);
    }

    /** {@link #policies(PolicyOptions, CommandLine, Connection, PrintWriter, String)} with the options' policies read already. */
    static List<MaintenancePolicy> policies(PolicyOptions options, List<MaintenancePolicy> given, CommandLine commandLine,
                                            Connection db, PrintWriter out, String prefix) {
        if (!given.isEmpty()) {
            List<RecordedPolicies.Recorded> recorded = RecordedPolicies.read(db, given.stream().map(MaintenancePolicy::table).toList());
            for (MaintenancePolicy policy : given) {
                recorded.stream().filter(r -> names(r.table(), policy.table()) && !r.options().equals(policy.commandLineOptions()))
                        .findFirst().ifPresent(r -> out.println(prefix + "note: the options given for " + r.table()
                                + " differ from the policy the application recorded, and are used: " + r.describe()));
            }
            return given;
        }
        List<TableName> named = options.tables.stream().map(TableName::parse).toList();
        List<RecordedPolicies.Recorded> recorded = RecordedPolicies.read(db, named);
        List<String> missing = new ArrayList<>();
        for (TableName table : named) {
            if (recorded.stream().noneMatch(r -> names(r.table(), table))) {
                missing.add(table.toString());
            }
        }
        if (!missing.isEmpty() || recorded.isEmpty()) {
            throw new CommandLine.ParameterException(commandLine, "No policy options (--interval, --list or --hash-modulus) and no "
                    + "policy recorded in the database for " + (missing.isEmpty() ? "any table" : String.join(", ", missing))
                    + ": give the options, or start the application once with pgpartition.policies=record (the default), which "
                    + "records the policies its annotations declare");
        }
        return fromRecorded(recorded, commandLine, out, prefix);
    }

    /** The recorded policies read back through the options, each with a line saying where it came from. */
    static List<MaintenancePolicy> fromRecorded(List<RecordedPolicies.Recorded> recorded, CommandLine commandLine, PrintWriter out,
                                                String prefix) {
        List<MaintenancePolicy> policies = new ArrayList<>();
        for (RecordedPolicies.Recorded policy : recorded) {
            out.println(prefix + "policy from the database: " + policy.describe());
            policies.add(read(policy, commandLine));
        }
        return policies;
    }

    /** Whether a table, as named on the command line (perhaps unqualified), is the recorded table. */
    static boolean names(TableName recorded, TableName named) {
        return recorded.name().equals(named.name()) && (!named.isQualified() || recorded.equals(named));
    }

    private static MaintenancePolicy read(RecordedPolicies.Recorded recorded, CommandLine commandLine) {
        Recorded holder = new Recorded();
        CommandLine reader = new CommandLine(holder);
        List<String> args = new ArrayList<>(List.of("--table", "recorded"));
        args.addAll(recorded.options());
        try {
            reader.parseArgs(args.toArray(String[]::new));
            MaintenancePolicy parsed = holder.policy.policies(reader).get(0);
            return new MaintenancePolicy(recorded.table(), parsed.policy(), parsed.archiveSchema(), parsed.fillGaps(),
                    parsed.rescueDefault());
        } catch (CommandLine.ParameterException e) {
            throw new CommandLine.ParameterException(commandLine, "The policy recorded for " + recorded.table() + " cannot be read ("
                    + e.getMessage() + "): " + ShellWords.join(recorded.options()) + ". Give the options instead, or record it again "
                    + "by starting the application.");
        }
    }
}
