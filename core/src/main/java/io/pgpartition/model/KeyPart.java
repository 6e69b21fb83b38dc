package io.pgpartition.model;

import java.util.Objects;

/**
 * One element of a partition key: a column, or an expression such as {@code lower(name)}.
 *
 * @param column     the column name, or {@code null} for an expression
 * @param expression the expression text for an expression key, otherwise {@code null}
 * @param type       the type of the key values
 */
public record KeyPart(String column, String expression, ColumnType type) {

    public KeyPart {
        if ((column == null) == (expression == null)) {
            throw new IllegalArgumentException("A key part is either a column or an expression");
        }
        Objects.requireNonNull(type, "type");
    }

    public static KeyPart column(String column, ColumnType type) {
        return new KeyPart(column, null, type);
    }

    public static KeyPart expression(String expression, ColumnType type) {
        return new KeyPart(null, expression, type);
    }

    public boolean isExpression() {
        return expression != null;
    }

    /** The column name, or the expression text in parentheses, as PostgreSQL shows it in a key definition. */
    @Override
    public String toString() {
        return isExpression() ? "(" + expression + ")" : column;
    }
}
