package io.pgpartition.hibernate.internal.jdbc;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.catalog.CatalogSnapshot;
import io.pgpartition.model.KeyRoute;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionTree;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.RangeIndex;
import io.pgpartition.model.TableName;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The partition layouts of the partitioned entities' tables, cached for the life of a session factory: seeded by
 * startup validation, read on first use otherwise, and read again once when a key finds no partition, so that
 * partitions another process created are seen. The happy path costs no catalog query. Reads during a session run on
 * the session's own connection, so that a pool the session has exhausted is never asked for a second one.
 */
public final class PartitionLayouts {

    /**
     * Where a key goes: the partition, or none; {@code checked} is false when the key cannot be routed offline;
     * {@code table} is the partitioned table whose key gave the answer.
     */
    public record Route(PartitionedTable table, Optional<Partition> partition, boolean checked) {
    }

    /**
     * A cached layout, with a binary-search index when it is a complete single-column range layout, and the layouts of
     * its partitioned partitions at every depth.
     */
    private record Layout(PartitionedTable table, Optional<RangeIndex> index, Map<TableName, PartitionedTable> below) {
        static Layout of(PartitionedTable table, CatalogSnapshot snapshot) {
            Map<TableName, PartitionedTable> below = new java.util.HashMap<>();
            collectBelow(table, snapshot, below);
            return new Layout(table, RangeIndex.of(table), Map.copyOf(below));
        }

        private static void collectBelow(PartitionedTable table, CatalogSnapshot snapshot, Map<TableName, PartitionedTable> into) {
            for (Partition partition : table.partitions()) {
                if (partition.subpartitioned()) {
                    snapshot.partitionedTable(partition.name()).ifPresent(sub -> {
                        into.put(partition.name(), sub);
                        collectBelow(sub, snapshot, into);
                    });
                }
            }
        }
    }

    private final Map<TableName, Layout> layouts = new ConcurrentHashMap<>();
    private final CatalogReader reader = new CatalogReader();

    public void seed(CatalogSnapshot snapshot, Collection<TableName> tables) {
        for (TableName table : tables) {
            snapshot.partitionedTable(table).ifPresent(layout -> layouts.put(table, Layout.of(layout, snapshot)));
        }
    }

    /** The schema the cached layout of a table names, or null when none is cached. */
    String schemaOf(TableName table) {
        Layout layout = layouts.get(table);
        return layout == null ? null : layout.table().name().schema();
    }

    /** The names of the table's partitions in the cached layout; empty when none is cached. */
    List<String> partitionNames(TableName table) {
        Layout layout = layouts.get(table);
        return layout == null ? List.of() : layout.table().partitions().stream().map(p -> p.name().name()).toList();
    }

    /** Hands out the connection a session already holds. */
    public interface SessionConnection {
        Connection get() throws SQLException;
    }

    /**
     * The partition that takes a key, from the cache, or from a fresh read on {@code session}'s connection when the
     * cache has none for it. A miss after the fresh read is only trusted under READ COMMITTED: a transaction with an
     * older snapshot may not see a partition created since, which PostgreSQL itself would route to.
     */
    public Route route(TableName table, List<Object> key, SessionConnection session) {
        return route(table, key, null, session);
    }

    /**
     * As {@link #route(TableName, List, SessionConnection)}, and through every level below the table (see
     * {@link PartitionTree}) when {@code lower} gives the values of the lower levels' key columns; the route then
     * names the partitioned table whose key gave the answer.
     */
    public Route route(TableName table, List<Object> key, Map<String, Object> lower, SessionConnection session) {
        Layout cached = layouts.get(table);
        if (cached != null) {
            Route route = route(cached, key, lower);
            if (!route.checked() || route.partition().isPresent()) {
                return route;
            }
        }
        try {
            Connection connection = session.get();
            CatalogSnapshot snapshot = reader.readLayouts(connection, List.of(table));
            PartitionedTable fresh = snapshot.partitionedTable(table).orElse(null);
            if (fresh == null) {
                return new Route(null, Optional.empty(), false);
            }
            Layout layout = Layout.of(fresh, snapshot);
            layouts.put(table, layout);
            Route route = route(layout, key, lower);
            boolean snapshotMayBeOld = !connection.getAutoCommit()
                    && connection.getTransactionIsolation() > Connection.TRANSACTION_READ_COMMITTED;
            return route.partition().isEmpty() && snapshotMayBeOld ? new Route(route.table(), Optional.empty(), false) : route;
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE,
                    "Cannot read the partitions of " + table + ": " + e.getMessage(), e);
        }
    }

    private static Route route(Layout layout, List<Object> key, Map<String, Object> lower) {
        Route route = route(layout, key);
        if (lower == null || !route.checked() || route.partition().isEmpty() || !route.partition().get().subpartitioned()) {
            return route;
        }
        Map<String, Object> values = new java.util.HashMap<>(lower);
        List<io.pgpartition.model.KeyPart> parts = layout.table().key().parts();
        for (int i = 0; i < parts.size() && i < key.size(); i++) {
            values.put(parts.get(i).column(), key.get(i));
        }
        PartitionTree tree = new PartitionTree(layout.table(), layout.below());
        try {
            return route(tree.answeredBy(values), tree.route(values));
        } catch (IllegalStateException | IllegalArgumentException partialLayoutOrNotOfTheKeyType) {
            return new Route(layout.table(), Optional.empty(), false);
        }
    }

    /** A model's answer as a route: {@code AskServer} is not checked, {@code NoPartition} is checked and empty. */
    private static Route route(PartitionedTable table, KeyRoute route) {
        if (route instanceof KeyRoute.AskServer) {
            return new Route(table, Optional.empty(), false);
        }
        return new Route(table, route instanceof KeyRoute.Routed routed ? Optional.of(routed.partition()) : Optional.empty(), true);
    }

    private static Route route(Layout layout, List<Object> key) {
        PartitionedTable table = layout.table();
        try {
            return route(table, layout.index().isPresent() && key.size() == 1 ? layout.index().get().route(key.get(0)) : table.route(key));
        } catch (IllegalStateException partialLayout) {
            return new Route(table, Optional.empty(), true);
        } catch (IllegalArgumentException notOfTheKeyType) {
            return new Route(table, Optional.empty(), false);
        }
    }
}
