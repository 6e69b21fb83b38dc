package io.pgpartition.pruning;

import java.util.List;

/**
 * Which partitions a statement can touch, per partitioned table it reads or writes; tables it does not touch at all
 * (every partition pruned) are not listed.
 *
 * @param sql    the statement's text
 * @param tables one entry per partitioned table the statement can touch
 */
public record StatementScan(String sql, List<TableScan> tables) {

    public StatementScan {
        tables = List.copyOf(tables);
    }

    /**
     * The tables the statement is not pruned on: those whose every partition it can touch, and, where its shape says
     * one row of one partition ({@code singleRow}: an entity loaded, updated or deleted by its identifier), those of
     * which it can touch more than one partition, or (on Citus) more than one shard.
     */
    public List<TableScan> unpruned(boolean singleRow) {
        return tables.stream().filter(table -> table.everyPartition()
                || singleRow && (table.partitions().size() > 1 || table.severalShards())).toList();
    }
}
