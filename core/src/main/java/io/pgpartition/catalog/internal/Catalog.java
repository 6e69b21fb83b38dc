package io.pgpartition.catalog.internal;

import io.pgpartition.catalog.internal.Jdbc;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.TableName;

import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The catalog questions maintenance, the server guard and the statement check ask besides reading layouts
 * ({@link io.pgpartition.catalog.CatalogReader}): each one statement whatever the number of tables named, each through {@link Jdbc}.
 */
public final class Catalog {

    private Catalog() {
    }

    private static final String EXISTING = """
            SELECT n.nspname::text, c.relname::text
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              JOIN unnest(?::text[], ?::text[]) AS w(schema_name, rel_name)
                ON n.nspname = w.schema_name AND c.relname = w.rel_name""";

    /** Which of the (schema-qualified) names exist as relations. */
    public static Set<TableName> existing(Connection connection, Collection<TableName> names) throws SQLException {
        Set<TableName> existing = new HashSet<>();
        if (!names.isEmpty()) {
            Jdbc.query(connection, EXISTING, rs -> existing.add(Jdbc.table(rs, 1)), Jdbc.schemas(names), Jdbc.names(names));
        }
        return existing;
    }

    private static final String PARTITION_STATE = """
            SELECT w.ord::int, c.oid::text || ':' || coalesce((SELECT pg_catalog.string_agg(i.inhrelid::text
                       || CASE WHEN i.inhdetachpending THEN '*' ELSE '' END, ',' ORDER BY i.inhrelid)
                     FROM pg_catalog.pg_inherits i WHERE i.inhparent = c.oid), '')
              FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS w(schema_name, rel_name, ord)
              LEFT JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(CASE WHEN w.schema_name IS NULL
                   THEN pg_catalog.quote_ident(w.rel_name)
                   ELSE pg_catalog.quote_ident(w.schema_name) || '.' || pg_catalog.quote_ident(w.rel_name) END)""";

    /**
     * Per table, its OID and its partitions' OIDs with their detach-pending flags, as one text: what another maintenance
     * run changes. Absent for a table that does not exist. Unqualified names resolve through the search path.
     */
    public static Map<TableName, String> partitionStates(Connection connection, List<TableName> tables) throws SQLException {
        Map<TableName, String> states = new HashMap<>();
        Jdbc.query(connection, PARTITION_STATE, rs -> {
            String state = rs.getString(2);
            if (state != null) {
                states.put(tables.get(rs.getInt(1) - 1), state);
            }
        }, Jdbc.schemas(tables), Jdbc.names(tables));
        return states;
    }

    private static final String REFERENCES = """
            SELECT fn.nspname::text, fc.relname::text, con.conname::text, n.nspname::text, c.relname::text
              FROM pg_catalog.pg_constraint con
              JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
              JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
              JOIN unnest(?::text[], ?::text[]) AS w(schema_name, rel_name)
                ON fn.nspname = w.schema_name AND fc.relname = w.rel_name
             WHERE con.contype = 'f'
             ORDER BY 1, 2, 3""";

    /** The foreign keys referencing each of the tables, as {@code constraint of schema.table}. */
    public static Map<TableName, List<String>> referencedBy(Connection connection, Collection<TableName> tables) throws SQLException {
        Map<TableName, List<String>> references = new HashMap<>();
        if (!tables.isEmpty()) {
            Jdbc.query(connection, REFERENCES, rs -> references.computeIfAbsent(Jdbc.table(rs, 1), k -> new ArrayList<>())
                    .add(rs.getString(3) + " of " + Jdbc.table(rs, 4)), Jdbc.schemas(tables), Jdbc.names(tables));
        }
        return references;
    }

    private static final String WITH_TRIGGER = """
            SELECT n.nspname::text, c.relname::text
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              JOIN unnest(?::text[], ?::text[]) AS w(schema_name, rel_name)
                ON n.nspname = w.schema_name AND c.relname = w.rel_name
             WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_trigger g
                            WHERE g.tgrelid = c.oid AND g.tgparentid = 0 AND g.tgname = ?)
                OR EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_trigger g ON g.tgrelid = i.inhrelid
                            WHERE i.inhparent = c.oid AND g.tgname = ?)""";

