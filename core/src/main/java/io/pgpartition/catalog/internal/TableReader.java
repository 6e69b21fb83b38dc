package io.pgpartition.catalog.internal;

import io.pgpartition.catalog.internal.TableFacts;
import io.pgpartition.catalog.internal.Jdbc;
import io.pgpartition.internal.jdbc.Transactions;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.TableName;

import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@link TableFacts} of one table: a fixed number of statements, whatever the table holds, in one transaction
 * whose {@code search_path} is {@code pg_catalog} alone, so that every definition read names its objects in full.
 */
public final class TableReader {

    private TableReader() {
    }

    private static final String TABLE = """
            SELECT c.oid::bigint, n.nspname::text, c.relname::text, c.relkind::text, c.relpersistence::text,
                   pg_catalog.pg_get_userbyid(c.relowner)::text, pg_catalog.obj_description(c.oid, 'pg_class'), c.relrowsecurity,
                   c.relforcerowsecurity, c.reloptions::text[], c.relreplident::text, GREATEST(c.reltuples, 0)::bigint,
                   CURRENT_USER::text, r.rolsuper, r.rolsuper OR r.rolbypassrls,
                   pg_catalog.pg_has_role(CURRENT_USER, c.relowner, 'USAGE'),
                   pg_catalog.current_setting('server_version_num')::int,
                   """ + CitusCatalog.VERSION_COLUMN + """
              FROM pg_catalog.pg_class c
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_catalog.pg_roles r ON r.rolname = CURRENT_USER
             WHERE c.oid = ?::oid""";

    private static final String INHERITANCE = """
            SELECT pn.nspname::text, p.relname::text, i.inhparent = ?::oid, c.relispartition
              FROM pg_catalog.pg_inherits i
              JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
              JOIN pg_catalog.pg_class p ON p.oid = CASE WHEN i.inhrelid = ?::oid THEN i.inhparent ELSE i.inhrelid END
              JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
             WHERE i.inhrelid = ?::oid OR i.inhparent = ?::oid
             ORDER BY 1, 2""";

    private static final String COLUMNS = """
            SELECT a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod),
                   (SELECT t.typname::text FROM pg_catalog.pg_type t WHERE t.oid = a.atttypid), a.attnotnull, a.attidentity::text,
                   a.attgenerated::text, pg_catalog.pg_get_expr(d.adbin, d.adrelid), pg_catalog.col_description(a.attrelid, a.attnum),
                   COALESCE(a.attstattarget::int, -1),
                   (SELECT pg_catalog.array_agg('GRANT ' || g.privilege_type || ' (' || pg_catalog.quote_ident(a.attname) || ') ON %s TO '
                           || CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(g.grantee)) END
                           || CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END ORDER BY g.grantee, g.privilege_type)
                      FROM pg_catalog.aclexplode(a.attacl) g)
              FROM pg_catalog.pg_attribute a
              LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
             WHERE a.attrelid = ?::oid AND a.attnum > 0 AND NOT a.attisdropped
             ORDER BY a.attnum""";

    private static final String CONSTRAINTS = """
            SELECT con.conname::text, con.contype::text,
                   (SELECT pg_catalog.array_agg(a.attname::text ORDER BY k.ord)
                      FROM pg_catalog.unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum),
                   pg_catalog.pg_get_constraintdef(con.oid), con.contype = 'f' AND con.confrelid = con.conrelid,
                   con.convalidated, con.contype = 'c' AND con.connoinherit, con.condeferrable, pg_catalog.obj_description(con.oid, 'pg_constraint')
              FROM pg_catalog.pg_constraint con
             WHERE con.conrelid = ?::oid AND con.contype IN ('p', 'u', 'x', 'c', 'f')
             ORDER BY CASE con.contype WHEN 'p' THEN 0 WHEN 'u' THEN 1 ELSE 2 END, con.conname""";

