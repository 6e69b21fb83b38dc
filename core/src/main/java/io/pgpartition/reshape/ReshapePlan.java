package io.pgpartition.reshape;

import java.util.List;

/**
 * Every statement of a reshape, step by step, for review. The copy is shown as the statement of one batch, which
 * {@code run} repeats.
 *
 * @param description what the reshape does
 * @param steps       the steps in order
 */
public record ReshapePlan(String description, List<Step> steps) {

    /** One step: what it does and its statements. */
    public record Step(String title, List<String> statements) {
        public Step {
            statements = List.copyOf(statements);
        }
    }

    public ReshapePlan {
        steps = List.copyOf(steps);
    }

    /** The plan as an SQL script: the description and each step as comment lines, then the statements. */
    public String script() {
        StringBuilder script = new StringBuilder("-- ").append(description).append("\n\n");
        for (Step step : steps) {
            script.append("-- ").append(step.title()).append('\n');
            step.statements().forEach(sql -> script.append(sql.strip()).append(";\n"));
            script.append('\n');
        }
        return script.toString();
    }
}
