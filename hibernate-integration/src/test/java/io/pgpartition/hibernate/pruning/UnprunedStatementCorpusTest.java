package io.pgpartition.hibernate.pruning;

import io.pgpartition.hibernate.PartitionedFinder;
import io.pgpartition.pruning.FullScan;
import io.pgpartition.pruning.UnprunedStatement;
import io.pgpartition.pruning.UnprunedStatements;
import io.pgpartition.test.hibernate.HibernateTest;
import io.pgpartition.test.hibernate.SessionFactoryScope;
import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Root;
import org.hibernate.Hibernate;
import org.hibernate.Session;
import org.hibernate.SessionFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.pgpartition.hibernate.pruning.PruningCorpus.APR;
import static io.pgpartition.hibernate.pruning.PruningCorpus.FEB;
import static io.pgpartition.hibernate.pruning.PruningCorpus.JAN;
import static io.pgpartition.hibernate.pruning.PruningCorpus.MAR;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Query shapes as an application writes them (entity API, JPQL, criteria, native SQL, lazy and eager associations,
 * batch fetching, pagination, IN lists, joins of two partitioned tables, ranges, expressions on the key, ORs), each
 * with what it is: pruned or unpruned. The sentinel must classify every one as written here; a test watch switches it
 * on with the setting left at {@code off}.
 */
@HibernateTest(entities = {})
class UnprunedStatementCorpusTest {

    private static SessionFactory factory;

    @BeforeAll
    static void tables(TestDatabase db, SessionFactoryScope scope) {
        PruningCorpus.create(db);
        factory = scope.build(Map.of("hibernate.connection.pool_size", "1"), PruningCorpus.ENTITIES);
    }

    /** One shape: its name, what it should be, and what the application does. */
    private record Shape(String name, boolean pruned, Consumer<Session> work) {
    }

    private final List<Shape> shapes = new ArrayList<>();

    private void pruned(String name, Consumer<Session> work) {
        shapes.add(new Shape(name, true, work));
    }

    private void unpruned(String name, Consumer<Session> work) {
        shapes.add(new Shape(name, false, work));
    }

    @Test
    void everyShapeIsClassifiedAsItIs() {
        entityApi();
        jpqlAndCriteria();
        nativeSql();
        associations();
        otherStrategies();
        writes();
        List<String> wrong = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (Shape shape : shapes) {
            List<UnprunedStatement> seen;
            try (UnprunedStatements.Watch watch = UnprunedStatements.watch()) {
                Session session = factory.openSession();
                try {
                    session.beginTransaction();
                    shape.work().accept(session);
                    session.getTransaction().rollback();
                } finally {
                    session.close();
                }
                seen = watch.statements();
            }
            boolean reportedPruned = seen.isEmpty();
            lines.add((reportedPruned ? "pruned   " : "unpruned ") + shape.name());
            if (reportedPruned != shape.pruned() || seen.size() > 1) {
                wrong.add(shape.name() + ": expected " + (shape.pruned() ? "pruned" : "one unpruned statement") + ", the sentinel said "
                        + (reportedPruned ? "pruned" : seen));
            }
        }
        assertThat(shapes).as("the corpus has at least 40 shapes").hasSizeGreaterThanOrEqualTo(40);
        assertThat(wrong).as("shapes the sentinel got wrong, of:%n%s", String.join("\n", lines)).isEmpty();
    }

    private void entityApi() {
        unpruned("em.find by surrogate id alone", s -> s.find(PruningCorpus.PageView.class, 10L));
        pruned("PartitionedFinder.find by id and key", s -> PartitionedFinder.find(s, PruningCorpus.PageView.class, 11L, FEB));
        pruned("em.find by an @IdClass holding the key", s -> s.find(PruningCorpus.Visit.class, new PruningCorpus.VisitKey(20L, FEB)));
        unpruned("getReference by id alone, then initialised", s -> Hibernate.initialize(s.getReference(PruningCorpus.PageView.class, 12L)));
        unpruned("multi-id load by ids alone", s -> s.byMultipleIds(PruningCorpus.PageView.class).multiLoad(10L, 11L));
        unpruned("em.find of a sub-partitioned entity by id alone", s -> s.find(PruningCorpus.Claim.class, 60L));
    }