    private static final String INDEXES = """
            SELECT ic.relname::text, i.indisunique,
                   (SELECT pg_catalog.array_agg(a.attname::text ORDER BY k.ord)
                      FROM pg_catalog.unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                      JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                     WHERE k.ord <= i.indnkeyatts),
                   0 = ANY (i.indkey::int2[]) OR i.indexprs IS NOT NULL, pg_catalog.pg_get_indexdef(i.indexrelid),
                   pg_catalog.obj_description(i.indexrelid, 'pg_class'), i.indisreplident
              FROM pg_catalog.pg_index i
              JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
             WHERE i.indrelid = ?::oid
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid)
             ORDER BY ic.relname""";

    private static final String TRIGGERS = """
            SELECT t.tgname::text, pg_catalog.pg_get_triggerdef(t.oid), t.tgenabled::text
              FROM pg_catalog.pg_trigger t
             WHERE t.tgrelid = ?::oid AND NOT t.tgisinternal AND t.tgparentid = 0
             ORDER BY t.tgname""";

    private static final String RULES = """
            SELECT r.rulename::text, pg_catalog.pg_get_ruledef(r.oid), r.ev_enabled::text
              FROM pg_catalog.pg_rewrite r
             WHERE r.ev_class = ?::oid AND r.rulename <> '_RETURN'
             ORDER BY 1""";

    private static final String SEQUENCES = """
            SELECT sn.nspname::text, s.relname::text, a.attname::text, d.deptype = 'i',
                   'AS ' || pg_catalog.format_type(q.seqtypid, NULL) || ' INCREMENT BY ' || q.seqincrement || ' MINVALUE ' || q.seqmin
                   || ' MAXVALUE ' || q.seqmax || ' START WITH ' || q.seqstart || ' CACHE ' || q.seqcache
                   || CASE WHEN q.seqcycle THEN ' CYCLE' ELSE ' NO CYCLE' END,
                   (SELECT pg_catalog.array_agg('GRANT ' || g.privilege_type || ' ON SEQUENCE %s TO '
                           || CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(g.grantee)) END
                           || CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END ORDER BY g.grantee, g.privilege_type)
                      FROM pg_catalog.aclexplode(s.relacl) g WHERE g.grantee <> s.relowner)
              FROM pg_catalog.pg_depend d
              JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
              JOIN pg_catalog.pg_sequence q ON q.seqrelid = s.oid
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
                   pg_catalog.pg_get_constraintdef(con.oid), c.relkind = 'p', con.convalidated
              FROM pg_catalog.pg_constraint con
              JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             WHERE con.confrelid = ?::oid AND con.contype = 'f' AND con.conparentid = 0 AND con.conrelid <> con.confrelid
             ORDER BY 2, 3, 1""";

    private static final String VIEWS = """
            SELECT DISTINCT vn.nspname::text, v.relname::text, v.relkind = 'm', pg_catalog.pg_get_viewdef(v.oid),
                   COALESCE(v.reloptions::text[], '{}')
              FROM pg_catalog.pg_depend d
              JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
              JOIN pg_catalog.pg_class v ON v.oid = r.ev_class
              JOIN pg_catalog.pg_namespace vn ON vn.oid = v.relnamespace
             WHERE d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.refobjid = ?::oid AND v.oid <> ?::oid
               AND v.relkind IN ('v', 'm')
             ORDER BY 1, 2""";

    private static final String OTHER_RULES = """
            SELECT DISTINCT 'rule ' || pg_catalog.quote_ident(r.rulename) || ' on ' || v.oid::pg_catalog.regclass::text
              FROM pg_catalog.pg_depend d
              JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
              JOIN pg_catalog.pg_class v ON v.oid = r.ev_class
             WHERE d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass AND d.refobjid = ?::oid AND v.oid <> ?::oid
               AND v.relkind NOT IN ('v', 'm')
             ORDER BY 1""";

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

