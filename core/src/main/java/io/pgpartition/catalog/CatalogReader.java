package io.pgpartition.catalog;

import io.pgpartition.catalog.internal.CitusCatalog;
import io.pgpartition.catalog.internal.Jdbc;
import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.internal.sql.SqlLexer;
import io.pgpartition.model.ColumnType;
import io.pgpartition.model.DefaultBound;
import io.pgpartition.model.HashBound;
import io.pgpartition.model.KeyPart;
import io.pgpartition.model.ListBound;
import io.pgpartition.model.Partition;
import io.pgpartition.model.PartitionBound;
import io.pgpartition.model.PartitionKey;
import io.pgpartition.model.PartitionStrategy;
import io.pgpartition.model.PartitionedTable;
import io.pgpartition.model.RangeBound;
import io.pgpartition.model.RangeValue;
import io.pgpartition.model.TableName;
import io.pgpartition.model.ValueKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.HashSet;

/**
 * Reads partitioning facts from PostgreSQL's catalog with a fixed number of queries, however many tables and
 * partitions there are: which relations exist and what they are, partition trees with their keys and bounds,
 * columns, unique constraints and incoming foreign keys.
 *
 * <p>The server version is checked on the first read: PostgreSQL 14 to 18 is supported, an older server gets a
 * {@link PartitioningException} with {@link ErrorCode#SERVER_UNSUPPORTED}. One reader may serve many reads; it is
 * safe to share between threads.
 */
