package io.pgpartition.catalog.internal;

import io.pgpartition.catalog.Distribution;
import io.pgpartition.model.TableName;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Citus' metadata on the coordinator, asked only where the {@code citus} extension is installed (callers learn that
 * from a column of a query they send anyway, so that plain PostgreSQL gets no statement more).
 */
public final class CitusCatalog {

    /** A scalar subquery giving the citus extension's version, or NULL: for a column of another catalog query. */
    public static final String VERSION_COLUMN = "(SELECT e.extversion::text FROM pg_catalog.pg_extension e WHERE e.extname = 'citus')";

    /** How Citus holds each relation (by oid); readable by every role. */
    private static final String TABLES = """
            SELECT n.nspname::text, c.relname::text, p.partmethod::text, p.repmodel::text, p.colocationid::int,
                   CASE WHEN p.partmethod = 'h' THEN pg_catalog.column_to_column_name(p.logicalrelid, p.partkey) END,
                   (SELECT pg_catalog.count(*) FROM pg_catalog.pg_dist_shard s WHERE s.logicalrelid = p.logicalrelid)::int
              FROM pg_catalog.pg_dist_partition p
              JOIN pg_catalog.pg_class c ON c.oid = p.logicalrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE p.logicalrelid = ANY (?::bigint[]::oid[])""";

    /** Shards by their id, with the relation each belongs to and how many shards that relation has. */
    private static final String SHARDS = """
            SELECT s.i::int, n.nspname::text, c.relname::text,
                   (SELECT pg_catalog.count(*) FROM pg_catalog.pg_dist_shard x WHERE x.logicalrelid = d.logicalrelid)::int,
                   d.logicalrelid::pg_catalog.regclass::text
              FROM ROWS FROM (pg_catalog.unnest(?::bigint[])) WITH ORDINALITY AS s(shardid, i)
              JOIN pg_catalog.pg_dist_shard d ON d.shardid = s.shardid
              JOIN pg_catalog.pg_class c ON c.oid = d.logicalrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace""";

    private CitusCatalog() {
    }

    /**
     * A shard of a Citus table.
     *
     * @param table      the table it belongs to
     * @param shardCount how many shards that table has
     * @param regclass   the table as {@code regclass} prints it on the coordinator (schema-qualified unless on the
     *                   search path), as {@code tableoid::regclass} names a row's table on plain PostgreSQL
     */
    public record Shard(TableName table, int shardCount, String regclass) {
    }

    /**
     * The relations that are shards ({@code <table>_<shard id>}, in the table's schema), each with the table it belongs
     * to: the relations of a plan Citus distributed, the table a row read on a worker reports. One statement.
     */
    public static Map<TableName, Shard> shards(Connection connection, List<TableName> relations) throws SQLException {
        List<TableName> candidates = new java.util.ArrayList<>();
        List<Long> ids = new java.util.ArrayList<>();
        for (TableName relation : relations) {
            ShardNames.id(relation.name()).ifPresent(id -> {
                candidates.add(relation);
                ids.add(id);
            });
        }
        Map<TableName, Shard> shards = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return shards;
        }
        Jdbc.query(connection, SHARDS, rs -> {
            TableName shard = candidates.get(rs.getInt(1) - 1);
            TableName table = Jdbc.table(rs, 2);
            boolean named = ShardNames.isShardOf(shard.name(), table.name(), ids.get(rs.getInt(1) - 1))
                    && (shard.schema() == null || shard.schema().equals(table.schema()));
            if (named) {
                shards.put(shard, new Shard(table, rs.getInt(4), rs.getString(5)));
            }
        }, (Object) ids.toArray(Long[]::new));
        return shards;
    }


    /** How Citus holds each of these relations that it holds, by schema-qualified name. */
    public static Map<TableName, Distribution> distributions(Connection connection, Collection<Long> oids) throws SQLException {
        Map<TableName, Distribution> tables = new LinkedHashMap<>();
        Jdbc.query(connection, TABLES, rs -> {
            TableName name = Jdbc.table(rs, 1);
            String method = rs.getString(3);
            int colocation = rs.getInt(5);
            Distribution.Type type = "h".equals(method) ? Distribution.Type.DISTRIBUTED
                    : "t".equals(rs.getString(4)) ? Distribution.Type.REFERENCE
                    : colocation == 0 ? Distribution.Type.LOCAL : Distribution.Type.DISTRIBUTED;
            tables.put(name, new Distribution(name, type, Optional.ofNullable(rs.getString(6)), colocation, rs.getInt(7)));
        }, (Object) oids.toArray(Long[]::new));
        return tables;
    }
}
