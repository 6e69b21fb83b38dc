package io.pgpartition.hibernate.pruning;

import io.pgpartition.hibernate.PartitionedFinder;
import io.pgpartition.test.FailOnUnprunedStatements;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.hibernate.Setting;
import io.pgpartition.test.postgres.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * {@link FailOnUnprunedStatements} on a Hibernate test whose settings leave the sentinel off: the test that loads by id
 * alone fails with the report, the one that loads by id and key passes. The example class is nested so that the build
 * does not run it on its own.
 */
class FailOnUnprunedStatementsHibernateTest {

    @Test
    void theTestThatLoadedByIdAloneFailsWithTheReport() {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Example.class)).build(), listener);
        TestExecutionSummary summary = listener.getSummary();

        assertThat(summary.getTestsSucceededCount()).as("the load by id and key passes").isEqualTo(1);
        assertThat(summary.getFailures()).singleElement().satisfies(failure -> assertThat(failure.getException())
                .hasMessageStartingWith("1 statement in this test can touch every partition of a table:\n- Unpruned statement: entity "
                        + "load of PageView can touch all 7 partitions of public.pr_page_views (partition key RANGE (visited_at)), run at "
                        + "io.pgpartition.hibernate.pruning.FailOnUnprunedStatementsHibernateTest$Example.lambda$loadsByIdAlone$0(")
                .hasMessageEndingWith(": select pv1_0.id,pv1_0.member_id,pv1_0.site_id,pv1_0.visited_at from pr_page_views pv1_0 where "
                        + "pv1_0.id=?. Fix: load PageView with PartitionedFinder.find(em, PageView.class, id, visitedAt) instead of by "
                        + "its identifier alone. If reading every partition is meant, run it inside FullScan.intended(...) or put the "
                        + "comment /* pgpartition:full-scan */ in its SQL."));
    }

    @HibernateTest(entities = {PruningCorpus.Member.class, PruningCorpus.PageView.class},
            settings = @Setting(name = "pgpartition.validation", value = "warn"))
    @FailOnUnprunedStatements
    static class Example {

        @BeforeAll
        static void tables(TestDatabase db) {
            PruningCorpus.create(db);
        }

        @Test
        void loadsByIdAlone(SessionFactoryScope scope) {
            scope.inSession(session -> session.find(PruningCorpus.PageView.class, 10L));
        }

        @Test
        void loadsByIdAndKey(SessionFactoryScope scope) {
            scope.inSession(session -> PartitionedFinder.find(session, PruningCorpus.PageView.class, 10L, PruningCorpus.JAN));
        }
    }
}
