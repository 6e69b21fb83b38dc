package io.pgpartition.policy;

import io.pgpartition.PartitionDefinitionException;
import io.pgpartition.annotations.HashPartitions;
import io.pgpartition.model.PartitionStrategy;

import java.util.List;
import java.util.Objects;

/**
 * The partitions of a hash-partitioned table: one per remainder of the modulus.
 */
public record HashPolicy(int modulus, NamingPattern naming) implements PartitionPolicy {

    private static final String ANNOTATION = "@HashPartitions";
    /** The largest modulus accepted. */
    public static final int MAX_MODULUS = 1024;

    public HashPolicy {
        Objects.requireNonNull(naming, "naming");
        if (modulus < 1 || modulus > MAX_MODULUS) {
            throw new PartitionDefinitionException(ANNOTATION, "modulus", Integer.toString(modulus),
                    "a modulus (the number of partitions) from 1 to " + MAX_MODULUS);
        }
        if (modulus > 1) {
            naming.requireDistinctNames(PartitionStrategy.HASH, null, ANNOTATION, "naming");
        }
    }

    public static HashPolicy from(HashPartitions annotation) {
        return new HashPolicy(annotation.modulus(), NamingPattern.parse(annotation.naming(), ANNOTATION, "naming"));
    }

    /** The name of the partition for a remainder. */
    public String partitionName(String table, int remainder) {
        return naming.format(table, NamingPattern.Token.REMAINDER, Integer.toString(remainder));
    }

    @Override
    public List<String> commandLineOptions() {
        return List.of("--hash-modulus", Integer.toString(modulus), "--naming", naming.pattern());
    }

    @Override
    public <R> R match(Cases<R> cases) {
        return cases.hash(this);
    }

    @Override
    public PartitionStrategy strategy() {
        return PartitionStrategy.HASH;
    }
}
