package io.pgpartition.catalog.internal;

import io.pgpartition.catalog.internal.GuardFacts;
import io.pgpartition.ErrorCode;
import io.pgpartition.PartitioningException;
import io.pgpartition.catalog.internal.Jdbc;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.guard.internal.GuardSql;
import io.pgpartition.model.TableName;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the server guard's facts in three statements, whatever the number of trees and partitions. */
public final class GuardReader {

    private static final String TREES = """
            WITH roots AS (
              SELECT c.oid
                FROM pg_catalog.pg_class c
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               WHERE c.relkind = 'p' AND NOT c.relispartition
                 AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
                 AND (?::text[] IS NULL OR c.oid = ANY (SELECT pg_catalog.to_regclass(x)::oid FROM pg_catalog.unnest(?::text[]) x))
            )
            SELECT root.oid::bigint, rn.nspname::text, root.relname::text, tn.nspname::text, t.relname::text, tree.level::int,
                   t.relkind = 'p', pn.nspname::text, parent.relname::text,
                   (SELECT pg_catalog.array_agg(a.attname::text ORDER BY k.ord)
                      FROM pg_catalog.pg_partitioned_table pt
                     CROSS JOIN LATERAL pg_catalog.unnest(pt.partattrs::int2[]) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = k.attnum
                     WHERE pt.partrelid = t.oid),
                   (SELECT pg_catalog.pg_get_expr(pt.partexprs, pt.partrelid) FROM pg_catalog.pg_partitioned_table pt
                     WHERE pt.partrelid = t.oid),
                   (SELECT pg_catalog.array_agg(a.attname::text ORDER BY a.attnum)
                      FROM pg_catalog.pg_attribute a
                     WHERE a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped AND t.relkind = 'p'
                       AND (a.attnum = ANY ((SELECT pt.partattrs FROM pg_catalog.pg_partitioned_table pt WHERE pt.partrelid = t.oid)::int2[])
                            OR EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                                        WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.objid = t.oid
                                          AND d.objsubid = a.attnum AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                                          AND d.refobjid = t.oid AND d.refobjsubid = 0 AND d.deptype = 'i'))),
                   CASE WHEN tree.level = 0 THEN
                     (SELECT pg_catalog.array_agg(p.proname::text || '=' || pg_catalog.md5(p.prosrc))
                        FROM pg_catalog.pg_proc p
                       WHERE p.pronamespace = root.relnamespace AND p.proname IN (?, ?)) END
              FROM roots r
              JOIN pg_catalog.pg_class root ON root.oid = r.oid
              JOIN pg_catalog.pg_namespace rn ON rn.oid = root.relnamespace
             CROSS JOIN LATERAL pg_catalog.pg_partition_tree(root.oid) tree
              JOIN pg_catalog.pg_class t ON t.oid = tree.relid
              JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
              LEFT JOIN pg_catalog.pg_class parent ON parent.oid = tree.parentrelid
              LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = parent.relnamespace
             ORDER BY rn.nspname, root.relname, tree.level, tn.nspname, t.relname""";

    /**
     * The guard's triggers wherever they are (by name or by function), and the {@code BEFORE UPDATE} row triggers on
     * partitioned tables and partitions, clones included (before PostgreSQL 15 a clone is marked internal, and keeps its
     * name when its parent's trigger is renamed), with a column saying whether the table is in a tree.
     */
    private static final String TRIGGERS = """
            SELECT n.nspname::text, c.relname::text, g.tgname::text, g.tgenabled::text, g.tgtype::int, g.tgparentid <> 0,
                   pn.nspname::text || '.' || p.proname::text, g.tgnargs::int, g.tgargs,
                   (SELECT pg_catalog.array_agg(a.attname::text ORDER BY a.attnum) FROM pg_catalog.pg_attribute a
                     WHERE a.attrelid = g.tgrelid AND a.attnum = ANY (g.tgattr::int2[])),
                   c.relispartition OR c.relkind = 'p',
                   CASE WHEN g.tgqual IS NOT NULL THEN
                     pg_catalog.substring(pg_catalog.pg_get_triggerdef(g.oid), ' WHEN \\((.*)\\) EXECUTE ') END
              FROM pg_catalog.pg_trigger g
              JOIN pg_catalog.pg_class c ON c.oid = g.tgrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_catalog.pg_proc p ON p.oid = g.tgfoid
              JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
             WHERE (NOT g.tgisinternal OR g.tgparentid <> 0)
               AND (g.tgname IN (?, ?, ?) OR g.tgname LIKE ? OR p.proname IN (?, ?)
                    OR ((g.tgtype::int & 19) = 19 AND (c.relispartition OR c.relkind = 'p')))
             ORDER BY 1, 2, 3""";

    private GuardReader() {
    }

