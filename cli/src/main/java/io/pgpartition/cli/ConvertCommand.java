package io.pgpartition.cli;

import io.pgpartition.conversion.ConversionAnalysis;
import io.pgpartition.conversion.ConversionProgress;
import io.pgpartition.conversion.ConversionSpec;
import io.pgpartition.conversion.ConversionStatus;
import io.pgpartition.conversion.TableConversion;
import io.pgpartition.maintenance.MaintenanceOptions;
import io.pgpartition.model.PartitionStrategy;
import io.pgpartition.model.TableName;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.sql.Connection;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code pgpartition convert analyze | plan | run | status | rollback | cleanup TABLE}: converts a plain table into a
 * partitioned one while the application keeps writing to it.
 */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Convert a plain table into a partitioned one, online. analyze: can it be converted, and what changes "
                + "(exit 3 when it needs changes or is blocked). plan: the SQL of every step. run: create the partitioned twin, "
                + "log every write with a trigger, copy the rows in batches, replay the logged writes, compare counts and "
                + "checksums per partition, and swap the names in one short transaction; run again to resume after any "
                + "interruption. status: where it stands. rollback: undo it, before or after the swap (every write since the "
                + "swap is carried back, or the rollback refuses naming the row). cleanup --confirm: drop the original table "
                + "kept since the swap.",
                "",
                "Example: pgpartition convert run chat_messages --by 'range(created_at)' --interval '1 month' --premake 3 "
                        + "--naming '{table}_{yyyy}_{MM}' --url jdbc:postgresql://localhost/app"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:Done (analyze: safe to convert).", "1:The database refused, the conversion is blocked or stopped; the "
                + "message says how to go on.", "2:Invalid command-line usage; nothing was changed.",
                "3:analyze: the conversion needs changes or is blocked; each is printed."})
final class ConvertCommand implements Callable<Integer> {

    /** Options of {@link PolicyOptions} a conversion does not use; refused when given. */
    static final java.util.List<String> NOT_USED = java.util.List.of("--table", "--retention", "--on-expiry", "--archive-schema",
            "--fill-gaps", "--rescue-default");

    /** Exit code when analyze finds changes to review or blockers. */
    static final int NOT_SAFE = 3;

    enum Step { analyze, plan, run, status, rollback, cleanup }

    private static final Pattern BY = Pattern.compile("\\s*(range|list|hash)\\s*\\(\\s*(.+?)\\s*\\)\\s*", Pattern.CASE_INSENSITIVE);

    @Parameters(index = "0", paramLabel = "STEP", description = "analyze, plan, run, status, rollback or cleanup")
    Step step;

    @Parameters(index = "1", paramLabel = "TABLE", description = "The plain table, as name or schema.name.")
    String table;

    @Option(names = "--by", paramLabel = "STRATEGY(COLUMN)", description = "How to partition: range(column), list(column) or "
            + "hash(column). Needed by analyze, plan and run.")
    String by;

    @Mixin
    CopyOptions copy;

    @Option(names = "--foreign-keys", paramLabel = "ACTION", defaultValue = "refuse", description = "Foreign keys of other "
            + "tables referencing this one: refuse the conversion (default), or drop them at the swap and print each.")
    String foreignKeys;

    @Option(names = "--confirm", description = "cleanup: yes, drop the original table.")
    boolean confirm;

    @Mixin
    ConnectionOptions connection;

