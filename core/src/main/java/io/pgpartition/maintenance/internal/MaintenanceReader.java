package io.pgpartition.maintenance.internal;

import io.pgpartition.annotations.Expiry;
import io.pgpartition.catalog.internal.Catalog;
import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.catalog.CatalogSnapshot;
import io.pgpartition.catalog.internal.DataProbes;
import io.pgpartition.guard.internal.GuardSql;
import io.pgpartition.maintenance.MaintenancePolicy;
import io.pgpartition.maintenance.RetiredPartition;
import io.pgpartition.model.KeyPart;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionStrategy;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.TableName;
import io.pgpartition.policy.NumericInterval;
import io.pgpartition.policy.RangePolicy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The read side of maintenance: turns the catalog and the data into the facts the planner works from. Holds the
 * connection; plans nothing.
 */
public final class MaintenanceReader {

    private final Connection connection;
    private final CatalogReader catalog = new CatalogReader();

    public MaintenanceReader(Connection connection) {
        this.connection = connection;
    }

    /** The layouts of the tables, their partitioned partitions included, in a constant number of statements. */
    public CatalogSnapshot layouts(List<TableName> tables) {
        return catalog.readLayouts(connection, tables);
    }

    /**
     * What a policy's plan needs from the table's rows: its greatest key (a numeric range policy counts from it) and,
     * when it rescues its default partition, one key of every period holding rows there.
     *
     * @param current the greatest finite key, null when not asked or the table is empty
     * @param rescued the least key of the default partition, then the least at or after the end of its period, and so
     *                on, in key order: at most {@link RangePeriods#MAX_FILL_PERIODS} + 1 (one more says there are more)
     */
    public record KeyData(Object current, List<Object> rescued) {
        static final KeyData NONE = new KeyData(null, List.of());
    }

    /** The {@link KeyData} of a policy's table (one statement, plus one per period rescued). */
    public KeyData keyData(MaintenancePolicy policy, CatalogSnapshot snapshot) throws SQLException {
        Optional<RangePolicy> range = policy.range();
        Optional<PartitionedTable> found = snapshot.partitionedTable(policy.table());
        if (range.isEmpty() || found.isEmpty()) {
            return KeyData.NONE;
        }
        PartitionedTable table = found.get();
        Object current = null;
        if (range.get().interval() instanceof NumericInterval && table.key().parts().get(0).column() != null) {
            KeyPart key = table.key().parts().get(0);
            current = DataProbes.greatestKey(connection, table.name(), key.column(), key.type().kind());
        }
        List<Object> rescued = policy.rescueDefault() ? defaultKeys(table, range.get()) : List.of();
        return new KeyData(current, rescued);
    }

    /**
     * One key of every period of the policy's interval that holds rows in the table's default partition; empty when
     * it has none or a key maintenance does not step through (the plan reports that).
     */
    private List<Object> defaultKeys(PartitionedTable table, RangePolicy range) throws SQLException {
        Optional<Partition> defaultPartition = table.defaultPartition();
        if (defaultPartition.isEmpty() || table.strategy() != PartitionStrategy.RANGE || table.key().size() != 1
                || table.key().hasExpressions() || !RangePeriods.fits(range, table.key().parts().get(0).type())) {
            return List.of();
        }
        KeyPart key = table.key().parts().get(0);
        List<Object> keys = new ArrayList<>();
        Object after = null;
        while (keys.size() <= RangePeriods.MAX_FILL_PERIODS) {
            Object value = DataProbes.leastKey(connection, defaultPartition.get().name(), key.column(), key.type().kind(), after);
            if (value == null) {
                break;
            }
            keys.add(value);
            after = RangePeriods.periodEnd(range, key.type(), table.name(), value);
        }
        return keys;
    }

