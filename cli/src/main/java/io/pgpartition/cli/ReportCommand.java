package io.pgpartition.cli;

import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.catalog.CatalogSnapshot;
import io.pgpartition.maintenance.RecordedPolicies;
import io.pgpartition.model.TableName;
import io.pgpartition.report.LayoutText;
import io.pgpartition.report.PartitionReport;
import io.pgpartition.report.ReportHtml;
import io.pgpartition.report.ReportJson;
import io.pgpartition.report.ReportText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code pgpartition report}: the database's partitioned tables as text, JSON or a self-contained HTML page.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Report the partitioned tables: per table its key and partitions with bounds, rows, sizes (with "
                + "indexes and TOAST), rows in the default partition, how far ahead partitions reach, gaps; and the "
                + "partitions retention detached or archived.",
                "Example: pgpartition report --format html --output partitions.html --url jdbc:postgresql://db/app"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:Reported.", "1:The database refused, a named table is not a partitioned table, or a table's "
                + "bounds could not be read (the others are reported).",
                "2:Invalid command-line usage."})
final class ReportCommand implements Callable<Integer> {

    enum Format { text, json, html, layout }

    @Mixin
    ConnectionOptions connection;

    @Option(names = {"-t", "--table"}, paramLabel = "TABLE",
            description = "Table to report, as name or schema.name; repeatable. Default: every partitioned table.")
    List<String> tables;

