package io.pgpartition.catalog;

import io.pgpartition.ddl.Sql;
import io.pgpartition.model.TableName;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@link TableFacts} of one table: a fixed number of statements (eleven), whatever the table holds.
 */
public final class TableReader {

    private TableReader() {
    }

    private static final String TABLE = """
            SELECT c.oid::bigint, n.nspname::text, c.relname::text, c.relkind::text, pg_catalog.pg_get_userbyid(c.relowner)::text,
                   pg_catalog.obj_description(c.oid, 'pg_class'), c.relrowsecurity, GREATEST(c.reltuples, 0)::bigint
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE c.oid = pg_catalog.to_regclass(?)""";

    private static final String COLUMNS = """
            SELECT a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod),
                   (SELECT t.typname::text FROM pg_catalog.pg_type t WHERE t.oid = a.atttypid), a.attnotnull, a.attidentity::text,
                   a.attgenerated::text, pg_catalog.pg_get_expr(d.adbin, d.adrelid), pg_catalog.col_description(a.attrelid, a.attnum)
              FROM pg_catalog.pg_attribute a
              LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE a.attrelid = ?::oid AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum""";

    private static final String CONSTRAINTS = """
            SELECT con.conname::text, con.contype::text,
                   (SELECT pg_catalog.array_agg(a.attname::text ORDER BY k.ord)
                      FROM pg_catalog.unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum),
                   pg_catalog.pg_get_constraintdef(con.oid), con.contype = 'f' AND con.confrelid = con.conrelid
              FROM pg_catalog.pg_constraint con
             WHERE con.conrelid = ?::oid AND con.contype IN ('p', 'u', 'x', 'c', 'f')
             ORDER BY CASE con.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 ELSE 2 END, con.conname""";

    private static final String INDEXES = """
            SELECT ic.relname::text, i.indisunique,
                   (SELECT pg_catalog.array_agg(a.attname::text ORDER BY k.ord)
                      FROM pg_catalog.unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                     WHERE k.ord <= i.indnkeyatts),
                   0 = ANY (i.indkey::int2[]) OR i.indexprs IS NOT NULL, pg_catalog.pg_get_indexdef(i.indexrelid)
              FROM pg_catalog.pg_index i
              JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
             WHERE i.indrelid = ?::oid
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid)
             ORDER BY ic.relname""";

    private static final String TRIGGERS = """
            SELECT t.tgname::text, pg_catalog.pg_get_triggerdef(t.oid)
              FROM pg_catalog.pg_trigger t
             WHERE t.tgrelid = ?::oid AND NOT t.tgisinternal
             ORDER BY t.tgname""";

    private static final String SEQUENCES = """
            SELECT sn.nspname::text, s.relname::text, a.attname::text, d.deptype = 'i'
              FROM pg_catalog.pg_depend d
              JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
              JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace
              JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
             WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
               AND d.refobjid = ?::oid AND d.deptype IN ('a', 'i')
             ORDER BY a.attnum""";

    private static final String REFERENCED_BY = """
            SELECT con.conname::text, n.nspname::text, c.relname::text,
                   (SELECT pg_catalog.array_agg(a.attname::text ORDER BY k.ord)
                      FROM pg_catalog.unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum),
                   (SELECT pg_catalog.array_agg(a.attname::text ORDER BY k.ord)
                      FROM pg_catalog.unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum),
                   pg_catalog.pg_get_constraintdef(con.oid)
              FROM pg_catalog.pg_constraint con
              JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE con.confrelid = ?::oid AND con.contype = 'f' AND con.conparentid = 0 AND con.conrelid <> con.confrelid
             ORDER BY 2, 3, 1""";

    private static final String VIEWS = """
            SELECT DISTINCT vn.nspname::text, v.relname::text, v.relkind = 'm', pg_catalog.pg_get_viewdef(v.oid)
              FROM pg_catalog.pg_depend d
              JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
              JOIN pg_catalog.pg_class v ON v.oid = r.ev_class
              JOIN pg_catalog.pg_namespace vn ON vn.oid = v.relnamespace
             WHERE d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.refobjid = ?::oid AND v.oid <> ?::oid
             ORDER BY 1, 2""";