    private static final String PUBLICATIONS = """
            SELECT DISTINCT p.pubname::text
              FROM pg_catalog.pg_publication_tables p
             WHERE p.schemaname = ? AND p.tablename = ?
             ORDER BY 1""";

    private static final String ROW_TYPE_USERS = """
            SELECT pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid)
              FROM pg_catalog.pg_depend d, pg_catalog.pg_class c
             WHERE c.oid = ?::oid AND d.refclassid = 'pg_catalog.pg_type'::pg_catalog.regclass AND d.deptype = 'n'
               AND d.refobjid IN (c.reltype, (SELECT t.typarray FROM pg_catalog.pg_type t WHERE t.oid = c.reltype))
             ORDER BY 1""";

    private static final String STATISTICS = """
            SELECT n.nspname::text, s.stxname::text, pg_catalog.pg_get_statisticsobjdef(s.oid), COALESCE(s.stxstattarget::int, -1),
                   pg_catalog.obj_description(s.oid, 'pg_statistic_ext')
              FROM pg_catalog.pg_statistic_ext s
              JOIN pg_catalog.pg_namespace n ON n.oid = s.stxnamespace
             WHERE s.stxrelid = ?::oid
             ORDER BY 2""";

    /** The facts of a table, or empty when no relation of that name exists. */
    public static Optional<TableFacts> read(Connection connection, TableName table) throws SQLException {
        Optional<Long> found = Jdbc.first(connection, "SELECT pg_catalog.to_regclass(?)::oid::bigint", rs -> rs.getObject(1) == null
                ? null : rs.getLong(1), Sql.table(table));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        long oid = found.get();
        Transactions transactions = Transactions.of(connection);
        List<Optional<TableFacts>> facts = new java.util.ArrayList<>(1);
        transactions.inTransactions(() -> {
            transactions.alone("SET LOCAL search_path = pg_catalog, pg_temp");
            facts.add(read(connection, oid));
            connection.commit();
        });
        return facts.get(0);
    }

