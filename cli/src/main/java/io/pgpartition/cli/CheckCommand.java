package io.pgpartition.cli;

import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.catalog.CatalogSnapshot;
import io.pgpartition.maintenance.MaintenanceFinding;
import io.pgpartition.maintenance.PartitionMaintenance;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.TableName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.sql.Connection;
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
                + "its drop or archive. Prints one line per problem and OK when there is none. Changes nothing.",
                "",
                "Example: pgpartition check --url jdbc:postgresql://localhost/app --table chat_messages --interval '1 month' --premake 3"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:OK.", "1:The database refused.", "2:Invalid command-line usage.",
                "3:Partitions are missing for the horizon or in a gap, a default partition holds rows, a detach or a retention "
                        + "was left unfinished, or the policy does not fit the table."})
final class CheckCommand implements Callable<Integer> {

    /** Exit code when the check finds a problem. */
    static final int PROBLEM = 3;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    PolicyOptions policy;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<MaintenanceFinding> findings = new ArrayList<>();
        try (Connection db = connection.open()) {
            if (policy.hasPolicy()) {
                PartitionMaintenance maintenance = new PartitionMaintenance(policy.policies(spec.commandLine()),
                        policy.options(spec.commandLine()));
                findings.addAll(maintenance.check(db, policy.now(spec.commandLine())));
            } else {
                findings.addAll(defaultRows(db));
            }
        }
        List<MaintenanceFinding> problems = findings.stream().filter(f -> f.kind().isProblem()).toList();
        findings.forEach(out::println);
        if (problems.isEmpty()) {
            out.println("OK");
        }
        out.flush();
        return problems.isEmpty() ? 0 : PROBLEM;
    }

    /**
     * Without a policy: the default partitions holding rows, at every level of the named tables' trees or of every
     * partitioned table, partitions left detach pending and tables retention detached and did not drop or archive, and
     * the tables whose layout cannot be read.
     */
    private List<MaintenanceFinding> defaultRows(Connection db) throws Exception {
        CatalogReader reader = new CatalogReader();
        CatalogSnapshot snapshot = policy.tables.isEmpty() ? reader.readAllPartitioned(db)
                : reader.read(db, policy.tables.stream().map(TableName::parse).toList());
        List<MaintenanceFinding> findings = new ArrayList<>(PartitionMaintenance.defaultPartitionRows(db, snapshot.allPartitionedTables()));
        Set<TableName> named = snapshot.allPartitionedTables().stream().map(PartitionedTable::name).collect(Collectors.toSet());
        PartitionMaintenance.interrupted(db).stream().filter(f -> policy.tables.isEmpty() || named.contains(f.table()))
                .forEach(findings::add);
        snapshot.unreadableTables().forEach((table, reason) -> findings.add(new MaintenanceFinding(MaintenanceFinding.Kind.UNREADABLE,
                table, java.util.Optional.empty(), "Table " + table + " is not checked: " + reason)));
        return findings;
    }
}
