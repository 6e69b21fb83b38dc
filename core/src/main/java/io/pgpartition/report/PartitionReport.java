package io.pgpartition.report;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.catalog.CatalogSnapshot;
import io.pgpartition.catalog.Distribution;
import io.pgpartition.catalog.internal.DataProbes;
import io.pgpartition.ddl.PartitionDdl;
import io.pgpartition.maintenance.PartitionMaintenance;
import io.pgpartition.maintenance.RetiredPartition;
import io.pgpartition.model.HashBound;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionStrategy;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.RangeValue;
import io.pgpartition.model.TableName;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the partitioned tables of a database look like: per table (sub-partitioned ones as a tree) its strategy and key,
 * each partition with its bound, estimated rows (statistics), exact rows on request, size with indexes and TOAST, the
 * rows in the default partition, how far ahead partitions reach, gaps and overlaps; and the tables retention took out
 * and left detached, pending or archived. The model only: {@link ReportText} and {@link ReportJson} render it.
 *
 * @param at         when it was read (the "now" of the coverage horizons)
 * @param server     the server's version, as {@code SHOW server_version} says
 * @param tables     the partitioned tables at the top of their trees, by name
 * @param retired    tables retention detached or archived that still exist
 * @param unreadable tables whose layout could not be read, with the reason
 */
