package io.pgpartition.catalog;

import io.pgpartition.model.TableName;

import java.util.Objects;
import java.util.Optional;

/**
 * How Citus holds one table: distributed by a column over shards, copied whole to every node (a reference table), or
 * kept on the coordinator in Citus' metadata (a Citus local table).
 *
 * @param table        the schema-qualified name
 * @param type         distributed, reference or local
 * @param column       the distribution column of a distributed table, empty for the others (and for a distributed table
 *                     of a distributed schema, which has one shard and no column)
 * @param colocationId Citus' colocation group: distributed tables of one group keep rows of one distribution value on
 *                     one node, which joins and foreign keys between them need
 * @param shardCount   how many shards hold the table's rows
 */
public record Distribution(TableName table, Type type, Optional<String> column, int colocationId, int shardCount) {

    /** What kind of Citus table this is. */
    public enum Type {
        /** Rows spread over shards by the distribution column. */
        DISTRIBUTED("distributed"),
        /** One shard copied to every node. */
        REFERENCE("reference"),
        /** A coordinator table in Citus' metadata, so that it can join and reference reference tables. */
        LOCAL("local");

        private final String text;

        Type(String text) {
            this.text = text;
        }

        /** How messages and reports name it, after "Citus": "distributed", "reference", "local". */
        @Override
        public String toString() {
            return text;
        }
    }

    public Distribution {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(column, "column");
    }

    /**
     * How messages name it: "a Citus distributed table (distributed by tenant_id, 32 shards)", "a Citus reference
     * table", "a Citus local table".
     */
    public String describe() {
        return "a Citus " + type + " table" + (distributedByColumn() ? " (distributed by " + column.get() + ", " + shardCount + " shards)" : "");
    }

    /** Whether rows are spread over shards by a column. */
    public boolean distributedByColumn() {
        return type == Type.DISTRIBUTED && column.isPresent();
    }
}
