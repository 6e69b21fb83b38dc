package io.pgpartition.report;

import io.pgpartition.catalog.Jdbc;
import io.pgpartition.model.TableName;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Exact row counts of many tables in one statement, whatever their number: the server runs one {@code count(*)} per
 * table through {@code query_to_xml} (a {@code UNION ALL} of thousands of counts would exhaust the parser's stack).
 * Names are quoted by the server's {@code format('%I')}.
 */
final class RowCounts {

    private static final String COUNT = """
            SELECT w.i, (pg_catalog.xpath('/row/c/text()', pg_catalog.query_to_xml(
                       pg_catalog.format('SELECT count(*) AS c FROM ONLY %I.%I', w.schema_name, w.rel_name), false, true, '')))[1]::text::bigint
              FROM unnest(?::text[], ?::text[]) WITH ORDINALITY AS w(schema_name, rel_name, i)""";

    private RowCounts() {
    }

    /** The rows of each table (schema-qualified names), in one statement. */
    static Map<TableName, Long> of(Connection connection, List<TableName> tables) throws SQLException {
        Map<TableName, Long> rows = new HashMap<>();
        if (!tables.isEmpty()) {
            Jdbc.query(connection, COUNT, rs -> rows.put(tables.get(rs.getInt(1) - 1), rs.getLong(2)),
                    Jdbc.schemas(tables), Jdbc.names(tables));
        }
        return rows;
    }
}
