package io.pgpartition.pruning;

import io.pgpartition.model.TableName;

import java.util.List;

/**
 * What a statement can touch of one partitioned table: the partitions left after pruning at planning and when the
 * executor starts, out of all the table's partitions (the leaves of its tree).
 *
 * @param table        the partitioned table (the root of its tree)
 * @param partitionKey the table's partition key as PostgreSQL prints it, such as {@code RANGE (created_at)}
 * @param partitions   the partitions the statement can touch
 * @param total        how many partitions the table has
 * @param shards       on Citus, how many shards of each partition the statement reaches (its tasks); 0 elsewhere
 * @param shardTotal   on Citus, how many shards each partition of a distributed table has; 0 elsewhere
 */
public record TableScan(TableName table, String partitionKey, List<TableName> partitions, int total, int shards, int shardTotal) {

    public TableScan {
        partitions = List.copyOf(partitions);
    }

    /** What a statement can touch of a table that is not distributed. */
    public TableScan(TableName table, String partitionKey, List<TableName> partitions, int total) {
        this(table, partitionKey, partitions, total, 0, 0);
    }

    /** Whether the statement reaches more than one shard of a Citus distributed table. */
    public boolean severalShards() {
        return shards > 1;
    }

    /** Whether the statement can touch every partition of a table that has more than one. */
    public boolean everyPartition() {
        return total > 1 && partitions.size() >= total;
    }

    /** What the statement can touch of the table: {@code all 7 partitions of public.visits (partition key RANGE (day))}. */
    public String describe() {
        return (everyPartition() ? "all " + total : partitions.size() + " of " + total) + " partitions of " + table
                + " (partition key " + partitionKey + ")" + (shardTotal > 0 ? ", on " + shards + " of " + shardTotal + " shards" : "");
    }

    /** The columns of the partition key, as the key's text names them ({@code created_at} of {@code RANGE (created_at)}). */
    public String keyColumns() {
        int open = partitionKey.indexOf('(');
        return open >= 0 && partitionKey.endsWith(")") ? partitionKey.substring(open + 1, partitionKey.length() - 1) : partitionKey;
    }
}
