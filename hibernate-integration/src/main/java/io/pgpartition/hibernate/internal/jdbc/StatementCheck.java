package io.pgpartition.hibernate.internal.jdbc;

import io.pgpartition.ChildPartitionWriteException;
import io.pgpartition.ErrorCode;
import io.pgpartition.PartitionKeyChangedException;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.internal.Catalog;
import io.pgpartition.hibernate.ChildPartitionDml;
import io.pgpartition.internal.sql.DmlTargets;
import io.pgpartition.model.TableName;
import io.pgpartition.pruning.internal.Sentinel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Decides whether SQL may run before it reaches the server: a statement that assigns a partition key column of a
 * mapped table (bulk, native, {@code MERGE}, {@code ON CONFLICT DO UPDATE}) is refused, and data-changing statements
 * whose target is a partition of another table are refused, logged or allowed per {@link ChildPartitionDml}; the
 * server's refusals of the same things are translated by {@link GuardedConnections}. Each distinct statement text is read once (its write targets and
 * the columns its UPDATEs set are kept for the next time the same text runs), and each distinct target name is looked
 * up in the catalog at most once a minute, so that tables attached or detached since are judged as they are now.
 */
public final class StatementCheck {

    private static final Logger LOG = LoggerFactory.getLogger(StatementCheck.class);

    /** SQLState 25P02: the transaction has failed and ignores commands until it ends. */
    private static final String IN_FAILED_TRANSACTION = "25P02";


    /** Statement texts whose writes are kept; when this many are kept, the next new one starts the cache afresh. */
    static final int CACHED_STATEMENTS = 1024;
    /** Longer statement texts are read every time they run rather than kept. */
    static final int CACHED_LENGTH = 10_000;

    /** How long the catalog's answer for a target name is trusted. */
    static final long LOOK_UP_AGAIN_AFTER_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** The catalog's answer for a target name (empty: not a partition), and when it was given. */
    private record Known(Optional<Catalog.Parent> parent, long atNanos) {
    }

    private final ChildPartitionDml mode;
    /** A partition key column of a mapped table, and what to call it in messages. */
    public record KeyColumn(TableName table, String column, String entity, String attribute, io.pgpartition.model.PartitionStrategy strategy) {
    }

    private final Map<String, DmlTargets.Writes> statementWrites = new ConcurrentHashMap<>();
    private final Map<TableName, Known> parents = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;
    private volatile List<KeyColumn> keyColumns = List.of();
    private volatile PartitionLayouts layouts = new PartitionLayouts();
    private final Set<TableName> warned = ConcurrentHashMap.newKeySet();
    private volatile Sentinel sentinel =
            new Sentinel(Sentinel.Mode.OFF, table -> Optional.empty());

    StatementCheck(ChildPartitionDml mode) {
        this(mode, System::nanoTime);
    }

    /** With the clock the catalog answers' age is measured on (for tests). */
    StatementCheck(ChildPartitionDml mode, LongSupplier nanoTime) {
        this.mode = mode;
        this.nanoTime = nanoTime;
    }

    /** The key columns of the partitioned entities' tables, which no UPDATE may set. */
    public void protectKeys(List<KeyColumn> columns) {
        keyColumns = List.copyOf(columns);
    }

    /** The unpruned-statement sentinel that looks at the statements before they run. */
    public void watchPruning(Sentinel sentinel) {
        this.sentinel = sentinel;
    }

    /** The unpruned-statement sentinel. */
    public Sentinel sentinel() {
        return sentinel;
    }

    /** The cached layouts of the mapped tables, to tell which partition belongs to which table. */
    public void readLayoutsFrom(PartitionLayouts layouts) {
        this.layouts = layouts;
    }

    /**
     * The key column the server names: {@code relation} is the partitioned table (a routing failure, a key change) or
     * one of its partitions in the cached layout (a not-null violation in the partition the row was routed to), or
     * failing both (a partition created since the layout was read), the only mapped key column of that name; empty
     * when no key column, or more than one, matches.
     */
    Optional<KeyColumn> keyColumn(String relation, String column) {
        List<KeyColumn> named = keyColumns.stream().filter(key -> key.column().equals(column)).toList();
        List<KeyColumn> matches = named.stream().filter(key -> key.table().name().equals(relation)
                || layouts.partitionNames(key.table()).contains(relation)).toList();
        List<KeyColumn> chosen = matches.isEmpty() ? named : matches;
        return chosen.size() == 1 ? Optional.of(chosen.get(0)) : Optional.empty();
    }

