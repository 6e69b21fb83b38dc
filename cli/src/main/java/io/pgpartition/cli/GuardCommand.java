package io.pgpartition.cli;

import io.pgpartition.guard.GuardState;
import io.pgpartition.guard.ServerGuard;
import io.pgpartition.model.TableName;
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
 * {@code pgpartition guard install | verify | remove}: the server guard, triggers that refuse a changed partition key
 * and a direct write to a partition whoever sends it.
 */
@Command(name = "guard", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Install, verify or remove the server guard: a trigger on each partitioned table that refuses a "
                + "changed partition key (SQLSTATE PGP01), and one on each partition that refuses statements naming it "
                + "(SQLSTATE PGP02), for psql sessions, other services, DO blocks, functions and COPY alike. Rows routed "
                + "through the parent pass. A transaction may let its own writes through with SET LOCAL pgpartition.bypass = on "
                + "(a guard against mistakes, not access control).",
                "",
                "Example: pgpartition guard install --url jdbc:postgresql://localhost/app --table claim_line_items"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:Done (verify: every table is guarded).", "1:The database refused.", "2:Invalid command-line usage.",
                "3:verify: some table or partition is not guarded, or a trigger of the guard is not as installed; each is named. "
                        + "install: what only the application can repair (an own BEFORE UPDATE trigger firing after the guard)."})
final class GuardCommand implements Callable<Integer> {

    enum Action { install, verify, remove }

    @Parameters(index = "0", paramLabel = "ACTION", description = "install, verify or remove")
    Action action;

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-t", "--table"}, paramLabel = "TABLE",
            description = "A partitioned root table, schema-qualified or not; repeat for more. Default: every partitioned table.")
    List<String> tables = new ArrayList<>();

    @Parameters(index = "1..*", paramLabel = "TABLE", arity = "0..*",
            description = "Partitioned root tables: the same as --table, which may be used instead or as well.")
    List<String> positionalTables = new ArrayList<>();

    @Option(names = "--dry-run", description = "install and remove: print the SQL script instead of running it.")
    boolean dryRun;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        tables.addAll(positionalTables);
        PrintWriter out = spec.commandLine().getOut();
        ServerGuard guard = new ServerGuard();
        try (Connection db = connection.open()) {
            GuardState state = guard.read(db, tables.stream().map(TableName::parse).toList());
            if (state.roots().isEmpty() && state.refused().isEmpty()) {
                spec.commandLine().getErr().println("pgpartition: no partitioned table found to guard.");
                spec.commandLine().getErr().flush();
                return 1;
            }
            if (action == Action.verify) {
                List<String> gaps = state.gaps();
                gaps.forEach(gap -> out.println("[UNGUARDED] " + gap));
                state.refused().forEach(refused -> out.println("[UNGUARDABLE] " + refused.reason()));
                if (!state.refused().isEmpty()) {
                    out.flush();
                    return CheckCommand.PROBLEM;
                }
                if (gaps.isEmpty()) {
                    out.println("OK: " + state.roots().size() + " partitioned table" + (state.roots().size() == 1 ? "" : "s") + " guarded");
                } else if (gaps.size() > state.unrepairable().size()) {
                    out.println("Fix: pgpartition guard install" + tables.stream().map(t -> " --table " + t).reduce("", String::concat));
                }
                out.flush();
                return gaps.isEmpty() ? 0 : CheckCommand.PROBLEM;
            }
            List<String> statements = action == Action.install ? guard.installStatements(state)
                    : guard.removeStatements(state, tables.isEmpty());
            if (statements.isEmpty()) {
                out.println("nothing to do");
            } else if (dryRun) {
                out.println("BEGIN;");
                statements.forEach(statement -> out.println(statement + ";"));
                out.println("COMMIT;");
            } else {
                guard.run(db, statements);
                out.println((action == Action.install ? "guarded " : "unguarded ") + String.join(", ",
                        state.roots().stream().map(root -> root.name() + " (" + root.partitions().size() + " partition"
                                + (root.partitions().size() == 1 ? "" : "s") + ")").toList()));
            }
            if (action == Action.install && !state.unrepairable().isEmpty()) {
                state.unrepairable().forEach(gap -> out.println("[UNGUARDED] " + gap));
                out.flush();
                return CheckCommand.PROBLEM;
            }
            out.flush();
            return 0;
        }
    }
}
