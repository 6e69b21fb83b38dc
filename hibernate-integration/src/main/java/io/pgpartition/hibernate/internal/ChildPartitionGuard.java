package io.pgpartition.hibernate.internal;

import io.pgpartition.ChildPartitionWriteException;
import io.pgpartition.ErrorCode;
import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.PartitioningException;
import io.pgpartition.hibernate.ChildPartitionDml;
import io.pgpartition.internal.DmlTargets;
import io.pgpartition.model.TableName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides whether SQL may run: data-changing statements whose target is a partition of another table are refused,
 * logged or allowed per {@link ChildPartitionDml}. Reads cost a scan for write keywords and nothing else; each
 * distinct target name is looked up in the catalog once.
 */
final class ChildPartitionGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ChildPartitionGuard.class);

    private static final String PARENT_OF = """
            SELECT pn.nspname::text, p.relname::text, cn.nspname::text, c.relname::text
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace
              JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid
              JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
              JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
             WHERE c.relispartition
               AND c.oid = pg_catalog.to_regclass(CASE WHEN ?::text IS NULL THEN pg_catalog.quote_ident(?)
                           ELSE pg_catalog.quote_ident(?) || '.' || pg_catalog.quote_ident(?) END)""";

    /** A partition and its parent, as the catalog names them. */
    private record Parent(TableName partition, TableName parent) {
    }

    /** Where the guard reads the catalog: a connection that is not itself guarded. */
    interface Connections {
        Connection open() throws SQLException;

        void close(Connection connection) throws SQLException;
    }

    private final ChildPartitionDml mode;
    private final Connections connections;
    /** A partition key column of a mapped table, and what to call it in messages. */
    record KeyColumn(TableName table, String column, String entity, String attribute) {
    }

    private final Map<TableName, Optional<Parent>> parents = new ConcurrentHashMap<>();
    private volatile List<KeyColumn> keyColumns = List.of();
    private final Set<TableName> warned = ConcurrentHashMap.newKeySet();

    ChildPartitionGuard(ChildPartitionDml mode, Connections connections) {
        this.mode = mode;
        this.connections = connections;
    }

    /** The key columns of the partitioned entities' tables, which no UPDATE may set. */
    void protectKeys(List<KeyColumn> columns) {
        keyColumns = List.copyOf(columns);
    }

    void check(String sql) {
        if (!keyColumns.isEmpty()) {
            checkKeyAssignments(sql);
        }
        if (mode == ChildPartitionDml.ALLOW) {
            return;
        }
        List<TableName> targets = DmlTargets.of(sql);
        for (TableName target : targets) {
            Optional<Parent> parent = parents.computeIfAbsent(target, this::lookUp);
            if (parent.isEmpty()) {
                continue;
            }
            if (mode == ChildPartitionDml.REJECT) {
                throw new ChildPartitionWriteException(parent.get().partition().toString(), parent.get().parent().toString(), sql);
            }
            if (warned.add(parent.get().partition())) {
                LOG.warn("Statement writes to partition {} directly instead of its parent table {}: {}",
                        parent.get().partition(), parent.get().parent(), sql);
            }
        }
    }

    /**
     * Entity updates never set a key column (the key is Hibernate's partition key there), so an UPDATE that does is
     * a bulk JPQL, criteria or native statement that would move rows between partitions.
     */
    private void checkKeyAssignments(String sql) {
        for (DmlTargets.Assignment assignment : DmlTargets.assignments(sql)) {
            for (KeyColumn key : keyColumns) {
                boolean sameTable = key.table().name().equals(assignment.table().name())
                        && (key.table().schema() == null || assignment.table().schema() == null
                        || key.table().schema().equals(assignment.table().schema()));
                if (sameTable && assignment.columns().contains(key.column())) {
                    throw new PartitionKeyChangedException(key.entity(), key.attribute(), key.column(), sql);
                }
            }
        }
    }

    private Optional<Parent> lookUp(TableName target) {
        Connection connection = null;
        try {
            connection = connections.open();
            try (PreparedStatement statement = connection.prepareStatement(PARENT_OF)) {
                statement.setString(1, target.schema());
                statement.setString(2, target.name());
                statement.setString(3, target.schema());
                statement.setString(4, target.name());
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() ? Optional.of(new Parent(TableName.of(rs.getString(3), rs.getString(4)),
                            TableName.of(rs.getString(1), rs.getString(2)))) : Optional.empty();
                }
            } finally {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
            }
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE,
                    "Cannot tell whether " + target + " is a partition: " + e.getMessage(), e);
        } finally {
            if (connection != null) {
                try {
                    connections.close(connection);
                } catch (SQLException ignored) {
                    // the lookup already succeeded or failed
                }
            }
        }
    }
}