    /**
     * Checks one statement before it is prepared or executed on {@code connection} (unguarded). A target name not
     * seen before is looked up on that same connection, so that the guard never needs a second connection from a
     * pool the session may have exhausted.
     */
    void check(String sql, Connection connection) {
        List<KeyColumn> keys = keyColumns;
        if (keys.isEmpty() && mode == ChildPartitionDml.ALLOW) {
            return;
        }
        DmlTargets.Writes writes = read(sql);
        if (!keys.isEmpty()) {
            checkKeyAssignments(sql, writes.assignments(), keys, connection);
        }
        if (mode == ChildPartitionDml.ALLOW) {
            return;
        }
        for (TableName target : writes.targets()) {
            Optional<Catalog.Parent> parent = parentOf(target, connection);
            if (parent == null || parent.isEmpty()) {
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
    private void checkKeyAssignments(String sql, List<DmlTargets.Assignment> assignments, List<KeyColumn> keys, Connection connection) {
        for (DmlTargets.Assignment assignment : assignments) {
            for (KeyColumn key : keys) {
                String keySchema = key.table().schema() != null ? key.table().schema() : layouts.schemaOf(key.table());
                boolean sameTable = key.table().name().equals(assignment.table().name())
                        && (keySchema == null || assignment.table().schema() == null
                        || keySchema.equals(assignment.table().schema()));
                if (sameTable && assignment.columns().contains(key.column())
                        && (assignment.table().schema() != null || keySchema == null || resolvesTo(connection, assignment.table(), keySchema))) {
                    throw new PartitionKeyChangedException(key.entity(), key.attribute(), key.column(), sql);
                }
            }
        }
    }

    /**
     * Whether an unqualified name resolves, on this connection's {@code search_path}, to the table of that name in
     * {@code schema}: asked only when a statement would be refused, so that a same-named table elsewhere on the path
     * (or a temporary one) is judged as the server will judge it. A connection that cannot be asked (its transaction
     * has failed) is taken to mean the mapped table.
     */
    private static boolean resolvesTo(Connection connection, TableName unqualified, String schema) {
        try (java.sql.PreparedStatement statement = connection.prepareStatement("SELECT pg_catalog.to_regclass(pg_catalog.quote_ident(?)) "
                + "IS NOT DISTINCT FROM pg_catalog.to_regclass(pg_catalog.quote_ident(?) || '.' || pg_catalog.quote_ident(?))")) {
            statement.setString(1, unqualified.name());
            statement.setString(2, schema);
            statement.setString(3, unqualified.name());
            try (java.sql.ResultSet rs = statement.executeQuery()) {
                return !rs.next() || rs.getBoolean(1);
            }
        } catch (SQLException e) {
            return true;
        }
    }

    /**
     * The catalog's answer for the target, from the cache while it is fresh; null when it cannot be asked now. An
     * answer is kept only where it holds whatever the {@code search_path}: for a qualified name, and for an unqualified
     * name that no schema has a partition of.
     */
    private Optional<Catalog.Parent> parentOf(TableName target, Connection connection) {
        long now = nanoTime.getAsLong();
        Known known = parents.get(target);
        if (known != null && now - known.atNanos() < LOOK_UP_AGAIN_AFTER_NANOS) {
            return known.parent();
        }
        LookUp found = lookUp(target, connection);
        if (found == null) {
            return known != null ? known.parent() : knownPartition(target);
        }
        if (found.cacheable()) {
            parents.put(target, new Known(found.parent(), now));
        } else {
            parents.remove(target);
        }
        return found.parent();
    }

    /**
     * Without the catalog (the transaction has failed, and the text may leave that state itself: {@code ROLLBACK TO
     * SAVEPOINT sp; INSERT INTO …}): whether the name is a partition of a mapped table by the cached layouts.
     */
    private Optional<Catalog.Parent> knownPartition(TableName target) {
        for (TableName table : keyColumns.stream().map(KeyColumn::table).distinct().toList()) {
            String schema = table.schema() != null ? table.schema() : layouts.schemaOf(table);
            if (layouts.partitionNames(table).contains(target.name()) && (target.schema() == null || target.schema().equals(schema))) {
                return Optional.of(new Catalog.Parent(TableName.of(schema, target.name()), TableName.of(schema, table.name())));
            }
        }
        return Optional.empty();
    }

    /** A catalog answer, and whether it holds under any {@code search_path}. */
    private record LookUp(Optional<Catalog.Parent> parent, boolean cacheable) {
    }

    /** What the statement writes, kept for texts up to {@value #CACHED_LENGTH} characters. */
    private DmlTargets.Writes read(String sql) {
        DmlTargets.Writes writes = statementWrites.get(sql);
        if (writes == null) {
            writes = DmlTargets.writes(sql);
            if (sql.length() <= CACHED_LENGTH) {
                if (statementWrites.size() >= CACHED_STATEMENTS) {
                    statementWrites.clear();
                }
                statementWrites.put(sql, writes);
            }
        }
        return writes;
    }

    /** How many statement texts are kept (for tests). */
    int cachedStatements() {
        return statementWrites.size();
    }

    /**
     * The partition and parent behind a target name, or empty when it names no partition; null when the connection's
     * transaction has already failed, where no catalog question can run (see {@link #knownPartition}).
     */
    private static LookUp lookUp(TableName target, Connection connection) {
        try {
            Catalog.PartitionNamed named = Catalog.partitionNamed(connection, target);
            return new LookUp(named.resolved(), named.conclusive());
        } catch (SQLException e) {
            if (IN_FAILED_TRANSACTION.equals(e.getSQLState())) {
                return null;
            }
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE,
                    "Cannot tell whether " + target + " is a partition: " + e.getMessage(), e);
        }
    }
}