    private void jpqlAndCriteria() {
        unpruned("JPQL by id alone", s -> s.createQuery("select v from PageView v where v.id = :id", PruningCorpus.PageView.class)
                .setParameter("id", 10L).getResultList());
        pruned("JPQL by id and key", s -> s.createQuery("select v from PageView v where v.id = :id and v.visitedAt = :at",
                PruningCorpus.PageView.class).setParameter("id", 10L).setParameter("at", JAN).getResultList());
        pruned("JPQL one month, >= and <", s -> s.createQuery("select v from PageView v where v.visitedAt >= :from and v.visitedAt < :to",
                PruningCorpus.PageView.class).setParameter("from", Instant.parse("2026-02-01T00:00:00Z"))
                .setParameter("to", Instant.parse("2026-03-01T00:00:00Z")).getResultList());
        pruned("JPQL three months", s -> s.createQuery("select count(v) from PageView v where v.visitedAt >= :from and v.visitedAt < :to",
                Long.class).setParameter("from", Instant.parse("2026-01-01T00:00:00Z"))
                .setParameter("to", Instant.parse("2026-04-01T00:00:00Z")).getSingleResult());
        pruned("JPQL BETWEEN", s -> s.createQuery("select v.id from PageView v where v.visitedAt between :a and :b", Long.class)
                .setParameter("a", JAN).setParameter("b", FEB).getResultList());
        pruned("JPQL key IN list", s -> s.createQuery("select v.id from PageView v where v.visitedAt in (:a, :b)", Long.class)
                .setParameter("a", JAN).setParameter("b", MAR).getResultList());
        unpruned("JPQL ids IN list without key", s -> s.createQuery("select v from PageView v where v.id in :ids", PruningCorpus.PageView.class)
                .setParameter("ids", List.of(10L, 11L)).getResultList());
        unpruned("JPQL by another column", s -> s.createQuery("select v from PageView v where v.siteId = :site", PruningCorpus.PageView.class)
                .setParameter("site", 7L).getResultList());
        unpruned("JPQL count without WHERE", s -> s.createQuery("select count(v) from PageView v", Long.class).getSingleResult());
        pruned("JPQL count without WHERE inside FullScan.intended", s -> FullScan.intended(() ->
                s.createQuery("select count(v.id) from PageView v", Long.class).getSingleResult()));
        pruned("JPQL open range from April", s -> s.createQuery("select v.id from PageView v where v.visitedAt >= :from", Long.class)
                .setParameter("from", APR).getResultList());
        unpruned("JPQL open range from before the first partition", s -> s.createQuery("select v.siteId from PageView v where v.visitedAt >= :from",
                Long.class).setParameter("from", Instant.parse("2020-01-01T00:00:00Z")).getResultList());
        pruned("JPQL upper bound only", s -> s.createQuery("select v.siteId from PageView v where v.visitedAt < :to", Long.class)
                .setParameter("to", FEB).getResultList());
        unpruned("JPQL expression on the key (extract)", s -> s.createQuery("select v.id from PageView v where extract(month from v.visitedAt) = 2",
                Long.class).getResultList());
        unpruned("JPQL key OR another column", s -> s.createQuery("select v.id from PageView v where v.visitedAt = :at or v.siteId = :site",
                Long.class).setParameter("at", JAN).setParameter("site", 8L).getResultList());
        pruned("JPQL key OR key", s -> s.createQuery("select v.siteId from PageView v where v.visitedAt = :a or v.visitedAt = :b",
                Long.class).setParameter("a", JAN).setParameter("b", FEB).getResultList());
        pruned("JPQL key IS NULL (only the default partition)", s -> s.createQuery("select v.id from PageView v where v.visitedAt is null",
                Long.class).getResultList());
        unpruned("JPQL pagination without key", s -> s.createQuery("select v from PageView v order by v.visitedAt desc",
                PruningCorpus.PageView.class).setMaxResults(10).getResultList());
        pruned("JPQL pagination within a month", s -> s.createQuery("select v from PageView v where v.visitedAt >= :from and "
                        + "v.visitedAt < :to order by v.visitedAt desc", PruningCorpus.PageView.class)
                .setParameter("from", Instant.parse("2026-03-01T00:00:00Z")).setParameter("to", Instant.parse("2026-04-01T00:00:00Z"))
                .setFirstResult(10).setMaxResults(10).getResultList());
        pruned("criteria with the key", s -> {
            CriteriaBuilder cb = s.getCriteriaBuilder();
            CriteriaQuery<PruningCorpus.PageView> query = cb.createQuery(PruningCorpus.PageView.class);
            Root<PruningCorpus.PageView> view = query.from(PruningCorpus.PageView.class);
            query.where(cb.equal(view.get("id"), 11L), cb.equal(view.get("visitedAt"), FEB));
            s.createQuery(query).getResultList();
        });
        unpruned("criteria without the key", s -> {
            CriteriaBuilder cb = s.getCriteriaBuilder();
            CriteriaQuery<Long> query = cb.createQuery(Long.class);
            Root<PruningCorpus.PageView> view = query.from(PruningCorpus.PageView.class);
            query.select(view.get("id")).where(cb.greaterThan(view.get("siteId"), 7L));
            s.createQuery(query).getResultList();
        });
        pruned("JPQL subquery, both sides by key", s -> s.createQuery("select v.siteId from Visit v where v.visitedAt = :at and v.id in "
                + "(select e.visitId from VisitEvent e where e.visitedAt = :at)", Long.class).setParameter("at", FEB).getResultList());
        unpruned("JPQL correlated EXISTS without key on the inner table", s -> s.createQuery("select v.id from Visit v where v.visitedAt = :at "
                + "and exists (select 1 from VisitEvent e where e.visitId = v.id)", Long.class).setParameter("at", FEB).getResultList());
        pruned("JPQL join fetch of a collection joined by id and key", s -> s.createQuery("select v from Visit v join fetch v.events "
                + "where v.id = :id and v.visitedAt = :at", PruningCorpus.Visit.class).setParameter("id", 20L).setParameter("at", FEB)
                .getResultList());
        unpruned("JPQL join of two partitioned tables without key", s -> s.createQuery("select e.id from VisitEvent e join e.pageView p "
                + "where e.visitedAt = :at and p.siteId = :site", Long.class).setParameter("at", FEB).setParameter("site", 7L).getResultList());
        pruned("JPQL join of two partitioned tables on the key", s -> s.createQuery("select e.id from VisitEvent e join e.visit v "
                + "where e.visitedAt = :at and v.siteId = :site", Long.class).setParameter("at", FEB).setParameter("site", 7L).getResultList());
        pruned("bulk JPQL update within a month", s -> s.createMutationQuery("update PageView v set v.siteId = :site where v.visitedAt >= :from "
                        + "and v.visitedAt < :to").setParameter("site", 9L).setParameter("from", Instant.parse("2026-01-01T00:00:00Z"))
                .setParameter("to", Instant.parse("2026-02-01T00:00:00Z")).executeUpdate());
        unpruned("bulk JPQL delete without key", s -> s.createMutationQuery("delete from PageView v where v.siteId = :site")
                .setParameter("site", 99L).executeUpdate());
    }