    /**
     * Which of the parent tables carry a trigger named {@code own} themselves, or have a partition carrying one named
     * {@code onPartition}.
     */
    public static Set<TableName> withTrigger(Connection connection, Collection<TableName> parents, String own, String onPartition)
            throws SQLException {
        Set<TableName> found = new HashSet<>();
        if (!parents.isEmpty()) {
            Jdbc.query(connection, WITH_TRIGGER, rs -> found.add(Jdbc.table(rs, 1)), Jdbc.schemas(parents), Jdbc.names(parents),
                    own, onPartition);
        }
        return found;
    }

    /** A partition left detach pending, with its parent and its bound as PostgreSQL prints it. */
    private static final String COLUMNAR_PARTITIONS = """
            SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_am a WHERE a.amname = 'columnar' AND a.amtype = 't'), n.nspname::text,
                   c.relname::text
              FROM (SELECT 1) AS one
              LEFT JOIN (pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                         JOIN pg_catalog.pg_am a ON a.oid = c.relam AND a.amname = 'columnar')
                ON c.oid IN (SELECT pg_catalog.to_regclass(x)::oid FROM pg_catalog.unnest(?::text[]) x)""";

    private static final String COLUMNAR_FORBIDDEN = """
            SELECT n.nspname::text, c.relname::text,
                   'foreign key ' || con.conname || CASE WHEN con.conrelid = c.oid THEN ' to ' || con.confrelid::regclass::text
                                                         ELSE ' of ' || con.conrelid::regclass::text END
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_catalog.pg_constraint con ON con.contype = 'f' AND con.conparentid = 0
                                              AND (con.conrelid = c.oid OR con.confrelid = c.oid)
             WHERE c.oid IN (SELECT pg_catalog.to_regclass(x)::oid FROM pg_catalog.unnest(?::text[]) x)
            UNION ALL
            SELECT n.nspname::text, c.relname::text, 'AFTER ROW trigger ' || g.tgname
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_catalog.pg_trigger g ON g.tgrelid = c.oid AND NOT g.tgisinternal
                                          AND (g.tgtype::int & 1) = 1 AND (g.tgtype::int & 66) = 0
             WHERE c.oid IN (SELECT pg_catalog.to_regclass(x)::oid FROM pg_catalog.unnest(?::text[]) x)
             ORDER BY 1, 2, 3""";

    /**
     * For retention to the columnar access method: whether the database has it, which of the partitions are columnar
     * already, and what each parent has that columnar tables cannot (foreign keys either way, {@code AFTER ROW}
     * triggers). Two statements.
     */
    public static io.pgpartition.maintenance.internal.Facts.Columnar columnar(Connection connection, List<TableName> parents,
                                                                              List<TableName> partitions) throws SQLException {
        String[] partitionNames = partitions.stream().map(Sql::table).toArray(String[]::new);
        boolean[] available = {false};
        Set<TableName> done = new java.util.HashSet<>();
        Jdbc.query(connection, COLUMNAR_PARTITIONS, rs -> {
            available[0] = rs.getBoolean(1);
            if (rs.getString(3) != null) {
                done.add(Jdbc.table(rs, 2));
            }
        }, (Object) partitionNames);
        Map<TableName, List<String>> forbidden = new java.util.LinkedHashMap<>();
        String[] parentNames = parents.stream().map(Sql::table).toArray(String[]::new);
        Jdbc.query(connection, COLUMNAR_FORBIDDEN, rs -> forbidden.computeIfAbsent(Jdbc.table(rs, 1), t -> new ArrayList<>())
                .add(rs.getString(3)), parentNames, parentNames);
        return new io.pgpartition.maintenance.internal.Facts.Columnar(available[0], done, forbidden);
    }

    public record PendingDetach(TableName partition, TableName parent, String bound) {
    }

    private static final String DETACH_PENDING = """
            SELECT n.nspname::text, c.relname::text, pn.nspname::text, p.relname::text,
                   pg_catalog.pg_get_expr(c.relpartbound, c.oid)
              FROM pg_catalog.pg_inherits i
              JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
              JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
             WHERE i.inhdetachpending
             ORDER BY 3, 4, 1, 2""";

    /** Every partition in the database left detach pending by an interrupted {@code DETACH ... CONCURRENTLY}. */
    public static List<PendingDetach> pendingDetaches(Connection connection) throws SQLException {
        return Jdbc.list(connection, DETACH_PENDING, rs -> new PendingDetach(Jdbc.table(rs, 1), Jdbc.table(rs, 3), rs.getString(5)));
    }

    /** Whether a partition is detach pending (false for a table that is no partition). */
    public static boolean isDetachPending(Connection connection, TableName partition) throws SQLException {
        return Jdbc.first(connection, "SELECT i.inhdetachpending FROM pg_catalog.pg_inherits i WHERE i.inhrelid = ?::regclass",
                rs -> rs.getBoolean(1), Sql.table(partition)).orElse(false);
    }

