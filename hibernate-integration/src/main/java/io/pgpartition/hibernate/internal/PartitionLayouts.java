package io.pgpartition.hibernate.internal;

import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.CatalogReader;
import io.pgpartition.catalog.CatalogSnapshot;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.RangeIndex;
import io.pgpartition.model.TableName;
import org.hibernate.engine.jdbc.connections.spi.JdbcConnectionAccess;

import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The partition layouts of the partitioned entities' tables, cached for the life of a session factory: seeded by
 * startup validation, read on first use otherwise, and read again once when a key finds no partition, so that
 * partitions another process created are seen. The happy path costs no catalog query.
 */
final class PartitionLayouts {

    /** Where a key goes: the partition, or none; {@code checked} is false when the key cannot be routed offline. */
    record Route(PartitionedTable table, Optional<Partition> partition, boolean checked) {
    }

    /** A cached layout, with a binary-search index when it is a complete single-column range layout. */
    private record Layout(PartitionedTable table, Optional<RangeIndex> index) {
        static Layout of(PartitionedTable table) {
            return new Layout(table, RangeIndex.of(table));
        }
    }

    private final Map<TableName, Layout> layouts = new ConcurrentHashMap<>();
    private final Supplier<JdbcConnectionAccess> access;
    private final CatalogReader reader = new CatalogReader();

    PartitionLayouts(Supplier<JdbcConnectionAccess> access) {
        this.access = access;
    }

    void seed(CatalogSnapshot snapshot, Collection<TableName> tables) {
        for (TableName table : tables) {
            snapshot.partitionedTable(table).ifPresent(layout -> layouts.put(table, Layout.of(layout)));
        }
    }

    /** The partition that takes a key, from the cache, or from a fresh read when the cache has none for it. */
    Route route(TableName table, List<Object> key) {
        Layout cached = layouts.get(table);
        if (cached != null) {
            Route route = route(cached, key);
            if (!route.checked() || route.partition().isPresent()) {
                return route;
            }
        }
        PartitionedTable fresh = read(table);
        if (fresh == null) {
            return new Route(null, Optional.empty(), false);
        }
        Layout layout = Layout.of(fresh);
        layouts.put(table, layout);
        return route(layout, key);
    }

    private static Route route(Layout layout, List<Object> key) {
        PartitionedTable table = layout.table();
        try {
            if (layout.index().isPresent() && key.size() == 1) {
                return new Route(table, layout.index().get().partitionFor(key.get(0)), true);
            }
            return new Route(table, table.partitionFor(key), true);
        } catch (IllegalStateException partialLayout) {
            return new Route(table, Optional.empty(), true);
        } catch (IllegalArgumentException notComputableHere) {
            return new Route(table, Optional.empty(), false);
        }
    }

    private PartitionedTable read(TableName table) {
        try {
            return BootstrapConnections.use(access.get(),
                    connection -> reader.read(connection, List.of(table)).partitionedTable(table).orElse(null));
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE,
                    "Cannot read the partitions of " + table + ": " + e.getMessage(), e);
        }
    }
}