    private void nativeSql() {
        pruned("native SQL with the key as parameter", s -> s.createNativeQuery("SELECT id FROM pr_page_views WHERE visited_at = ?", Long.class)
                .setParameter(1, JAN).getResultList());
        pruned("native SQL with the key as literal", s -> s.createNativeQuery("SELECT id FROM pr_page_views WHERE visited_at "
                + ">= '2026-05-01 00:00+00' AND visited_at < '2026-06-01 00:00+00'", Long.class).getResultList());
        unpruned("native SQL without key", s -> s.createNativeQuery("SELECT id FROM pr_page_views WHERE member_id = ?", Long.class)
                .setParameter(1, 1L).getResultList());
        unpruned("native SQL casting the key (visited_at::date)", s -> s.createNativeQuery("SELECT id FROM pr_page_views "
                + "WHERE visited_at::date = ?", Long.class).setParameter(1, LocalDate.of(2026, 1, 15)).getResultList());
        unpruned("native SQL with date_trunc on the key", s -> s.createNativeQuery("SELECT count(*) FROM pr_page_views "
                + "WHERE date_trunc('month', visited_at) = ?", Long.class).setParameter(1, Instant.parse("2026-01-01T00:00:00Z"))
                .getSingleResult());
        pruned("native SQL against now() (pruned when the executor starts)", s -> s.createNativeQuery("SELECT id FROM pr_page_views "
                + "WHERE visited_at >= now() - interval '7 days'", Long.class).getResultList());
        pruned("native SQL without key, marked as an intended full scan", s -> s.createNativeQuery("SELECT /* pgpartition:full-scan */ "
                + "site_id, count(*) FROM pr_page_views GROUP BY site_id", Object[].class).getResultList());
        pruned("native SQL reading one partition directly", s -> s.createNativeQuery("SELECT id FROM pr_page_views_m1 WHERE site_id = ?",
                Long.class).setParameter(1, 7L).getResultList());
        unpruned("native INSERT ... SELECT reading every partition", s -> s.createNativeQuery("INSERT INTO pr_visits (id, visited_at, site_id) "
                + "SELECT id + 1000, visited_at, site_id FROM pr_page_views WHERE site_id = 424242", Object.class).executeUpdate());
        pruned("native SQL under a generic plan (pruned when the executor starts)", s -> s.doWork(connection -> {
            try (var set = connection.createStatement()) {
                set.execute("SET LOCAL plan_cache_mode = force_generic_plan");
            }
            try (var statement = connection.prepareStatement("SELECT site_id FROM pr_page_views WHERE id = ? AND visited_at = ?")) {
                statement.setLong(1, 11L);
                statement.setObject(2, java.time.OffsetDateTime.parse("2026-02-15T10:00:00Z"));
                statement.executeQuery().close();
            }
        }));
    }

