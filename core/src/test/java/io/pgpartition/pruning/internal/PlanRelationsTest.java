package io.pgpartition.pruning.internal;

import io.pgpartition.model.TableName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlanRelationsTest {

    @Test
    void namesTheScannedRelationsOnceEachButNotTheModifiedTable() {
        String plan = """
                [{"Plan": {"Node Type": "ModifyTable", "Operation": "Delete", "Relation Name": "visits", "Schema": "public",
                  "Plans": [{"Node Type": "Append", "Subplans Removed": 4, "Plans": [
                    {"Node Type": "Seq Scan", "Relation Name": "visits_m1", "Schema": "public", "Filter": "(\\"Relation Name\\": x)"},
                    {"Node Type": "Index Scan", "Relation Name": "visits_m2", "Schema": "app", "Index Name": "visits_m2_pkey"},
                    {"Node Type": "Bitmap Heap Scan", "Relation Name": "visits_m1", "Schema": "public",
                     "Plans": [{"Node Type": "Bitmap Index Scan", "Index Name": "visits_m1_pkey"}]},
                    {"Node Type": "Function Scan", "Function Name": "generate_series"}]}],
                  "InitPlan": [{"Node Type": "Seq Scan", "Relation Name": "sites"}]}}]
                """;
        assertThat(PlanRelations.read(plan)).containsExactly(TableName.of("public", "visits_m1"), TableName.of("app", "visits_m2"),
                TableName.of("sites"));
    }

    @Test
    void aPlanWithoutRelationsNamesNone() {
        assertThat(PlanRelations.read("[{\"Plan\": {\"Node Type\": \"Result\", \"One-Time Filter\": \"false\"}}]")).isEmpty();
    }
}
