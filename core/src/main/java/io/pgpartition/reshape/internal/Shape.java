package io.pgpartition.reshape.internal;

import io.pgpartition.model.TableName;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A planned reshape, as recorded in the state table: which partitions are replaced by which, each with its bound and
 * the condition that picks its rows, and what else the swap carries. Everything a resumed run needs is here, so a run
 * never re-plans a reshape under way.
 *
 * @param table       the partitioned table, schema-qualified
 * @param description what it does, for status and messages
 * @param replaced    the partitions replaced; {@link Piece#name} their name, {@link Piece#building} their name after the swap
 * @param created     the new partitions; {@link Piece#name} their final name, {@link Piece#building} their name until the swap
 * @param otherDefault the table's default partition when it is not among the replaced ones, or null
 * @param excluded    the CHECK the other default partition carries during the reshape (the replaced range excluded), or null
 * @param identity    the columns that identify a row (the parent's primary key)
 * @param identityTypes their types, qualified
 * @param columns     the columns a copy writes, in the parent's order (generated ones left out)
 * @param carried     statements the swap runs to carry what the replaced partitions had of their own (triggers, in
 *                    their enabled state)
 * @param restored    statements a rollback after the swap runs on the replaced partitions to restore them
 */
public record Shape(TableName table, String description, List<Piece> replaced, List<Piece> created, TableName otherDefault,
                    String excluded, List<String> identity, List<String> identityTypes, List<String> columns, List<String> carried,
                    List<String> restored) {

    /**
     * One partition.
     *
     * @param name      its name (the final one, for a new partition)
     * @param building  its name on the other side of the swap: until the swap for a new partition, after it for a
     *                  replaced one (the same as {@code name} unless the two would clash)
     * @param forValues its bound as {@code FOR VALUES ...} or {@code DEFAULT}
     * @param check     the condition that holds exactly for its rows
     */
    public record Piece(TableName name, TableName building, String forValues, String check) {
        public Piece {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(building, "building");
            Objects.requireNonNull(forValues, "forValues");
            Objects.requireNonNull(check, "check");
        }

        public boolean isDefault() {
            return forValues.equals("DEFAULT");
        }
    }

    public Shape {
        replaced = List.copyOf(replaced);
        created = List.copyOf(created);
        identity = List.copyOf(identity);
        identityTypes = List.copyOf(identityTypes);
        columns = List.copyOf(columns);
        carried = List.copyOf(carried);
        restored = List.copyOf(restored);
    }

    /** The new partitions under their names until the swap. */
    public List<TableName> buildingTables() {
        return created.stream().map(Piece::building).toList();
    }

    /** The replaced partitions under their names after the swap. */
    public List<TableName> retiredTables() {
        return replaced.stream().map(Piece::building).toList();
    }

    /** The replaced partitions under their names before the swap. */
    public List<TableName> replacedTables() {
        return replaced.stream().map(Piece::name).toList();
    }

    /** The new partitions under their final names. */
    public List<TableName> createdTables() {
        return created.stream().map(Piece::name).toList();
    }

    /** The replaced pieces as they stand after the swap: under their retired names, detached. */
    List<Piece> retired() {
        List<Piece> pieces = new ArrayList<>();
        for (Piece piece : replaced) {
            pieces.add(new Piece(piece.building(), piece.name(), piece.forValues(), piece.check()));
        }
        return pieces;
    }

    /** The new pieces as they stand before the swap: under their building names. */
    List<Piece> building() {
        List<Piece> pieces = new ArrayList<>();
        for (Piece piece : created) {
            pieces.add(new Piece(piece.building(), piece.name(), piece.forValues(), piece.check()));
        }
        return pieces;
    }
}
