package io.pgpartition.hibernate.pruning;

import io.pgpartition.ErrorCode;
import io.pgpartition.UnprunedStatementException;
import io.pgpartition.hibernate.PartitionedFinder;
import io.pgpartition.hibernate.StandardError;
import io.pgpartition.hibernate.internal.jdbc.GuardedConnectionProvider;
import io.pgpartition.pruning.FullScan;
import io.pgpartition.pruning.UnprunedStatement;
import io.pgpartition.pruning.internal.Sentinel;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.postgres.TestDatabase;
import org.hibernate.Hibernate;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.hibernate.engine.jdbc.connections.spi.ConnectionProvider;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.pgpartition.hibernate.pruning.PruningCorpus.FEB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code pgpartition.unpruned_statements} as an application meets it: {@code fail} refuses an unpruned statement
 * before it runs, naming the SQL, what produced it, the line and the fix; {@code log} logs it once; {@code off} sends
 * nothing more to the server. Each distinct text is explained once.
 */
@HibernateTest
class UnprunedStatementsTest {

    private static final String FIX_SUFFIX = ". If reading every partition is meant, run it inside FullScan.intended(...) or put "
            + "the comment /* pgpartition:full-scan */ in its SQL.";
    private static final String VIEW_COLUMNS = "select pv1_0.id,pv1_0.member_id,pv1_0.site_id,pv1_0.visited_at from pr_page_views pv1_0";

    @BeforeAll
    static void tables(TestDatabase db) {
        PruningCorpus.create(db);
    }

    private static SessionFactory factory(SessionFactoryScope scope, String mode) {
        // the corpus maps associations by id alone on purpose: their bootstrap problems are logged, not thrown
        return scope.build(Map.of("pgpartition.unpruned_statements", mode, "pgpartition.validation", "warn"), PruningCorpus.ENTITIES);
    }

    private static Sentinel sentinel(SessionFactory factory) {
        return ((SessionFactoryImplementor) factory).getServiceRegistry().requireService(ConnectionProvider.class)
                .unwrap(GuardedConnectionProvider.class).guard().sentinel();
    }

