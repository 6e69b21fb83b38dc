package io.pgpartition.guard;

import io.pgpartition.ddl.Sql;
import io.pgpartition.model.TableName;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL of the server guard: its three trigger functions (created in the schema of each guarded root table) and the
 * triggers that call them. Every identifier goes through {@link Sql#identifier}.
 */
public final class GuardSql {

    /** The row trigger on each partitioned root, cloned by PostgreSQL to every partition present and future. */
    public static final String KEY_TRIGGER = "pgpartition_key_guard";
    /** The statement trigger on each partition, at every level. */
    public static final String WRITE_TRIGGER = "pgpartition_direct_write_guard";
    /** The statement triggers on each root that let a TRUNCATE of the root through to its partitions. */
    public static final String TRUNCATE_BEGIN_TRIGGER = "pgpartition_truncate_begin";
    public static final String TRUNCATE_END_TRIGGER = "pgpartition_truncate_end";

    public static final String KEY_FUNCTION = "pgpartition_refuse_key_change";
    public static final String WRITE_FUNCTION = "pgpartition_refuse_direct_write";
    public static final String TRUNCATE_FUNCTION = "pgpartition_truncate_through_parent";

    /**
     * The setting that lets the guarded writes of one transaction through: {@code SET LOCAL pgpartition.bypass = on}.
     * A guard against mistakes, not access control: any session may set it.
     */
    public static final String BYPASS_SETTING = "pgpartition.bypass";
    /** SQLSTATE of a refused key change. */
    public static final String KEY_CHANGED_STATE = "PGP01";
    /** SQLSTATE of a refused direct write to a partition. */
    public static final String DIRECT_WRITE_STATE = "PGP02";

    /** Which roots are being truncated in this transaction, as {@code ,oid,oid,}. */
    static final String TRUNCATING_SETTING = "pgpartition.truncating";

    static final String KEY_FUNCTION_BODY = """
            DECLARE
              col text;
              old_value text;
              new_value text;
            BEGIN
              IF pg_catalog.current_setting('%1$s', true) = 'on' THEN
                RETURN NEW;
              END IF;
              FOREACH col IN ARRAY TG_ARGV LOOP
                old_value := pg_catalog.to_jsonb(OLD) ->> col;
                new_value := pg_catalog.to_jsonb(NEW) ->> col;
                IF old_value IS DISTINCT FROM new_value THEN
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

    static final String WRITE_FUNCTION_BODY = """
            BEGIN
              IF pg_catalog.current_setting('%1$s', true) = 'on' THEN
                RETURN NULL;
              END IF;
              IF TG_OP = 'TRUNCATE' AND pg_catalog.strpos(COALESCE(pg_catalog.current_setting('%2$s', true), ''),
                  ',' || pg_catalog.pg_partition_root(TG_RELID)::oid::text || ',') > 0 THEN
                RETURN NULL;
              END IF;
              RAISE EXCEPTION USING ERRCODE = '%3$s',
                MESSAGE = pg_catalog.format('pgpartition: %%s on partition %%s.%%s refused: write through its parent table %%s',
                    TG_OP, pg_catalog.quote_ident(TG_TABLE_SCHEMA), pg_catalog.quote_ident(TG_TABLE_NAME),
                    (SELECT i.inhparent::regclass FROM pg_catalog.pg_inherits i WHERE i.inhrelid = TG_RELID)),
                HINT = 'Write through the parent table, which routes each row to its partition. Maintenance may SET LOCAL %1$s = on.',
                SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME;
            END
            """.formatted(BYPASS_SETTING, TRUNCATING_SETTING, DIRECT_WRITE_STATE);

    static final String TRUNCATE_FUNCTION_BODY = """
            DECLARE
              marker text := ',' || TG_RELID::text || ',';
              current_value text := COALESCE(pg_catalog.current_setting('%1$s', true), '');
            BEGIN
              IF TG_WHEN = 'BEFORE' THEN
                PERFORM pg_catalog.set_config('%1$s', current_value || marker, true);
              ELSE
                PERFORM pg_catalog.set_config('%1$s', pg_catalog.replace(current_value, marker, ''), true);
              END IF;
              RETURN NULL;
            END
            """.formatted(TRUNCATING_SETTING);

    private GuardSql() {
    }

    static String function(String schema, String name, String body) {
        return "CREATE OR REPLACE FUNCTION " + Sql.identifier(schema) + "." + Sql.identifier(name)
                + "() RETURNS trigger LANGUAGE plpgsql AS " + dollarQuoted(body);
    }

    static String qualifiedFunction(String schema, String name) {
        return Sql.identifier(schema) + "." + Sql.identifier(name);
    }

    /** The row trigger on a root: fires only when some key column changes, so ordinary updates pay nothing. */
    static String keyTrigger(TableName root, List<String> keyColumns) {
        String changed = keyColumns.stream().map(c -> "OLD." + Sql.identifier(c) + " IS DISTINCT FROM NEW." + Sql.identifier(c))
                .collect(Collectors.joining(" OR "));
        String arguments = keyColumns.stream().map(Sql::literal).collect(Collectors.joining(", "));
        return "CREATE TRIGGER " + Sql.identifier(KEY_TRIGGER) + " BEFORE UPDATE ON " + Sql.table(root)
                + " FOR EACH ROW WHEN (" + changed + ") EXECUTE FUNCTION " + qualifiedFunction(root.schema(), KEY_FUNCTION)
                + "(" + arguments + ")";
    }

    /** The statement trigger on a partition that refuses writes naming it. */
    public static String writeTrigger(TableName partition, String functionSchema) {
        return "CREATE TRIGGER " + Sql.identifier(WRITE_TRIGGER) + " BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON "
                + Sql.table(partition) + " FOR EACH STATEMENT EXECUTE FUNCTION " + qualifiedFunction(functionSchema, WRITE_FUNCTION) + "()";
    }

    static List<String> truncateTriggers(TableName root) {
        String function = qualifiedFunction(root.schema(), TRUNCATE_FUNCTION);
        return List.of(
                "CREATE TRIGGER " + Sql.identifier(TRUNCATE_BEGIN_TRIGGER) + " BEFORE TRUNCATE ON " + Sql.table(root)
                        + " FOR EACH STATEMENT EXECUTE FUNCTION " + function + "()",
                "CREATE TRIGGER " + Sql.identifier(TRUNCATE_END_TRIGGER) + " AFTER TRUNCATE ON " + Sql.table(root)
                        + " FOR EACH STATEMENT EXECUTE FUNCTION " + function + "()");
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