    @Mixin
    PolicyOptions policy;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLine commandLine = spec.commandLine();
        PrintWriter out = commandLine.getOut();
        for (String option : NOT_USED) {
            if (commandLine.getParseResult().hasMatchedOption(option)) {
                throw new CommandLine.ParameterException(commandLine, option + " does not apply to convert"
                        + (option.equals("--table") ? ", which takes the table as its second argument: convert " + step + " TABLE"
                        : ": retention is maintenance's; run pgpartition maintain after the conversion"));
            }
        }
        TableName name = TableName.parse(table);
        MaintenanceOptions options = policy.options(commandLine, ConversionSpec.DEFAULT_OPTIONS.lockTimeout());
        if (step == Step.cleanup && !confirm) {
            throw new CommandLine.ParameterException(commandLine, "cleanup drops the original table " + table + "_old for good: "
                    + "add --confirm once the partitioned table is validated");
        }
        boolean proposing = step == Step.analyze && policy.interval == null && by != null && BY.matcher(by).matches()
                && BY.matcher(by).replaceFirst("$1").equalsIgnoreCase("range");
        if (!proposing && (step == Step.analyze || step == Step.plan || step == Step.run)) {
            conversionSpec(name, options, commandLine);   // usage errors before connecting
        }
        try (Connection db = connection.open()) {
            String proposed = null;
            if (proposing) {
                proposed = "--interval '" + TableConversion.proposeInterval(db, name, column(BY.matcher(by))).orElse("1 month") + "'";
                policy.interval = proposed.substring(12, proposed.length() - 1);
                if (policy.interval.chars().allMatch(Character::isDigit) && policy.naming.equals(PolicyOptions.DEFAULT_NAMING)) {
                    policy.naming = "{table}_p{value}";
                    proposed += " --naming '" + policy.naming + "'";
                }
            }
            TableConversion conversion = switch (step) {
                case analyze, plan, run -> new TableConversion(conversionSpec(name, options, commandLine));
                default -> TableConversion.recorded(name, options);
            };
            switch (step) {
                case analyze -> {
                    ConversionAnalysis analysis = conversion.analyze(db, policy.now(commandLine));
                    if (proposed != null) {
                        out.println("No --interval given: analyzed with " + proposed + ", proposed from the keys present "
                                + "(what blocks does not depend on it; the partitions do).");
                    }
                    out.print(analysis.report());
                    out.flush();
                    return analysis.verdict() == ConversionAnalysis.Verdict.SAFE ? 0 : NOT_SAFE;
                }
                case plan -> out.print(conversion.plan(db, policy.now(commandLine)).script());
                case run -> {
                    ConversionStatus status = conversion.run(db, policy.now(commandLine), new Progress(out, System.console() != null));
                    out.println(status.describe());
                }
                case status -> {
                    ConversionStatus status = conversion.status(db);
                    if (status.phase() == ConversionStatus.Phase.NONE
                            && new io.pgpartition.catalog.CatalogReader().read(db, java.util.List.of(name)).relation(name).isEmpty()) {
                        commandLine.getErr().println("pgpartition: table " + table + " does not exist and no conversion of it is "
                                + "recorded. Check the name and the schema (schema.table).");
                        commandLine.getErr().flush();
                        return 1;
                    }
                    out.println(status.describe());
                }
                case rollback -> {
                    conversion.rollback(db);
                    out.println("rolled back the conversion of " + table + ": it is a plain table again");
                }
                case cleanup -> {
                    conversion.cleanup(db);
                    out.println("cleaned up: the original table, the change log and its triggers are dropped; " + table + " is partitioned");
                }
            }
            out.flush();
            return 0;
        }
    }

    private ConversionSpec conversionSpec(TableName name, MaintenanceOptions options, CommandLine commandLine) {
        if (by == null) {
            throw new CommandLine.ParameterException(commandLine, "Missing --by: say how to partition " + table
                    + ", such as --by 'range(created_at)', --by 'list(source_type)' or --by 'hash(tenant_id)'");
        }
        Matcher m = BY.matcher(by);
        if (!m.matches()) {
            throw new CommandLine.ParameterException(commandLine, "Invalid --by \"" + by + "\": expected range(column), list(column) "
                    + "or hash(column)");
        }
        PartitionStrategy strategy = PartitionStrategy.valueOf(m.group(1).toUpperCase(Locale.ROOT));
        String column = column(m);
        int batchSize = copy.batchSize(commandLine);
        ConversionSpec.ForeignKeys handling;
        try {
            handling = ConversionSpec.ForeignKeys.valueOf(foreignKeys.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, "Invalid --foreign-keys \"" + foreignKeys + "\": expected refuse or drop");
        }
        Duration between = copy.pause(commandLine);
        return new ConversionSpec(name, column, policy.policyFor(name, strategy, commandLine), batchSize, between, handling, options);
    }

    /** The column of a matched {@code --by}, unquoted when written in double quotes. */
    private static String column(Matcher m) {
        if (!m.matches()) {
            return "";
        }
        String written = m.group(2);
        return written.startsWith("\"") && written.endsWith("\"") && written.length() > 1
                ? written.substring(1, written.length() - 1).replace("\"\"", "\"") : written;
    }

    /** Progress as a bar redrawn in place on a terminal, or as a line every five seconds otherwise. */
    static final class Progress implements ConversionProgress {
        private final PrintWriter out;
        private final boolean terminal;
        private long lastLine;
        private boolean barShown;

        Progress(PrintWriter out, boolean terminal) {
            this.out = out;
            this.terminal = terminal;
        }

        @Override
        public void step(String line) {
            if (barShown) {
                out.println();
                barShown = false;
            }
            out.println(line);
            out.flush();
        }

        @Override
        public void copied(long rows, long total, Duration elapsed) {
            long now = System.nanoTime();
            if (!terminal && now - lastLine < Duration.ofSeconds(5).toNanos()) {
                return;
            }
            lastLine = now;
            double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
            long rate = Math.round(rows / seconds);
            long left = rate == 0 ? 0 : Math.max(total - rows, 0) / rate;
            String eta = String.format("%d:%02d:%02d", left / 3600, left / 60 % 60, left % 60);
            int percent = total == 0 ? 100 : (int) Math.min(100, rows * 100 / total);
            String figures = String.format(Locale.ROOT, "%,d of about %,d rows, %,d rows/s, ETA %s", rows, total, rate, eta);
            if (terminal) {
                int filled = percent * 30 / 100;
                out.print("\r[" + "#".repeat(filled) + ".".repeat(30 - filled) + "] " + percent + "% " + figures + "   ");
                barShown = true;
            } else {
                out.println("copied " + figures);
            }
            out.flush();
        }
    }
}
