package io.pgpartition.model;

import java.util.Objects;

/**
 * A table's name, with its schema when known. Names are exact (case-sensitive), never SQL text: quoting happens
 * only when SQL is rendered.
 *
 * @param schema the schema, or {@code null} to resolve through the search path
 * @param name   the table name
 */
public record TableName(String schema, String name) implements Comparable<TableName> {

    public TableName {
        Objects.requireNonNull(name, "name");
    }

    /** A schema-qualified name. */
    public static TableName of(String schema, String name) {
        return new TableName(Objects.requireNonNull(schema, "schema"), name);
    }

    /** A name resolved through the search path. */
    public static TableName of(String name) {
        return new TableName(null, name);
    }

    /** Parses {@code name} or {@code schema.name} as written by a person (no quoting, a single dot at most). */
    public static TableName parse(String text) {
        int dot = text.indexOf('.');
        if (dot < 0 || text.indexOf('.', dot + 1) >= 0) {
            return of(text);
        }
        return of(text.substring(0, dot), text.substring(dot + 1));
    }

    public boolean isQualified() {
        return schema != null;
    }

    /** A sibling name in the same schema, such as a partition of this table. */
    public TableName sibling(String otherName) {
        return new TableName(schema, otherName);
    }

    @Override
    public int compareTo(TableName other) {
        int bySchema = String.valueOf(schema).compareTo(String.valueOf(other.schema));
        return bySchema != 0 ? bySchema : name.compareTo(other.name);
    }

    /** {@code schema.name} or {@code name}, for messages. */
    @Override
    public String toString() {
        return schema == null ? name : schema + "." + name;
    }
}
