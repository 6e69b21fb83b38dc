package io.pgpartition.pruning.internal;

import io.pgpartition.internal.sql.SqlLexer;

import java.util.List;
import java.util.Set;

/** What the text of a statement says before it is explained: whether it can be, and whether its full scan is meant. */
public final class StatementShape {

    /** The comment that marks a statement whose scan of every partition is meant. */
    public static final String FULL_SCAN_MARK = "pgpartition:full-scan";

    private static final Set<String> EXPLAINABLE = Set.of("select", "with", "insert", "update", "delete", "merge", "values", "table");

    private StatementShape() {
    }

    /**
     * Whether {@code EXPLAIN} can be put in front of the text and only explain it: one statement (nothing after a
     * top-level semicolon but comments), which begins with a query or data-changing keyword (after comments and
     * opening parentheses).
     */
    public static boolean explainable(String sql) {
        SqlLexer lexer = new SqlLexer(sql, false);
        List<String> statements = lexer.splitTopLevel(';');
        for (int i = 1; i < statements.size(); i++) {
            if (!onlyTrivia(statements.get(i))) {
                return false;
            }
        }
        SqlLexer first = new SqlLexer(statements.get(0), false);
        first.skipTriviaAll();
        while (first.accept('(')) {
            first.skipTriviaAll();
        }
        if (first.atEnd() || !Character.isLetter(first.peek())) {
            return false;
        }
        return EXPLAINABLE.contains(first.nextWord());
    }

    private static boolean onlyTrivia(String text) {
        SqlLexer lexer = new SqlLexer(text, false);
        lexer.skipTriviaAll();
        return lexer.atEnd();
    }

    /** Whether the text carries the {@value #FULL_SCAN_MARK} comment. */
    public static boolean fullScanMarked(String sql) {
        return sql.contains(FULL_SCAN_MARK);
    }
}
