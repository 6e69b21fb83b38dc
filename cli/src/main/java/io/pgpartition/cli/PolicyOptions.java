package io.pgpartition.cli;

import io.pgpartition.PartitionDefinitionException;
import io.pgpartition.PartitioningException;
import io.pgpartition.annotations.Expiry;
import io.pgpartition.maintenance.MaintenanceOptions;
import io.pgpartition.maintenance.MaintenancePolicy;
import io.pgpartition.model.PartitionStrategy;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.HashPolicy;
import io.pgpartition.policy.ListPartitionSpec;
import io.pgpartition.policy.ListPolicy;
import io.pgpartition.policy.NamingPattern;
import io.pgpartition.policy.PartitionInterval;
import io.pgpartition.policy.PartitionPolicy;
import io.pgpartition.policy.RangePolicy;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The maintenance policy of the tables a command works on, written as options: the same policy
 * {@code @RangePartitions}, {@code @ListPartition} and {@code @HashPartitions} declare on entities.
 */
final class PolicyOptions {

    @Option(names = {"-t", "--table"}, paramLabel = "TABLE", description = "Parent table, as name or schema.name; repeatable. "
            + "Every table named gets the same policy.")
    List<String> tables = new ArrayList<>();

    @Option(names = "--interval", paramLabel = "INTERVAL", description = "Range partitions: width of one partition, such as "
            + "'1 day', '1 week', '1 month', '3 months', '1 year' (or daily, weekly, monthly, quarterly, yearly), or an integer "
            + "step such as 100000 for a numeric key.")
    String interval;

    @Option(names = "--premake", paramLabel = "N", defaultValue = "3",
            description = "Range partitions kept ready after the current one (default: ${DEFAULT-VALUE}).")
    int premake;

    @Option(names = "--retention", paramLabel = "RETENTION", description = "How long range partitions are kept, such as "
            + "'12 months'; a partition whose upper bound is older than now minus this expires. Default: kept forever.")
    String retention;

    @Option(names = "--on-expiry", paramLabel = "ACTION", defaultValue = "detach", description = "What happens to an expired "
            + "partition: detach (kept as a plain table), drop, archive (moved to the archive schema), or columnar (kept attached, "
            + "rewritten to Citus' columnar access method). Default: ${DEFAULT-VALUE}.")
    String onExpiry;

    /** The default of {@code --naming}. */
    static final String DEFAULT_NAMING = "{table}_p{yyyy}{MM}{dd}";

    @Option(names = "--naming", paramLabel = "PATTERN", defaultValue = DEFAULT_NAMING, description = "Partition "
            + "names, from {table}, {yyyy}, {MM}, {dd}, {q}, {ww}, {value} (numeric lower bound), {remainder} (hash). "
            + "Default: ${DEFAULT-VALUE}; for hash partitions {table}_h{remainder}.")
    String naming;

    @Option(names = "--zone", paramLabel = "ZONE", defaultValue = "UTC",
            description = "Time zone in which period boundaries and 'now' are computed (default: ${DEFAULT-VALUE}).")
    String zone;

    @Option(names = "--default-partition", description = "Keep a default partition ({table}_default) for rows no other takes.")
    boolean defaultPartition;

    @Option(names = "--archive-schema", paramLabel = "SCHEMA",
            description = "Where --on-expiry archive moves partitions. Default: the parent's schema followed by _archive.")
    String archiveSchema;

    @Option(names = "--fill-gaps", description = "Also create the partitions missing in the past (gaps are always reported).")
    boolean fillGaps;

    @Option(names = "--rescue-default", description = "Empty the default partition: create a partition for every period "
            + "holding rows there, wherever it lies (beyond --premake, in a gap), and move the rows into it.")
    boolean rescueDefault;

    @Option(names = "--list", paramLabel = "NAME=VALUE[,VALUE...]", description = "List partitions: a partition and the "
            + "values it holds, such as content_items_auto=auto; repeatable.")
    List<String> lists = new ArrayList<>();

