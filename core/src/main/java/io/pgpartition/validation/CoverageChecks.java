package io.pgpartition.validation;

import io.pgpartition.PartitioningException;
import io.pgpartition.ProblemCode;
import io.pgpartition.ddl.PartitionDdl;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.ColumnType;
import io.pgpartition.model.DefaultBound;
import io.pgpartition.model.HashBound;
import io.pgpartition.model.ListBound;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionBound;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.RangeBound;
import io.pgpartition.policy.HashPolicy;
import io.pgpartition.policy.NamingPattern;
import io.pgpartition.policy.PartitionDefinition;
import io.pgpartition.policy.RangePolicy;
import io.pgpartition.policy.TimeInterval;
import io.pgpartition.policy.TimeUnit;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The checks that a table's partitions take the rows its entity writes: every list value has a partition, the current
 * time has one, every hash remainder has one; each problem comes with the DDL of the missing partition, named and
 * bounded as the entity's policy would make it.
 */
final class CoverageChecks {

    /** Where problems go: {@code what is wrong; found X, expected Y. Fix: ...}. */
    interface Reporter {
        void report(ProblemCode code, String what, String found, String expected, String fix);
    }

    private static final TimeInterval DEFAULT_INTERVAL = new TimeInterval(1, TimeUnit.MONTH);
    private static final String DEFAULT_RANGE_NAMING = "{table}_p{yyyy}{MM}{dd}";

    private final EntityMapping entity;
    private final Clock clock;
    private final Reporter report;

    CoverageChecks(EntityMapping entity, Clock clock, Reporter report) {
        this.entity = entity;
        this.clock = clock;
        this.report = report;
    }

    void listValues(PartitionDefinition definition, PartitionedTable table) {
        if (table.defaultPartition().isPresent()) {
            return;
        }
        ColumnType type = table.key().parts().get(0).type();
        Map<Object, String> values = new LinkedHashMap<>();
        definition.list().ifPresent(policy -> policy.partitions().forEach(spec ->
                spec.values().forEach(text -> values.putIfAbsent(typed(type, text), spec.name()))));
        entity.listValues().forEach(value -> values.putIfAbsent(typed(type, value), null));
        String covered = table.partitions().stream().map(Partition::bound).filter(b -> b instanceof ListBound)
                .flatMap(b -> ((ListBound) b).values().stream()).map(Sql::literal).collect(Collectors.joining(", "));
        for (Map.Entry<Object, String> value : values.entrySet()) {
            Object key = value.getKey();
            boolean representable = !(key instanceof Unrepresentable);
            if (representable && table.accepts(key)) {
                continue;
            }
            String shown = representable ? Sql.literal(key) : Sql.literal(((Unrepresentable) key).text());
            String fix = representable
                    ? ddl(table, listPartitionName(table, value.getValue(), key), ListBound.of(key))
                    : "ALTER TYPE " + type.sqlName() + " ADD VALUE " + shown + "; " + ddl(table,
                    listPartitionName(table, value.getValue(), ((Unrepresentable) key).text()), ListBound.of(((Unrepresentable) key).text()));
            report.report(ProblemCode.LIST_VALUE_UNCOVERED, "value " + shown + " of " + keyAttributeName()
                            + " has no partition and the table has no default partition",
                    "partitions for (" + covered + ")", "one for " + shown, fix);
        }
    }

    void nowCovered(PartitionDefinition definition, PartitionedTable table) {
        if (table.key().size() != 1 || !table.key().parts().get(0).type().isTemporal()) {
            return;
        }
        ZoneId zone = definition.range().map(RangePolicy::zone).orElse(ZoneOffset.UTC);
        Object now = table.key().parts().get(0).type().valueAt(clock.instant(), zone);
        if (table.accepts(now)) {
            return;
        }
        List<Partition> ordered = table.orderedPartitions();
        String coverage = ordered.isEmpty() ? "no range partitions"
                : "partitions from " + PartitionDdl.rangeValues(((RangeBound) ordered.get(0).bound()).from())
                + " to " + PartitionDdl.rangeValues(((RangeBound) ordered.get(ordered.size() - 1).bound()).to());
        LocalDate today = LocalDate.now(clock.withZone(zone));
        report.report(ProblemCode.RANGE_NOW_UNCOVERED, "no partition holds the current time and the table has no default partition",
                coverage, "one holding " + today + " (" + zone + ")", currentPeriodDdl(definition, table));
    }

