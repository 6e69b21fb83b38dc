package io.pgpartition.pruning;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A statement that can touch every partition of a table (or more than one where its shape says one), with where it
 * came from and how to change it.
 *
 * @param sql      the statement's text
 * @param tables   the tables it is not pruned on, with the partitions it can touch out of their total
 * @param origin   what produced it where that is known ({@code entity load of Visit by id}), else {@code SQL}
 * @param callSite the application's line that ran it ({@code com.acme.Visits.show(Visits.java:42)}), or empty
 * @param fix      what to change
 */
public record UnprunedStatement(String sql, List<TableScan> tables, String origin, String callSite, String fix) {

    public UnprunedStatement {
        tables = List.copyOf(tables);
    }

    /** The report: what it touches, the SQL, where it came from, and the fix. */
    public String message() {
        String touches = tables.stream().map(TableScan::describe).collect(Collectors.joining(", "));
        return "Unpruned statement: " + origin + " can touch " + touches + (callSite.isEmpty() ? "" : ", run at " + callSite)
                + ": " + sql + ". Fix: " + fix;
    }

    @Override
    public String toString() {
        return message();
    }
}
