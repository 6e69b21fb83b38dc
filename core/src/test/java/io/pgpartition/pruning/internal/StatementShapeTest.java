package io.pgpartition.pruning.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatementShapeTest {

    @Test
    void queriesAndDataChangingStatementsCanBeExplained() {
        for (String sql : new String[]{"select 1", "SELECT * FROM t", "  /* c */ -- x\n with a as (select 1) select * from a",
                "insert into t values (1)", "UPDATE t SET a = 1", "delete from t", "merge into t using s on true when matched then delete",
                "values (1)", "table t", "((select 1))", "( /* c */ select 1)", "select 1;", "select 1; -- done", "select 1 ; /* end */ "}) {
            assertThat(StatementShape.explainable(sql)).as(sql).isTrue();
        }
    }

    @Test
    void otherStatementsAndSeveralStatementsCannot() {
        for (String sql : new String[]{"", "  ", "-- only a comment", "SET x = 1", "COPY t FROM STDIN", "call p()", "explain select 1",
                "select 1; delete from t", "select 1;delete from t", "begin", "create table t (a int)", "'select'", "(", "1",
                "\"select\" from t", "selectx from t", "_select 1"}) {
            assertThat(StatementShape.explainable(sql)).as(sql).isFalse();
        }
    }

    @Test
    void aSemicolonInsideALiteralOrCommentIsNotASecondStatement() {
        assertThat(StatementShape.explainable("select ';delete from t'")).isTrue();
        assertThat(StatementShape.explainable("select 1 /* ; delete from t */")).isTrue();
        assertThat(StatementShape.explainable("select $$;delete$$")).isTrue();
    }

    @Test
    void theFullScanMarkIsSeenAnywhere() {
        assertThat(StatementShape.fullScanMarked("select /* pgpartition:full-scan */ * from t")).isTrue();
        assertThat(StatementShape.fullScanMarked("select * from t -- pgpartition:full-scan")).isTrue();
        assertThat(StatementShape.fullScanMarked("select * from t /* full-scan */")).isFalse();
    }
}