    /** A plain table and its comment. */
    public record Commented(TableName table, String comment) {
    }

    private static final String COMMENTED = """
            SELECT n.nspname::text, c.relname::text, d.description
              FROM pg_catalog.pg_description d
              JOIN pg_catalog.pg_class c ON c.oid = d.objoid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objsubid = 0
               AND c.relkind = 'r' AND NOT c.relispartition AND pg_catalog.starts_with(d.description, ?)
             ORDER BY 1, 2""";

    /** The plain tables (not partitions) whose comment starts with {@code prefix}. */
    public static List<Commented> plainTablesCommented(Connection connection, String prefix) throws SQLException {
        return Jdbc.list(connection, COMMENTED, rs -> new Commented(Jdbc.table(rs, 1), rs.getString(3)), prefix);
    }

    /**
     * What the current role may do with schemas.
     *
     * @param role          the role's name
     * @param createsSchema whether it may create schemas in the database
     * @param schemas       per schema asked that exists, whether the role has USAGE and CREATE on it
     */
    public record SchemaAccess(String role, boolean createsSchema, Map<String, Boolean> schemas) {
    }

    private static final String SCHEMA_ACCESS = """
            SELECT CURRENT_USER::text, pg_catalog.has_database_privilege(pg_catalog.current_database(), 'CREATE'),
                   s.name, n.oid IS NOT NULL, n.oid IS NOT NULL AND pg_catalog.has_schema_privilege(n.oid, 'USAGE')
                   AND pg_catalog.has_schema_privilege(n.oid, 'CREATE')
              FROM (SELECT 1) AS one
              LEFT JOIN unnest(?::text[]) AS s(name) ON TRUE
              LEFT JOIN pg_catalog.pg_namespace n ON n.nspname = s.name""";

    /** The current role, whether it may create schemas, and whether it may create tables in each of {@code schemas}. */
    public static SchemaAccess schemaAccess(Connection connection, Collection<String> schemas) throws SQLException {
        String[] role = {null};
        boolean[] createsSchema = {false};
        Map<String, Boolean> usable = new LinkedHashMap<>();
        Jdbc.query(connection, SCHEMA_ACCESS, rs -> {
            role[0] = rs.getString(1);
            createsSchema[0] = rs.getBoolean(2);
            if (rs.getString(3) != null && rs.getBoolean(4)) {
                usable.put(rs.getString(3), rs.getBoolean(5));
            }
        }, (Object) schemas.toArray(String[]::new));
        return new SchemaAccess(role[0], createsSchema[0], usable);
    }

    private static final String NOT_OWNED = """
            SELECT n.nspname::text, c.relname::text, pg_catalog.pg_get_userbyid(c.relowner)::text
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              JOIN unnest(?::text[], ?::text[]) AS w(schema_name, rel_name)
                ON n.nspname = w.schema_name AND c.relname = w.rel_name
             WHERE NOT pg_catalog.pg_has_role(c.relowner, 'USAGE')""";

    /** Of the tables, those whose owner's privileges the current role does not have, with the owner's name. */
    public static Map<TableName, String> notOwned(Connection connection, Collection<TableName> tables) throws SQLException {
        Map<TableName, String> owners = new HashMap<>();
        if (!tables.isEmpty()) {
            Jdbc.query(connection, NOT_OWNED, rs -> owners.put(Jdbc.table(rs, 1), rs.getString(3)), Jdbc.schemas(tables),
                    Jdbc.names(tables));
        }
        return owners;
    }

    private static final String INSERTABLE_COLUMNS = """
            SELECT a.attname::text
              FROM pg_catalog.pg_attribute a
             WHERE a.attrelid = ?::regclass AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
             ORDER BY a.attnum""";

    /** The columns of a table that an INSERT can set (not generated, not dropped), in order. */
    public static List<String> insertableColumns(Connection connection, TableName table) throws SQLException {
        return Jdbc.list(connection, INSERTABLE_COLUMNS, rs -> rs.getString(1), Sql.table(table));
    }

    /** Another session holding a lock: its pid, state, when its transaction started and (the start of) what it ran. */
    public record LockHolder(int pid, String state, String since, String query) {
    }

