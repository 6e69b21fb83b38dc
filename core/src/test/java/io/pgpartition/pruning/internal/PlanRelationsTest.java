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

    @Test
    void aCitusPlanGivesTheShardsOfItsTaskShownAndTheMostTasksOfItsJobs() {
        String plan = """
                [{"Plan": {"Node Type": "Custom Scan", "Custom Plan Provider": "Citus Adaptive",
                  "Distributed Query": {"Job": {"Task Count": 32, "Tasks Shown": "One of 32", "Tasks": [
                    {"Node": "host=localhost port=5441", "Remote Plan": [[{"Plan": {"Node Type": "Append", "Plans": [
                      {"Node Type": "Index Scan", "Relation Name": "events_2026_11_102079", "Schema": "public"},
                      {"Node Type": "Index Scan", "Relation Name": "events_2026_12_102111", "Schema": "public"}]}}]]}]},
                    "Subplans": [{"Job": {"Task Count": 4}}]}}}]
                """;
        PlanRelations.Plan read = PlanRelations.plan(plan);
        assertThat(read.relations()).containsExactly(TableName.of("public", "events_2026_11_102079"),
                TableName.of("public", "events_2026_12_102111"));
        assertThat(read.tasks()).as("the larger job").isEqualTo(32);
    }

    @Test
    void aPlanCitusDidNotDistributeHasNoTasks() {
        assertThat(PlanRelations.plan("[{\"Plan\": {\"Node Type\": \"Seq Scan\", \"Relation Name\": \"t\"}}]").tasks()).isZero();
        assertThat(PlanRelations.plan("[{\"Plan\": {\"Task Count\": \"many\"}}]").tasks()).as("not a number").isZero();
        assertThat(PlanRelations.plan("[{\"Plan\": {\"Task Count\": \"\"}}]").tasks()).as("empty").isZero();
        assertThat(PlanRelations.plan("[{\"Job\": {\"Task Count\": 1}}, {\"Job\": {\"Task Count\": 3}}]").tasks())
                .as("the most, in a list").isEqualTo(3);
        assertThat(PlanRelations.plan("[{\"Plan\": {\"Task Count\": 1234567890}}]").tasks()).as("more than an int").isZero();
        assertThat(PlanRelations.plan("[{\"Plan\": {\"Task Count\": \"\u0663\"}}]").tasks()).as("ASCII digits only").isZero();
        assertThat(PlanRelations.plan("[{\"Plan\": {\"Task Count\": 123456789}}]").tasks()).isEqualTo(123456789);
    }
}