    /**
     * The facts of the named roots, or of every partitioned root in the database when {@code roots} is empty.
     *
     * @throws PartitioningException {@link ErrorCode#CATALOG_UNREADABLE} naming a table that is not a partitioned root
     */
    public static GuardFacts read(Connection connection, List<TableName> roots) throws SQLException {
        String[] names = roots.isEmpty() ? null : roots.stream().map(Sql::table).toArray(String[]::new);
        Map<TableName, List<GuardFacts.Trigger>> byTable = new LinkedHashMap<>();
        List<GuardFacts.Trigger> orphans = new ArrayList<>();
        Jdbc.query(connection, TRIGGERS, rs -> {
            GuardFacts.Trigger trigger = new GuardFacts.Trigger(Jdbc.table(rs, 1), rs.getString(3), rs.getString(4).charAt(0),
                    rs.getInt(5), rs.getBoolean(6), rs.getString(7), arguments(rs.getInt(8), rs.getBytes(9)), texts(rs.getArray(10)),
                    rs.getString(12));
            if (rs.getBoolean(11)) {
                byTable.computeIfAbsent(trigger.table(), t -> new ArrayList<>()).add(trigger);
            } else if (isGuards(trigger)) {
                orphans.add(trigger);
            }
        }, GuardSql.KEY_TRIGGER, GuardSql.LEGACY_KEY_TRIGGER, GuardSql.WRITE_TRIGGER, GuardSql.KEY_TRIGGER.replace("_", "\\_") + "\\_%",
                GuardSql.KEY_FUNCTION, GuardSql.WRITE_FUNCTION);

        Map<Long, TreeBuilder> trees = new LinkedHashMap<>();
        Jdbc.query(connection, TREES, rs -> {
            TreeBuilder tree = trees.computeIfAbsent(rs.getLong(1), oid -> new TreeBuilder());
            TableName table = Jdbc.table(rs, 4);
            int depth = rs.getInt(6);
            if (depth == 0) {
                tree.root = table;
                for (String function : texts(rs.getArray(13))) {
                    int equals = function.indexOf('=');
                    tree.functions.put(function.substring(0, equals), function.substring(equals + 1));
                }
            }
            tree.members.add(new GuardFacts.Member(table, depth == 0 ? null : Jdbc.table(rs, 8), depth, rs.getBoolean(7),
                    texts(rs.getArray(10)), rs.getString(11), texts(rs.getArray(12)), byTable.getOrDefault(table, List.of())));
        }, names, names, GuardSql.KEY_FUNCTION, GuardSql.WRITE_FUNCTION);

        Set<TableName> found = new LinkedHashSet<>();
        trees.values().forEach(tree -> found.add(tree.root));
        if (trees.size() < new LinkedHashSet<>(roots).size()) {
            List<String> missing = roots.stream().filter(t -> found.stream().noneMatch(f -> f.name().equals(t.name())
                    && (t.schema() == null || t.schema().equals(f.schema())))).map(TableName::toString).toList();
            throw new PartitioningException(ErrorCode.CATALOG_UNREADABLE, "Cannot guard " + String.join(", ", missing)
                    + ": no partitioned table of that name that is not itself a partition. Name the root of each partition tree.");
        }
        String[] server = Jdbc.first(connection, "SELECT pg_catalog.current_setting('server_version_num'), "
                + CitusCatalog.VERSION_COLUMN, rs -> new String[] {rs.getString(1), rs.getString(2)}).orElseThrow();
        Map<TableName, io.pgpartition.catalog.Distribution> citus = server[1] == null || trees.isEmpty() ? Map.of()
                : CitusCatalog.distributions(connection, trees.keySet());
        return new GuardFacts(trees.values().stream().map(t -> new GuardFacts.Tree(t.root, t.members, t.functions)).toList(), orphans,
                Integer.parseInt(server[0]), citus);
    }

    /** Whether the trigger is one the guard installs (by its name or its function). */
    public static boolean isGuards(GuardFacts.Trigger trigger) {
        String function = trigger.function().substring(trigger.function().lastIndexOf('.') + 1);
        return trigger.name().equals(GuardSql.WRITE_TRIGGER) || trigger.name().equals(GuardSql.LEGACY_KEY_TRIGGER)
                || trigger.name().equals(GuardSql.KEY_TRIGGER) || trigger.name().startsWith(GuardSql.KEY_TRIGGER + "_")
                || function.equals(GuardSql.KEY_FUNCTION) || function.equals(GuardSql.WRITE_FUNCTION);
    }

    /** {@code pg_trigger.tgargs}: the arguments, each ended by a zero byte, in the server's encoding (UTF-8 assumed). */
    private static List<String> arguments(int count, byte[] bytes) {
        List<String> arguments = new ArrayList<>();
        int start = 0;
        for (int i = 0; bytes != null && i < bytes.length && arguments.size() < count; i++) {
            if (bytes[i] == 0) {
                arguments.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return arguments;
    }

    private static List<String> texts(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static final class TreeBuilder {
        TableName root;
        final List<GuardFacts.Member> members = new ArrayList<>();
        final Map<String, String> functions = new LinkedHashMap<>();
    }
}