    @Parameters(paramLabel = "TABLE", arity = "0..*",
            description = "Tables to report: the same as --table, which may be used instead or as well.")
    List<String> positionalTables = new ArrayList<>();

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default; aligned, human sizes), json (format pgpartition-report/1, schema "
                    + "io/pgpartition/report/report.schema.json), html (one self-contained page with a chart), or layout "
                    + "(bounds as DDL with primary keys, unique constraints and incoming foreign keys).")
    Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to this file instead of the "
            + "standard output (its path is printed).")
    Path output;

    @Option(names = "--exact", description = "Count every partition's rows (reads them all) instead of the planner's estimate.")
    boolean exact;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<String> named = new ArrayList<>(positionalTables);
        if (tables != null) {
            named.addAll(0, tables);
        }
        List<TableName> names = named.stream().map(TableName::parse).toList();
        java.util.Optional<String> unwritable = output == null ? java.util.Optional.empty() : unwritable(output);
        if (unwritable.isPresent()) {
            spec.commandLine().getErr().println("pgpartition: " + unwritable.get());
            spec.commandLine().getErr().flush();
            return 1;
        }
        String rendered;
        Map<TableName, String> unreadable;
        List<TableName> reported;
        Map<TableName, String> unfit;
        try (Connection db = connection.open()) {
            unfit = unfitNames(db, names);
            if (!names.isEmpty() && unfit.size() == names.size()) {
                unfit.values().forEach(problem -> spec.commandLine().getErr().println("pgpartition: " + problem));
                spec.commandLine().getErr().flush();
                return 1;
            }
            names = names.stream().filter(name -> !unfit.containsKey(name)).toList();
            if (format == Format.layout) {
                CatalogReader reader = new CatalogReader();
                CatalogSnapshot snapshot = names.isEmpty() ? reader.readAllPartitioned(db) : reader.read(db, names);
                rendered = LayoutText.render(snapshot);
                unreadable = snapshot.unreadableTables();
                reported = snapshot.allPartitionedTables().stream().map(t -> t.name()).toList();
            } else {
                PartitionReport report = PartitionReport.collect(db, names, exact, Instant.now());
                rendered = switch (format) {
                    case json -> ReportJson.render(report);
                    case html -> ReportHtml.render(report);
                    default -> ReportText.render(report) + recordedPolicies(db, report.tables().stream()
                            .map(PartitionReport.TableReport::name).toList());
                };
                unreadable = report.unreadable();
                reported = report.flattenedNames();
            }
        }
        if (output != null) {
            try {
                Files.writeString(output, rendered, StandardCharsets.UTF_8);
            } catch (IOException e) {
                spec.commandLine().getErr().println("pgpartition: cannot write the report to " + output + ": "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace(output + ": ", ""))
                        + ". Nothing was written; name another file with --output.");
                spec.commandLine().getErr().flush();
                return 1;
            }
            spec.commandLine().getOut().println("Report written to " + output.toAbsolutePath());
        } else {
            spec.commandLine().getOut().print(rendered);
        }
        spec.commandLine().getOut().flush();
        int exit = unreadable.isEmpty() && unfit.isEmpty() ? 0 : 1;
        unfit.values().forEach(problem -> spec.commandLine().getErr().println("pgpartition: " + problem));
        for (TableName name : names) {
            boolean matches = unreadable.keySet().stream().anyMatch(u -> same(u, name)) || reported.stream().anyMatch(r -> same(r, name));
            if (!matches) {
                spec.commandLine().getErr().println("pgpartition: " + name + " is not a partitioned table in this database. Check "
                        + "the name and the schema: schema.table.");
                exit = 1;
            }
        }
        spec.commandLine().getErr().flush();
        return exit;
    }

    private static boolean same(TableName found, TableName asked) {
        return found.name().equals(asked.name()) && (asked.schema() == null || asked.schema().equals(found.schema()));
    }

    /** Why the report cannot be written to {@code file}, before anything is read: a directory, or a missing one. */
    private static java.util.Optional<String> unwritable(Path file) {
        if (Files.isDirectory(file)) {
            return java.util.Optional.of("cannot write the report to " + file + ": it is a directory. Name a file in it: --output "
                    + file.resolve("report.html"));
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            return java.util.Optional.of("cannot write the report to " + file + ": directory " + parent + " does not exist. "
                    + "Create it first (mkdir -p " + parent + "), or name a file in a directory that exists.");
        }
        return java.util.Optional.empty();
    }

    /**
     * The names given with {@code --table} that are no partitioned table at the top of its tree, each with the line
     * that says so and what to name instead; they are left out of the report (a partition's parent is not reported
     * in its place).
     */
    private static Map<TableName, String> unfitNames(Connection db, List<TableName> names) throws java.sql.SQLException {
        if (names.isEmpty()) {
            return Map.of();
        }
        CatalogSnapshot snapshot = new CatalogReader().read(db, names);
        Map<TableName, String> problems = new java.util.LinkedHashMap<>();
        for (TableName name : names) {
            java.util.Optional<io.pgpartition.catalog.Relation> relation = snapshot.relation(name);
            if (relation.isEmpty()) {
                problems.put(name, name + " does not exist in this database. Check the name and the schema (schema.table; a name "
                        + "holding a dot in double quotes: -t 'public.\"my.table\"'); pgpartition report lists every partitioned table.");
            } else if (relation.get().isPartition()) {
                TableName root = relation.get().root().orElseGet(() -> relation.get().parent().orElseThrow());
                problems.put(name, relation.get().name() + " is a partition of " + relation.get().parent().orElseThrow()
                        + ", which the report shows with its partitions. Name its partitioned table: -t " + root);
            } else if (!relation.get().isPartitioned()) {
                problems.put(name, relation.get().name() + " is not a partitioned table (" + relation.get().kind().toString()
                        .toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + "). Name a partitioned table; pgpartition report "
                        + "lists them all.");
            }
        }
        return problems;
    }

    /**
     * The policies the application recorded for the reported tables (a constant number of statements per schema), as
     * the text report's last lines: which policy {@code maintain} and {@code check} use without options, and who
     * recorded it.
     */
    private static String recordedPolicies(Connection db, List<TableName> tables) {
        if (tables.isEmpty()) {
            return "";
        }
        List<RecordedPolicies.Recorded> recorded = RecordedPolicies.read(db, tables);
        if (recorded.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder("\npolicies recorded by the application (maintain and check use them without options)\n");
        recorded.forEach(policy -> text.append("  ").append(policy.describe()).append('\n'));
        return text.toString();
    }
}
