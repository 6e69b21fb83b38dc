package io.pgpartition;

import java.util.List;

/**
 * Startup validation found mappings that disagree with the database. Carries every problem of every entity.
 */
public class PartitionMappingException extends PartitioningException {

    private final List<MappingProblem> problems;

    public PartitionMappingException(List<MappingProblem> problems) {
        super(ErrorCode.MAPPING_INVALID, render(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, in the order reported. */
    public List<MappingProblem> getProblems() {
        return problems;
    }

    private static String render(List<MappingProblem> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("A PartitionMappingException needs at least one problem");
        }
        StringBuilder text = new StringBuilder("Partition mapping validation found ")
                .append(problems.size())
                .append(problems.size() == 1 ? " problem:" : " problems:");
        for (MappingProblem problem : problems) {
            text.append(System.lineSeparator()).append("  ").append(problem);
        }
        return text.toString();
    }
}
