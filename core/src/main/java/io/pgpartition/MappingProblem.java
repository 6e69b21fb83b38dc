package io.pgpartition;

import java.util.Objects;

/**
 * One way an entity's partitioning mapping disagrees with its table.
 *
 * @param code    what kind of problem
 * @param entity  the entity name
 * @param table   the mapped table as written in the mapping
 * @param message what is wrong, what was found and expected, and the fix
 */
public record MappingProblem(ProblemCode code, String entity, String table, String message) {

    public MappingProblem {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(entity, "entity");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(message, "message");
    }

    /** The line used in reports: {@code [CODE] Entity -> table: message}. */
    @Override
    public String toString() {
        return "[" + code + "] " + entity + " -> " + table + ": " + message;
    }
}
