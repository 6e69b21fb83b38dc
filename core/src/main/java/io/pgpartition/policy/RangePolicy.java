package io.pgpartition.policy;

import io.pgpartition.PartitionDefinitionException;
import io.pgpartition.annotations.Expiry;
import io.pgpartition.annotations.RangePartitions;
import io.pgpartition.model.PartitionStrategy;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

    /**
     * A policy built in code, starting from the interval's text ({@code "1 month"}, {@code "3 months"}, {@code "1 day"},
     * {@code "100000"} for a numeric key) with {@link RangePartitions}' defaults for the rest:
     * {@code RangePolicy.every("1 month").premake(2).retention("12 months").onExpiry(Expiry.DROP).build()}.
     *
     * @throws PartitionDefinitionException when the interval cannot be read
     */
    public static Builder every(String interval) {
        return new Builder(PartitionInterval.parse(interval, BUILDER, "interval"));
    }

    /** {@code every("1 day")}. */
    public static Builder daily() {
        return every("1 day");
    }

    /** {@code every("1 month")}. */
    public static Builder monthly() {
        return every("1 month");
    }

    /** {@code every("1 year")}. */
    public static Builder yearly() {
        return every("1 year");
    }

    private static final String BUILDER = "RangePolicy";

    /** Builds a {@link RangePolicy}; each text is read (and refused) as the annotation's attribute of that name is. */
    public static final class Builder {
        private final PartitionInterval interval;
        private int premake = 3;
        private Optional<PartitionInterval> retention = Optional.empty();
        private Expiry onExpiry = Expiry.DETACH;
        private NamingPattern naming;
        private boolean defaultPartition;
        private ZoneId zone = ZoneOffset.UTC;

        private Builder(PartitionInterval interval) {
            this.interval = interval;
        }

        /** Partitions kept ready ahead of the current one (default 3). */
        public Builder premake(int partitions) {
            this.premake = partitions;
            return this;
        }

        /** How long partitions are kept, such as {@code "12 months"}; none by default (kept forever). */
        public Builder retention(String kept) {
            this.retention = Optional.of(PartitionInterval.parse(kept, BUILDER, "retention"));
            return this;
        }

        /** What retention does with an expired partition (default {@link Expiry#DETACH}). */
        public Builder onExpiry(Expiry expiry) {
            this.onExpiry = Objects.requireNonNull(expiry, "expiry");
            return this;
        }

        /**
         * The partitions' names, such as {@code "{table}_y{yyyy}m{MM}"}; by default {@code "{table}_p{yyyy}{MM}{dd}"}
         * for a time interval and {@code "{table}_p{value}"} for a numeric one.
         */
        public Builder naming(String pattern) {
            this.naming = NamingPattern.parse(pattern, BUILDER, "naming");
            return this;
        }

        /** Whether a default partition catches rows no other partition accepts (default false). */
        public Builder defaultPartition(boolean create) {
            this.defaultPartition = create;
            return this;
        }

        /** The time zone period boundaries are computed in, such as {@code "Europe/Berlin"} (default UTC). */
        public Builder zone(String id) {
            try {
                this.zone = RangePolicy.zone(id);
            } catch (PartitionDefinitionException e) {
                throw renamed(e);
            }
            return this;
        }

        /**
         * The policy.
         *
         * @throws PartitionDefinitionException when the values do not fit together (a premake out of range, a
         *                                      retention measured unlike the interval, names that would repeat)
         */
        public RangePolicy build() {
            NamingPattern names = naming != null ? naming : NamingPattern.parse(interval.isTime() ? "{table}_p{yyyy}{MM}{dd}"
                    : "{table}_p{value}", BUILDER, "naming");
            try {
                return new RangePolicy(interval, premake, retention, onExpiry, names, defaultPartition, zone);
            } catch (PartitionDefinitionException e) {
                throw renamed(e);
            }
        }

        /** The refusal as the builder's: {@code RangePolicy(attribute = ...)} rather than the annotation's. */
        private static PartitionDefinitionException renamed(PartitionDefinitionException e) {
            return new PartitionDefinitionException(BUILDER, e.getAttribute(), e.getText(), e.getExpected());
        }
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
    public List<String> commandLineOptions() {
        List<String> options = new ArrayList<>(List.of("--interval", interval.toString(), "--premake", Integer.toString(premake),
                "--naming", naming.pattern()));
        if (defaultPartition) {
            options.add("--default-partition");
        }
        if (!zone.normalized().equals(ZoneOffset.UTC)) {
            options.addAll(List.of("--zone", zone.getId()));
        }
        return options;
    }

    /** The options of {@code pgpartition maintain} that say how long partitions are kept and what then; empty when forever. */
    public List<String> retentionOptions() {
        return retention.map(kept -> List.of("--retention", kept.toString(), "--on-expiry", onExpiry.name().toLowerCase(Locale.ROOT)))
                .orElse(List.of());
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
