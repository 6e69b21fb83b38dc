package io.pgpartition.policy;

import io.pgpartition.PartitionDefinitionException;
import io.pgpartition.annotations.ListPartition;
import io.pgpartition.model.PartitionStrategy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The declared partitions of a list-partitioned table, from {@link ListPartition} annotations or built in code.
 */
public record ListPolicy(List<ListPartitionSpec> partitions) implements PartitionPolicy {

    private static final String ANNOTATION = "@ListPartition";

    public ListPolicy {
        partitions = List.copyOf(partitions);
        Map<String, String> owner = new HashMap<>();
        Map<String, Boolean> names = new HashMap<>();
        for (ListPartitionSpec partition : partitions) {
            if (names.put(partition.name(), Boolean.TRUE) != null) {
                throw new PartitionDefinitionException(ANNOTATION, "name", partition.name(),
                        "a name no other list partition has; this one is declared twice");
            }
            for (String value : partition.values()) {
                String previous = owner.put(value, partition.name());
                if (previous != null) {
                    throw new PartitionDefinitionException(ANNOTATION, "values", value,
                            "each value in one partition only; it is declared for both " + previous + " and " + partition.name());
                }
            }
        }
    }

    /**
     * Reads declared partitions, resolving {@code {table}} and {@code {value}} (the first value) in their names.
     *
     * @throws PartitionDefinitionException for a blank name, no values, an unknown token or a value declared twice
     */
    public static ListPolicy from(String table, ListPartition... annotations) {
        List<ListPartitionSpec> specs = new ArrayList<>();
        for (ListPartition annotation : annotations) {
            if (annotation.values().length == 0) {
                throw new PartitionDefinitionException(ANNOTATION, "values", "{}",
                        "at least one value for partition " + annotation.name());
            }
            NamingPattern naming = NamingPattern.parse(annotation.name(), ANNOTATION, "name")
                    .requireDistinctNames(PartitionStrategy.LIST, null, ANNOTATION, "name");
            String name = naming.format(table, NamingPattern.Token.VALUE, annotation.values()[0]);
            specs.add(new ListPartitionSpec(name, List.of(annotation.values())));
        }
        return new ListPolicy(specs);
    }

    @Override
    public List<String> commandLineOptions() {
        List<String> options = new ArrayList<>();
        for (ListPartitionSpec partition : partitions) {
            options.addAll(List.of("--list", partition.name() + "=" + String.join(",", partition.values())));
        }
        return options;
    }

    @Override
    public <R> R match(Cases<R> cases) {
        return cases.list(this);
    }

    @Override
    public PartitionStrategy strategy() {
        return PartitionStrategy.LIST;
    }
}
