package io.pgpartition.guard;

import io.pgpartition.ddl.Sql;
import io.pgpartition.model.TableName;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL of the server guard: its two trigger functions (created in the schema of each guarded root table) and the
 * triggers that call them. Every identifier goes through {@link Sql#identifier}.
 */
public final class GuardSql {

    /** The row trigger on each partitioned root, cloned by PostgreSQL to every partition present and future. */
    public static final String KEY_TRIGGER = "pgpartition_key_guard";
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

    static final String KEY_FUNCTION_BODY = """
            DECLARE
              col text;
              changed boolean;
              old_value text;
              new_value text;
            BEGIN
              IF pg_catalog.current_setting('%1$s', true) = 'on' THEN
                RETURN NEW;
              END IF;
              FOREACH col IN ARRAY TG_ARGV LOOP
                EXECUTE pg_catalog.format('SELECT ($1).%%1$I IS DISTINCT FROM ($2).%%1$I', col) INTO changed USING OLD, NEW;
                IF changed THEN
                  old_value := pg_catalog.to_jsonb(OLD) ->> col;
                  new_value := pg_catalog.to_jsonb(NEW) ->> col;
                  RAISE EXCEPTION USING ERRCODE = '%2$s',
                    MESSAGE = pg_catalog.format('pgpartition: partition key column %%s of %%s would change from %%s to %%s',
                        pg_catalog.quote_ident(col), pg_catalog.pg_partition_root(TG_RELID)::regclass,
                        COALESCE(old_value, 'NULL'), COALESCE(new_value, 'NULL')),
                    DETAIL = pg_catalog.format('The row is in partition %%s.%%s; PostgreSQL would move it to another partition.',
                        pg_catalog.quote_ident(TG_TABLE_SCHEMA), pg_catalog.quote_ident(TG_TABLE_NAME)),
                    HINT = 'The partition key of a stored row never changes: delete the row and insert a new one instead.',
                    SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME, COLUMN = col;
                END IF;
              END LOOP;
              RETURN NEW;
            END
            """.formatted(BYPASS_SETTING, KEY_CHANGED_STATE);

    /**
     * Refuses the statement, unless the bypass is set or it is a TRUNCATE of the partition's root reaching it: this
     * backend then holds the root's ACCESS EXCLUSIVE lock, which a TRUNCATE naming only partitions never takes.
     */
    static final String WRITE_FUNCTION_BODY = """
            BEGIN
              IF pg_catalog.current_setting('%1$s', true) = 'on' THEN
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

    static String function(String schema, String name, String body) {
        return "CREATE OR REPLACE FUNCTION " + Sql.identifier(schema) + "." + Sql.identifier(name)
                + "() RETURNS trigger LANGUAGE plpgsql AS " + dollarQuoted(body);
    }

    static String qualifiedFunction(String schema, String name) {
        return Sql.identifier(schema) + "." + Sql.identifier(name);
    }

    /**
     * The row trigger on a root: {@code BEFORE UPDATE OF} the key columns, so it fires only for statements that
     * assign a key column, and its function refuses the rows whose key actually changes. Ordinary updates do not fire
     * it, and inserts pay nothing for it: a {@code WHEN (OLD.key IS DISTINCT FROM NEW.key)} clause, which PostgreSQL
     * clones with the trigger to every partition, made inserts through the parent about 10% slower (measured on
     * PostgreSQL 17 with 120 partitions); {@code UPDATE OF} did not.
     */
    static String keyTrigger(TableName root, List<String> keyColumns) {
        String columns = keyColumns.stream().map(Sql::identifier).collect(Collectors.joining(", "));
        String arguments = keyColumns.stream().map(Sql::literal).collect(Collectors.joining(", "));
        return "CREATE TRIGGER " + Sql.identifier(KEY_TRIGGER) + " BEFORE UPDATE OF " + columns + " ON " + Sql.table(root)
                + " FOR EACH ROW EXECUTE FUNCTION " + qualifiedFunction(root.schema(), KEY_FUNCTION) + "(" + arguments + ")";
    }

    /** The statement trigger on a partition that refuses writes naming it. */
    public static String writeTrigger(TableName partition, String functionSchema) {
        return "CREATE TRIGGER " + Sql.identifier(WRITE_TRIGGER) + " BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "
                + Sql.table(partition) + " FOR EACH STATEMENT EXECUTE FUNCTION " + qualifiedFunction(functionSchema, WRITE_FUNCTION) + "()";
    }

    static String dropTrigger(String trigger, TableName table) {
        return "DROP TRIGGER IF EXISTS " + Sql.identifier(trigger) + " ON " + Sql.table(table);
    }

    static String dropFunction(String schema, String name) {
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