public final class CatalogReader {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogReader.class);

    private static final String SESSION = """
            SELECT pg_catalog.current_setting('server_version_num')::int,
                   pg_catalog.current_setting('server_version'),
                   """ + CitusCatalog.VERSION_COLUMN;

    private static final String RESOLVE_NAMED = """
            SELECT r.ord::int,
                   CASE WHEN r.schema_name IS NULL
                        THEN pg_catalog.to_regclass(pg_catalog.quote_ident(r.table_name))
                        ELSE pg_catalog.to_regclass(pg_catalog.quote_ident(r.schema_name) || '.' || pg_catalog.quote_ident(r.table_name))
                   END::oid::bigint
              FROM ROWS FROM (pg_catalog.unnest(?::text[]), pg_catalog.unnest(?::text[])) WITH ORDINALITY AS r(schema_name, table_name, ord)""";

    private static final String RESOLVE_ALL_PARTITIONED = """
            SELECT 0, c.oid::bigint
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind = 'p' AND NOT c.relispartition
               AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'""";

    /**
     * The requested relations, the roots of requested partitions, and every partition below those roots. Walks
     * pg_inherits itself instead of calling pg_partition_tree(), which locks every partition it lists (thousands of
     * partitions would exhaust a default lock table); joins pg_class through LATERAL so each row is an index lookup
     * whatever the planner guesses about the recursion; deparses bounds without a relation context, which bounds
     * (constants only) do not need and which costs four times as much per partition.
     */
    private static final String RELATIONS = """
            WITH RECURSIVE requested AS (
                SELECT DISTINCT r.relid::oid AS relid FROM pg_catalog.unnest(?::bigint[]) AS r(relid)
            ), described AS (
                SELECT relid FROM requested
                UNION
                SELECT pg_catalog.pg_partition_root(relid) FROM requested
                 WHERE pg_catalog.pg_partition_root(relid) <> relid
            ), tree AS (
                SELECT d.relid, NULL::oid AS parent, COALESCE(pg_catalog.pg_partition_root(d.relid), d.relid) AS root
                  FROM described d
                UNION
                SELECT i.inhrelid, i.inhparent, t.root
                  FROM tree t
                  JOIN pg_catalog.pg_partitioned_table pt ON pt.partrelid = t.relid
                  JOIN pg_catalog.pg_inherits i ON i.inhparent = t.relid
                 WHERE t.relid <> ALL (?::bigint[]::oid[])
            )
            SELECT r.*
              FROM (SELECT relid, max(parent) AS parent, max(root) AS root,
                           pg_catalog.bool_or(relid IN (SELECT relid FROM described)) AS described
                      FROM tree GROUP BY relid) AS t
             CROSS JOIN LATERAL (
                   SELECT c.oid::bigint, n.nspname::text, c.relname::text, c.relkind::text,
                          t.parent::bigint,
                          CASE WHEN c.relispartition THEN t.root::bigint END,
                          CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, 0) END,
                          pt.partstrat::text,
                          CASE WHEN pt.partrelid IS NOT NULL THEN pg_catalog.pg_get_partkeydef(c.oid) END,
                          c.reltuples::bigint,
                          t.described
                     FROM pg_catalog.pg_class c
                     JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                     LEFT JOIN pg_catalog.pg_partitioned_table pt ON pt.partrelid = c.oid
                    WHERE c.oid = t.relid) AS r""";

    /**
     * For focused tables: the partitions named in the focus (looked up by name in the parent's schema, then checked
     * to be partitions of it), the default partition, and every partition that is partitioned itself with the whole
     * tree below it (sub-partition keys are partition keys, which validation must see wherever they are), with the
     * same columns as {@link #RELATIONS}.
     */
    private static final String FOCUSED_PARTITIONS = """
            WITH wanted AS (
                SELECT f.parent::oid AS parent, c.oid AS relid
                  FROM ROWS FROM (pg_catalog.unnest(?::bigint[]), pg_catalog.unnest(?::text[])) AS f(parent, name)
                  JOIN pg_catalog.pg_class p ON p.oid = f.parent::oid
                  JOIN pg_catalog.pg_class c ON c.relname = f.name AND c.relnamespace = p.relnamespace
                  JOIN pg_catalog.pg_inherits i ON i.inhrelid = c.oid AND i.inhparent = p.oid
                UNION
                SELECT pt.partrelid, pt.partdefid
                  FROM pg_catalog.pg_partitioned_table pt
                 WHERE pt.partrelid = ANY (?::bigint[]::oid[]) AND pt.partdefid <> 0
                UNION
                SELECT t.parentrelid, t.relid
                  FROM pg_catalog.pg_inherits i
                  JOIN pg_catalog.pg_class s ON s.oid = i.inhrelid AND s.relkind = 'p'
                 CROSS JOIN LATERAL pg_catalog.pg_partition_tree(s.oid) AS t
                 WHERE i.inhparent = ANY (?::bigint[]::oid[])
            )
            SELECT c.oid::bigint, n.nspname::text, c.relname::text, c.relkind::text, w.parent::bigint,
                   pg_catalog.pg_partition_root(c.oid)::bigint,
                   pg_catalog.pg_get_expr(c.relpartbound, 0),
                   pt.partstrat::text,
                   CASE WHEN pt.partrelid IS NOT NULL THEN pg_catalog.pg_get_partkeydef(c.oid) END,
                   c.reltuples::bigint,
                   false
              FROM wanted w
              JOIN pg_catalog.pg_class c ON c.oid = w.relid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              LEFT JOIN pg_catalog.pg_partitioned_table pt ON pt.partrelid = c.oid""";

    /** How many partitions each focused table has, counted on pg_inherits' index. */
    private static final String PARTITION_COUNTS = """
            SELECT i.inhparent::bigint, pg_catalog.count(*)::int
              FROM pg_catalog.pg_inherits i
             WHERE i.inhparent = ANY (?::bigint[]::oid[])
             GROUP BY i.inhparent""";

    /** Type facts shared by the key and column queries: base type name, kind, enum labels. */
    private static final String TYPE_COLUMNS = """
                   bt.typname::text,
                   bt.typtype::text,
                   (SELECT pg_catalog.array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
                      FROM pg_catalog.pg_enum e WHERE e.enumtypid = bt.oid),
                   CASE WHEN ty.typtype = 'd' THEN pg_catalog.format_type(bt.oid, ty.typtypmod) END""";

    /**
     * Each key part with its type, and how the server compares it: the collation (the database's for the default
     * one; {@code datlocprovider} is read through {@code to_jsonb} because PostgreSQL 14 has no such column), whether
     * it orders by code point and is deterministic, and whether the operator class is the type's default.
     */
    private static final String KEY_PARTS = """
            SELECT pt.partrelid::bigint, k.ord::int, a.attname::text,
                   pg_catalog.format_type(ty.oid, a.atttypmod),
            """ + TYPE_COLUMNS + """
            ,
                   co.collname::text,
                   CASE WHEN k.collid = 0 THEN true
                        WHEN co.collprovider = 'd' THEN
                             (SELECT CASE COALESCE(pg_catalog.to_jsonb(d) ->> 'datlocprovider', 'c')
                                          WHEN 'b' THEN true
                                          WHEN 'c' THEN d.datcollate IN ('C', 'POSIX')
                                          ELSE false END
                                FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database())
                        WHEN co.collprovider = 'b' THEN true
                        WHEN co.collprovider = 'c' THEN co.collcollate IN ('C', 'POSIX')
                        ELSE false END,
                   COALESCE(co.collisdeterministic, true),
                   COALESCE(oc.opcdefault, true)
              FROM pg_catalog.pg_partitioned_table pt
             CROSS JOIN LATERAL ROWS FROM (pg_catalog.unnest(pt.partattrs::int2[]), pg_catalog.unnest(pt.partclass::oid[]),
                                          pg_catalog.unnest(pt.partcollation::oid[]))
                   WITH ORDINALITY AS k(attnum, opclass, collid, ord)
              LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = k.attnum AND k.attnum <> 0
              LEFT JOIN pg_catalog.pg_opclass oc ON oc.oid = k.opclass
              LEFT JOIN pg_catalog.pg_collation co ON co.oid = k.collid
              JOIN pg_catalog.pg_type ty ON ty.oid = COALESCE(a.atttypid, oc.opcintype)
              JOIN pg_catalog.pg_type bt ON bt.oid = COALESCE(NULLIF(ty.typbasetype, 0), ty.oid)
             WHERE pt.partrelid = ANY (?::bigint[]::oid[])
             ORDER BY 1, 2""";

    private static final String COLUMNS = """
            SELECT a.attrelid::bigint, a.attname::text, a.attnum::int, a.attnotnull,
                   pg_catalog.format_type(a.atttypid, a.atttypmod),
            """ + TYPE_COLUMNS + """

              FROM pg_catalog.pg_attribute a
              JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
              JOIN pg_catalog.pg_type bt ON bt.oid = COALESCE(NULLIF(ty.typbasetype, 0), ty.oid)
             WHERE a.attrelid = ANY (?::bigint[]::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY 1, 3""";

    private static final String UNIQUE = """
            SELECT x.indrelid::bigint,
                   COALESCE(con.conname, ic.relname)::text,
                   x.indisprimary,
                   ARRAY(SELECT CASE WHEN k.attnum = 0 THEN NULL ELSE a.attname::text END
                           FROM pg_catalog.unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                           LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                          WHERE k.ord <= x.indnkeyatts
                          ORDER BY k.ord),
                   x.indpred IS NOT NULL
              FROM pg_catalog.pg_index x
              JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid
              LEFT JOIN pg_catalog.pg_constraint con ON con.conindid = x.indexrelid AND con.conrelid = x.indrelid
                   AND con.contype IN ('p', 'u')
             WHERE x.indrelid = ANY (?::bigint[]::oid[]) AND x.indisunique
             ORDER BY 1, NOT x.indisprimary, 2""";

    private static final String INCOMING_FOREIGN_KEYS = """
            SELECT con.confrelid::bigint, con.conname::text, n.nspname::text, c.relname::text,
                   ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                           JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                          ORDER BY k.ord),
                   ARRAY(SELECT a.attname::text FROM pg_catalog.unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                           JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
                          ORDER BY k.ord)
              FROM pg_catalog.pg_constraint con
              JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE con.contype = 'f' AND con.conparentid = 0 AND con.confrelid = ANY (?::bigint[]::oid[])
             ORDER BY 1, 3, 4, 2""";

    private volatile ServerVersion checkedServer;
    /** The citus extension's version, "" where it is not installed; read with the server version. */
    private volatile String citusVersion;

    /**
     * Reads the given tables. Unqualified names resolve through the connection's search path. For a table that is a
     * partition, the root of its partition tree is read too.
     */
    public CatalogSnapshot read(Connection connection, Collection<TableName> tables) {
        return read(connection, tables, Map.of());
    }

    /**
     * Reads the given tables, listing for each table in {@code focus} only the partitions named there (in the
     * parent's schema) and its default partition: a partial layout whose {@link PartitionedTable#partitionCount()}
     * still counts every partition. Costs two statements more than a full read, and nothing per partition of a
     * focused table, which makes checking a few expected partitions of very large tables cheap.
     *
     * @param focus partition names by table (as written in {@code tables})
     */
    public CatalogSnapshot read(Connection connection, Collection<TableName> tables, Map<TableName, Set<String>> focus) {
        return readNamed(connection, tables, focus, true);
    }

    /**
     * Reads the given tables' partition layouts (key, partitions, bounds) and what they are, in three statements
     * instead of six (plus the server version check on a reader's first read): the snapshot's {@link Relation}s carry
     * name, kind, parent and root, but their columns, unique constraints and foreign keys pointing at them are not read
     * and are empty. For callers that plan from layouts only
     * (maintenance, routing); validate mappings from a full {@link #read}.
     */
    public CatalogSnapshot readLayouts(Connection connection, Collection<TableName> tables) {
        return readNamed(connection, tables, Map.of(), false);
    }

    /** Reads every partitioned table at the top of a partition tree, outside the system schemas. */
    public CatalogSnapshot readAllPartitioned(Connection connection) {
        return read(connection, List.of(), Map.of(), true, RESOLVE_ALL_PARTITIONED);
    }

    private CatalogSnapshot readNamed(Connection connection, Collection<TableName> tables, Map<TableName, Set<String>> focus,
                                      boolean full) {
        List<TableName> requested = List.copyOf(tables);
        String[] schemas = requested.stream().map(TableName::schema).toArray(String[]::new);
        String[] names = requested.stream().map(TableName::name).toArray(String[]::new);
        return read(connection, requested, focus, full, RESOLVE_NAMED, schemas, names);
    }

    private CatalogSnapshot read(Connection connection, List<TableName> requested, Map<TableName, Set<String>> focus,
                                 boolean full, String resolveSql, Object... resolveArgs) {
        try {
            requirePostgres(connection);
            checkServer(connection);
            return readRelations(connection, requested, focus, full, resolveSql, resolveArgs);
        } catch (SQLException e) {
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE,
                    "Cannot read the PostgreSQL catalog: " + e.getMessage(), e);
        }
    }

    private CatalogSnapshot readRelations(Connection connection, List<TableName> requested, Map<TableName, Set<String>> focus,
                                          boolean full, String resolveSql, Object... resolveArgs) throws SQLException {
        Map<Integer, Long> resolvedOids = new LinkedHashMap<>();
        List<Long> targets = new ArrayList<>();
        Jdbc.query(connection, resolveSql, rs -> {
            long oid = rs.getLong(2);
            if (!rs.wasNull()) {
                resolvedOids.put(rs.getInt(1), oid);
                targets.add(oid);
            }
        }, resolveArgs);
        List<Long> focusedParents = new ArrayList<>();
        List<String> focusedNames = new ArrayList<>();
        Set<Long> focused = new HashSet<>();
        resolvedOids.forEach((ordinal, oid) -> {
            Set<String> wanted = ordinal > 0 ? focus.get(requested.get(ordinal - 1)) : null;
            if (wanted != null) {
                focused.add(oid);
                wanted.forEach(name -> {
                    focusedParents.add(oid);
                    focusedNames.add(name);
                });
            }
        });
        Long[] focusedOids = focused.toArray(Long[]::new);

        Map<Long, RelationRow> unordered = new HashMap<>();
        Jdbc.RowReader relationRow = rs -> {
            RelationRow row = new RelationRow(rs.getLong(1), TableName.of(rs.getString(2), rs.getString(3)),
                    RelationKind.fromCatalogCode(rs.getString(4)), nullableLong(rs, 5), nullableLong(rs, 6),
                    rs.getString(7), rs.getString(8), rs.getString(9), rs.getLong(10), rs.getBoolean(11));
            unordered.putIfAbsent(row.oid, row);
        };
        Jdbc.query(connection, RELATIONS, relationRow, targets.toArray(Long[]::new), focusedOids);
        Map<Long, Integer> counts = new HashMap<>();
        if (!focused.isEmpty()) {
            Jdbc.query(connection, FOCUSED_PARTITIONS, relationRow, focusedParents.toArray(Long[]::new),
                    focusedNames.toArray(String[]::new), focusedOids, focusedOids);
            Jdbc.query(connection, PARTITION_COUNTS, rs -> counts.put(rs.getLong(1), rs.getInt(2)), (Object) focusedOids);
        }
        Map<Long, RelationRow> rows = new LinkedHashMap<>();
        unordered.values().stream().sorted((a, b) -> a.name.compareTo(b.name)).forEach(row -> rows.put(row.oid, row));

        Long[] partitioned = rows.values().stream().filter(r -> r.strategy != null).map(r -> r.oid).toArray(Long[]::new);
        Long[] described = rows.values().stream().filter(r -> r.described).map(r -> r.oid).toArray(Long[]::new);

        Map<Long, List<KeyPart>> keys = new HashMap<>();
        Jdbc.query(connection, KEY_PARTS, rs -> {
            long relid = rs.getLong(1);
            String column = rs.getString(3);
            ColumnType type = columnType(rs, 4);
            KeyPart.Comparison comparison = new KeyPart.Comparison(rs.getString(9), rs.getBoolean(10), rs.getBoolean(11),
                    rs.getBoolean(12));
            List<KeyPart> parts = keys.computeIfAbsent(relid, k -> new ArrayList<>());
            parts.add(column != null ? new KeyPart(column, null, type, comparison)
                    : new KeyPart(null, expressionAt(rows.get(relid).keyDefinition, parts.size()), type, comparison));
        }, (Object) partitioned);

        Map<Long, List<Column>> columns = new HashMap<>();
        Map<Long, List<UniqueConstraint>> uniques = new HashMap<>();
        Map<Long, List<ForeignKey>> incoming = new HashMap<>();
        if (!full) {
            return assemble(requested, resolvedOids, rows, keys, columns, uniques, incoming, counts, citus(connection, rows));
        }
        Jdbc.query(connection, COLUMNS, rs -> columns.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                .add(new Column(rs.getString(2), columnType(rs, 5), rs.getBoolean(4), rs.getInt(3))), (Object) described);

        Jdbc.query(connection, UNIQUE, rs -> {
            String[] names = (String[]) rs.getArray(4).getArray();
            List<String> keyColumns = Arrays.stream(names).map(n -> n == null ? "(expression)" : n).toList();
            uniques.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                    .add(new UniqueConstraint(rs.getString(2), rs.getBoolean(3), keyColumns, rs.getBoolean(5)));
        }, (Object) described);

        Jdbc.query(connection, INCOMING_FOREIGN_KEYS, rs -> {
            long referenced = rs.getLong(1);
            incoming.computeIfAbsent(referenced, k -> new ArrayList<>()).add(new ForeignKey(rs.getString(2),
                    TableName.of(rs.getString(3), rs.getString(4)), textArray(rs.getArray(5)),
                    rows.get(referenced).name, textArray(rs.getArray(6))));
        }, (Object) described);

        return assemble(requested, resolvedOids, rows, keys, columns, uniques, incoming, counts, citus(connection, rows));
    }

    private CatalogSnapshot assemble(List<TableName> requested, Map<Integer, Long> resolvedOids, Map<Long, RelationRow> rows,
                                     Map<Long, List<KeyPart>> keys, Map<Long, List<Column>> columns,
                                     Map<Long, List<UniqueConstraint>> uniques, Map<Long, List<ForeignKey>> incoming,
                                     Map<Long, Integer> counts, CitusFacts citus) {
        Map<TableName, TableName> resolved = new HashMap<>();
        resolvedOids.forEach((ordinal, oid) -> {
            if (ordinal > 0) {
                resolved.put(requested.get(ordinal - 1), rows.get(oid).name);
            }
        });
        Map<Long, List<RelationRow>> children = new HashMap<>();
        for (RelationRow row : rows.values()) {
            if (row.parent != null) {
                children.computeIfAbsent(row.parent, k -> new ArrayList<>()).add(row);
            }
        }
        Map<TableName, PartitionedTable> tables = new HashMap<>();
        Map<TableName, String> unreadable = new HashMap<>();
        for (RelationRow row : rows.values()) {
            if (row.strategy == null) {
                continue;
            }
            PartitionKey key = new PartitionKey(PartitionStrategy.fromCatalogCode(row.strategy), keys.get(row.oid));
            List<Partition> partitions = new ArrayList<>();
            try {
                for (RelationRow child : children.getOrDefault(row.oid, List.of())) {
                    partitions.add(new Partition(child.name, bound(key, child), child.strategy != null, child.estimatedRows));
                }
            } catch (PartitioningException unreadableBound) {
                unreadable.put(row.name, unreadableBound.getMessage());
                continue;
            }
            tables.put(row.name, new PartitionedTable(row.name, key, partitions, counts.getOrDefault(row.oid, partitions.size())));
        }
        Map<TableName, Relation> relations = new HashMap<>();
        for (RelationRow row : rows.values()) {
            if (row.described) {
                relations.put(row.name, new Relation(row.name, row.kind,
                        Optional.ofNullable(row.parent).map(p -> rows.get(p).name),
                        Optional.ofNullable(row.root).map(p -> rows.get(p).name),
                        columns.getOrDefault(row.oid, List.of()), uniques.getOrDefault(row.oid, List.of()),
                        incoming.getOrDefault(row.oid, List.of())));
            }
        }
        return new CatalogSnapshot(checkedServer, resolved, relations, tables, unreadable).withCitus(citus);
    }

    private static PartitionBound bound(PartitionKey key, RelationRow child) {
        BoundParser.Parsed parsed = BoundParser.parse(child.bound);
        try {
            if (parsed instanceof BoundParser.Default) {
                return DefaultBound.INSTANCE;
            }
            if (parsed instanceof BoundParser.Hash hash) {
                return new HashBound(hash.modulus(), hash.remainder());
            }
            if (parsed instanceof BoundParser.InList list) {
                ColumnType type = key.parts().get(0).type();
                List<Object> values = new ArrayList<>();
                for (BoundParser.Datum datum : list.values()) {
                    values.add(datum.kind() == BoundParser.Datum.Kind.NULL ? null : type.parse(datum.text()));
                }
                return new ListBound(values);
            }
            BoundParser.Range range = (BoundParser.Range) parsed;
            return new RangeBound(rangeValues(key, range.from()), rangeValues(key, range.to()));
        } catch (RuntimeException e) {
            if (e instanceof PartitioningException) {
                throw e;
            }
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE,
                    "Cannot read bound '" + child.bound + "' of partition " + child.name + " for key " + key + ": "
                            + e.getMessage(), e);
        }
    }

    private static List<RangeValue> rangeValues(PartitionKey key, List<BoundParser.Datum> datums) {
        List<RangeValue> values = new ArrayList<>();
        for (int i = 0; i < datums.size(); i++) {
            BoundParser.Datum datum = datums.get(i);
            values.add(switch (datum.kind()) {
                case MINVALUE -> RangeValue.MINVALUE;
                case MAXVALUE -> RangeValue.MAXVALUE;
                case LITERAL -> RangeValue.of(key.parts().get(i).type().parse(datum.text()));
                case NULL -> throw new IllegalArgumentException("NULL in a range bound");
            });
        }
        return values;
    }

    /** The text of the index-th element of a {@code pg_get_partkeydef} result such as {@code RANGE (a, lower(b))}. */
    static String expressionAt(String keyDefinition, int index) {
        int open = keyDefinition.indexOf('(');
        String inner = keyDefinition.substring(open + 1, keyDefinition.lastIndexOf(')'));
        String element = new SqlLexer(inner, false).splitTopLevel(',').get(index);
        return element.startsWith("(") && element.endsWith(")") ? element.substring(1, element.length() - 1) : element;
    }

    private static ColumnType columnType(ResultSet rs, int first) throws SQLException {
        String sqlName = rs.getString(first);
        String baseName = rs.getString(first + 1);
        String typtype = rs.getString(first + 2);
        Array labels = rs.getArray(first + 3);
        String domainBase = rs.getString(first + 4);
        if ("e".equals(typtype) && labels != null) {
            return ColumnType.enumType(sqlName, textArray(labels));
        }
        ValueKind kind = ColumnType.kindOfTypeName(baseName);
        return ColumnType.of(sqlName, kind, domainBase);
    }

    private static List<String> textArray(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    /**
     * Checks the server version on the first read. Values are read in PostgreSQL's ISO date style, which the JDBC
     * driver guarantees for every session.
     */
    private void checkServer(Connection connection) throws SQLException {
        if (checkedServer != null) {
            return;
        }
        Jdbc.query(connection, SESSION, rs -> {
            ServerVersion server = new ServerVersion(rs.getInt(1), rs.getString(2)).requireSupported();
            if (server.newerThanTested()) {
                LOG.warn("{} is newer than the newest version pgpartition is tested with (PostgreSQL {})",
                        server, ServerVersion.NEWEST_TESTED);
            }
            String citus = rs.getString(3);
            citusVersion = citus == null ? "" : citus;
            checkedServer = server;
        });
    }

    /** On a Citus database, how Citus holds each relation read; null elsewhere, without a statement. */
    private CitusFacts citus(Connection connection, Map<Long, RelationRow> rows) throws SQLException {
        if (citusVersion == null || citusVersion.isEmpty()) {
            return null;
        }
        Map<TableName, Distribution> tables = CitusCatalog.distributions(connection, rows.keySet());
        return new CitusFacts(citusVersion, tables);
    }

    private static void requirePostgres(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        if (!"PostgreSQL".equals(product)) {
            throw new PartitioningException(ErrorCode.SERVER_UNSUPPORTED,
                    "pgpartition works with PostgreSQL only; this connection is to " + product
                            + ". Point the application at a PostgreSQL 14+ database.");
        }
    }

    /** One row of the relations query. */
    private record RelationRow(long oid, TableName name, RelationKind kind, Long parent, Long root, String bound,
                               String strategy, String keyDefinition, long estimatedRows, boolean described) {
    }
}
