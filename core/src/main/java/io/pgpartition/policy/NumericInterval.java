package io.pgpartition.policy;

import java.math.BigInteger;

/**
 * A partition width of {@code step} for integer and numeric keys; partitions start at multiples of the step.
 */
public record NumericInterval(BigInteger step) implements PartitionInterval {

    public NumericInterval {
        if (step == null || step.signum() <= 0) {
            throw new IllegalArgumentException("A numeric interval step is positive; got " + step);
        }
    }

    /** The lower bound of the partition that holds {@code value}. */
    public BigInteger periodStart(BigInteger value) {
        BigInteger[] division = value.divideAndRemainder(step);
        BigInteger start = division[0].multiply(step);
        return division[1].signum() < 0 ? start.subtract(step) : start;
    }

    @Override
    public String toString() {
        return step.toString();
    }
}
