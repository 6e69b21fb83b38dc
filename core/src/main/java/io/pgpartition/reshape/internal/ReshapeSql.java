package io.pgpartition.reshape.internal;

import io.pgpartition.conversion.internal.Names;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.TableName;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The statements of a reshape's change log, copy, replay and verification. The log holds the identity of every row a
 * write touched in the partitions being read from (the replaced ones before the swap, the new ones after it); the replay
 * brings the other side's rows of those identities up to date, each row into the partition whose condition it meets.
 *
 * @param shape the planned reshape
 */
public record ReshapeSql(Shape shape) {

    /** The table, in the reshaped table's schema, where reshapes record their state. */
    public static final String STATE_TABLE = "pgpartition_reshapes";
    /** The trigger that logs writes. */
    public static final String SYNC_TRIGGER = "pgpartition_reshape_sync";
    /** The trigger that refuses TRUNCATE while a reshape is under way. */
    public static final String TRUNCATE_TRIGGER = "pgpartition_reshape_no_truncate";

    public TableName log() {
        return log(shape.table());
    }

    public static TableName log(TableName table) {
        return table.sibling(Names.derived(table.name(), "_pgp_rlog"));
    }

    public static TableName logFunction(TableName table) {
        return table.sibling(Names.derived(table.name(), "_pgp_rlog_write"));
    }

    public static TableName truncateFunction(TableName table) {
        return table.sibling(Names.derived(table.name(), "_pgp_rno_truncate"));
    }

    /**
     * The partitioned table the copy inserts through while the new partitions are its partitions, so that each row is
     * routed to its partition by the server in one insert; dropped when the copy ends.
     */
    public TableName router() {
        return router(shape.table());
    }

    public static TableName router(TableName table) {
        return table.sibling(Names.derived(table.name(), "_pgp_route"));
    }

    public static TableName state(TableName table) {
        return table.sibling(STATE_TABLE);
    }

    private String columns() {
        return shape.columns().stream().map(Sql::identifier).collect(Collectors.joining(", "));
    }

    private String identityList() {
        return shape.identity().stream().map(Sql::identifier).collect(Collectors.joining(", "));
    }