    private static final String GRANTS = """
            SELECT CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(g.grantee)) END,
                   g.privilege_type, g.is_grantable
              FROM pg_catalog.pg_class c, pg_catalog.aclexplode(c.relacl) g
             WHERE c.oid = ?::oid AND g.grantee <> c.relowner
             ORDER BY 1, 2""";

    private static final String POLICIES = """
            SELECT p.polname::text, p.polpermissive,
                   CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT' WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,
                   (SELECT pg_catalog.string_agg(CASE WHEN r = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(r)) END, ', ')
                      FROM pg_catalog.unnest(p.polroles) r),
                   pg_catalog.pg_get_expr(p.polqual, p.polrelid), pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid)
              FROM pg_catalog.pg_policy p
             WHERE p.polrelid = ?::oid
             ORDER BY 1""";

    /** The facts of a table, or empty when no relation of that name exists. */
    public static Optional<TableFacts> read(Connection connection, TableName table) throws SQLException {
        Optional<Object[]> basics = Jdbc.first(connection, TABLE, rs -> new Object[]{rs.getLong(1), Jdbc.table(rs, 2), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getBoolean(7), rs.getLong(8)}, Sql.table(table));
        if (basics.isEmpty()) {
            return Optional.empty();
        }
        Object[] b = basics.get();
        long oid = (Long) b[0];
        List<TableFacts.Column> columns = Jdbc.list(connection, COLUMNS, rs -> new TableFacts.Column(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getBoolean(4), rs.getString(5), rs.getString(6), Optional.ofNullable(rs.getString(7)),
                Optional.ofNullable(rs.getString(8))), oid);
        List<TableFacts.Constraint> constraints = Jdbc.list(connection, CONSTRAINTS, rs -> new TableFacts.Constraint(rs.getString(1),
                rs.getString(2), texts(rs, 3), rs.getString(4), rs.getBoolean(5)), oid);
        List<TableFacts.Index> indexes = Jdbc.list(connection, INDEXES, rs -> new TableFacts.Index(rs.getString(1), rs.getBoolean(2),
                texts(rs, 3), rs.getBoolean(4), rs.getString(5)), oid);
        List<TableFacts.Trigger> triggers = Jdbc.list(connection, TRIGGERS, rs -> new TableFacts.Trigger(rs.getString(1), rs.getString(2)), oid);
        List<TableFacts.OwnedSequence> sequences = Jdbc.list(connection, SEQUENCES, rs -> new TableFacts.OwnedSequence(Jdbc.table(rs, 1),
                rs.getString(3), rs.getBoolean(4)), oid);
        List<TableFacts.Reference> references = Jdbc.list(connection, REFERENCED_BY, rs -> new TableFacts.Reference(rs.getString(1),
                Jdbc.table(rs, 2), texts(rs, 4), texts(rs, 5), rs.getString(6)), oid);
        List<TableFacts.View> views = Jdbc.list(connection, VIEWS, rs -> new TableFacts.View(Jdbc.table(rs, 1), rs.getBoolean(3),
                rs.getString(4)), oid, oid);
        List<String> grants = Jdbc.list(connection, GRANTS, rs -> "GRANT " + rs.getString(2) + " ON %s TO " + rs.getString(1)
                + (rs.getBoolean(3) ? " WITH GRANT OPTION" : ""), oid);
        List<String> policies = Jdbc.list(connection, POLICIES, rs -> "CREATE POLICY " + Sql.identifier(rs.getString(1)) + " ON %s AS "
                + (rs.getBoolean(2) ? "PERMISSIVE" : "RESTRICTIVE") + " FOR " + rs.getString(3) + " TO " + rs.getString(4)
                + (rs.getString(5) == null ? "" : " USING (" + rs.getString(5) + ")")
                + (rs.getString(6) == null ? "" : " WITH CHECK (" + rs.getString(6) + ")"), oid);
        return Optional.of(new TableFacts((TableName) b[1], (String) b[2], (String) b[3], Optional.ofNullable((String) b[4]),
                (Boolean) b[5], columns, constraints, indexes, triggers, sequences, references, views, grants, policies, (Long) b[6]));
    }

    private static List<String> texts(ResultSet rs, int column) throws SQLException {
        Array array = rs.getArray(column);
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
