package io.pgpartition.test;

import io.pgpartition.pruning.UnprunedStatement;
import io.pgpartition.pruning.UnprunedStatements;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.AssertionFailedError;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Watches the statements a test method runs (not its set-up or clean-up) and fails it when one was unpruned; see
 * {@link FailOnUnprunedStatements}.
 */
public final class UnprunedStatementsExtension implements BeforeTestExecutionCallback, AfterTestExecutionCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(UnprunedStatementsExtension.class);

    @Override
    public void beforeTestExecution(ExtensionContext context) {
        context.getStore(NAMESPACE).put(context.getUniqueId(), UnprunedStatements.watch());
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        UnprunedStatements.Watch watch = context.getStore(NAMESPACE).remove(context.getUniqueId(), UnprunedStatements.Watch.class);
        if (watch == null) {
            return;
        }
        watch.close();
        List<UnprunedStatement> seen = watch.statements();
        if (!seen.isEmpty()) {
            throw new AssertionFailedError(report(seen));
        }
    }

    /** The failure's message: how many, then each report on its own line. */
    static String report(List<UnprunedStatement> seen) {
        return seen.size() + (seen.size() == 1 ? " statement" : " statements") + " in this test can touch every partition of a table:"
                + seen.stream().map(statement -> "\n- " + statement.message()).collect(Collectors.joining());
    }
}