    private static Optional<TableFacts> read(Connection connection, long oid) throws SQLException {
        Optional<Object[]> basics = Jdbc.first(connection, TABLE, rs -> new Object[]{Jdbc.table(rs, 2), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getBoolean(8), rs.getBoolean(9), texts(rs, 10), rs.getString(11), rs.getLong(12),
                new TableFacts.Role(rs.getString(13), rs.getBoolean(14), rs.getBoolean(15), rs.getBoolean(16)), rs.getInt(17),
                rs.getString(18)}, oid);
        if (basics.isEmpty()) {
            return Optional.empty();
        }
        Object[] b = basics.get();
        TableName name = (TableName) b[0];
        Optional<TableName>[] partitionOf = new Optional[]{Optional.empty()};
        List<TableName> parents = new java.util.ArrayList<>();
        List<TableName> children = new java.util.ArrayList<>();
        Jdbc.query(connection, INHERITANCE, rs -> {
            TableName other = Jdbc.table(rs, 1);
            if (rs.getBoolean(3)) {
                children.add(other);
            } else if (rs.getBoolean(4)) {
                partitionOf[0] = Optional.of(other);
            } else {
                parents.add(other);
            }
        }, oid, oid, oid, oid);
        List<TableFacts.Column> columns = Jdbc.list(connection, COLUMNS, rs -> new TableFacts.Column(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getBoolean(4), rs.getString(5), rs.getString(6), Optional.ofNullable(rs.getString(7)),
                Optional.ofNullable(rs.getString(8)), rs.getInt(9), texts(rs, 10)), oid);
        List<TableFacts.Constraint> constraints = Jdbc.list(connection, CONSTRAINTS, rs -> new TableFacts.Constraint(rs.getString(1),
                rs.getString(2), texts(rs, 3), rs.getString(4), rs.getBoolean(5), rs.getBoolean(6), rs.getBoolean(7), rs.getBoolean(8),
                Optional.ofNullable(rs.getString(9))), oid);
        List<TableFacts.Index> indexes = Jdbc.list(connection, INDEXES, rs -> new TableFacts.Index(rs.getString(1), rs.getBoolean(2),
                texts(rs, 3), rs.getBoolean(4), rs.getString(5), Optional.ofNullable(rs.getString(6)), rs.getBoolean(7)), oid);
        List<TableFacts.Trigger> triggers = Jdbc.list(connection, TRIGGERS, rs -> new TableFacts.Trigger(rs.getString(1), rs.getString(2),
                rs.getString(3)), oid);
        List<TableFacts.Rule> rules = Jdbc.list(connection, RULES, rs -> new TableFacts.Rule(rs.getString(1), rs.getString(2),
                rs.getString(3)), oid);
        List<TableFacts.OwnedSequence> sequences = Jdbc.list(connection, SEQUENCES, rs -> new TableFacts.OwnedSequence(Jdbc.table(rs, 1),
                rs.getString(3), rs.getBoolean(4), rs.getString(5), texts(rs, 6)), oid);
        List<TableFacts.Reference> references = Jdbc.list(connection, REFERENCED_BY, rs -> new TableFacts.Reference(rs.getString(1),
                Jdbc.table(rs, 2), texts(rs, 4), texts(rs, 5), rs.getString(6), rs.getBoolean(7), rs.getBoolean(8)), oid);
        List<TableFacts.View> views = Jdbc.list(connection, VIEWS, rs -> new TableFacts.View(Jdbc.table(rs, 1), rs.getBoolean(3),
                rs.getString(4), texts(rs, 5)), oid, oid);
        List<String> otherRules = Jdbc.list(connection, OTHER_RULES, rs -> rs.getString(1), oid, oid);
        List<String> grants = Jdbc.list(connection, GRANTS, rs -> "GRANT " + rs.getString(2) + " ON %s TO " + rs.getString(1)
                + (rs.getBoolean(3) ? " WITH GRANT OPTION" : ""), oid);
        List<String> policies = Jdbc.list(connection, POLICIES, rs -> "CREATE POLICY " + Sql.identifier(rs.getString(1)) + " ON %s AS "
                + (rs.getBoolean(2) ? "PERMISSIVE" : "RESTRICTIVE") + " FOR " + rs.getString(3) + " TO " + rs.getString(4)
                + (rs.getString(5) == null ? "" : " USING (" + rs.getString(5) + ")")
                + (rs.getString(6) == null ? "" : " WITH CHECK (" + rs.getString(6) + ")"), oid);
        List<String> publications = Jdbc.list(connection, PUBLICATIONS, rs -> rs.getString(1), name.schema(), name.name());
        List<String> rowTypeUsers = Jdbc.list(connection, ROW_TYPE_USERS, rs -> rs.getString(1), oid);
        List<TableFacts.Statistics> statistics = Jdbc.list(connection, STATISTICS, rs -> new TableFacts.Statistics(Jdbc.table(rs, 1),
                rs.getString(3), rs.getInt(4), Optional.ofNullable(rs.getString(5))), oid);
        return Optional.of(new TableFacts(name, (String) b[1], (String) b[2], (String) b[3], Optional.ofNullable((String) b[4]),
                (Boolean) b[5], (Boolean) b[6], (List<String>) b[7], (String) b[8], partitionOf[0], parents, children, columns,
                constraints, indexes, triggers, rules, sequences, references, views, otherRules, grants, policies, publications,
                rowTypeUsers, statistics, (Long) b[9], (TableFacts.Role) b[10], (Integer) b[11],
                b[12] == null ? Optional.empty() : CitusCatalog.distributions(connection, List.of(oid)).values().stream().findFirst()));
    }

    @SuppressWarnings("unchecked")
    private static List<String> texts(ResultSet rs, int column) throws SQLException {
        Array array = rs.getArray(column);
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }
}