    /** The caller's line. */
    private static int here() {
        return StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst().orElseThrow()).getLineNumber();
    }

    private static String at(String method, int line) {
        return "io.pgpartition.hibernate.pruning.UnprunedStatementsTest." + method + "(UnprunedStatementsTest.java:" + line + ")";
    }

    @Test
    void failRefusesALoadByIdAloneBeforeItRunsWithItsLineAndTheFix(SessionFactoryScope scope) {
        SessionFactory factory = factory(scope, "fail");
        try (Session session = factory.openSession()) {
            UnprunedStatementException refused = null;
            int line = here() + 2;
            try {
                session.find(PruningCorpus.PageView.class, 10L);
            } catch (UnprunedStatementException e) {
                refused = e;
            }
            assertThat(refused).as("em.find by the surrogate id alone is refused").isNotNull();
            assertThat(refused.getCode()).isEqualTo(ErrorCode.UNPRUNED_STATEMENT);
            assertThat(refused.getMessage()).as("the report, whole").isEqualTo("Unpruned statement: entity load of PageView can touch "
                    + "all 7 partitions of public.pr_page_views (partition key RANGE (visited_at)), run at "
                    + at("failRefusesALoadByIdAloneBeforeItRunsWithItsLineAndTheFix", line) + ": " + VIEW_COLUMNS
                    + " where pv1_0.id=?. Fix: load PageView with PartitionedFinder.find(em, PageView.class, id, visitedAt) instead of "
                    + "by its identifier alone" + FIX_SUFFIX);
            UnprunedStatement statement = refused.getStatement();
            assertThat(statement.tables()).singleElement().satisfies(table -> {
                assertThat(table.partitions()).as("every partition, by name").hasSize(7).contains(
                        io.pgpartition.model.TableName.of("public", "pr_page_views_m1"),
                        io.pgpartition.model.TableName.of("public", "pr_page_views_default"));
                assertThat(table.total()).isEqualTo(7);
            });
            PruningCorpus.PageView view = PartitionedFinder.find(session, PruningCorpus.PageView.class, 10L, PruningCorpus.JAN);
            assertThat(view).as("the same row by id and key loads, in the same session").isNotNull();
            assertThat(io.pgpartition.hibernate.PartitionLocator.partitionOf(session, view))
                    .as("PartitionLocator names the key too, so it is pruned").isEqualTo("pr_page_views_m1");
            int again = here() + 2;
            try {
                session.find(PruningCorpus.PageView.class, 11L);
                throw new AssertionError("the second run of the same text ran");
            } catch (UnprunedStatementException e) {
                assertThat(e.getMessage()).as("refused each time the text runs, naming the line of this run")
                        .contains(", run at " + at("failRefusesALoadByIdAloneBeforeItRunsWithItsLineAndTheFix", again) + ": ");
            }
            assertThat(FullScan.intended(() -> session.find(PruningCorpus.PageView.class, 12L)))
                    .as("inside FullScan.intended the same statement runs").isNotNull();
        }
        assertThat(sentinel(factory).judged()).as("the texts run: two loads, the locator's and Hibernate's own at bootstrap")
                .containsExactlyInAnyOrder(VIEW_COLUMNS + " where pv1_0.id=?", VIEW_COLUMNS + " where pv1_0.id=? and pv1_0.visited_at=?",
                        "select tableoid::regclass::text from pr_page_views where id = ? and visited_at = ?", "select version()");
        assertThat(sentinel(factory).explained()).as("each distinct text explained once").isEqualTo(4);
    }

    @Test
    void failRefusesTheStatementInsideATransactionThatGoesOn(SessionFactoryScope scope, TestDatabase db) throws java.sql.SQLException {
        SessionFactory factory = factory(scope, "fail");
        try (Session session = factory.openSession()) {
            session.beginTransaction();
            session.persist(new PruningCorpus.PageView(80L, PruningCorpus.APR, 5L));
            session.flush();
            int line = here() + 2;
            try {
                session.createMutationQuery("delete from PageView v where v.siteId = :site").setParameter("site", 5L).executeUpdate();
                throw new AssertionError("the bulk delete without key ran");
            } catch (UnprunedStatementException e) {
                assertThat(e.getMessage()).as("a bulk delete without key is refused before it runs").isEqualTo("Unpruned statement: "
                        + "query (JPQL or criteria) can touch all 7 partitions of public.pr_page_views (partition key RANGE "
                        + "(visited_at)), run at " + at("failRefusesTheStatementInsideATransactionThatGoesOn", line)
                        + ": delete from pr_page_views pv1_0 where pv1_0.site_id=?. Fix: add a condition on visited_at to its WHERE "
                        + "clause (an equality, a range or an IN list PostgreSQL can prune with)" + FIX_SUFFIX);
            }
            session.createMutationQuery("delete from PageView v where v.siteId = :site and v.visitedAt = :at")
                    .setParameter("site", 5L).setParameter("at", PruningCorpus.APR).executeUpdate();
            session.getTransaction().commit();
        }
        try (java.sql.Connection connection = db.connection();
             java.sql.ResultSet rs = connection.createStatement().executeQuery("SELECT count(*) FROM pr_page_views WHERE id = 80")) {
            rs.next();
            assertThat(rs.getLong(1)).as("the transaction went on after the refusal: the row was inserted, then deleted by the pruned "
                    + "statement").isZero();
        }
    }

    @Test
    void failNamesTheAssociationOrCollectionThatLoadedByIdAlone(SessionFactoryScope scope) {
        SessionFactory factory = factory(scope, "fail");
        try (Session session = factory.openSession()) {
            PruningCorpus.VisitEvent event = PartitionedFinder.find(session, PruningCorpus.VisitEvent.class, 30L, FEB);
            assertThatThrownBy(() -> Hibernate.initialize(event.pageView))
                    .as("a lazy @ManyToOne by id alone")
                    .isInstanceOf(UnprunedStatementException.class)
                    .hasMessageStartingWith("Unpruned statement: entity load of PageView through a lazy association can touch all 7 "
                            + "partitions of public.pr_page_views (partition key RANGE (visited_at)), run at ")
                    .hasMessageEndingWith(": " + VIEW_COLUMNS + " where pv1_0.id=?. Fix: join the association on the partition key "
                            + "too (@JoinColumns naming the identifier's and the partition key's columns visited_at, the referencing "
                            + "table keeping both), or load PageView with PartitionedFinder.find(em, PageView.class, id, visitedAt)"
                            + FIX_SUFFIX);
            PruningCorpus.Member member = session.find(PruningCorpus.Member.class, 2L);
            assertThatThrownBy(() -> Hibernate.initialize(member.views))
                    .as("a @OneToMany whose join column lacks the key")
                    .isInstanceOf(UnprunedStatementException.class)
                    .hasMessageStartingWith("Unpruned statement: collection load of PageView through a lazy collection can touch all 7 "
                            + "partitions of public.pr_page_views (partition key RANGE (visited_at)), run at ")
                    .hasMessageEndingWith(": select v1_0.member_id,v1_0.id,v1_0.site_id,v1_0.visited_at from pr_page_views v1_0 "
                            + "where v1_0.member_id=?. Fix: join the collection on the partition key too (@JoinColumns "
                            + "naming visited_at besides the owner's identifier), or read its elements with a query that names visited_at"
                            + FIX_SUFFIX);
        }
    }

    @Test
    void mergingADetachedEntityLoadsItByIdAndKey(SessionFactoryScope scope, TestDatabase db) throws java.sql.SQLException {
        SessionFactory factory = factory(scope, "fail");
        PruningCorpus.PageView detached = factory.fromSession(session ->
                PartitionedFinder.find(session, PruningCorpus.PageView.class, 12L, PruningCorpus.MAR));
        detached.siteId = 70L;
        factory.inTransaction(session -> session.merge(detached));
        PruningCorpus.PageView moved = factory.fromSession(session ->
                PartitionedFinder.find(session, PruningCorpus.PageView.class, 12L, PruningCorpus.MAR));
        moved.visitedAt = PruningCorpus.APR;
        assertThatThrownBy(() -> factory.inTransaction(session -> FullScan.intended(() -> session.merge(moved))))
                .as("a detached copy with a changed key is loaded by id alone, as Hibernate does, and refused")
                .isInstanceOf(io.pgpartition.PartitionKeyChangedException.class);
        try (java.sql.Connection connection = db.connection();
             java.sql.ResultSet rs = connection.createStatement().executeQuery("SELECT site_id, tableoid::regclass FROM pr_page_views WHERE id = 12")) {
            rs.next();
            assertThat(rs.getLong(1) + " " + rs.getString(2)).as("the merge by id and key was written, the key change was not")
                    .isEqualTo("70 pr_page_views_m3");
        }
    }

    @Test
    void logWarnsOncePerTextAndLetsItRun(SessionFactoryScope scope) {
        SessionFactory factory = factory(scope, "log");
        AtomicInteger rows = new AtomicInteger();
        List<String> warnings = StandardError.during(() -> {
            for (int i = 0; i < 3; i++) {
                try (Session session = factory.openSession()) {
                    rows.addAndGet(session.createQuery("select v from PageView v where v.siteId = :site", PruningCorpus.PageView.class)
                            .setParameter("site", 7L).getResultList().size());
                }
            }
        }).lines().filter(line -> line.contains("Unpruned statement: ")).map(line -> line.substring(line.indexOf("Unpruned statement: ")))
                .toList();
        assertThat(rows).as("the statement ran every time").hasValue(6);
        assertThat(warnings).as("one warning for three runs").singleElement().asString()
                .startsWith("Unpruned statement: query (JPQL or criteria) can touch all 7 partitions of public.pr_page_views")
                .endsWith(": " + VIEW_COLUMNS + " where pv1_0.site_id=?. Fix: add a condition on visited_at to its WHERE clause (an "
                        + "equality, a range or an IN list PostgreSQL can prune with)" + FIX_SUFFIX);
        assertThat(sentinel(factory).judged()).as("the texts run: the query and Hibernate's own at bootstrap").containsExactlyInAnyOrder(
                VIEW_COLUMNS + " where pv1_0.site_id=?", "select version()");
        assertThat(sentinel(factory).explained()).as("each distinct text explained once").isEqualTo(2);
    }

    @Test
    void offExplainsNothing(SessionFactoryScope scope) {
        SessionFactory factory = factory(scope, "off");
        try (Session session = factory.openSession()) {
            assertThat(session.find(PruningCorpus.PageView.class, 10L)).isNotNull();
            session.createQuery("select v from PageView v", PruningCorpus.PageView.class).getResultList();
        }
        assertThat(sentinel(factory).explained()).as("off: nothing explained").isZero();
    }

    @Test
    void anInvalidSettingIsRefusedNamingTheAcceptedValues(SessionFactoryScope scope) {
        assertThatThrownBy(() -> factory(scope, "warn"))
                .hasRootCauseMessage("Invalid setting pgpartition.unpruned_statements=warn; expected off, log or fail");
    }
}
