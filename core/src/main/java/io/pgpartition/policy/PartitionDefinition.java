package io.pgpartition.policy;

import io.pgpartition.PartitionDefinitionException;
import io.pgpartition.annotations.HashPartitions;
import io.pgpartition.annotations.ListPartition;
import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.annotations.RangePartitions;
import io.pgpartition.model.PartitionStrategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything an entity's annotations say about its partitioning: strategy, key attributes, and the policy that
 * lays out partitions.
 *
 * @param strategy      RANGE, LIST or HASH
 * @param keyAttributes entity attribute names in key order
 * @param policy        the layout {@link RangePartitions}, {@link ListPartition} or {@link HashPartitions} declare, of
 *                      the strategy's kind; empty when none is declared ({@code @PartitionedBy} alone leaves the
 *                      partitions to the team)
 */
public record PartitionDefinition(PartitionStrategy strategy, List<String> keyAttributes, Optional<PartitionPolicy> policy) {

    public PartitionDefinition {
        Objects.requireNonNull(strategy, "strategy");
        keyAttributes = List.copyOf(keyAttributes);
        Objects.requireNonNull(policy, "policy");
        if (policy.isPresent() && policy.get().strategy() != strategy) {
            throw new IllegalArgumentException("A " + strategy + " definition with a " + policy.get().strategy() + " policy");
        }
    }

    /** The range policy, when {@link RangePartitions} is present. */
    public Optional<RangePolicy> range() {
        return policy.filter(RangePolicy.class::isInstance).map(RangePolicy.class::cast);
    }

    /** The declared list partitions, when {@link ListPartition} is present. */
    public Optional<ListPolicy> list() {
        return policy.filter(ListPolicy.class::isInstance).map(ListPolicy.class::cast);
    }

    /** The hash layout, when {@link HashPartitions} is present. */
    public Optional<HashPolicy> hash() {
        return policy.filter(HashPolicy.class::isInstance).map(HashPolicy.class::cast);
    }

    /**
     * Reads an annotated class.
     *
     * @param type  the entity class carrying {@link PartitionedBy}
     * @param table the table name, used to resolve {@code {table}} in declared list partition names
     * @throws PartitionDefinitionException for the first annotation text that cannot be understood
     * @throws IllegalArgumentException     if the class has no {@link PartitionedBy}
     */
    public static PartitionDefinition of(Class<?> type, String table) {
        return of(type, table, type.getAnnotation(PartitionedBy.class));
    }

    /**
     * The key attribute names a {@link PartitionedBy} declares, the one place they are read from it: those of its
     * strategy; when it sets several (an invalid annotation, which {@link #of} refuses), all of them in range, list,
     * hash order, so that whatever reads keys from it guards every attribute it names.
     */
    public static List<String> keyAttributes(PartitionedBy partitionedBy) {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        for (String[] group : List.of(partitionedBy.range(), partitionedBy.list(), partitionedBy.hash())) {
            names.addAll(Arrays.asList(group));
        }
        return List.copyOf(names);
    }

    private static PartitionDefinition of(Class<?> type, String table, PartitionedBy partitionedBy) {
        if (partitionedBy == null) {
            throw new IllegalArgumentException(type.getName() + " has no @PartitionedBy annotation");
        }
        List<PartitionStrategy> chosen = new ArrayList<>();
        List<String> attributes = List.of();
        if (partitionedBy.range().length > 0) {
            chosen.add(PartitionStrategy.RANGE);
            attributes = List.of(partitionedBy.range());
        }
        if (partitionedBy.list().length > 0) {
            chosen.add(PartitionStrategy.LIST);
            attributes = List.of(partitionedBy.list());
        }
        if (partitionedBy.hash().length > 0) {
            chosen.add(PartitionStrategy.HASH);
            attributes = List.of(partitionedBy.hash());
        }
        String where = "@PartitionedBy on " + type.getSimpleName();
        if (chosen.size() != 1) {
            throw new PartitionDefinitionException(where, "range/list/hash",
                    chosen.isEmpty() ? "nothing set" : "set: " + chosen,
                    "exactly one of range, list or hash, set to the key attribute name(s)");
        }
        PartitionStrategy strategy = chosen.get(0);
        for (String attribute : attributes) {
            if (attribute == null || attribute.isBlank()) {
                throw new PartitionDefinitionException(where, strategy.name().toLowerCase(), Arrays.toString(attributes.toArray()),
                        "entity attribute names such as \"createdAt\"");
            }
        }
        if (strategy == PartitionStrategy.LIST && attributes.size() != 1) {
            throw new PartitionDefinitionException(where, "list", String.join(", ", attributes),
                    "one key attribute: PostgreSQL list partitioning takes exactly one");
        }
        RangePartitions range = type.getAnnotation(RangePartitions.class);
        ListPartition[] lists = type.getAnnotationsByType(ListPartition.class);
        HashPartitions hash = type.getAnnotation(HashPartitions.class);
        requireFits(where, strategy, "@RangePartitions", range != null, PartitionStrategy.RANGE);
        requireFits(where, strategy, "@ListPartition", lists.length > 0, PartitionStrategy.LIST);
        requireFits(where, strategy, "@HashPartitions", hash != null, PartitionStrategy.HASH);
        Optional<PartitionPolicy> policy = switch (strategy) {
            case RANGE -> Optional.ofNullable(range).map(RangePolicy::from);
            case LIST -> lists.length == 0 ? Optional.empty() : Optional.of(ListPolicy.from(table, lists));
            case HASH -> Optional.ofNullable(hash).map(HashPolicy::from);
        };
        return new PartitionDefinition(strategy, attributes, policy);
    }

    private static void requireFits(String where, PartitionStrategy strategy, String annotation, boolean present,
                                    PartitionStrategy needs) {
        if (present && strategy != needs) {
            throw new PartitionDefinitionException(where, strategy.name().toLowerCase(), annotation,
                    "no " + annotation + " on an entity partitioned by " + strategy.name().toLowerCase()
                            + " (it applies to " + needs.name().toLowerCase() + " partitioning): remove it or change @PartitionedBy");
        }
    }
}
