package io.pgpartition.cli;

import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.catalog.CatalogSnapshot;
import io.pgpartition.model.TableName;
import io.pgpartition.report.LayoutText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.sql.Connection;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code pgpartition report}: the partition layout of the database's partitioned tables.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Print the partition layout: key, partitions with their bounds, gaps, missing hash remainders.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:Reported.", "1:The database refused, a named table is not a partitioned table, or a table's "
                + "bounds could not be read (the others are reported).",
                "2:Invalid command-line usage."})
final class ReportCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-t", "--table"}, paramLabel = "TABLE",
            description = "Table to report, as name or schema.name; repeatable. Default: every partitioned table.")
    List<String> tables;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        try (Connection db = connection.open()) {
            CatalogReader reader = new CatalogReader();
            CatalogSnapshot snapshot = tables == null || tables.isEmpty()
                    ? reader.readAllPartitioned(db)
                    : reader.read(db, tables.stream().map(TableName::parse).toList());
            spec.commandLine().getOut().print(LayoutText.render(snapshot));
            spec.commandLine().getOut().flush();
            int exit = snapshot.unreadableTables().isEmpty() ? 0 : 1;
            for (String table : tables == null ? List.<String>of() : tables) {
                TableName name = TableName.parse(table);
                boolean unreadable = snapshot.unreadableTables().keySet().stream().anyMatch(u -> u.name().equals(name.name())
                        && (name.schema() == null || name.schema().equals(u.schema())));
                if (!unreadable && snapshot.partitionedTable(name).isEmpty()) {
                    spec.commandLine().getErr().println("pgpartition: " + table + " is not a partitioned table in this "
                            + "database (missing, or a plain table). Check the name and the schema: schema.table.");
                    exit = 1;
                }
            }
            spec.commandLine().getErr().flush();
            return exit;
        }
    }
}
