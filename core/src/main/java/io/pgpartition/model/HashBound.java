package io.pgpartition.model;

/**
 * {@code FOR VALUES WITH (MODULUS m, REMAINDER r)}.
 */
public record HashBound(int modulus, int remainder) implements PartitionBound {

    public HashBound {
        if (modulus < 1 || remainder < 0 || remainder >= modulus) {
            throw new IllegalArgumentException("A hash bound needs modulus >= 1 and 0 <= remainder < modulus; got modulus "
                    + modulus + ", remainder " + remainder);
        }
    }

    @Override
    public String toString() {
        return "WITH (MODULUS " + modulus + ", REMAINDER " + remainder + ")";
    }
}
