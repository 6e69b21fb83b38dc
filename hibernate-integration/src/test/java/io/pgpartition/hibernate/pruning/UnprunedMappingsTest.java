package io.pgpartition.hibernate.pruning;

import io.pgpartition.MappingProblem;
import io.pgpartition.PartitionMappingException;
import io.pgpartition.ProblemCode;
import io.pgpartition.hibernate.StandardError;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * With the sentinel on, the mappings that always scan every partition are validation problems: associations by id
 * alone, collections joined without the key, named queries whose text has no key condition, and
 * {@code plan_cache_mode = force_generic_plan}. Never a false alarm: queries that name the key, join, are marked as
 * full scans, or read a table whose policies may add a condition are not reported.
 */
@HibernateTest
class UnprunedMappingsTest {

    @BeforeAll
    static void tables(TestDatabase db) {
        PruningCorpus.create(db);
        db.execute("ALTER TABLE pr_items ENABLE ROW LEVEL SECURITY");
    }

    @Test
    void failReportsEveryMappingThatScansEveryPartitionWithItsFix(SessionFactoryScope scope, TestDatabase db) {
        PartitionMappingException refused = catchThrowableOfType(PartitionMappingException.class, () -> scope.build(Map.of(
                "pgpartition.unpruned_statements", "fail", "hibernate.connection.options", "-c plan_cache_mode=force_generic_plan"),
                PruningCorpus.ENTITIES));
        assertThat(refused).as("the bootstrap stops with one report").isNotNull();
        List<String> problems = refused.getProblems().stream().map(MappingProblem::toString).toList();
        String database = refused.getProblems().stream().filter(p -> p.code() == ProblemCode.GENERIC_PLANS_FORCED)
                .map(MappingProblem::table).findFirst().orElse("?");
        assertThat(problems).containsExactlyInAnyOrder(
                "[ASSOCIATION_WITHOUT_KEY] PageView -> pr_page_views: association VisitEvent.pageView (@ManyToOne joined by page_view_id) "
                        + "reaches PageView by (id) alone, so that loading it reads every partition of pr_page_views; found join "
                        + "columns referencing (id), expected join columns referencing (id, visited_at). Fix: make visited_at part of "
                        + "PageView's identifier (@IdClass or @EmbeddedId) and join on it too (@JoinColumns naming page_view_id and "
                        + "visited_at), or map page_view_id as a plain attribute and load PageView with PartitionedFinder.find(em, "
                        + "PageView.class, id, visitedAt)",
                "[ASSOCIATION_WITHOUT_KEY] PageView -> pr_page_views: association EventDigest.firstView (@ManyToOne joined by "
                        + "first_view_id) reaches PageView by (id) alone, so that loading it reads every partition of pr_page_views; "
                        + "found join columns referencing (id), expected join columns referencing (id, visited_at). Fix: make "
                        + "visited_at part of PageView's identifier (@IdClass or @EmbeddedId) and join on it too (@JoinColumns naming "
                        + "first_view_id and visited_at), or map first_view_id as a plain attribute and load PageView with "
                        + "PartitionedFinder.find(em, PageView.class, id, visitedAt)",
                "[ASSOCIATION_WITHOUT_KEY] PageView -> pr_page_views: collection Member.views (@OneToMany joined by member_id) reads "
                        + "its PageView elements by member_id alone, so that loading it reads every partition of pr_page_views; found "
                        + "join columns (member_id), expected join columns including (visited_at). Fix: join on the partition key "
                        + "too (@JoinColumns naming visited_at besides member_id, where Member holds the same key), or drop the "
                        + "collection and read the elements with a query that names visited_at",
                "[QUERY_WITHOUT_KEY] PageView -> pr_page_views: named query PageView.bySite declared on "
                        + "io.pgpartition.hibernate.pruning.PruningCorpus$PageView has no condition on the partition key visitedAt, "
                        + "so that it reads every partition of pr_page_views; found: select v from PageView v where v.siteId = :site; "
                        + "expected a condition on visitedAt. Fix: add one (an equality, a range or an IN list), or where reading "
                        + "every partition is meant, mark it with @QueryHint(name = \"pgpartition.full_scan\", value = \"true\")",
                "[QUERY_WITHOUT_KEY] PageView -> pr_page_views: named native query PageView.nativeByMember declared on "
                        + "io.pgpartition.hibernate.pruning.PruningCorpus$PageView has no condition on the partition key visited_at, "
                        + "so that it reads every partition of pr_page_views; found: SELECT * FROM pr_page_views WHERE member_id = ?; "
                        + "expected a condition on visited_at. Fix: add one (an equality, a range or an IN list), or where reading "
                        + "every partition is meant, mark it with @QueryHint(name = \"pgpartition.full_scan\", value = \"true\")",
                "[GENERIC_PLANS_FORCED] (every entity) -> " + database + ": plan_cache_mode is force_generic_plan, set by the "
                        + "connection (options=-c plan_cache_mode=... in the JDBC URL, or PGOPTIONS), on a database with partitioned "
                        + "tables: every prepared statement is planned for all partitions and pruned only when it runs, many times "
                        + "slower than the custom plans PostgreSQL chooses by default; found force_generic_plan, expected auto. Fix: "
                        + "remove plan_cache_mode from the connection's options");
        assertThat(problems).as("Item.byTitle reads a table with row-level security, whose policies may add the key: not reported")
                .noneMatch(p -> p.contains("Item.byTitle"));
    }

    @Test
    void logLogsTheSameProblemsAndBoots(SessionFactoryScope scope) {
        List<String> warnings = StandardError.during(() -> scope.build(Map.of("pgpartition.unpruned_statements", "log"),
                PruningCorpus.ENTITIES).close()).lines().filter(line -> line.contains("WITHOUT_KEY]")).toList();
        assertThat(warnings).as("five problems, logged").hasSize(5);
    }

    @Test
    void offReportsNone(SessionFactoryScope scope) {
        String log = StandardError.during(() -> scope.build(Map.of("hibernate.connection.options", "-c plan_cache_mode=force_generic_plan"),
                PruningCorpus.ENTITIES).close());
        assertThat(log).as("off: nothing about pruning at bootstrap").doesNotContain("WITHOUT_KEY").doesNotContain("GENERIC_PLANS");
    }
}