public record PartitionReport(Instant at, String server, List<TableReport> tables, List<RetiredPartition> retired,
                              Map<TableName, String> unreadable) {

    public PartitionReport {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(server, "server");
        tables = List.copyOf(tables);
        retired = List.copyOf(retired);
        unreadable = Map.copyOf(unreadable);
    }

    /**
     * A partitioned table.
     *
     * @param name         the table
     * @param strategy     RANGE, LIST or HASH
     * @param key          the key as written after {@code PARTITION BY}, such as {@code RANGE (created_at)}
     * @param partitions   its partitions, range ones in key order, the default partition last
     * @param coveredUntil for a table partitioned by one date or timestamp column: where the unbroken run of partitions
     *                     from the one holding the current time (UTC) ends; empty when none holds it, and for other keys
     * @param gaps         key ranges no partition covers, as text ({@code FROM ('2026-03-01') TO ('2026-04-01')})
     * @param overlaps     pairs of partitions whose ranges overlap (which PostgreSQL refuses; only in a damaged layout)
     * @param missingRemainders hash remainders of the largest modulus without a partition
     * @param defaultRows  the rows in its default partition, counted; empty when it has none
     */
    public record TableReport(TableName name, PartitionStrategy strategy, String key, List<PartitionEntry> partitions,
                              Optional<RangeValue> coveredUntil, List<String> gaps, List<String> overlaps,
                              List<Integer> missingRemainders, OptionalLong defaultRows, Optional<Distribution> citus) {

        /** The report of a table Citus does not hold. */
        public TableReport(TableName name, PartitionStrategy strategy, String key, List<PartitionEntry> partitions,
                           Optional<RangeValue> coveredUntil, List<String> gaps, List<String> overlaps,
                           List<Integer> missingRemainders, OptionalLong defaultRows) {
            this(name, strategy, key, partitions, coveredUntil, gaps, overlaps, missingRemainders, defaultRows, Optional.empty());
        }

        public TableReport {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(strategy, "strategy");
            Objects.requireNonNull(key, "key");
            partitions = List.copyOf(partitions);
            Objects.requireNonNull(coveredUntil, "coveredUntil");
            gaps = List.copyOf(gaps);
            overlaps = List.copyOf(overlaps);
            missingRemainders = List.copyOf(missingRemainders);
            Objects.requireNonNull(defaultRows, "defaultRows");
            Objects.requireNonNull(citus, "citus");
        }

        /** The default partition, if the table has one. */
        public Optional<PartitionEntry> defaultPartition() {
            return partitions.stream().filter(PartitionEntry::isDefault).findFirst();
        }

        /** Estimated rows of the whole tree (partitions never analyzed count as 0). */
        public long estimatedRows() {
            return partitions.stream().mapToLong(PartitionEntry::estimatedRows).map(rows -> Math.max(rows, 0)).sum();
        }

        /** Whether the planner's statistics know any partition's rows (a table never analyzed has none to estimate from). */
        public boolean analyzed() {
            return partitions.stream().anyMatch(partition -> partition.estimatedRows() >= 0);
        }

        /** Exact rows of the whole tree, when they were counted. */
        public OptionalLong exactRows() {
            if (partitions.stream().anyMatch(p -> p.exactRows().isEmpty())) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(partitions.stream().mapToLong(p -> p.exactRows().getAsLong()).sum());
        }

        /** Bytes of the whole tree: tables, indexes and TOAST of every partition. */
        public Sizes size() {
            return partitions.stream().map(PartitionEntry::size).reduce(Sizes.ZERO, Sizes::plus);
        }
    }

    /**
     * A partition.
     *
     * @param name           the partition
     * @param bound          its bound clause, {@code FOR VALUES FROM (...) TO (...)}, {@code FOR VALUES IN (...)},
     *                       {@code FOR VALUES WITH (...)} or {@code DEFAULT}
     * @param isDefault      whether it is the default partition
     * @param estimatedRows  rows by the planner's statistics ({@code -1}: never analyzed); for a sub-partitioned
     *                       partition the sum of its own
     * @param exactRows      rows counted, when asked for
     * @param size           its bytes (for a sub-partitioned partition, those of its partitions)
     * @param subpartitions  its own partitions, when it is partitioned itself
     */
    public record PartitionEntry(TableName name, String bound, boolean isDefault, long estimatedRows, OptionalLong exactRows,
                                 Sizes size, Optional<TableReport> subpartitions) {

        public PartitionEntry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(bound, "bound");
            Objects.requireNonNull(exactRows, "exactRows");
            Objects.requireNonNull(size, "size");
            Objects.requireNonNull(subpartitions, "subpartitions");
        }
    }

    /**
     * Bytes on disk.
     *
     * @param table   the table itself (main fork, free space and visibility maps)
     * @param indexes its indexes
     * @param toast   its TOAST table and index
     */
    public record Sizes(long table, long indexes, long toast) {

        public static final Sizes ZERO = new Sizes(0, 0, 0);

        /** Everything: table, indexes and TOAST. */
        public long total() {
            return table + indexes + toast;
        }

        Sizes plus(Sizes other) {
            return new Sizes(table + other.table, indexes + other.indexes, toast + other.toast);
        }
    }

    /**
     * Reads the report in a constant number of statements whatever the number of tables and partitions: the catalog
     * (up to seven statements), the server version and the sizes of every partition (one each), the rows of every
     * default partition (one; with {@code exactRows} instead one statement counting the rows of every partition) and
     * the retired tables (two).
     *
     * @param tables    the tables to report; empty for every partitioned table of the database
     * @param exactRows whether to count every partition's rows (reads them all)
     * @throws PartitioningException {@link ErrorCode#CATALOG_UNREADABLE} when the catalog cannot be read
     */
    public static PartitionReport collect(Connection connection, Collection<TableName> tables, boolean exactRows, Instant now) {
        CatalogReader reader = new CatalogReader();
        CatalogSnapshot snapshot = tables.isEmpty() ? reader.readAllPartitioned(connection) : reader.readLayouts(connection, tables);
        List<PartitionedTable> roots = snapshot.rootPartitionedTables();
        List<TableName> storing = new ArrayList<>();
        for (PartitionedTable table : snapshot.allPartitionedTables()) {
            table.partitions().stream().filter(p -> !p.subpartitioned()).forEach(p -> storing.add(p.name()));
        }
        try {
            List<TableName> onWorkers = storing.stream().filter(p -> snapshot.distribution(p).isPresent()).toList();
            Map<TableName, Sizes> sizes = sizes(connection, storing.stream().filter(p -> !onWorkers.contains(p)).toList());
            Map<TableName, Long> citusRows = new HashMap<>();
            DataProbes.citusSizes(connection, onWorkers).forEach((partition, figures) -> {
                sizes.put(partition, new Sizes(figures[0], figures[1], 0));
                citusRows.put(partition, figures[2]);
            });
            Map<TableName, Long> counted = exactRows ? DataProbes.rowCounts(connection, storing) : Map.of();
            Map<TableName, Long> defaultRows = exactRows ? counted : DataProbes.rowCounts(connection, snapshot.allPartitionedTables().stream()
                    .flatMap(table -> table.defaultPartition().stream()).filter(p -> !p.subpartitioned()).map(Partition::name).toList());
            String server = DataProbes.serverVersion(connection) + snapshot.citus().map(citus -> " with " + citus).orElse("");
            List<TableReport> reports = new ArrayList<>();
            for (PartitionedTable root : roots) {
                reports.add(table(snapshot, root, sizes, citusRows, exactRows ? counted : null, defaultRows, now));
            }
            List<TableName> names = reports.stream().map(TableReport::name).toList();
            List<RetiredPartition> retired = PartitionMaintenance.retired(connection).stream()
                    .filter(r -> tables.isEmpty() || names.contains(r.parent())).toList();
            return new PartitionReport(now, server, reports, retired, snapshot.unreadableTables());
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot read the partitions' sizes or rows: "
                    + e.getMessage() + ". Fix: grant SELECT on the partitioned tables to this role.", e);
        }
    }

    private static TableReport table(CatalogSnapshot snapshot, PartitionedTable table, Map<TableName, Sizes> sizes,
                                     Map<TableName, Long> citusRows, Map<TableName, Long> counted, Map<TableName, Long> defaultRows, Instant now) {
        List<Partition> ordered = new ArrayList<>(table.orderedPartitions());
        table.defaultPartition().ifPresent(ordered::add);
        List<PartitionEntry> entries = new ArrayList<>();
        for (Partition partition : ordered) {
            Optional<TableReport> sub = partition.subpartitioned()
                    ? snapshot.partitionedTable(partition.name()).map(child -> table(snapshot, child, sizes, citusRows, counted, defaultRows, now))
                    : Optional.empty();
            long estimated = sub.map(TableReport::estimatedRows).orElse(citusRows.getOrDefault(partition.name(), partition.estimatedRows()));
            OptionalLong exact = counted == null ? OptionalLong.empty()
                    : sub.map(TableReport::exactRows).orElseGet(() -> OptionalLong.of(counted.getOrDefault(partition.name(), 0L)));
            Sizes size = sub.map(TableReport::size).orElse(sizes.getOrDefault(partition.name(), Sizes.ZERO));
            entries.add(new PartitionEntry(partition.name(), PartitionDdl.forValues(partition.bound()), partition.isDefault(),
                    estimated, exact, size, sub));
        }
        Optional<RangeValue> coveredUntil = table.timeKey().flatMap(type -> table.coveredUntil(type.valueAt(now, ZoneOffset.UTC)));
        return new TableReport(table.name(), table.strategy(), table.key().toString(), entries, coveredUntil,
                table.gaps().stream().map(gap -> "FROM (" + PartitionDdl.rangeValues(gap.from()) + ") TO ("
                        + PartitionDdl.rangeValues(gap.to()) + ")").toList(),
                table.overlaps().stream().map(o -> o.first().name().name() + " and " + o.second().name().name()).toList(),
                table.missingRemainders().stream().map(HashBound::remainder).toList(),
                entries.stream().filter(PartitionEntry::isDefault).findFirst()
                        .map(d -> d.subpartitions().map(TableReport::exactRows).orElseGet(() -> OptionalLong.of(defaultRows.getOrDefault(d.name(), 0L))))
                        .orElse(OptionalLong.empty()), snapshot.distribution(table.name()));
    }

    /** The bytes of every partition that stores rows, in one statement. */
    private static Map<TableName, Sizes> sizes(Connection connection, List<TableName> partitions) throws SQLException {
        Map<TableName, Sizes> sizes = new HashMap<>();
        DataProbes.sizes(connection, partitions).forEach((table, bytes) -> sizes.put(table, new Sizes(bytes[0], bytes[1], bytes[2])));
        return sizes;
    }

    /** The names of every table of the report, sub-partitioned partitions included, depth first. */
    public List<TableName> flattenedNames() {
        List<TableName> names = new ArrayList<>();
        tables.forEach(table -> collectNames(table, names));
        return names;
    }

    private static void collectNames(TableReport table, List<TableName> names) {
        names.add(table.name());
        table.partitions().forEach(p -> p.subpartitions().ifPresent(sub -> collectNames(sub, names)));
    }
}