    private void associations() {
        unpruned("lazy @ManyToOne joined by id alone", s -> {
            PruningCorpus.VisitEvent event = PartitionedFinder.find(s, PruningCorpus.VisitEvent.class, 30L, FEB);
            Hibernate.initialize(event.pageView);
        });
        pruned("lazy @ManyToOne joined by id and key", s -> {
            PruningCorpus.VisitEvent event = PartitionedFinder.find(s, PruningCorpus.VisitEvent.class, 30L, FEB);
            Hibernate.initialize(event.visit);
        });
        unpruned("eager @ManyToOne joined by id alone", s -> s.createQuery("select e from EventDigest e where e.id = :id and e.visitedAt = :at",
                PruningCorpus.EventDigest.class).setParameter("id", 30L).setParameter("at", FEB).getResultList());
        pruned("@OneToMany joined by id and key", s -> Hibernate.initialize(s.find(PruningCorpus.Visit.class,
                new PruningCorpus.VisitKey(20L, FEB)).events));
        unpruned("@OneToMany from a plain table, joined by the owner's id", s -> Hibernate.initialize(s.find(PruningCorpus.Member.class, 2L).views));
        unpruned("@OneToMany batch-fetched for several owners", s -> {
            List<PruningCorpus.Member> members = s.createQuery("select m from Member m order by m.id", PruningCorpus.Member.class).getResultList();
            members.get(0).views.size();
        });
    }

    private void otherStrategies() {
        pruned("hash: by tenant", s -> s.createQuery("select t.id from TenantSession t where t.tenantId = :tenant", Long.class)
                .setParameter("tenant", 3L).getResultList());
        unpruned("hash: by id alone", s -> s.createQuery("select t.tenantId from TenantSession t where t.id = :id", Long.class)
                .setParameter("id", 40L).getResultList());
        pruned("list: by enum value", s -> s.createQuery("select i.id from Item i where i.sourceType = :source", Long.class)
                .setParameter("source", PruningCorpus.Source.MANUAL).getResultList());
        unpruned("list: by another column", s -> s.createQuery("select i.id from Item i where i.title = :title", Long.class)
                .setParameter("title", "a").getResultList());
        pruned("sub-partitioned: one year, both regions (2 of 4)", s -> s.createQuery("select c.id from Claim c where c.serviceDate = :day", Long.class)
                .setParameter("day", LocalDate.of(2026, 2, 1)).getResultList());
        pruned("sub-partitioned: one region of every year (2 of 4)", s -> s.createQuery("select c.id from Claim c where c.region = :region", Long.class)
                .setParameter("region", "eu").getResultList());
    }

    private void writes() {
        pruned("persist", s -> {
            s.persist(new PruningCorpus.PageView(70L, APR, 1L));
            s.flush();
        });
        pruned("entity update by surrogate id (the key added to its WHERE)", s -> {
            PruningCorpus.PageView view = PartitionedFinder.find(s, PruningCorpus.PageView.class, 12L, MAR);
            view.siteId = 3L;
            s.flush();
        });
        pruned("merge of a detached entity (loaded by id and key first)", s -> {
            PruningCorpus.PageView view = PartitionedFinder.find(s, PruningCorpus.PageView.class, 11L, FEB);
            s.detach(view);
            view.siteId = 4L;
            s.merge(view);
            s.flush();
        });
        pruned("entity delete by surrogate id (the key added to its WHERE)", s -> {
            PruningCorpus.PageView view = PartitionedFinder.find(s, PruningCorpus.PageView.class, 10L, JAN);
            s.remove(view);
            s.flush();
        });
    }
}
