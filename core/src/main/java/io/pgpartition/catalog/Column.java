package io.pgpartition.catalog;

import io.pgpartition.model.ColumnType;

/**
 * A column of a table.
 *
 * @param name     the column name
 * @param type     its type
 * @param notNull  whether it is declared NOT NULL
 * @param position its position ({@code attnum}), from 1
 */
public record Column(String name, ColumnType type, boolean notNull, int position) {
}