    void remainders(PartitionDefinition definition, PartitionedTable table) {
        List<HashBound> missing = table.missingRemainders();
        if (missing.isEmpty()) {
            return;
        }
        int modulus = missing.get(0).modulus();
        NamingPattern naming = definition.hash().map(HashPolicy::naming)
                .orElse(NamingPattern.parse("{table}_h{remainder}", "@HashPartitions", "naming"));
        report.report(ProblemCode.HASH_REMAINDER_MISSING, "remainder" + (missing.size() == 1 ? " " : "s ")
                        + missing.stream().map(b -> Integer.toString(b.remainder())).collect(Collectors.joining(", "))
                        + " of modulus " + modulus + " have no partition, so rows hashing there cannot be inserted",
                "partitions for " + (modulus - missing.size()) + " of " + modulus + " remainders", "all " + modulus,
                missing.stream().map(b -> ddl(table, naming.format(table.name().name(), NamingPattern.Token.REMAINDER,
                        Integer.toString(b.remainder())), b)).collect(Collectors.joining("; ")));
    }

    /** DDL that gives an empty table its first partitions, from the entity's policy where it has one. */
    List<String> firstPartitions(PartitionDefinition definition, PartitionedTable table) {
        List<String> statements = new ArrayList<>();
        switch (table.strategy()) {
            case RANGE -> {
                if (table.key().size() == 1 && table.key().parts().get(0).type().isTemporal()) {
                    statements.add(currentPeriodDdl(definition, table));
                }
            }
            case LIST -> {
                ColumnType type = table.key().parts().get(0).type();
                definition.list().ifPresent(policy -> policy.partitions().forEach(spec -> statements.add(
                        ddl(table, spec.name(), new ListBound(spec.values().stream().map(v -> typed(type, v)).toList())))));
            }
            case HASH -> {
                HashPolicy policy = definition.hash().orElse(
                        new HashPolicy(1, NamingPattern.parse("{table}_h{remainder}", "@HashPartitions", "naming")));
                for (int r = 0; r < policy.modulus(); r++) {
                    statements.add(ddl(table, policy.partitionName(table.name().name(), r), new HashBound(policy.modulus(), r)));
                }
            }
        }
        if (statements.isEmpty()) {
            statements.add(ddl(table, table.name().name() + "_default", DefaultBound.INSTANCE));
        }
        return statements;
    }

    private String currentPeriodDdl(PartitionDefinition definition, PartitionedTable table) {
        Optional<RangePolicy> policy = definition.range();
        TimeInterval interval = policy.map(RangePolicy::interval).filter(i -> i instanceof TimeInterval)
                .map(i -> (TimeInterval) i).orElse(DEFAULT_INTERVAL);
        ZoneId zone = policy.map(RangePolicy::zone).orElse(ZoneOffset.UTC);
        NamingPattern naming = policy.map(RangePolicy::naming).filter(n -> interval.equals(policy.get().interval()))
                .orElse(NamingPattern.parse(DEFAULT_RANGE_NAMING, "@RangePartitions", "naming"));
        LocalDate start = interval.periodStart(LocalDate.now(clock.withZone(zone)));
        RangeBound bound = interval.bound(start, table.key().parts().get(0).type().kind(), zone);
        return ddl(table, naming.format(table.name().name(), start), bound);
    }

    private String ddl(PartitionedTable table, String partitionName, PartitionBound bound) {
        try {
            return PartitionDdl.createPartitionOf(table.name(), table.name().sibling(partitionName), bound);
        } catch (PartitioningException e) {
            return "create a partition " + PartitionDdl.forValues(bound) + " under a shorter name (" + e.getMessage() + ")";
        }
    }

    private String listPartitionName(PartitionedTable table, String declared, Object value) {
        if (declared != null) {
            return declared;
        }
        String suffix = String.valueOf(value).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
        return table.name().name() + "_" + (suffix.isEmpty() ? "value" : suffix);
    }

    private String keyAttributeName() {
        return entity.keyAttributes().get(0).attribute();
    }


    /** A value that cannot be a key of the column's type, such as a Java enum constant missing from a PostgreSQL enum. */
    private record Unrepresentable(String text) {
    }

    private static Object typed(ColumnType type, Object value) {
        try {
            return value instanceof String text ? type.parse(text) : type.coerce(value);
        } catch (RuntimeException e) {
            try {
                return type.coerce(value);
            } catch (RuntimeException again) {
                return new Unrepresentable(String.valueOf(value));
            }
        }
    }
}
