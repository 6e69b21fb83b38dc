package io.pgpartition.catalog;

import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.TableName;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one catalog read found: the requested relations (and the roots of requested partitions) with their columns
 * and constraints, and every partitioned table in their partition trees with all partitions and bounds.
 */
public final class CatalogSnapshot {

    private final ServerVersion server;
    private final Map<TableName, TableName> resolved;
    private final Map<TableName, Relation> relations;
    private final Map<TableName, PartitionedTable> partitionedTables;
    private final Map<TableName, String> unreadable;
    private final CitusFacts citus;

    CatalogSnapshot(ServerVersion server, Map<TableName, TableName> resolved, Map<TableName, Relation> relations,
                    Map<TableName, PartitionedTable> partitionedTables) {
        this(server, resolved, relations, partitionedTables, Map.of());
    }

    CatalogSnapshot(ServerVersion server, Map<TableName, TableName> resolved, Map<TableName, Relation> relations,
                    Map<TableName, PartitionedTable> partitionedTables, Map<TableName, String> unreadable) {
        this(server, resolved, relations, partitionedTables, unreadable, null);
    }

    private CatalogSnapshot(ServerVersion server, Map<TableName, TableName> resolved, Map<TableName, Relation> relations,
                            Map<TableName, PartitionedTable> partitionedTables, Map<TableName, String> unreadable, CitusFacts citus) {
        this.citus = citus;
        this.server = server;
        this.resolved = Map.copyOf(resolved);
        this.relations = Map.copyOf(relations);
        this.partitionedTables = Map.copyOf(partitionedTables);
        this.unreadable = Map.copyOf(unreadable);
    }

    /**
     * This snapshot with the relations and layouts of another, later read taking precedence: used to complete
     * layouts first read with a focus.
     */
    public CatalogSnapshot withLayoutsFrom(CatalogSnapshot other) {
        Map<TableName, TableName> mergedResolved = new java.util.HashMap<>(resolved);
        mergedResolved.putAll(other.resolved);
        Map<TableName, Relation> mergedRelations = new java.util.HashMap<>(relations);
        mergedRelations.putAll(other.relations);
        Map<TableName, PartitionedTable> mergedTables = new java.util.HashMap<>(partitionedTables);
        mergedTables.putAll(other.partitionedTables);
        Map<TableName, String> mergedUnreadable = new java.util.HashMap<>(unreadable);
        mergedUnreadable.putAll(other.unreadable);
        other.partitionedTables.keySet().forEach(mergedUnreadable::remove);
        CitusFacts mergedCitus = citus;
        if (other.citus != null) {
            Map<TableName, Distribution> tables = new java.util.HashMap<>(citus == null ? Map.of() : citus.tables());
            tables.putAll(other.citus.tables());
            mergedCitus = new CitusFacts(other.citus.version(), tables);
        }
        return new CatalogSnapshot(server, mergedResolved, mergedRelations, mergedTables, mergedUnreadable).withCitus(mergedCitus);
    }

    /** This snapshot, read from a Citus database with these facts (null: not a Citus database). */
    CatalogSnapshot withCitus(CitusFacts facts) {
        return new CatalogSnapshot(server, resolved, relations, partitionedTables, unreadable, facts);
    }

    /**
     * What Citus holds of the snapshot's relations, on a database with the citus extension; empty on plain PostgreSQL
     * (where no statement asks).
     */
    public Optional<CitusFacts> citus() {
        return Optional.ofNullable(citus);
    }

    /** How Citus holds the table, if the database is a Citus database and the table is one of Citus'. */
    public Optional<Distribution> distribution(TableName name) {
        return citus == null ? Optional.empty() : citus.distribution(qualify(name));
    }

    /**
     * The partitioned tables whose layout could not be read (a bound pgpartition cannot represent, such as a value of
     * a type it does not model that cannot be read back), each with the reason; they have no {@link #partitionedTable}
     * and every other table reads as usual.
     */
    public Map<TableName, String> unreadableTables() {
        return unreadable;
    }

    public ServerVersion server() {
        return server;
    }

    /**
     * The relation a name denotes: a name as requested (unqualified names resolved through the search path at read
     * time) or a schema-qualified name. Empty when no such relation exists.
     */
    public Optional<Relation> relation(TableName name) {
        return Optional.ofNullable(relations.get(qualify(name)));
    }

    /** The partitioned table a name denotes, with all its partitions; also answers for sub-partitioned partitions. */
    public Optional<PartitionedTable> partitionedTable(TableName name) {
        return Optional.ofNullable(partitionedTables.get(qualify(name)));
    }

    /** Every relation described, in name order. */
    public List<Relation> relations() {
        List<Relation> all = new ArrayList<>(relations.values());
        all.sort((a, b) -> a.name().compareTo(b.name()));
        return all;
    }

    /** Every partitioned table of the snapshot, roots and sub-partitioned partitions alike, in name order. */
    public List<PartitionedTable> allPartitionedTables() {
        List<PartitionedTable> all = new ArrayList<>(partitionedTables.values());
        all.sort((a, b) -> a.name().compareTo(b.name()));
        return all;
    }

    /** The partitioned tables at the top of their trees (not themselves partitions), in name order. */
    public List<PartitionedTable> rootPartitionedTables() {
        List<PartitionedTable> roots = new ArrayList<>();
        for (PartitionedTable table : partitionedTables.values()) {
            Relation relation = relations.get(table.name());
            if (relation != null && !relation.isPartition()) {
                roots.add(table);
            }
        }
        roots.sort((a, b) -> a.name().compareTo(b.name()));
        return roots;
    }

    /** Every partitioned table found, sub-partitioned partitions included. */
    public Collection<PartitionedTable> partitionedTables() {
        return partitionedTables.values();
    }

    private TableName qualify(TableName name) {
        TableName exact = resolved.get(name);
        if (exact != null) {
            return exact;
        }
        if (name.isQualified()) {
            return name;
        }
        List<TableName> byName = new ArrayList<>();
        for (TableName known : relations.keySet()) {
            if (known.name().equals(name.name())) {
                byName.add(known);
            }
        }
        for (TableName known : partitionedTables.keySet()) {
            if (known.name().equals(name.name()) && !byName.contains(known)) {
                byName.add(known);
            }
        }
        return byName.size() == 1 ? byName.get(0) : name;
    }
}
