package io.pgpartition.catalog;

import io.pgpartition.model.TableName;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a catalog read learned from Citus, on a database where the {@code citus} extension is installed: its version
 * and how each relation of the read is held (tables Citus does not know are plain PostgreSQL tables of the
 * coordinator).
 *
 * @param version the extension's version, such as {@code 13.2-1}
 * @param tables  the relations of the read that Citus holds, by schema-qualified name, partitions included
 */
public record CitusFacts(String version, Map<TableName, Distribution> tables) {

    public CitusFacts {
        Objects.requireNonNull(version, "version");
        tables = Map.copyOf(tables);
    }

    /** How Citus holds the table, or empty when it is a plain PostgreSQL table of the coordinator. */
    public Optional<Distribution> distribution(TableName table) {
        return Optional.ofNullable(tables.get(table));
    }

    /** Whether the table's rows are spread over shards by a column. */
    public boolean distributed(TableName table) {
        return distribution(table).map(Distribution::distributedByColumn).orElse(false);
    }

    @Override
    public String toString() {
        return "Citus " + version;
    }
}
