package io.pgpartition.model;

/**
 * Where a key goes, as far as the model can tell: into a partition, into none, or "ask the server" where the model
 * does not compute exactly what PostgreSQL computes (a collation, an operator class, a value the server would round).
 */
public sealed interface KeyRoute {

    /**
     * The partition, or empty for {@link NoPartition}.
     *
     * @throws IllegalArgumentException for {@link AskServer}, naming {@code subject} (what was routed) and the reason
     */
    default java.util.Optional<Partition> partition(String subject) {
        if (this instanceof Routed routed) {
            return java.util.Optional.of(routed.partition());
        }
        if (this instanceof AskServer ask) {
            throw new IllegalArgumentException("Cannot compute which partition of " + subject + ": " + ask.reason()
                    + ". Ask the server instead: tableoid::regclass of the stored row.");
        }
        return java.util.Optional.empty();
    }

    /** The partition (possibly the default partition) that takes the key. */
    record Routed(Partition partition) implements KeyRoute {
    }

    /** No partition takes the key and the table has no default partition: PostgreSQL would refuse the row. */
    record NoPartition() implements KeyRoute {
    }

    /** The model cannot tell; only the server's own routing answers. */
    record AskServer(String reason) implements KeyRoute {
    }
}