    /** The log: a sequence number and a row's identity. Autovacuum stays off it: it is emptied in order and dropped. */
    public String createLog() {
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < shape.identity().size(); i++) {
            columns.add(Sql.identifier(shape.identity().get(i)) + " " + shape.identityTypes().get(i));
        }
        return "CREATE TABLE " + Sql.table(log()) + " (pgp_seq bigserial PRIMARY KEY, " + String.join(", ", columns) + ") "
                + "WITH (autovacuum_enabled = false)";
    }

    /**
     * The trigger function: the identity a write had and the one it leaves, whoever writes (SECURITY DEFINER, owned by
     * the table's owner, with a pinned search path).
     */
    public String logFunction() {
        String oldValues = shape.identity().stream().map(c -> "OLD." + Sql.identifier(c)).collect(Collectors.joining(", "));
        String newValues = shape.identity().stream().map(c -> "NEW." + Sql.identifier(c)).collect(Collectors.joining(", "));
        String changed = shape.identity().stream().map(c -> "NEW." + Sql.identifier(c) + " IS DISTINCT FROM OLD." + Sql.identifier(c))
                .collect(Collectors.joining(" OR "));
        String insert = "INSERT INTO " + Sql.table(log()) + " (" + identityList() + ") VALUES ";
        return "CREATE OR REPLACE FUNCTION " + Sql.table(logFunction(shape.table())) + "() RETURNS trigger LANGUAGE plpgsql SECURITY "
                + "DEFINER SET search_path = pg_catalog, pg_temp AS $pgp_rlog$\nBEGIN\n"
                + "  IF TG_OP <> 'INSERT' THEN\n    " + insert + "(" + oldValues + ");\n  END IF;\n"
                + "  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (" + changed + ")) THEN\n    " + insert + "(" + newValues + ");\n  END IF;\n"
                + "  RETURN NULL;\nEND\n$pgp_rlog$";
    }

    /** The trigger function that refuses TRUNCATE of a partition under reshape, which the log could not follow. */
    public String truncateFunction() {
        return "CREATE OR REPLACE FUNCTION " + Sql.table(truncateFunction(shape.table())) + "() RETURNS trigger LANGUAGE plpgsql "
                + "SET search_path = pg_catalog, pg_temp AS $pgp_rno_truncate$\nBEGIN\n"
                + "  RAISE EXCEPTION USING ERRCODE = 'PGP03', MESSAGE = pg_catalog.format('pgpartition: TRUNCATE of %s refused: its "
                + "partitions are being reshaped, and a truncation would not reach the other copy', " + Sql.literal(Sql.table(shape.table()))
                + "),\n    HINT = 'Finish the reshape (pgpartition repartition cleanup) or roll it back (pgpartition repartition "
                + "rollback) first.';\nEND\n$pgp_rno_truncate$";
    }

    /** The log's triggers on {@code table}, firing whatever {@code session_replication_role} is. */
    public List<String> triggersOn(TableName table) {
        return List.of("CREATE TRIGGER " + Sql.identifier(TRUNCATE_TRIGGER) + " BEFORE TRUNCATE ON " + Sql.table(table)
                        + " FOR EACH STATEMENT EXECUTE FUNCTION " + Sql.table(truncateFunction(shape.table())) + "()",
                "ALTER TABLE " + Sql.table(table) + " ENABLE ALWAYS TRIGGER " + Sql.identifier(TRUNCATE_TRIGGER),
                "CREATE TRIGGER " + Sql.identifier(SYNC_TRIGGER) + " AFTER INSERT OR UPDATE OR DELETE ON " + Sql.table(table)
                        + " FOR EACH ROW EXECUTE FUNCTION " + Sql.table(logFunction(shape.table())) + "()",
                "ALTER TABLE " + Sql.table(table) + " ENABLE ALWAYS TRIGGER " + Sql.identifier(SYNC_TRIGGER));
    }

    public static List<String> dropTriggersOn(TableName table) {
        return List.of("DROP TRIGGER IF EXISTS " + Sql.identifier(SYNC_TRIGGER) + " ON " + Sql.table(table),
                "DROP TRIGGER IF EXISTS " + Sql.identifier(TRUNCATE_TRIGGER) + " ON " + Sql.table(table));
    }

    /**
     * One batch of the copy from {@code source}: the next rows after {@code after} in identity order, inserted through
     * the {@link #router} (the server routes each into the new partition whose bound it meets); returns how many were
     * read and the last identity.
     */
    public String copyBatch(TableName source, List<String> after, int batchSize) {
        String order = identityList();
        String where = after == null ? "" : " WHERE (" + order + ") > (" + typedValues(after) + ")";
        String desc = shape.identity().stream().map(c -> "b." + Sql.identifier(c) + " DESC").collect(Collectors.joining(", "));
        String last = shape.identity().stream().map(c -> "(SELECT b." + Sql.identifier(c) + "::text FROM batch b ORDER BY " + desc
                + " LIMIT 1)").collect(Collectors.joining(", "));
        return "WITH batch AS (SELECT " + columns() + " FROM ONLY " + Sql.table(source) + where + " ORDER BY " + order + " LIMIT "
                + batchSize + "),\ncopied AS (INSERT INTO " + Sql.table(router()) + " (" + columns() + ") OVERRIDING SYSTEM VALUE SELECT "
                + columns() + " FROM batch)\nSELECT (SELECT count(*) FROM batch), " + last;
    }

    /** The end of the copy: the new partitions detached from the {@link #router}, which is dropped. */
    public List<String> dropRouter() {
        List<String> statements = new ArrayList<>();
        for (TableName building : shape.buildingTables()) {
            statements.add("ALTER TABLE " + Sql.table(router()) + " DETACH PARTITION " + Sql.table(building));
        }
        statements.add("DROP TABLE " + Sql.table(router()));
        return statements;
    }

    /** How many entries the next round of replay takes (up to {@code batch}) and the last of them. */
    public String nextRound(int batch) {
        return "SELECT count(*), max(pgp_seq) FROM (SELECT pgp_seq FROM " + Sql.table(log()) + " ORDER BY pgp_seq LIMIT " + batch + ") s";
    }

    /**
     * A DO block that brings the targets' rows of the logged identities (entries up to {@code through}, or all) up to
     * date from the sources: deleted from every target, then the sources' current version inserted into the target
     * whose condition it meets; the entries removed.
     */
    public String replay(List<TableName> sources, List<Shape.Piece> targets, String through) {
        String within = through == null ? "" : " WHERE pgp_seq <= " + through;
        StringBuilder declare = new StringBuilder();
        List<String> arrays = new ArrayList<>();
        for (int i = 0; i < shape.identity().size(); i++) {
            declare.append("DECLARE pgp_k").append(i + 1).append(' ').append(shape.identityTypes().get(i)).append("[];\n");
            arrays.add("pgp_k" + (i + 1));
        }
        String aggregates = shape.identity().stream().map(c -> "pg_catalog.array_agg(d." + Sql.identifier(c) + ")")
                .collect(Collectors.joining(", "));
        String inKeys = shape.identity().size() == 1 ? "x." + Sql.identifier(shape.identity().get(0)) + " = ANY (" + arrays.get(0) + ")"
                : "(" + shape.identity().stream().map(c -> "x." + Sql.identifier(c)).collect(Collectors.joining(", "))
                + ") IN (SELECT * FROM ROWS FROM (" + arrays.stream().map(a -> "pg_catalog.unnest(" + a + ")")
                .collect(Collectors.joining(", ")) + "))";
        String columns = columns();
        String xColumns = shape.columns().stream().map(c -> "x." + Sql.identifier(c)).collect(Collectors.joining(", "));
        StringBuilder body = new StringBuilder();
        for (Shape.Piece target : targets) {
            body.append("    DELETE FROM ").append(Sql.table(target.name())).append(" x WHERE ").append(inKeys).append(";\n");
        }
        body.append("    WITH current_rows AS (").append(sources.stream().map(s -> "SELECT " + xColumns + " FROM ONLY " + Sql.table(s)
                + " x WHERE " + inKeys).collect(Collectors.joining(" UNION ALL "))).append(")");
        for (int i = 0; i < targets.size() - 1; i++) {
            body.append(",\n      replayed_").append(i + 1).append(" AS (INSERT INTO ").append(Sql.table(targets.get(i).name()))
                    .append(" (").append(columns).append(") OVERRIDING SYSTEM VALUE SELECT ").append(columns)
                    .append(" FROM current_rows WHERE ").append(targets.get(i).check()).append(")");
        }
        Shape.Piece last = targets.get(targets.size() - 1);
        body.append("\n    INSERT INTO ").append(Sql.table(last.name())).append(" (").append(columns).append(") OVERRIDING SYSTEM VALUE SELECT ")
                .append(columns).append(" FROM current_rows WHERE ").append(last.check()).append(";\n");
        return "DO $pgp_replay$\n" + declare + "BEGIN\n"
                + "  SELECT " + aggregates + " INTO " + String.join(", ", arrays) + " FROM (SELECT DISTINCT " + identityList()
                + " FROM " + Sql.table(log()) + within + ") d;\n"
                + "  IF pgp_k1 IS NOT NULL THEN\n" + body
                + "    DELETE FROM " + Sql.table(log()) + within + ";\n"
                + "  END IF;\nEND\n$pgp_replay$";
    }

    private String rowHash() {
        return "pg_catalog.hashtext(ROW(" + shape.columns().stream().map(c -> "x." + Sql.identifier(c)).collect(Collectors.joining(", "))
                + ")::text)::bigint";
    }

    private String notLogged() {
        return "NOT EXISTS (SELECT 1 FROM " + Sql.table(log()) + " k WHERE " + shape.identity().stream()
                .map(c -> "k." + Sql.identifier(c) + " = x." + Sql.identifier(c)).collect(Collectors.joining(" AND ")) + ")";
    }

    /** Rows and checksum of each target (numbered from 1 in order), logged rows left out. */
    public String checksumsOfTargets(List<Shape.Piece> targets) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            parts.add("SELECT " + (i + 1) + "::bigint, count(*), coalesce(sum(" + rowHash() + "), 0) FROM ONLY "
                    + Sql.table(targets.get(i).name()) + " x WHERE " + notLogged());
        }
        return String.join("\nUNION ALL ", parts);
    }

    /**
     * Rows and checksum of the sources, grouped by the target whose condition each row meets (numbered from 1; 0 for a
     * row that meets none), logged rows left out.
     */
    public String checksumsOfSources(List<TableName> sources, List<Shape.Piece> targets) {
        StringBuilder which = new StringBuilder("CASE");
        for (int i = 0; i < targets.size(); i++) {
            which.append(" WHEN ").append(targets.get(i).check()).append(" THEN ").append(i + 1);
        }
        which.append(" ELSE 0 END");
        String union = sources.stream().map(s -> "SELECT " + columns() + " FROM ONLY " + Sql.table(s)).collect(Collectors.joining(" UNION ALL "));
        return "SELECT (" + which + ")::bigint, count(*), coalesce(sum(" + rowHash() + "), 0) FROM (SELECT " + columns() + " FROM ("
                + union + ") u) x WHERE " + notLogged() + " GROUP BY 1";
    }

    /** Identity values recorded as text, as literals cast to their columns' types. */
    private String typedValues(List<String> values) {
        List<String> typed = new ArrayList<>();
        for (int i = 0; i < shape.identity().size(); i++) {
            typed.add("CAST(" + Sql.literal(values.get(i)) + " AS " + shape.identityTypes().get(i) + ")");
        }
        return String.join(", ", typed);
    }
}
