package io.pgpartition.conversion;

import java.util.List;

/**
 * Every statement of a conversion, step by step, for review or to commit to Flyway or Liquibase. The copy step is
 * shown as the statement of one batch, which {@code run} repeats; the swap and what follows it are written for the
 * state the table is in when the plan is made.
 *
 * @param steps the steps in order
 */
public record ConversionPlan(List<Step> steps) {

    /** One step: what it does and its statements. */
    public record Step(String title, List<String> statements) {

        public Step {
            statements = List.copyOf(statements);
        }
    }

    public ConversionPlan {
        steps = List.copyOf(steps);
    }

    /** The plan as an SQL script: each step a comment line, then its statements. */
    public String script() {
        StringBuilder script = new StringBuilder();
        for (Step step : steps) {
            script.append("-- ").append(step.title()).append('\n');
            step.statements().forEach(sql -> script.append(sql.strip()).append(";\n"));
            script.append('\n');
        }
        return script.toString();
    }
}
