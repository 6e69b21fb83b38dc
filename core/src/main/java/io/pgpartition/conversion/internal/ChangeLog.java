package io.pgpartition.conversion.internal;

import io.pgpartition.catalog.internal.Catalog;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.TableName;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The statements of the change log: its table, the trigger function that fills it, the replay that brings one table's
 * rows of the logged keys up to date from the other, the batched copy and the checksums that compare the two.
 *
 * <p>The trigger functions are {@code SECURITY DEFINER}, owned by the table's owner and pinned to {@code search_path =
 * pg_catalog, pg_temp}: they write the log (and the twin) for whichever role writes the table, and nothing else. Types
 * in them are schema-qualified, as the facts are read.
 *
 * @param source   the table written by the application, whose rows are copied
 * @param target   the table that receives them
 * @param identity the columns that identify a row in {@code source} (its primary key, or a unique key on NOT NULL columns)
 * @param types    the identity columns' types, qualified
 * @param key      the partition key column (null when the log only logs)
 * @param insertable the columns a copy writes (not generated ones)
 */
public record ChangeLog(Names names, TableName source, TableName target, List<String> identity, List<String> types, String key,
                        List<String> insertable) {

    /** The same log with the direction reversed: the partitioned table is written, the original receives. */
    public ChangeLog reversed() {
        return new ChangeLog(names, target, source, identity, types, key, insertable);
    }

    /**
     * The log table: a sequence number and the identity of each row a write touched. Autovacuum stays off it: it only
     * grows while the copy runs, is emptied in order by the replay's rounds, and is dropped at the end, so vacuuming it
     * would only take time from the writers and the copy.
     */
    public String createTable() {
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < identity.size(); i++) {
            columns.add(Sql.identifier(identity.get(i)) + " " + types.get(i));
        }
        return "CREATE TABLE " + Sql.table(names.log()) + " (pgp_seq bigserial PRIMARY KEY, " + String.join(", ", columns) + ") "
                + "WITH (autovacuum_enabled = false)";
    }

    /**
     * The trigger function on {@code source}. Writes to rows within the copy's range (keys up to its upper bound) record
     * the keys they touch in the log, for {@link #replay}: the copy takes no row lock, and a row it read may change before
     * it commits. Writes to rows beyond the bound, which the copy never reads, are mirrored into {@code target} at once.
     *
     * @param bounded null: log every write (before the bound is known, and after the swap); true: compare with the bound,
     *                written as {@code @pgp_until_N@} placeholders for the quoted values; false: no bound (an empty
     *                table), mirror every write
     */
    public String logFunction(Boolean bounded) {
        String columns = identity.stream().map(Sql::identifier).collect(Collectors.joining(", "));
        String oldValues = identity.stream().map(c -> "OLD." + Sql.identifier(c)).collect(Collectors.joining(", "));
        String newValues = identity.stream().map(c -> "NEW." + Sql.identifier(c)).collect(Collectors.joining(", "));
        String changed = identity.stream().map(c -> "NEW." + Sql.identifier(c) + " IS DISTINCT FROM OLD." + Sql.identifier(c))
                .collect(Collectors.joining(" OR "));
        String until = "";
        if (Boolean.TRUE.equals(bounded)) {
            List<String> typed = new ArrayList<>();
            for (int i = 0; i < identity.size(); i++) {
                typed.add("CAST(@pgp_until_" + (i + 1) + "@ AS " + types.get(i) + ")");
            }
            until = "(" + String.join(", ", typed) + ")";
        }
        String oldLogged = bounded == null ? "TRUE" : bounded ? "(" + oldValues + ") <= " + until : "FALSE";
        String newLogged = bounded == null ? "TRUE" : bounded ? "(" + newValues + ") <= " + until : "FALSE";
        String k = key == null ? null : Sql.identifier(key);
        String match = identity.stream().map(c -> Sql.identifier(c) + " = OLD." + Sql.identifier(c)).collect(Collectors.joining(" AND "))
                + (key == null || identity.contains(key) ? "" : " AND " + k + " = OLD." + k);
        String columnList = insertable.stream().map(Sql::identifier).collect(Collectors.joining(", "));
        String values = insertable.stream().map(c -> "NEW." + Sql.identifier(c)).collect(Collectors.joining(", "));
        return "CREATE OR REPLACE FUNCTION " + Sql.table(names.logFunction()) + "() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
                + "SET search_path = pg_catalog, pg_temp AS $pgp_log$\nBEGIN\n"
                + "  IF TG_OP <> 'INSERT' THEN\n"
                + "    IF " + oldLogged + " THEN\n"
                + "      INSERT INTO " + Sql.table(names.log()) + " (" + columns + ") VALUES (" + oldValues + ");\n"
                + "    ELSE\n"
                + "      DELETE FROM " + Sql.table(target) + " WHERE " + match + ";\n"
                + "    END IF;\n"
                + "  END IF;\n"
                + "  IF TG_OP <> 'DELETE' THEN\n"
                + "    IF " + newLogged + " THEN\n"
                + "      IF TG_OP = 'INSERT' OR " + changed + " THEN\n"
                + "        INSERT INTO " + Sql.table(names.log()) + " (" + columns + ") VALUES (" + newValues + ");\n"
                + "      END IF;\n"
                + "    ELSE\n"
                + "      INSERT INTO " + Sql.table(target) + " (" + columnList + ") OVERRIDING SYSTEM VALUE VALUES (" + values + ");\n"
                + "    END IF;\n"
                + "  END IF;\n"
                + "  RETURN NULL;\nEND\n$pgp_log$";
    }

    /**
     * A DO block, run after the copy's upper bound is recorded (still under the trigger's lock, so no row was written
     * since), that re-creates the log function with that bound written in.
     */
    public String boundLogFunction() {
        StringBuilder replaced = new StringBuilder(Sql.literal(logFunction(true)));
        for (int i = 0; i < identity.size(); i++) {
            replaced.insert(0, "replace(").append(", ").append(Sql.literal("@pgp_until_" + (i + 1) + "@")).append(", quote_literal(u[")
                    .append(i + 1).append("]))");
        }
        return "DO $pgp_bound$\nDECLARE u text[];\nBEGIN\n"
                + "  SELECT copy_until INTO u FROM " + Sql.table(names.state()) + " WHERE table_name = " + Sql.literal(names.table().name())
                + ";\n"
                + "  IF u IS NULL THEN\n"
                + "    EXECUTE " + Sql.literal(logFunction(false)) + ";\n"
                + "  ELSE\n"
                + "    EXECUTE " + replaced + ";\n"
                + "  END IF;\n"
                + "END\n$pgp_bound$";
    }

    /** The trigger function that refuses TRUNCATE of {@code table} while the conversion is under way. */
    public String truncateFunction() {
        return "CREATE OR REPLACE FUNCTION " + Sql.table(names.truncateFunction()) + "() RETURNS trigger LANGUAGE plpgsql "
                + "SET search_path = pg_catalog, pg_temp AS $pgp_truncate$\nBEGIN\n"
                + "  RAISE EXCEPTION USING ERRCODE = 'PGP03', MESSAGE = pg_catalog.format('pgpartition: TRUNCATE of %s refused: '\n"
                + "    'it is being converted to a partitioned table, and a truncation would not reach the other copy', "
                + "pg_catalog.format('%I.%I', TG_TABLE_SCHEMA, TG_TABLE_NAME)),\n"
                + "    HINT = 'Finish the conversion (pgpartition convert cleanup) or roll it back (pgpartition convert rollback) first.';\n"
                + "END\n$pgp_truncate$";
    }

    /** The statements that put the log's triggers on {@code table}, firing whatever {@code session_replication_role} is. */
    public List<String> triggersOn(TableName table, boolean rows) {
        List<String> statements = new ArrayList<>();
        statements.add("CREATE TRIGGER " + Sql.identifier(Names.TRUNCATE_TRIGGER) + " BEFORE TRUNCATE ON " + Sql.table(table)
                + " FOR EACH STATEMENT EXECUTE FUNCTION " + Sql.table(names.truncateFunction()) + "()");
        statements.add("ALTER TABLE " + Sql.table(table) + " ENABLE ALWAYS TRIGGER " + Sql.identifier(Names.TRUNCATE_TRIGGER));
        if (rows) {
            statements.add("CREATE TRIGGER " + Sql.identifier(Names.SYNC_TRIGGER) + " AFTER INSERT OR UPDATE OR DELETE ON "
                    + Sql.table(table) + " FOR EACH ROW EXECUTE FUNCTION " + Sql.table(names.logFunction()) + "()");
            statements.add("ALTER TABLE " + Sql.table(table) + " ENABLE ALWAYS TRIGGER " + Sql.identifier(Names.SYNC_TRIGGER));
        }
        return statements;
    }

    /**
     * A DO block that brings {@code target}'s rows of the logged keys (entries up to {@code through}, or all) up to date
     * from {@code source} and removes those entries: the distinct keys gathered into arrays, the target's rows of those
     * keys deleted and the source's current version inserted, both by {@code = ANY} (or {@code IN unnest}) so that the
     * primary-key indexes serve them whatever the planner thinks of the log's size.
     */
    public String replay(String through) {
        String within = through == null ? "" : " WHERE pgp_seq <= " + through;
        StringBuilder declare = new StringBuilder();
        List<String> arrays = new ArrayList<>();
        for (int i = 0; i < identity.size(); i++) {
            declare.append("DECLARE pgp_k").append(i + 1).append(' ').append(types.get(i)).append("[];\n");
            arrays.add("pgp_k" + (i + 1));
        }
        String columns = identity.stream().map(Sql::identifier).collect(Collectors.joining(", "));
        String aggregates = identity.stream().map(c -> "pg_catalog.array_agg(d." + Sql.identifier(c) + ")").collect(Collectors.joining(", "));
        String inKeys = identity.size() == 1 ? "x." + Sql.identifier(identity.get(0)) + " = ANY (" + arrays.get(0) + ")"
                : "(" + identity.stream().map(c -> "x." + Sql.identifier(c)).collect(Collectors.joining(", ")) + ") IN (SELECT * FROM "
                + "ROWS FROM (" + arrays.stream().map(a -> "pg_catalog.unnest(" + a + ")").collect(Collectors.joining(", ")) + "))";
        String columnList = insertable.stream().map(Sql::identifier).collect(Collectors.joining(", "));
        return "DO $pgp_replay$\n" + declare + "BEGIN\n"
                + "  SELECT " + aggregates + " INTO " + String.join(", ", arrays) + " FROM (SELECT DISTINCT " + columns
                + " FROM " + Sql.table(names.log()) + within + ") d;\n"
                + "  IF pgp_k1 IS NOT NULL THEN\n"
                + "    DELETE FROM " + Sql.table(target) + " x WHERE " + inKeys + ";\n"
                + "    INSERT INTO " + Sql.table(target) + " (" + columnList + ") OVERRIDING SYSTEM VALUE SELECT "
                + insertable.stream().map(c -> "x." + Sql.identifier(c)).collect(Collectors.joining(", ")) + " FROM "
                + Sql.table(source) + " x WHERE " + inKeys + ";\n"
                + "    DELETE FROM " + Sql.table(names.log()) + within + ";\n"
                + "  END IF;\n"
                + "END\n$pgp_replay$";
    }

    /** How many entries the next round of replay takes (up to {@code batch}) and the last of them. */
    public String nextRound(int batch) {
        return "SELECT count(*), max(pgp_seq) FROM (SELECT pgp_seq FROM " + Sql.table(names.log()) + " ORDER BY pgp_seq LIMIT " + batch
                + ") s";
    }

    /**
     * One batch of the copy: the next rows after {@code after} and up to {@code until} in identity order, copied, and
     * how many with the last identity copied. Rows beyond {@code until} (the greatest identity when the log trigger was
     * created) were all written since, and the trigger has mirrored them.
     */
    public String copyBatch(List<String> allColumns, List<String> after, List<String> until, int batchSize) {
        String order = identity.stream().map(Sql::identifier).collect(Collectors.joining(", "));
        List<String> conditions = new ArrayList<>();
        if (after != null) {
            conditions.add("(" + order + ") > (" + typedValues(after) + ")");
        }
        if (until != null) {
            conditions.add("(" + order + ") <= (" + typedValues(until) + ")");
        }
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        String columnList = insertable.stream().map(Sql::identifier).collect(Collectors.joining(", "));
        String all = allColumns.stream().map(Sql::identifier).collect(Collectors.joining(", "));
        String qualifiedDesc = identity.stream().map(c -> "b." + Sql.identifier(c) + " DESC").collect(Collectors.joining(", "));
        String last = identity.stream().map(c -> "(SELECT b." + Sql.identifier(c) + "::text AS last FROM batch b ORDER BY " + qualifiedDesc
                + " LIMIT 1)").collect(Collectors.joining(", "));
        return "WITH batch AS (SELECT " + all + " FROM ONLY " + Sql.table(source) + where + " ORDER BY " + order + " LIMIT " + batchSize
                + "),\n"
                + "copied AS (INSERT INTO " + Sql.table(target) + " (" + columnList + ") OVERRIDING SYSTEM VALUE SELECT " + columnList
                + " FROM batch)\n"
                + "SELECT (SELECT count(*) FROM batch), " + last;
    }

    /** The greatest identity of {@code source} as a {@code text[]}, recorded as the copy's upper bound. */
    public String recordCopyBound() {
        String order = identity.stream().map(c -> "t." + Sql.identifier(c) + " DESC").collect(Collectors.joining(", "));
        return "UPDATE " + Sql.table(names.state()) + " SET copy_until = (SELECT ARRAY[" + identity.stream()
                .map(c -> "t." + Sql.identifier(c) + "::text").collect(Collectors.joining(", ")) + "] AS last FROM ONLY "
                + Sql.table(source) + " t ORDER BY " + order + " LIMIT 1) WHERE table_name = " + Sql.literal(names.table().name());
    }

    /** Key values recorded as text, as literals cast to their columns' types. */
    private String typedValues(List<String> values) {
        List<String> typed = new ArrayList<>();
        for (int i = 0; i < identity.size(); i++) {
            typed.add("CAST(" + Sql.literal(values.get(i)) + " AS " + types.get(i) + ")");
        }
        return String.join(", ", typed);
    }

    /** Rows whose identity is not in the log: those a replay will not touch, which must match already. */
    private String notLogged() {
        return "NOT EXISTS (SELECT 1 FROM " + Sql.table(names.log()) + " k WHERE " + identity.stream()
                .map(c -> "k." + Sql.identifier(c) + " = x." + Sql.identifier(c)).collect(Collectors.joining(" AND ")) + ")";
    }

    /** Rows and checksums of a partitioned table per partition ({@code tableoid} as a number), logged rows left out. */
    public String checksumsByPartition(TableName partitioned) {
        return "SELECT x.tableoid::oid::bigint, count(*), coalesce(sum(pg_catalog.hashtext(x::text)::bigint), 0) FROM "
                + Sql.table(partitioned) + " x WHERE " + notLogged() + " GROUP BY 1";
    }

    /**
     * Rows and checksums of a plain table, logged rows left out, grouped by the partition each row belongs in:
     * {@code constraints} pairs a partition's oid with its partition constraint (none: one group, oid 0).
     */
    public String checksumsByConstraint(TableName plain, List<Catalog.PartitionConstraint> constraints) {
        StringBuilder which = new StringBuilder("CASE");
        for (Catalog.PartitionConstraint constraint : constraints) {
            which.append(" WHEN ").append(constraint.constraint()).append(" THEN ").append(constraint.oid());
        }
        String partition = constraints.isEmpty() ? "0::bigint" : which.append(" END").toString();
        return "SELECT " + partition + ", count(*), coalesce(sum(pg_catalog.hashtext(x::text)::bigint), 0) FROM ONLY " + Sql.table(plain)
                + " x WHERE " + notLogged() + " GROUP BY 1";
    }

    /** Rows and checksum of a whole table (a partitioned one through its partitions), logged rows left out, as one group 0. */
    public String checksumsWhole(TableName table) {
        return "SELECT 0::bigint, count(*), coalesce(sum(pg_catalog.hashtext(x::text)::bigint), 0) FROM " + Sql.table(table) + " x WHERE "
                + notLogged();
    }
}
