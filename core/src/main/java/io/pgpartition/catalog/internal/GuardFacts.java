package io.pgpartition.catalog.internal;

import io.pgpartition.model.TableName;

import java.util.List;
import java.util.Map;

/**
 * What the catalog says about the server guard: the partition trees looked at, and the guard's triggers on tables that
 * are in no partition tree any more.
 *
 * @param trees   the trees, roots in name order
 * @param orphans the guard's triggers on tables that are neither a partition nor partitioned (detached since)
 * @param serverVersion {@code server_version_num}
 * @param citus         on a Citus database, how Citus holds each root that it holds (no trigger can guard those)
 */
public record GuardFacts(List<Tree> trees, List<Trigger> orphans, int serverVersion,
                         Map<TableName, io.pgpartition.catalog.Distribution> citus) {

    public GuardFacts {
        trees = List.copyOf(trees);
        orphans = List.copyOf(orphans);
        citus = Map.copyOf(citus);
    }

    /** Facts of a database without Citus. */
    public GuardFacts(List<Tree> trees, List<Trigger> orphans, int serverVersion) {
        this(trees, orphans, serverVersion, Map.of());
    }

    /**
     * One partition tree.
     *
     * @param root      its root
     * @param members   the root and every partition at every level, by depth then name
     * @param functions the digest ({@code md5} of the source) of each guard function present in the root's schema
     */
    public record Tree(TableName root, List<Member> members, Map<String, String> functions) {

        public Tree {
            members = List.copyOf(members);
            functions = Map.copyOf(functions);
        }
    }

    /**
     * A table of a tree.
     *
     * @param name         the table
     * @param parent       the partitioned table it is a partition of (null for the root)
     * @param depth        0 for the root, 1 for its partitions, and so on
     * @param partitioned  whether it is partitioned itself (the root, a sub-partitioned partition)
     * @param keyColumns   a partitioned table's key columns in key order (expression parts left out)
     * @param expressions  a partitioned table's key expressions as PostgreSQL prints them, or null
     * @param watched      the columns a partitioned table's key is made of, its expressions' columns included, in column order
     * @param triggers     the guard's triggers on it, and the application's {@code BEFORE UPDATE} row triggers on it
     */
    public record Member(TableName name, TableName parent, int depth, boolean partitioned, List<String> keyColumns, String expressions,
                         List<String> watched, List<Trigger> triggers) {

        public Member {
            keyColumns = List.copyOf(keyColumns);
            watched = List.copyOf(watched);
            triggers = List.copyOf(triggers);
        }

        /** The key as the guard's key function takes it: {@code c:column} per column, {@code e:expressions}. */
        public List<String> keyArguments() {
            List<String> arguments = new java.util.ArrayList<>();
            keyColumns.forEach(column -> arguments.add("c:" + column));
            if (expressions != null) {
                arguments.add("e:" + expressions);
            }
            return arguments;
        }
    }

    /**
     * One trigger.
     *
     * @param table     the table it is on
     * @param name      its name
     * @param enabled   {@code pg_trigger.tgenabled}: {@code O} fires (not in replica sessions), {@code A} always,
     *                  {@code R} only in replica sessions, {@code D} never
     * @param type      {@code pg_trigger.tgtype}: level, timing and events as bits
     * @param cloned    whether PostgreSQL cloned it from a partitioned ancestor's trigger
     * @param function  the function it calls, {@code schema.name}
     * @param arguments its arguments
     * @param columns   the columns of {@code UPDATE OF}, in column order
     * @param when      its {@code WHEN} condition as PostgreSQL prints it, or null
     */
    public record Trigger(TableName table, String name, char enabled, int type, boolean cloned, String function,
                          List<String> arguments, List<String> columns, String when) {

        public static final int ROW = 1;
        public static final int BEFORE = 2;
        public static final int INSERT = 4;
        public static final int DELETE = 8;
        public static final int UPDATE = 16;
        public static final int TRUNCATE = 32;

        public Trigger {
            arguments = List.copyOf(arguments);
            columns = List.copyOf(columns);
        }

        /** Whether it fires in an ordinary session: enabled ({@code O}) or enabled always ({@code A}). */
        public boolean fires() {
            return enabled == 'O' || enabled == 'A';
        }

        /** Its level, timing and events in words, as {@code CREATE TRIGGER} writes them. */
        public String shape() {
            List<String> events = new java.util.ArrayList<>();
            if ((type & INSERT) != 0) {
                events.add("INSERT");
            }
            if ((type & UPDATE) != 0) {
                events.add(columns.isEmpty() ? "UPDATE" : "UPDATE OF " + String.join(", ", columns));
            }
            if ((type & DELETE) != 0) {
                events.add("DELETE");
            }
            if ((type & TRUNCATE) != 0) {
                events.add("TRUNCATE");
            }
            return ((type & BEFORE) != 0 ? "BEFORE " : (type & 64) != 0 ? "INSTEAD OF " : "AFTER ") + String.join(" OR ", events)
                    + ((type & ROW) != 0 ? " FOR EACH ROW" : " FOR EACH STATEMENT")
                    + (when == null ? "" : " WHEN " + when);
        }
    }
}