    /**
     * Asks the database what the drafts need to know: names in use, leftovers of interrupted retention and pending
     * detaches (one statement each, whatever the number of tables), and for a draft that retires or creates
     * partitions, the references, privileges, guard triggers and columns that concern it.
     */
    public Facts facts(List<Draft> drafts) throws SQLException {
        List<Facts.Leftover> leftovers = leftovers();
        Set<TableName> pending = new HashSet<>();
        Catalog.pendingDetaches(connection).forEach(p -> pending.add(p.partition()));
        List<TableName> names = drafts.stream().flatMap(d -> MaintenancePlanner.namesToCheck(d, leftovers).stream()).toList();
        List<TableName> expired = drafts.stream().flatMap(d -> d.expired().stream().map(Partition::name)).toList();
        Set<TableName> existing = Catalog.existing(connection, names);
        Map<TableName, List<String>> references = Catalog.referencedBy(connection, expired);
        Map<TableName, List<String>> columns = new HashMap<>();
        for (Draft draft : drafts) {
            if (!draft.wanted().isEmpty() && draft.layout().defaultPartition().isPresent()) {
                columns.put(draft.parent(), Catalog.insertableColumns(connection, draft.parent()));
            }
        }
        Set<TableName> parents = drafts.stream().map(Draft::parent).collect(Collectors.toSet());
        List<Facts.Leftover> ours = leftovers.stream().filter(l -> parents.contains(l.mark().parent())).toList();
        List<TableName> retiring = new ArrayList<>(expired);
        drafts.forEach(d -> d.layout().partitions().stream().map(Partition::name).filter(pending::contains).forEach(retiring::add));
        ours.forEach(l -> retiring.add(l.table()));
        Facts.Access access = Facts.Access.UNCHECKED;
        if (!retiring.isEmpty()) {
            Set<String> schemas = new TreeSet<>();
            drafts.forEach(d -> schemas.add(d.archiveSchema()));
            ours.forEach(l -> l.mark().archiveSchema().ifPresent(schemas::add));
            Catalog.SchemaAccess granted = Catalog.schemaAccess(connection, schemas);
            access = new Facts.Access(granted.role(), granted.createsSchema(), granted.schemas(), Catalog.notOwned(connection, retiring));
        }
        List<TableName> changing = drafts.stream().filter(d -> !d.wanted().isEmpty() || !d.expired().isEmpty() || d.createDefault()
                        || ours.stream().anyMatch(l -> l.mark().parent().equals(d.parent())))
                .map(Draft::parent).toList();
        Set<TableName> guarded = Catalog.withTrigger(connection, changing, GuardSql.KEY_TRIGGER, GuardSql.WRITE_TRIGGER);
        List<Draft> toColumnar = drafts.stream().filter(d -> !d.expired().isEmpty()
                && d.policy().range().map(RangePolicy::onExpiry).orElse(null) == io.pgpartition.annotations.Expiry.COLUMNAR).toList();
        Facts.Columnar columnar = toColumnar.isEmpty() ? Facts.Columnar.UNASKED : Catalog.columnar(connection,
                toColumnar.stream().map(Draft::parent).toList(),
                toColumnar.stream().flatMap(d -> d.expired().stream().map(Partition::name)).toList());
        return new Facts(existing, references, pending, columns, guarded, access, leftovers, columnar);
    }

    /** The partition state of each table (see {@link Catalog#partitionStates}), by the name given. */
    public Map<TableName, String> partitionStates(List<TableName> tables) throws SQLException {
        return Catalog.partitionStates(connection, tables);
    }

    /** The plain tables carrying a {@link RetentionMark}: detached by retention, their drop or archive not done. */
    public List<Facts.Leftover> leftovers() throws SQLException {
        List<Facts.Leftover> leftovers = new ArrayList<>();
        for (Catalog.Commented commented : Catalog.plainTablesCommented(connection, RetentionMark.PREFIX)) {
            RetentionMark.parse(commented.comment()).ifPresent(mark -> leftovers.add(new Facts.Leftover(commented.table(),
                    mark, RetentionMark.heldBound(commented.comment()))));
        }
        return leftovers;
    }

    /** Every partition in the database left detach pending. */
    public List<Catalog.PendingDetach> pendingDetaches() throws SQLException {
        return Catalog.pendingDetaches(connection);
    }

    /**
     * Every table in the database that retention took out of a partitioned table and that still exists (left detach
     * pending, detached and marked, detached to be kept, archived), in two statements.
     */
    public List<RetiredPartition> retired() throws SQLException {
        List<RetiredPartition> retired = new ArrayList<>();
        pendingDetaches().forEach(pending -> retired.add(new RetiredPartition(pending.partition(), pending.parent(),
                RetiredPartition.State.DETACH_PENDING, pending.bound())));
        for (Catalog.Commented commented : Catalog.plainTablesCommented(connection, RetentionMark.ANY_PREFIX)) {
            String comment = commented.comment();
            String bound = RetentionMark.heldBound(comment);
            RetentionMark.parse(comment).ifPresent(mark -> retired.add(new RetiredPartition(commented.table(), mark.parent(),
                    mark.expiry() == Expiry.DROP ? RetiredPartition.State.DETACHED_TO_DROP
                            : RetiredPartition.State.DETACHED_TO_ARCHIVE, bound)));
            RetentionMark.archivedFrom(comment).ifPresent(parent -> retired.add(new RetiredPartition(commented.table(),
                    parent, RetiredPartition.State.ARCHIVED, bound)));
            RetentionMark.detachedFrom(comment).ifPresent(parent -> retired.add(new RetiredPartition(commented.table(),
                    parent, RetiredPartition.State.DETACHED, bound)));
        }
        return retired;
    }

    /** The rows of each default partition of the tables, in one statement. */
    public Map<TableName, Long> defaultRows(Collection<PartitionedTable> tables) throws SQLException {
        List<TableName> defaults = tables.stream().flatMap(table -> table.defaultPartition().stream())
                .map(Partition::name).distinct().toList();
        return DataProbes.rowCounts(connection, defaults);
    }

    /**
     * What a default partition's rows are, for the finding that names the way out: for a range table, how many have a
     * null or infinite key; for a list table, its first distinct values as literals (one more than {@code shown} when
     * there are more).
     */
    public DefaultRows.Detail defaultDetail(PartitionedTable table, TableName partition, int shown) throws SQLException {
        String column = DefaultRows.keyColumn(table);
        if (column == null) {
            return new DefaultRows.Detail(0, List.of());
        }
        if (table.strategy() == PartitionStrategy.RANGE) {
            return new DefaultRows.Detail(DataProbes.unplaceableRows(connection, partition, column,
                    table.key().parts().get(0).type().isTemporal()), List.of());
        }
        if (table.strategy() == PartitionStrategy.LIST) {
            return new DefaultRows.Detail(0, DataProbes.distinctValues(connection, partition, column, shown + 1));
        }
        return new DefaultRows.Detail(0, List.of());
    }
}
