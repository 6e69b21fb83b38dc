package io.pgpartition.guard.internal;

import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.TableName;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL of the server guard: its two trigger functions (created in the schema of each guarded root table) and the
 * triggers that call them. Every identifier goes through {@link Sql#identifier}.
 */
public final class GuardSql {

    /**
     * The row trigger on each partitioned root, cloned by PostgreSQL to every partition present and future; a
     * sub-partitioned partition at depth {@code n} carries its own, named with {@code _n} added (see
     * {@link #keyTrigger(int)}). Named to sort after the triggers applications name: PostgreSQL fires the triggers of one
     * event in name order, and the guard must see the row as the application's {@code BEFORE UPDATE} triggers left it.
     */
    public static final String KEY_TRIGGER = "zz_pgpartition_key_guard";
    /** The name of the key trigger before 0.2.0, which {@code install} replaces and {@code remove} drops. */
    public static final String LEGACY_KEY_TRIGGER = "pgpartition_key_guard";
    /** The statement trigger on each partition, at every level. */
    public static final String WRITE_TRIGGER = "pgpartition_direct_write_guard";

    public static final String KEY_FUNCTION = "pgpartition_refuse_key_change";
    public static final String WRITE_FUNCTION = "pgpartition_refuse_direct_write";

    /**
     * The setting that lets the guarded writes of one transaction through: {@code SET LOCAL pgpartition.bypass = on}.
     * A guard against mistakes, not access control: any session may set it.
     */
    public static final String BYPASS_SETTING = "pgpartition.bypass";
    /** SQLSTATE of a refused key change. */
    public static final String KEY_CHANGED_STATE = "PGP01";
    /** SQLSTATE of a refused direct write to a partition. */
    public static final String DIRECT_WRITE_STATE = "PGP02";

    /**
     * Refuses a row whose partition key changes. Its arguments name the key it guards: {@code c:column} for each key
     * column, {@code e:expressions} for the key's expressions. A column compares by the row's JSON first, which costs no
     * query, and exactly ({@code IS DISTINCT FROM}, with the column's own equality) only when that differs. Expressions,
     * and columns renamed since the trigger was created, are read from the catalog as they are now, from the partitioned
     * table that owns the trigger, so that a renamed key column stays guarded rather than failing every update.
     */
    public static final String KEY_FUNCTION_BODY = """
            DECLARE
              old_row jsonb;
              new_row jsonb;
              part text;
              col text;
              cols text[];
              exprs text;
              stale boolean := false;
              owner oid;
              changed boolean;
              old_value text;
              new_value text;
            BEGIN
              IF TG_OP = 'DELETE' THEN
                RETURN OLD;
              ELSIF TG_OP <> 'UPDATE' OR TG_LEVEL <> 'ROW' OR pg_catalog.current_setting('%1$s', true) = 'on' THEN
                RETURN NEW;
              END IF;
              old_row := pg_catalog.to_jsonb(OLD);
              new_row := pg_catalog.to_jsonb(NEW);
              cols := ARRAY[]::text[];
              FOREACH part IN ARRAY TG_ARGV LOOP
                col := pg_catalog.substr(part, 3);
                IF pg_catalog.left(part, 2) <> 'c:' OR NOT pg_catalog.jsonb_exists(old_row, col) THEN
                  stale := true;
                ELSIF pg_catalog.jsonb_object_field(old_row, col) IS DISTINCT FROM pg_catalog.jsonb_object_field(new_row, col) THEN
                  cols := cols || col;
                END IF;
              END LOOP;
              IF stale THEN
                SELECT a.relid INTO owner
                  FROM pg_catalog.pg_partition_ancestors(TG_RELID) a
                  JOIN pg_catalog.pg_trigger g ON g.tgrelid = a.relid AND g.tgname = TG_NAME AND g.tgparentid = 0;
                SELECT pg_catalog.array_agg(at.attname::text ORDER BY k.ord), pg_catalog.pg_get_expr(pt.partexprs, pt.partrelid)
                  INTO cols, exprs
                  FROM pg_catalog.pg_partitioned_table pt
                  LEFT JOIN LATERAL pg_catalog.unnest(pt.partattrs::int2[]) WITH ORDINALITY AS k(attnum, ord) ON k.attnum <> 0
                  LEFT JOIN pg_catalog.pg_attribute at ON at.attrelid = pt.partrelid AND at.attnum = k.attnum
                 WHERE pt.partrelid = owner
                 GROUP BY pt.partexprs, pt.partrelid;
                cols := pg_catalog.array_remove(cols, NULL);
              END IF;
              FOREACH col IN ARRAY COALESCE(cols, ARRAY[]::text[]) LOOP
                EXECUTE pg_catalog.format('SELECT ($1).%%1$I IS DISTINCT FROM ($2).%%1$I, ($1).%%1$I::text, ($2).%%1$I::text', col)
                  INTO changed, old_value, new_value USING OLD, NEW;
                IF changed THEN
                  IF owner IS NULL THEN
                    SELECT a.relid INTO owner
                      FROM pg_catalog.pg_partition_ancestors(TG_RELID) a
                      JOIN pg_catalog.pg_trigger g ON g.tgrelid = a.relid AND g.tgname = TG_NAME AND g.tgparentid = 0;
                  END IF;
                  RAISE EXCEPTION USING ERRCODE = '%2$s',
                    MESSAGE = pg_catalog.format('pgpartition: partition key column %%s of %%s would change from %%s to %%s',
                        pg_catalog.quote_ident(col), owner::regclass, COALESCE(old_value, 'NULL'), COALESCE(new_value, 'NULL')),
                    DETAIL = pg_catalog.format('The row is in partition %%s.%%s; PostgreSQL would move it to another partition.',
                        pg_catalog.quote_ident(TG_TABLE_SCHEMA), pg_catalog.quote_ident(TG_TABLE_NAME)),
                    HINT = 'The partition key of a stored row never changes: delete the row and insert a new one instead.',
                    SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = col;
                END IF;
              END LOOP;
              IF exprs IS NOT NULL THEN
                EXECUTE pg_catalog.format('SELECT o IS DISTINCT FROM n, o::text, n::text FROM (SELECT (SELECT ROW(%%1$s) FROM (SELECT ($1).*) r) AS o, '
                    '(SELECT ROW(%%1$s) FROM (SELECT ($2).*) r) AS n) v', exprs)
                  INTO changed, old_value, new_value USING OLD, NEW;
                IF changed THEN
                  RAISE EXCEPTION USING ERRCODE = '%2$s',
                    MESSAGE = pg_catalog.format('pgpartition: partition key expression %%s of %%s would change from %%s to %%s',
                        exprs, owner::regclass, old_value, new_value),
                    DETAIL = pg_catalog.format('The row is in partition %%s.%%s; PostgreSQL would move it to another partition.',
                        pg_catalog.quote_ident(TG_TABLE_SCHEMA), pg_catalog.quote_ident(TG_TABLE_NAME)),
                    HINT = 'The partition key of a stored row never changes: delete the row and insert a new one instead.',
                    SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME;
                END IF;
              END IF;
              RETURN NEW;
            END
            """.formatted(BYPASS_SETTING, KEY_CHANGED_STATE);

    /**
     * Refuses the statement, unless the bypass is set, the table is no longer a partition (detached since the trigger
     * was created: it is a table of its own now), or it is a TRUNCATE while this transaction holds the root's ACCESS
     * EXCLUSIVE lock (a TRUNCATE of the root reaching its partitions takes it; a TRUNCATE naming only partitions does
     * not; other statements that take it, such as an {@code ALTER TABLE} of the root, let a TRUNCATE of a partition
     * through in the same transaction).
     */
    public static final String WRITE_FUNCTION_BODY = """
            BEGIN
              IF pg_catalog.current_setting('%1$s', true) = 'on' THEN
                RETURN NULL;
              END IF;
              IF NOT (SELECT c.relispartition FROM pg_catalog.pg_class c WHERE c.oid = TG_RELID) THEN
                RETURN NULL;
              END IF;
              IF TG_OP = 'TRUNCATE' AND EXISTS (
                  SELECT 1 FROM pg_catalog.pg_locks l
                   WHERE l.locktype = 'relation' AND l.relation = pg_catalog.pg_partition_root(TG_RELID)
                     AND l.pid = pg_catalog.pg_backend_pid() AND l.mode = 'AccessExclusiveLock' AND l.granted) THEN
                RETURN NULL;
              END IF;
              RAISE EXCEPTION USING ERRCODE = '%2$s',
                MESSAGE = pg_catalog.format('pgpartition: %%s on partition %%s.%%s refused: write through its parent table %%s',
                    TG_OP, pg_catalog.quote_ident(TG_TABLE_SCHEMA), pg_catalog.quote_ident(TG_TABLE_NAME),
                    (SELECT i.inhparent::regclass FROM pg_catalog.pg_inherits i WHERE i.inhrelid = TG_RELID)),
                HINT = 'Write through the parent table, which routes each row to its partition. Maintenance may SET LOCAL %1$s = on.',
                SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME;
            END
            """.formatted(BYPASS_SETTING, DIRECT_WRITE_STATE);

    private GuardSql() {
    }

    public static String function(String schema, String name, String body) {
        return "CREATE OR REPLACE FUNCTION " + Sql.identifier(schema) + "." + Sql.identifier(name)
                + "() RETURNS trigger LANGUAGE plpgsql AS " + dollarQuoted(body);
    }

    static String qualifiedFunction(String schema, String name) {
        return Sql.identifier(schema) + "." + Sql.identifier(name);
    }

    /** The key trigger's name on a partitioned table at {@code depth} in its tree (0: the root). */
    public static String keyTrigger(int depth) {
        return depth == 0 ? KEY_TRIGGER : KEY_TRIGGER + "_" + depth;
    }

    /**
     * The key trigger on a partitioned table, {@code BEFORE UPDATE FOR EACH ROW}, in one of two forms. Where no
     * application trigger can change a row before it, {@code UPDATE OF} the columns the key is made of: it fires only for
     * statements that assign one, so ordinary updates and all inserts pay nothing (a {@code WHEN} condition instead made
     * inserts through the parent about 10% slower, measured on PostgreSQL 17 with 120 partitions). Where the
     * application has {@code BEFORE UPDATE} row triggers on the table or below it, without a column list: an
     * {@code UPDATE OF} list only looks at the statement's target columns, and would miss a key such a trigger
     * rewrites; every updated row then calls the function, which compares the key by the row's JSON first.
     *
     * @param arguments the key as the function reads it ({@code c:column}, {@code e:expressions})
     * @param watched   the columns of {@code UPDATE OF}, or empty for the form without a column list
     */
    public static String keyTrigger(TableName table, int depth, List<String> arguments, List<String> watched, String functionSchema) {
        String args = arguments.stream().map(Sql::literal).collect(Collectors.joining(", "));
        String of = watched.isEmpty() ? "" : " OF " + watched.stream().map(Sql::identifier).collect(Collectors.joining(", "));
        return "CREATE TRIGGER " + Sql.identifier(keyTrigger(depth)) + " BEFORE UPDATE" + of + " ON " + Sql.table(table)
                + " FOR EACH ROW EXECUTE FUNCTION " + qualifiedFunction(functionSchema, KEY_FUNCTION) + "(" + args + ")";
    }

    /** Enables a trigger someone disabled (or set to fire only in replica sessions): it fires as any trigger does. */
    public static String enableTrigger(String trigger, TableName table) {
        return "ALTER TABLE " + Sql.table(table) + " ENABLE TRIGGER " + Sql.identifier(trigger);
    }

    /** The statement trigger on a partition that refuses writes naming it. */
    public static String writeTrigger(TableName partition, String functionSchema) {
        return "CREATE TRIGGER " + Sql.identifier(WRITE_TRIGGER) + " BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "
                + Sql.table(partition) + " FOR EACH STATEMENT EXECUTE FUNCTION " + qualifiedFunction(functionSchema, WRITE_FUNCTION) + "()";
    }

    public static String dropTrigger(String trigger, TableName table) {
        return "DROP TRIGGER IF EXISTS " + Sql.identifier(trigger) + " ON " + Sql.table(table);
    }

    public static String dropFunction(String schema, String name) {
        return "DROP FUNCTION IF EXISTS " + qualifiedFunction(schema, name) + "()";
    }

    /** A dollar-quoted body whose tag does not occur in it. */
    private static String dollarQuoted(String body) {
        String tag = "$pgpartition$";
        while (body.contains(tag)) {
            tag = "$" + tag.substring(1, tag.length() - 1) + "_$";
        }
        return tag + body + tag;
    }
}
