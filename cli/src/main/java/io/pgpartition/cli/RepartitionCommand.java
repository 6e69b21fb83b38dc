package io.pgpartition.cli;

import io.pgpartition.PartitioningException;
import io.pgpartition.conversion.ConversionSpec;
import io.pgpartition.maintenance.MaintenanceOptions;
import io.pgpartition.maintenance.RecordedPolicies;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.RangePolicy;
import io.pgpartition.reshape.PartitionReshape;
import io.pgpartition.reshape.ReshapeSpec;
import io.pgpartition.reshape.ReshapeStatus;
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
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code pgpartition repartition split | merge | drain | status | rollback | cleanup TABLE [PARTITION...]}: reshapes the
 * partitions of a partitioned table while the application keeps writing through it.
 */
@Command(name = "repartition", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reshape the partitions of a partitioned table, online. split TABLE PARTITION --interval I: one partition "
                + "into partitions of a narrower interval that tile it. merge TABLE PARTITION...: adjacent partitions into one. drain "
                + "TABLE: the default partition's rows into new partitions of the table's interval (or --interval); the default "
                + "partition stays, empty. Each creates the new partitions beside the table, logs every write with a trigger, "
                + "copies the rows in batches, replays the logged writes, compares counts and checksums per new partition and "
                + "swaps them in with one short lock; run again to resume after any interruption. status: where it stands. "
                + "rollback: undo it, before or after the swap. cleanup --confirm: drop the replaced partitions kept since the swap.",
                "",
                "Example: pgpartition repartition split orders orders_p20261201 --interval '1 day' --url jdbc:postgresql://localhost/app"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:Done.", "1:The database refused, or the reshape is refused or stopped; the message says how to go on.",
                "2:Invalid command-line usage; nothing was changed."})
final class RepartitionCommand implements Callable<Integer> {

    enum Step { split, merge, drain, status, rollback, cleanup }

    @Parameters(index = "0", paramLabel = "STEP", description = "split, merge, drain, status, rollback or cleanup")
    Step step;

    @Parameters(index = "1", paramLabel = "TABLE", description = "The partitioned table, as name or schema.name.")
    String table;

    @Parameters(index = "2..*", paramLabel = "PARTITION", description = "split: the partition to split; merge: the partitions to merge.")
    List<String> partitions = new ArrayList<>();

    @Option(names = "--interval", paramLabel = "INTERVAL", description = "split and drain: the width of the new partitions, such as "
            + "'1 day' (drain: by default the table's recorded policy's, else the width of most of its partitions).")
    String interval;

    @Option(names = "--naming", paramLabel = "PATTERN", description = "split and drain: the names of the new partitions (default: "
            + ReshapeSpec.DEFAULT_NAMING + "; drain: the recorded policy's).")
    String naming;

    @Option(names = "--name", paramLabel = "NAME", description = "merge: the merged partition's name (default: <table>_p<from>_<to>).")
    String name;

    @Option(names = "--older-than", paramLabel = "AGE", description = "merge, instead of naming partitions: archive by age — every "
            + "period of --into that ended at least AGE ago (such as '3 months') and whose partitions tile it is merged into one, "
            + "each merge cleaned up before the next.")
    String olderThan;

    @Option(names = "--into", paramLabel = "INTERVAL", description = "merge --older-than: the period partitions are merged into, such "
            + "as '3 months' (quarters) or '1 year'.")
    String into;

    @Option(names = "--zone", paramLabel = "ZONE", description = "The time zone periods of a timestamptz key begin in (default: UTC, "
            + "or the recorded policy's).")
    String zone;

