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
        description = "Print the partition layout: key, partitions with their bounds, gaps, missing hash remainders.")
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
        }
        return 0;
    }
}