    @Option(names = "--hash-modulus", paramLabel = "N", description = "Hash partitions: the number of partitions.")
    Integer hashModulus;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "2s", description = "lock_timeout of each "
            + "statement: the longest the application's writes queue behind maintenance (default: ${DEFAULT-VALUE}; convert: 200ms).")
    String lockTimeout;

    @Option(names = "--attempts", paramLabel = "N", defaultValue = "5",
            description = "Tries per action when a lock times out, with growing pauses between (default: ${DEFAULT-VALUE}).")
    int attempts;

    @Option(names = "--at", paramLabel = "INSTANT", description = "Plan for this time instead of now, such as 2026-12-01T00:00:00Z.")
    String at;

    /** Whether any option says which partitions a table should have. */
    boolean hasPolicy() {
        return interval != null || !lists.isEmpty() || hashModulus != null;
    }

    /**
     * The policies the options describe, one per table.
     *
     * @throws CommandLine.ParameterException naming the option, its value and what is expected
     */
    List<MaintenancePolicy> policies(CommandLine commandLine) {
        if (tables.isEmpty()) {
            throw new CommandLine.ParameterException(commandLine, "Missing TABLE: name the parent table(s), as arguments or with --table");
        }
        int strategies = (interval != null ? 1 : 0) + (lists.isEmpty() ? 0 : 1) + (hashModulus != null ? 1 : 0);
        if (strategies != 1) {
            throw new CommandLine.ParameterException(commandLine, "Give exactly one of --interval (range), --list (list) or "
                    + "--hash-modulus (hash) to say which partitions " + String.join(", ", tables) + " should have");
        }
        if (defaultPartition && interval == null) {
            throw new CommandLine.ParameterException(commandLine, "--default-partition applies to range policies (--interval); "
                    + "a " + (hashModulus != null ? "hash" : "list") + " policy does not create one. For a list table, create it "
                    + "yourself: CREATE TABLE <table>_default PARTITION OF <table> DEFAULT");
        }
        if (rescueDefault && interval == null) {
            throw new CommandLine.ParameterException(commandLine, "--rescue-default applies to range policies (--interval). "
                    + "A list table's default partition is emptied by declaring a partition for its values (--list NAME=VALUE)");
        }
        List<MaintenancePolicy> policies = new ArrayList<>();
        for (String table : tables) {
            try {
                TableName name = TableName.parse(table);
                MaintenancePolicy policy = interval != null ? MaintenancePolicy.range(name, range())
                        : hashModulus != null ? MaintenancePolicy.hash(name, new HashPolicy(hashModulus,
                        NamingPattern.parse(naming.equals("{table}_p{yyyy}{MM}{dd}") ? "{table}_h{remainder}" : naming, "--naming", "naming")))
                        : MaintenancePolicy.list(name, list(name));
                if (archiveSchema != null) {
                    policy = policy.withArchiveSchema(archiveSchema);
                }
                policies.add(policy.withGapsFilled(fillGaps).withDefaultRescued(rescueDefault));
            } catch (PartitionDefinitionException e) {
                throw new CommandLine.ParameterException(commandLine, "Invalid " + optionFor(e.getAttribute()) + " \""
                        + e.getText() + "\": expected " + e.getExpected());
            } catch (PartitioningException e) {
                throw new CommandLine.ParameterException(commandLine, e.getMessage());
            }
        }
        return policies;
    }

    /**
     * The layout of a table converted with {@code --by STRATEGY(column)}: the range options for range, {@code --list}
     * for list, {@code --hash-modulus} for hash.
     *
     * @throws CommandLine.ParameterException naming the option that is missing or wrong
     */
    PartitionPolicy policyFor(TableName table, PartitionStrategy strategy, CommandLine commandLine) {
        try {
            return switch (strategy) {
                case RANGE -> {
                    if (interval == null) {
                        throw new CommandLine.ParameterException(commandLine, "Missing --interval: a range conversion needs the width "
                                + "of a partition, such as --interval '1 month'");
                    }
                    yield range();
                }
                case LIST -> {
                    if (lists.isEmpty()) {
                        throw new CommandLine.ParameterException(commandLine, "Missing --list: a list conversion needs its partitions, "
                                + "such as --list '{table}_auto=auto'");
                    }
                    yield list(table);
                }
                case HASH -> {
                    if (hashModulus == null) {
                        throw new CommandLine.ParameterException(commandLine, "Missing --hash-modulus: a hash conversion needs the "
                                + "number of partitions, such as --hash-modulus 8");
                    }
                    yield new HashPolicy(hashModulus, NamingPattern.parse(naming.equals("{table}_p{yyyy}{MM}{dd}")
                            ? "{table}_h{remainder}" : naming, "--naming", "naming"));
                }
            };
        } catch (PartitionDefinitionException e) {
            throw new CommandLine.ParameterException(commandLine, "Invalid " + optionFor(e.getAttribute()) + " \""
                    + e.getText() + "\": expected " + e.getExpected());
        } catch (PartitioningException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }

    private RangePolicy range() {
        Optional<PartitionInterval> kept = retention == null ? Optional.empty()
                : Optional.of(PartitionInterval.parse(retention, "--retention", "retention"));
        return new RangePolicy(PartitionInterval.parse(interval, "--interval", "interval"), premake, kept, expiry(),
                NamingPattern.parse(naming, "--naming", "naming"), defaultPartition, RangePolicy.zone(zone));
    }

    private ListPolicy list(TableName table) {
        List<ListPartitionSpec> specs = new ArrayList<>();
        for (String spec : lists) {
            int equals = spec.indexOf('=');
            if (equals <= 0 || equals == spec.length() - 1) {
                throw new PartitionDefinitionException("--list", "list", spec, "NAME=VALUE[,VALUE...], such as content_items_auto=auto");
            }
            specs.add(new ListPartitionSpec(spec.substring(0, equals).replace("{table}", table.name()),
                    Arrays.stream(spec.substring(equals + 1).split(",")).map(String::trim).toList()));
        }
        return new ListPolicy(specs);
    }

    private Expiry expiry() {
        try {
            return Expiry.valueOf(onExpiry.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new PartitionDefinitionException("--on-expiry", "onExpiry", onExpiry, "detach, drop, archive or columnar");
        }
    }

    /** Options that only a command which changes tables uses (maintain); {@code check} accepts them unlisted. */
    static final List<String> CHANGING_ONLY = List.of("--retention", "--on-expiry", "--archive-schema", "--fill-gaps", "--rescue-default",
            "--lock-timeout", "--attempts");

    MaintenanceOptions options(CommandLine commandLine) {
        return options(commandLine, MaintenanceOptions.DEFAULTS.lockTimeout());
    }

    /** The lock options, with {@code unlessGiven} as the lock timeout when {@code --lock-timeout} is not given. */
    MaintenanceOptions options(CommandLine commandLine, Duration unlessGiven) {
        try {
            Duration timeout = commandLine.getParseResult().hasMatchedOption("--lock-timeout")
                    ? MaintenanceOptions.parseDuration(lockTimeout, "--lock-timeout") : unlessGiven;
            if (attempts < 1) {
                throw new CommandLine.ParameterException(commandLine, "Invalid --attempts " + attempts + ": expected 1 or more");
            }
            return MaintenanceOptions.DEFAULTS.withLockTimeout(timeout.isZero() ? Duration.ofMillis(1) : timeout).withAttempts(attempts);
        } catch (PartitioningException e) {
            throw new CommandLine.ParameterException(commandLine, e.getMessage());
        }
    }

    Instant now(CommandLine commandLine) {
        if (at == null) {
            return Instant.now();
        }
        try {
            return Instant.parse(at.trim());
        } catch (DateTimeParseException e) {
            throw new CommandLine.ParameterException(commandLine, "Invalid --at \"" + at + "\": expected an instant such as 2026-12-01T00:00:00Z");
        }
    }

    /** The option a policy attribute comes from, for messages. */
    private static String optionFor(String attribute) {
        return switch (attribute) {
            case "interval" -> "--interval";
            case "retention" -> "--retention";
            case "naming" -> "--naming";
            case "zone" -> "--zone";
            case "premake" -> "--premake";
            case "modulus" -> "--hash-modulus";
            case "onExpiry" -> "--on-expiry";
            case "archiveSchema" -> "--archive-schema";
            default -> "--" + attribute;
        };
    }
}
