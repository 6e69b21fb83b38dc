package io.pgpartition;

import io.pgpartition.pruning.UnprunedStatement;

/**
 * A statement can touch every partition of a table ({@code pgpartition.unpruned_statements=fail}), refused before it
 * runs so that the test that ran it fails with the statement, where it came from and the fix.
 */
public class UnprunedStatementException extends PartitioningException {

    private final transient UnprunedStatement statement;

    public UnprunedStatementException(UnprunedStatement statement) {
        super(ErrorCode.UNPRUNED_STATEMENT, statement.message());
        this.statement = statement;
    }

    /** The statement, the tables and partitions it can touch, where it came from and the fix. */
    public UnprunedStatement getStatement() {
        return statement;
    }
}
