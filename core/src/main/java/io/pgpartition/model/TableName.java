package io.pgpartition.model;

import java.util.List;
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
        if (text.indexOf('"') >= 0) {
            List<String> parts = quotedParts(text);
            if (parts.size() == 1) {
                return of(parts.get(0));
            }
            if (parts.size() == 2) {
                return of(parts.get(0), parts.get(1));
            }
        }
        int dot = text.indexOf('.');
        if (dot < 0 || text.indexOf('.', dot + 1) >= 0) {
            return of(text);
        }
        return of(text.substring(0, dot), text.substring(dot + 1));
    }

    /**
     * The dot-separated parts of a name in which double quotes keep a part as written (dots and {@code ""} inside
     * them included); empty when the quotes do not close.
     */
    private static List<String> quotedParts(String text) {
        List<String> parts = new java.util.ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    part.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == '.' && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return quoted ? List.of() : parts;
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
