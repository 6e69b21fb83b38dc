package io.pgpartition.model;

import java.util.Objects;
import java.util.Optional;

/**
 * One element of a partition key: a column, or an expression such as {@code lower(name)}.
 *
 * @param column     the column name, or {@code null} for an expression
 * @param expression the expression text for an expression key, otherwise {@code null}
 * @param type       the type of the key values
 * @param comparison how PostgreSQL compares the values of this part
 */
public record KeyPart(String column, String expression, ColumnType type, Comparison comparison) {

    /**
     * How PostgreSQL compares and hashes the values of a key part: under which collation, and with which operator class.
     *
     * @param collation            the collation's name, or {@code null} for a type that has none
     * @param codePointOrder       whether the collation orders text by code point ({@code C}, {@code POSIX},
     *                             {@code ucs_basic}, the builtin provider), as pgpartition's model does
     * @param deterministic        whether equal means byte-for-byte equal under the collation
     * @param defaultOperatorClass whether the key uses its type's default operator class
     */
    public record Comparison(String collation, boolean codePointOrder, boolean deterministic, boolean defaultOperatorClass) {

        /** Code-point order, deterministic, the default operator class: what the model computes. */
        public static final Comparison STANDARD = new Comparison(null, true, true, true);
    }

    public KeyPart {
        if ((column == null) == (expression == null)) {
            throw new IllegalArgumentException("A key part is either a column or an expression");
        }
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(comparison, "comparison");
    }

    public KeyPart(String column, String expression, ColumnType type) {
        this(column, expression, type, Comparison.STANDARD);
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

    /**
     * Why pgpartition cannot compute how PostgreSQL places values of this part under {@code strategy}, or empty when
     * it can: a non-default operator class, a collation whose order (RANGE) or equality (LIST, HASH) is not the
     * model's, or a type whose comparison is not modelled (types of kind {@link ValueKind#OTHER}, hashes of
     * numeric and enum values).
     */
    public Optional<String> unmodelled(PartitionStrategy strategy) {
        if (!comparison.defaultOperatorClass()) {
            return Optional.of("key part " + this + " uses a non-default operator class");
        }
        if (type.kind() == ValueKind.OTHER) {
            return Optional.of("key part " + this + " is of type " + type + ", whose comparison is not modelled");
        }
        if (type.kind() == ValueKind.TEXT) {
            if (!comparison.deterministic()) {
                return Optional.of("key part " + this + " uses the nondeterministic collation " + comparison.collation());
            }
            if (strategy == PartitionStrategy.RANGE && !comparison.codePointOrder()) {
                return Optional.of("key part " + this + " is ordered by collation " + comparison.collation()
                        + ", not by code point");
            }
        }
        if (strategy == PartitionStrategy.HASH && !io.pgpartition.internal.PgHash.supports(type)) {
            return Optional.of("the hash of key part " + this + " (type " + type + ") is not computed here");
        }
        return Optional.empty();
    }

    /** The column name, or the expression text in parentheses, as PostgreSQL shows it in a key definition. */
    @Override
    public String toString() {
        return isExpression() ? "(" + expression + ")" : column;
    }
}