    @Mixin
    CopyOptions copy;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "200ms", description = "lock_timeout of the statements "
            + "that lock the table or a partition (the swap above all): the longest writers queue behind them (default: ${DEFAULT-VALUE}).")
    String lockTimeout;

    @Option(names = "--attempts", paramLabel = "N", defaultValue = "5",
            description = "Tries per step when its lock times out, with growing pauses between (default: ${DEFAULT-VALUE}).")
    int attempts;

    @Option(names = "--dry-run", description = "split, merge, drain: print the SQL of every step and change nothing.")
    boolean dryRun;

    @Option(names = "--confirm", description = "cleanup: yes, drop the replaced partitions.")
    boolean confirm;

    @Mixin
    ConnectionOptions connection;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CommandLine commandLine = spec.commandLine();
        PrintWriter out = commandLine.getOut();
        TableName name = TableName.parse(table);
        MaintenanceOptions options = options(commandLine);
        Duration between = copy.pause(commandLine);
        int batchSize = copy.batchSize(commandLine);
        switch (step) {
            case split -> {
                if (partitions.size() != 1) {
                    throw new CommandLine.ParameterException(commandLine, "split takes one partition: repartition split TABLE PARTITION "
                            + "--interval '1 day'" + (partitions.isEmpty() ? "" : "; got " + partitions.size()));
                }
                if (interval == null) {
                    throw new CommandLine.ParameterException(commandLine, "Missing --interval: the width of the partitions "
                            + partitions.get(0) + " is split into, such as --interval '1 day'");
                }
            }
            case merge -> {
                if (olderThan != null || into != null) {
                    if (olderThan == null || into == null || !partitions.isEmpty() || this.name != null) {
                        throw new CommandLine.ParameterException(commandLine, "merge by age takes --older-than and --into, and no "
                                + "partition nor --name: repartition merge TABLE --older-than '3 months' --into '3 months'");
                    }
                } else if (partitions.size() < 2) {
                    throw new CommandLine.ParameterException(commandLine, "merge takes the partitions to merge, two or more: "
                            + "repartition merge TABLE PARTITION PARTITION...");
                }
            }
            default -> {
                if (!partitions.isEmpty()) {
                    throw new CommandLine.ParameterException(commandLine, step + " takes the table alone: repartition " + step
                            + " TABLE; unexpected " + String.join(" ", partitions));
                }
            }
        }
        if (step == Step.cleanup && !confirm && !dryRun) {
            throw new CommandLine.ParameterException(commandLine, "cleanup drops the partitions the reshape replaced for good: add "
                    + "--confirm once the new ones are trusted");
        }
        try (Connection db = connection.open()) {
            ConvertCommand.Progress progress = new ConvertCommand.Progress(out, System.console() != null);
            switch (step) {
                case merge -> {
                    if (olderThan != null) {
                        return mergeByAge(db, name, options, between, progress, out, commandLine);
                    }
                    run(db, reshapeSpec(db, name, commandLine, out).withBatchSize(batchSize).withPause(between).withOptions(options),
                            progress, out);
                }
                case split, drain -> {
                    ReshapeSpec reshape = reshapeSpec(db, name, commandLine, out).withBatchSize(batchSize).withPause(between)
                            .withOptions(options);
                    run(db, reshape, progress, out);
                }
                case status -> out.println(PartitionReshape.status(db, name).describe());
                case rollback -> PartitionReshape.rollback(db, name, options, progress);
                case cleanup -> PartitionReshape.cleanup(db, name, options, progress);
            }
            out.flush();
            return 0;
        }
    }

    private void run(Connection db, ReshapeSpec reshape, ConvertCommand.Progress progress, PrintWriter out) {
        if (dryRun) {
            out.print(new PartitionReshape(reshape).plan(db).script());
        } else {
            ReshapeStatus status = new PartitionReshape(reshape).run(db, progress);
            out.println(status.describe());
            out.println("next: check the new partitions, then pgpartition repartition cleanup " + table + " --confirm (or rollback)");
        }
    }

    /** Every merge that archives the table by age, each run and cleaned up before the next (printed only with --dry-run). */
    private int mergeByAge(Connection db, TableName name, MaintenanceOptions options, Duration between, ConvertCommand.Progress progress,
                           PrintWriter out, CommandLine commandLine) {
        List<ReshapeSpec> merges;
        try {
            merges = PartitionReshape.archiveMerges(db, name, olderThan, into, naming != null ? naming : ReshapeSpec.DEFAULT_NAMING,
                    zone != null ? zone(commandLine, zone) : ZoneId.of("UTC"), java.time.Instant.now());
        } catch (PartitioningException | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
        if (merges.isEmpty()) {
            out.println(table + ": no period of " + into + " that ended " + olderThan + " ago or more has two or more partitions "
                    + "tiling it: nothing to merge");
        }
        for (ReshapeSpec merge : merges) {
            ReshapeSpec reshape = merge.withBatchSize(copy.batchSize).withPause(between).withOptions(options);
            if (dryRun) {
                out.print(new PartitionReshape(reshape).plan(db).script());
                continue;
            }
            out.println(new PartitionReshape(reshape).run(db, progress).describe());
            PartitionReshape.cleanup(db, name, options, progress);
        }
        out.flush();
        return 0;
    }

    private ReshapeSpec reshapeSpec(Connection db, TableName name, CommandLine commandLine, PrintWriter out) {
        Optional<RecordedPolicies.Recorded> recorded = step == Step.drain ? RecordedPolicies.read(db, name) : Optional.empty();
        String recordedInterval = recorded.flatMap(r -> value(r.options(), "--interval")).orElse(null);
        String recordedNaming = recorded.flatMap(r -> value(r.options(), "--naming")).orElse(null);
        String recordedZone = recorded.flatMap(r -> value(r.options(), "--zone")).orElse(null);
        ZoneId periodsIn = zone != null ? zone(commandLine, zone) : recordedZone != null ? zone(commandLine, recordedZone) : ZoneId.of("UTC");
        try {
            ReshapeSpec reshape = switch (step) {
                case split -> ReshapeSpec.split(name, TableName.parse(partitions.get(0)), interval);
                case merge -> ReshapeSpec.merge(name, partitions.stream().map(TableName::parse).toList());
                default -> {
                    String width = interval;
                    if (width == null && recordedInterval != null) {
                        width = recordedInterval;
                        out.println("no --interval: drained by the recorded policy's --interval '" + width + "'");
                    }
                    if (width == null) {
                        width = PartitionReshape.intervalOf(db, name, periodsIn).orElseThrow(() -> new CommandLine.ParameterException(
                                commandLine, "Missing --interval: " + table + " has no recorded policy, and its partitions show no one "
                                + "width; give the width of the new partitions, such as --interval '1 month'"));
                        out.println("no --interval: drained by the width of most of its partitions, --interval '" + width + "'");
                    }
                    yield ReshapeSpec.drain(name, width);
                }
            };
            String pattern = naming != null ? naming : step == Step.drain ? recordedNaming : null;
            if (pattern != null) {
                reshape = reshape.withNaming(pattern);
            }
            if (this.name != null) {
                reshape = reshape.withName(this.name);
            }
            return reshape.withZone(periodsIn);
        } catch (PartitioningException | IllegalArgumentException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }

    private static Optional<String> value(List<String> options, String option) {
        int at = options.indexOf(option);
        return at >= 0 && at + 1 < options.size() ? Optional.of(options.get(at + 1)) : Optional.empty();
    }

    private static ZoneId zone(CommandLine commandLine, String text) {
        try {
            return RangePolicy.zone(text);
        } catch (RuntimeException e) {
            throw new CommandLine.ParameterException(commandLine, "Invalid --zone \"" + text + "\": " + e.getMessage());
        }
    }

    private MaintenanceOptions options(CommandLine commandLine) {
        if (attempts < 1) {
            throw new CommandLine.ParameterException(commandLine, "Invalid --attempts " + attempts + ": expected 1 or more");
        }
        Duration timeout = duration(commandLine, lockTimeout, "--lock-timeout");
        return ConversionSpec.DEFAULT_OPTIONS.withLockTimeout(timeout.isZero() ? Duration.ofMillis(1) : timeout).withAttempts(attempts);
    }

    private static Duration duration(CommandLine commandLine, String text, String option) {
        try {
            return MaintenanceOptions.parseDuration(text, option);
        } catch (PartitioningException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }
}
