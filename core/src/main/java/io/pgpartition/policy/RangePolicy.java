package io.pgpartition.policy;

import io.pgpartition.PartitionDefinitionException;
import io.pgpartition.annotations.Expiry;
import io.pgpartition.annotations.RangePartitions;
import io.pgpartition.model.PartitionStrategy;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * How a range-partitioned table's partitions are laid out and kept, from {@link RangePartitions} or built in code.
 *
 * @param interval         width of one partition
 * @param premake          partitions kept ready ahead of the current one
 * @param retention        how long partitions are kept; empty keeps them forever
 * @param onExpiry         what retention does with an expired partition
 * @param naming           name of each partition
 * @param defaultPartition whether a default partition catches rows no other partition accepts
 * @param zone             time zone in which period boundaries are computed
 */
public record RangePolicy(PartitionInterval interval, int premake, Optional<PartitionInterval> retention,
                          Expiry onExpiry, NamingPattern naming, boolean defaultPartition, ZoneId zone) implements PartitionPolicy {

    private static final String ANNOTATION = "@RangePartitions";
    /** The most partitions premake keeps ahead. */
    public static final int MAX_PREMAKE = 1000;

    public RangePolicy {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(onExpiry, "onExpiry");
        Objects.requireNonNull(naming, "naming");
        Objects.requireNonNull(zone, "zone");
        if (premake < 0 || premake > MAX_PREMAKE) {
            throw new PartitionDefinitionException(ANNOTATION, "premake", Integer.toString(premake),
                    "a premake from 0 to " + MAX_PREMAKE + " (partitions kept ahead of the current one)");
        }
        if (retention.isPresent() && retention.get().isTime() != interval.isTime()) {
            throw new PartitionDefinitionException(ANNOTATION, "retention", retention.get().toString(),
                    "a retention measured like the interval (" + interval + "): "
                            + (interval.isTime() ? "a count of days, weeks, months, quarters or years" : "an integer step"));
        }
        naming.requireDistinctNames(PartitionStrategy.RANGE, interval, ANNOTATION, "naming");
    }

    /**
     * Reads and checks the annotation's text.
     *
     * @throws PartitionDefinitionException on the first text that cannot be understood
     */
    public static RangePolicy from(RangePartitions annotation) {
        PartitionInterval interval = PartitionInterval.parse(annotation.interval(), ANNOTATION, "interval");
        Optional<PartitionInterval> retention = annotation.retention().isBlank()
                ? Optional.empty()
                : Optional.of(PartitionInterval.parse(annotation.retention(), ANNOTATION, "retention"));
        NamingPattern naming = NamingPattern.parse(annotation.naming(), ANNOTATION, "naming");
        return new RangePolicy(interval, annotation.premake(), retention, annotation.onExpiry(), naming,
                annotation.defaultPartition(), zone(annotation.zone()));
    }

    /** Parses a time zone such as {@code UTC} or {@code Europe/Berlin}. */
    public static ZoneId zone(String text) {
        try {
            return ZoneId.of(text.trim());
        } catch (DateTimeException | NullPointerException e) {
            throw new PartitionDefinitionException(ANNOTATION, "zone", String.valueOf(text),
                    "a time zone ID such as 'UTC', 'Europe/Berlin' or 'America/New_York'");
        }
    }

    @Override
    public <R> R match(Cases<R> cases) {
        return cases.range(this);
    }

    @Override
    public PartitionStrategy strategy() {
        return PartitionStrategy.RANGE;
    }
}
