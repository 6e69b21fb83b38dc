package io.pgpartition.report;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.catalog.CatalogSnapshot;
import io.pgpartition.ddl.PartitionDdl;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.maintenance.MaintenanceFinding;
import io.pgpartition.maintenance.MaintenancePolicy;
import io.pgpartition.maintenance.PartitionMaintenance;
import io.pgpartition.maintenance.internal.DefaultRows;
import io.pgpartition.maintenance.internal.MaintenanceReader;
import io.pgpartition.model.ColumnType;
import io.pgpartition.model.HashBound;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.RangeValue;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.RangePolicy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How one partitioned table stands at a given moment, for monitoring: whether a partition holds the current time, how
 * far ahead partitions exist, whether the default partition holds rows, and what its maintenance policy finds missing.
 *
 * <p>{@link Status#CRITICAL} means writes of current rows fail now (no partition and no default holds the current
 * time, a hash remainder has no partition, the table is gone); {@link Status#WARN} means they still succeed but the
 * table is not as it should be (fewer partitions ahead than the policy's premake, rows in the default partition, the
 * current time only in the default partition, a gap or an unfinished retention the policy finds).
 *
 * @param table           the partitioned table
 * @param status          the worst of its problems, {@link Status#OK} when it has none
 * @param partitions      its partitions, the default partition not counted
 * @param partitionsAhead for a table partitioned by one date or timestamp column: the partitions after the one holding
 *                        the current time, in the unbroken run that starts there; empty for other keys
 * @param coveredUntil    for such a table: where that run ends (exclusive); empty when no partition holds the current
 *                        time, and for other keys
 * @param defaultRows     the rows in its default partition; empty when it has none
 * @param problems        one sentence per problem, each naming the table and the way out
 */
public record PartitionHealth(TableName table, Status status, int partitions, OptionalInt partitionsAhead,
                              Optional<RangeValue> coveredUntil, OptionalLong defaultRows, List<String> problems) {

    /** How bad it is. */
    public enum Status {
        /** Nothing to do. */
        OK,
        /** Writes succeed, but the table needs maintenance or attention. */
        WARN,
        /** Some writes fail now. */
        CRITICAL
    }

    public PartitionHealth {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(partitionsAhead, "partitionsAhead");
        Objects.requireNonNull(coveredUntil, "coveredUntil");
        Objects.requireNonNull(defaultRows, "defaultRows");
        problems = List.copyOf(problems);
    }

    /**
     * The health of every table given and every table a policy names, in that order, at {@code now}. Reads the
     * catalog in a constant number of statements whatever the number of tables or partitions: the layouts, the
     * policies' plan (which changes nothing) when there are policies, and one statement counting the rows of every
     * default partition; a default partition holding rows costs one or two statements more, to name the way out.
     *
     * @param tables   partitioned tables to check without a policy (the current time is taken in UTC for them)
     * @param policies tables with the policy they should follow (the current time in the policy's zone)
     * @throws PartitioningException {@link ErrorCode#CATALOG_UNREADABLE} when the catalog cannot be read
     */
    public static List<PartitionHealth> check(Connection connection, Collection<TableName> tables,
                                              Collection<MaintenancePolicy> policies, Instant now) {
        Set<TableName> names = new LinkedHashSet<>(tables);
        Map<TableName, ZoneId> zones = new HashMap<>();
        for (MaintenancePolicy policy : policies) {
            names.add(policy.table());
            policy.range().map(RangePolicy::zone).ifPresent(zone -> zones.put(policy.table(), zone));
        }
        CatalogSnapshot snapshot = new CatalogReader().readLayouts(connection, names);
        Map<TableName, List<MaintenanceFinding>> findings = policies.isEmpty() ? Map.of()
                : new PartitionMaintenance(policies).plan(connection, now).findings().stream()
                .filter(finding -> finding.kind().isProblem())
                .collect(Collectors.groupingBy(MaintenanceFinding::table, LinkedHashMap::new, Collectors.toList()));
        Map<TableName, PartitionedTable> layouts = new LinkedHashMap<>();
        for (TableName name : names) {
            snapshot.partitionedTable(name).filter(PartitionedTable::isComplete).ifPresent(layout -> layouts.put(name, layout));
        }
        Map<TableName, Long> defaultRows = countDefaultRows(connection, layouts.values());
        List<PartitionHealth> health = new ArrayList<>();
        for (TableName name : names) {
            PartitionedTable layout = layouts.get(name);
            Assessment assessment = new Assessment(layout == null ? name : layout.name());
            if (layout == null) {
                String unreadable = snapshot.unreadableTables().get(name);
                assessment.critical(unreadable != null ? "Table " + name + " cannot be read: " + unreadable
                        : "Table " + name + " does not exist or is not partitioned: every write to it fails. Fix: create it "
                        + "partitioned, or convert it (pgpartition convert).");
                findings.getOrDefault(name, List.of()).stream()
                        .filter(finding -> finding.kind() != MaintenanceFinding.Kind.TABLE_MISSING)
                        .forEach(finding -> assessment.warn(finding.message()));
                health.add(assessment.result(0, OptionalInt.empty(), Optional.empty(), OptionalLong.empty()));
                continue;
            }
            TableName table = layout.name();
            List<Partition> ordered = layout.orderedPartitions();
            OptionalInt ahead = OptionalInt.empty();
            Optional<RangeValue> coveredUntil = Optional.empty();
            Optional<ColumnType> timeKey = layout.timeKey();
            if (timeKey.isPresent()) {
                ColumnType type = timeKey.get();
                ZoneId zone = zones.getOrDefault(name, ZoneOffset.UTC);
                Object current = type.valueAt(now, zone);
                Optional<Partition> holding = layout.partitionFor(current);
                if (holding.isEmpty()) {
                    assessment.critical("No partition of " + table + " holds the current time (" + Sql.literal(current)
                            + (zone.equals(ZoneOffset.UTC) ? "" : " in " + zone) + ") and it has no default partition: "
                            + "inserting a current row fails. Fix: " + createFix(table, zones.containsKey(name) || !findingsOf(findings, name, table).isEmpty()));
                    ahead = OptionalInt.of(0);
                } else if (holding.get().isDefault()) {
                    assessment.warn("The current time (" + Sql.literal(current) + ") falls in the default partition "
                            + holding.get().name() + " of " + table + ": current rows land there. Fix: "
                            + createFix(table, zones.containsKey(name) || !findingsOf(findings, name, table).isEmpty()));
                    ahead = OptionalInt.of(0);
                } else {
                    coveredUntil = layout.coveredUntil(current);
                    List<RangeValue> after = ((RangeBound) holding.get().bound()).to();
                    List<RangeValue> end = List.of(coveredUntil.orElseThrow());
                    ahead = OptionalInt.of((int) ordered.stream().map(p -> (RangeBound) p.bound())
                            .filter(bound -> layout.compareTuples(bound.from(), after) >= 0
                                    && layout.compareTuples(bound.to(), end) <= 0)
                            .count());
                }
            }
            List<HashBound> missing = layout.missingRemainders();
            if (!missing.isEmpty()) {
                assessment.critical("Remainder" + (missing.size() == 1 ? " " : "s ") + missing.stream()
                        .map(bound -> Integer.toString(bound.remainder())).collect(Collectors.joining(", "))
                        + " of modulus " + missing.get(0).modulus() + " of " + table + " have no partition: rows hashing "
                        + "there are refused. Fix: create them (pgpartition maintain --hash-modulus " + missing.get(0).modulus()
                        + ", or @HashPartitions with pgpartition.maintenance=apply).");
            }
            findingsOf(findings, name, table).forEach(finding -> assessment.warn(finding.message()));
            OptionalLong rows = layout.defaultPartition()
                    .map(partition -> OptionalLong.of(defaultRows.getOrDefault(partition.name(), 0L))).orElse(OptionalLong.empty());
            if (rows.isPresent() && rows.getAsLong() > 0) {
                assessment.warn(defaultRowsFinding(connection, layout, rows.getAsLong()).message());
            }
            health.add(assessment.result(ordered.size(), ahead, coveredUntil, rows));
        }
        return health;
    }

    /** The plan's findings for a table named as requested or as resolved (qualified) by the catalog. */
    private static List<MaintenanceFinding> findingsOf(Map<TableName, List<MaintenanceFinding>> findings, TableName requested,
                                                       TableName resolved) {
        List<MaintenanceFinding> found = new ArrayList<>(findings.getOrDefault(resolved, List.of()));
        if (!requested.equals(resolved)) {
            found.addAll(findings.getOrDefault(requested, List.of()));
        }
        return found;
    }

    private static String createFix(TableName table, boolean hasPolicy) {
        return hasPolicy ? "run maintenance (pgpartition maintain, or pgpartition.maintenance=apply)."
                : "create a partition for the current period of " + table + " (pgpartition maintain --table " + table
                + " --interval ..., or a @RangePartitions policy on its entity with pgpartition.maintenance=apply).";
    }

    /** The rows of every default partition, in one statement. */
    private static Map<TableName, Long> countDefaultRows(Connection connection, Collection<PartitionedTable> tables) {
        try {
            return new MaintenanceReader(connection).defaultRows(tables);
        } catch (SQLException e) {
            List<TableName> defaults = tables.stream().flatMap(table -> table.defaultPartition().stream()).map(Partition::name).toList();
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "The rows of the default partitions "
                    + defaults + " cannot be counted: " + e.getMessage() + ". Fix: grant SELECT on them to this role.", e);
        }
    }

    /** The finding naming the way out for the rows counted in a table's default partition. */
    private static MaintenanceFinding defaultRowsFinding(Connection connection, PartitionedTable layout, long rows) {
        TableName partition = layout.defaultPartition().orElseThrow().name();
        try {
            return DefaultRows.finding(layout, partition, rows,
                    new MaintenanceReader(connection).defaultDetail(layout, partition, DefaultRows.VALUES_SHOWN));
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot read the rows of " + partition + ": "
                    + e.getMessage() + ". Fix: grant SELECT on it to this role.", e);
        }
    }

    /** The table's problems as they are found, and the worst status among them. */
    private static final class Assessment {
        private final TableName table;
        private final List<String> problems = new ArrayList<>();
        private Status status = Status.OK;

        Assessment(TableName table) {
            this.table = table;
        }

        void critical(String problem) {
            problems.add(problem);
            status = Status.CRITICAL;
        }

        void warn(String problem) {
            problems.add(problem);
            if (status == Status.OK) {
                status = Status.WARN;
            }
        }

        PartitionHealth result(int partitions, OptionalInt ahead, Optional<RangeValue> coveredUntil, OptionalLong defaultRows) {
            return new PartitionHealth(table, status, partitions, ahead, coveredUntil, defaultRows, problems);
        }
    }

    /** One line: {@code public.events OK: 15 partitions, 3 ahead (until '2027-04-01'), default partition empty}. */
    @Override
    public String toString() {
        StringBuilder line = new StringBuilder().append(table).append(' ').append(status).append(": ")
                .append(partitions).append(partitions == 1 ? " partition" : " partitions");
        partitionsAhead.ifPresent(ahead -> line.append(", ").append(ahead).append(" ahead"));
        coveredUntil.ifPresent(until -> line.append(" (until ").append(PartitionDdl.rangeValues(List.of(until))).append(')'));
        defaultRows.ifPresent(rows -> line.append(rows == 0 ? ", default partition empty"
                : ", " + rows + (rows == 1 ? " row" : " rows") + " in the default partition"));
        problems.forEach(problem -> line.append("\n  ").append(problem));
        return line.toString();
    }
}