    private static final String LOCK_HOLDERS = """
            SELECT a.pid, coalesce(a.state, 'unknown'), date_trunc('second', a.xact_start)::text,
                   left(regexp_replace(coalesce(a.query, ''), '\\s+', ' ', 'g'), 80)
              FROM pg_catalog.pg_stat_activity a
             WHERE a.pid <> pg_catalog.pg_backend_pid()
               AND a.xact_start < pg_catalog.statement_timestamp() - greatest(?::interval,
                                                                              pg_catalog.current_setting('lock_timeout')::interval)
               AND a.pid IN (SELECT l.pid FROM pg_catalog.pg_locks l
                              WHERE l.granted AND l.locktype = 'relation' AND l.database = (SELECT oid FROM pg_catalog.pg_database
                                    WHERE datname = pg_catalog.current_database())
                                AND l.relation IN (SELECT ?::regclass UNION ALL SELECT i.inhrelid FROM pg_catalog.pg_inherits i
                                                    WHERE i.inhparent = ?::regclass))
             ORDER BY a.xact_start NULLS LAST
             LIMIT 5""";

    /**
     * Other sessions holding a lock on a parent table or one of its partitions in a transaction older than
     * {@code waited} and than the lock timeout, oldest transaction first, at most 5. A session that held its lock
     * through every attempt of a run began before the run; a writer that queued behind the run's own lock, and got it
     * when the run gave up, began later and is no blocker.
     *
     * @param waited how long ago the run's first attempt began
     */
    public static List<LockHolder> lockHolders(Connection connection, TableName parent, Duration waited) throws SQLException {
        return Jdbc.list(connection, LOCK_HOLDERS, rs -> new LockHolder(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                waited.toMillis() + " milliseconds", Sql.table(parent), Sql.table(parent));
    }

    /**
     * The partitions a target name could mean.
     *
     * @param resolved   the partition the name resolves to under the current {@code search_path}, with its parent
     * @param conclusive whether the answer holds whatever the {@code search_path}: the name is qualified, or no
     *                   partition of that name exists in any schema
     */
    public record PartitionNamed(Optional<Parent> resolved, boolean conclusive) {
    }

    /** A partition and its parent. */
    public record Parent(TableName partition, TableName parent) {
    }

    private static final String PARTITIONS_NAMED = """
            SELECT pn.nspname::text, p.relname::text, cn.nspname::text, c.relname::text,
                   c.oid = pg_catalog.to_regclass(CASE WHEN ?::text IS NULL THEN pg_catalog.quote_ident(?)
                           ELSE pg_catalog.quote_ident(?) || '.' || pg_catalog.quote_ident(?) END)
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace
              JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid
              JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
              JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
             WHERE c.relispartition AND c.relname = ? AND (?::text IS NULL OR cn.nspname = ?)""";

    /**
     * Every partition the target name could mean: of that name in its schema, or in any schema for an unqualified name,
     * and the one it resolves to under the current {@code search_path}.
     */
    public static PartitionNamed partitionNamed(Connection connection, TableName target) throws SQLException {
        List<Optional<Parent>> rows = Jdbc.list(connection, PARTITIONS_NAMED, rs -> rs.getBoolean(5)
                        ? Optional.of(new Parent(Jdbc.table(rs, 3), Jdbc.table(rs, 1))) : Optional.<Parent>empty(),
                target.schema(), target.name(), target.schema(), target.name(), target.name(), target.schema(), target.schema());
        Optional<Parent> resolved = rows.stream().flatMap(Optional::stream).findFirst();
        return new PartitionNamed(resolved, target.schema() != null || rows.isEmpty());
    }

    /** The names of a table's indexes, in name order; empty when the table does not exist. */
    public static List<String> indexNames(Connection connection, TableName table) throws SQLException {
        return Jdbc.list(connection, """
                SELECT c.relname::text FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
                 WHERE i.indrelid = pg_catalog.to_regclass(?) ORDER BY 1""", rs -> rs.getString(1), Sql.table(table));
    }

    /** The value of a setting for this session ({@code current_setting}). */
    public static String setting(Connection connection, String name) throws SQLException {
        return Jdbc.first(connection, "SELECT pg_catalog.current_setting(?)", rs -> rs.getString(1), name).orElseThrow();
    }

    /**
     * The name qualified by the schema the search path resolves it to (the current schema when no relation has that
     * name); a qualified name as it is.
     */
    public static TableName qualified(Connection connection, TableName table) throws SQLException {
        return table.isQualified() ? table : qualified(connection, List.of(table)).get(0);
    }

    /** {@link #qualified(Connection, TableName)} of each name, in order, in one statement. */
    public static List<TableName> qualified(Connection connection, List<TableName> tables) throws SQLException {
        String[] written = tables.stream().filter(table -> !table.isQualified()).map(Sql::table).toArray(String[]::new);
        Map<String, String> schemas = new HashMap<>();
        if (written.length > 0) {
            Jdbc.query(connection, "SELECT t.written, coalesce(n.nspname::text, pg_catalog.current_schema()::text) "
                    + "FROM unnest(?::text[]) AS t(written) LEFT JOIN pg_catalog.pg_class c ON c.oid = pg_catalog.to_regclass(t.written) "
                    + "LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace",
                    rs -> schemas.put(rs.getString(1), rs.getString(2)), (Object) written);
        }
        return tables.stream().map(table -> table.isQualified() ? table
                : TableName.of(schemas.getOrDefault(Sql.table(table), "public"), table.name())).toList();
    }

    /**
     * A partition and the constraint its bound implies ({@code TRUE} for a default partition of a table with no other).
     *
     * @param oid the partition's OID
     */
    public record PartitionConstraint(long oid, String name, String constraint) {
    }

    /** The partitions of a table with their implied constraints, the default partition last. */
    public static List<PartitionConstraint> partitionConstraints(Connection connection, TableName parent) throws SQLException {
        return Jdbc.list(connection, """
                SELECT c.oid::bigint, c.relname::text, pg_catalog.pg_get_partition_constraintdef(c.oid)
                  FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = ?::regclass
                 ORDER BY pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT', 2""",
                rs -> new PartitionConstraint(rs.getLong(1), rs.getString(2), rs.getString(3) == null ? "TRUE" : rs.getString(3)),
                Sql.table(parent));
    }

    /** Whether the current role is, or is a member of, the owner of the table (false when it does not exist). */
    public static boolean ownsTable(Connection connection, TableName table) throws SQLException {
        return Jdbc.first(connection, "SELECT pg_catalog.pg_has_role(c.relowner, 'USAGE') FROM pg_catalog.pg_class c "
                + "WHERE c.oid = pg_catalog.to_regclass(?)", rs -> rs.getBoolean(1), Sql.table(table)).orElse(false);
    }

    /** The autovacuum workers holding a lock on the tables or their partitions, as {@code pid (relation)}. */
    public static List<String> autovacuumHolders(Connection connection, List<TableName> tables) throws SQLException {
        return Jdbc.list(connection, """
                SELECT DISTINCT a.pid || ' (' || l.relation::regclass::text || ')'
                  FROM pg_catalog.pg_locks l
                  JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
                 WHERE a.backend_type = 'autovacuum worker' AND l.locktype = 'relation' AND l.granted
                   AND l.relation IN (SELECT t.relid FROM pg_catalog.unnest(?::text[]) r(name),
                                             LATERAL pg_catalog.pg_partition_tree(pg_catalog.to_regclass(r.name)) t)
                 ORDER BY 1""", rs -> rs.getString(1), (Object) tables.stream().map(Sql::table).toArray(String[]::new));
    }

    /** Every partition below a table, at every level. */
    public static List<TableName> partitionsBelow(Connection connection, TableName table) throws SQLException {
        return Jdbc.list(connection, """
                SELECT n.nspname::text, c.relname::text
                  FROM pg_catalog.pg_partition_tree(?::regclass) t
                  JOIN pg_catalog.pg_class c ON c.oid = t.relid
                  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE t.level > 0""", rs -> Jdbc.table(rs, 1), Sql.table(table));
    }

    /**
     * What the current role may do with a table.
     *
     * @param readsAndWrites whether it has SELECT, INSERT, UPDATE and DELETE on it
     * @param hasColumn      whether the table has the column asked about
     */
    public record TableAccess(boolean readsAndWrites, String owner, String role, boolean hasColumn) {
    }

    /** What the current role may do with a table, and whether it has a column; empty when the table does not exist. */
    public static Optional<TableAccess> tableAccess(Connection connection, TableName table, String column) throws SQLException {
        return Jdbc.first(connection, """
                SELECT pg_catalog.has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE'),
                       pg_catalog.pg_get_userbyid(c.relowner)::text, CURRENT_USER::text,
                       EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = c.oid AND a.attname = ? AND NOT a.attisdropped)
                  FROM pg_catalog.pg_class c
                 WHERE c.oid = pg_catalog.to_regclass(?)""",
                rs -> new TableAccess(rs.getBoolean(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)), column, Sql.table(table));
    }
}
