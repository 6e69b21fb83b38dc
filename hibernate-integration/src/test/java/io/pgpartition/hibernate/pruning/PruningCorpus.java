package io.pgpartition.hibernate.pruning;

import io.pgpartition.annotations.PartitionedBy;
import io.pgpartition.annotations.SubPartitionedBy;
import io.pgpartition.test.postgres.TestDatabase;
import jakarta.persistence.Column;
import jakarta.persistence.ConstraintMode;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.ForeignKey;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinColumns;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedNativeQuery;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.QueryHint;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Table;
import org.hibernate.annotations.BatchSize;

import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * The sample domain of the pruning tests: page views and visits in monthly partitions (January to June 2026 and a
 * default), events of a visit joined to it by its identifier and key, members in a plain table, sessions hashed by
 * tenant, items listed by source, claims by year and then by region.
 */
final class PruningCorpus {

    static final Instant JAN = Instant.parse("2026-01-15T10:00:00Z");
    static final Instant FEB = Instant.parse("2026-02-15T10:00:00Z");
    static final Instant MAR = Instant.parse("2026-03-15T10:00:00Z");
    static final Instant APR = Instant.parse("2026-04-15T10:00:00Z");

    static final Class<?>[] ENTITIES = {Member.class, PageView.class, Visit.class, VisitEvent.class, EventDigest.class, TenantSession.class, Item.class, Claim.class};

    private PruningCorpus() {
    }

    /** The tables, with one row each where the shapes load something. */
    static void create(TestDatabase db) {
        db.execute("CREATE TABLE pr_members (id bigint PRIMARY KEY, name text)",
                "CREATE TABLE pr_page_views (id bigint NOT NULL, visited_at timestamptz NOT NULL, site_id bigint, member_id bigint, "
                        + "PRIMARY KEY (id, visited_at)) PARTITION BY RANGE (visited_at)",
                "CREATE TABLE pr_visits (id bigint NOT NULL, visited_at timestamptz NOT NULL, site_id bigint, "
                        + "PRIMARY KEY (id, visited_at)) PARTITION BY RANGE (visited_at)",
                "CREATE TABLE pr_visit_events (id bigint NOT NULL, visited_at timestamptz NOT NULL, visit_id bigint NOT NULL, "
                        + "page_view_id bigint, first_view_id bigint, kind text, PRIMARY KEY (id, visited_at)) PARTITION BY RANGE (visited_at)");
        for (String table : List.of("pr_page_views", "pr_visits", "pr_visit_events")) {
            for (int month = 1; month <= 6; month++) {
                db.execute("CREATE TABLE " + table + "_m" + month + " PARTITION OF " + table + " FOR VALUES FROM ('2026-0" + month
                        + "-01 00:00+00') TO ('2026-0" + (month + 1) + "-01 00:00+00')");
            }
            db.execute("CREATE TABLE " + table + "_default PARTITION OF " + table + " DEFAULT");
        }
        db.execute("CREATE TABLE pr_sessions (id bigint NOT NULL, tenant_id bigint NOT NULL, PRIMARY KEY (id, tenant_id)) PARTITION BY HASH (tenant_id)",
                "CREATE TABLE pr_sessions_h0 PARTITION OF pr_sessions FOR VALUES WITH (MODULUS 4, REMAINDER 0)",
                "CREATE TABLE pr_sessions_h1 PARTITION OF pr_sessions FOR VALUES WITH (MODULUS 4, REMAINDER 1)",
                "CREATE TABLE pr_sessions_h2 PARTITION OF pr_sessions FOR VALUES WITH (MODULUS 4, REMAINDER 2)",
                "CREATE TABLE pr_sessions_h3 PARTITION OF pr_sessions FOR VALUES WITH (MODULUS 4, REMAINDER 3)",
                "CREATE TABLE pr_items (id bigint NOT NULL, source_type text NOT NULL, title text, PRIMARY KEY (id, source_type)) "
                        + "PARTITION BY LIST (source_type)",
                "CREATE TABLE pr_items_auto PARTITION OF pr_items FOR VALUES IN ('AUTO')",
                "CREATE TABLE pr_items_manual PARTITION OF pr_items FOR VALUES IN ('MANUAL')",
                "CREATE TABLE pr_items_other PARTITION OF pr_items DEFAULT",
                "CREATE TABLE pr_claims (id bigint NOT NULL, service_date date NOT NULL, region text NOT NULL, "
                        + "PRIMARY KEY (id, service_date, region)) PARTITION BY RANGE (service_date)",
                "CREATE TABLE pr_claims_2025 PARTITION OF pr_claims FOR VALUES FROM ('2025-01-01') TO ('2026-01-01') PARTITION BY LIST (region)",
                "CREATE TABLE pr_claims_2025_eu PARTITION OF pr_claims_2025 FOR VALUES IN ('eu')",
                "CREATE TABLE pr_claims_2025_us PARTITION OF pr_claims_2025 FOR VALUES IN ('us')",
                "CREATE TABLE pr_claims_2026 PARTITION OF pr_claims FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY LIST (region)",
                "CREATE TABLE pr_claims_2026_eu PARTITION OF pr_claims_2026 FOR VALUES IN ('eu')",
                "CREATE TABLE pr_claims_2026_us PARTITION OF pr_claims_2026 FOR VALUES IN ('us')",
                "INSERT INTO pr_members VALUES (1, 'ada'), (2, 'grace')",
                "INSERT INTO pr_page_views VALUES (10, '" + JAN + "', 7, 1), (11, '" + FEB + "', 7, 1), (12, '" + MAR + "', 8, 2)",
                "INSERT INTO pr_visits VALUES (20, '" + FEB + "', 7)",
                "INSERT INTO pr_visit_events VALUES (30, '" + FEB + "', 20, 10, 11, 'click')",
                "INSERT INTO pr_sessions VALUES (40, 3)",
                "INSERT INTO pr_items VALUES (50, 'AUTO', 'a')",
                "INSERT INTO pr_claims VALUES (60, '2026-02-01', 'eu')");
    }

    @Entity(name = "Member")
    @Table(name = "pr_members")
    static class Member {
        @Id Long id;
        String name;
        @OneToMany(mappedBy = "member")
        @BatchSize(size = 10)
        List<PageView> views;
    }

    @Entity(name = "PageView")
    @Table(name = "pr_page_views")
    @PartitionedBy(range = "visitedAt")
    @NamedQuery(name = "PageView.bySite", query = "select v from PageView v where v.siteId = :site")
    @NamedQuery(name = "PageView.bySiteInMonth", query = "select v from PageView v where v.siteId = :site and v.visitedAt >= :from "
            + "and v.visitedAt < :to")
    @NamedQuery(name = "PageView.all", query = "select v from PageView v",
            hints = @QueryHint(name = "pgpartition.full_scan", value = "true"))
    @NamedQuery(name = "PageView.ofMember", query = "select v from PageView v join v.member m where m.name = :name")
    @NamedNativeQuery(name = "PageView.nativeByMember", query = "SELECT * FROM pr_page_views WHERE member_id = ?",
            resultClass = PageView.class)
    static class PageView {
        @Id Long id;
        @Column(name = "visited_at", nullable = false) Instant visitedAt;
        @Column(name = "site_id") Long siteId;
        @ManyToOne(fetch = FetchType.LAZY)
        @JoinColumn(name = "member_id")
        Member member;

        PageView() {
        }

        PageView(Long id, Instant visitedAt, Long siteId) {
            this.id = id;
            this.visitedAt = visitedAt;
            this.siteId = siteId;
        }
    }

    /** The identifier of a visit: its id and its partition key. */
    static class VisitKey implements Serializable {
        Long id;
        Instant visitedAt;

        VisitKey() {
        }

        VisitKey(Long id, Instant visitedAt) {
            this.id = id;
            this.visitedAt = visitedAt;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof VisitKey key && Objects.equals(id, key.id) && Objects.equals(visitedAt, key.visitedAt);
        }

        @Override
        public int hashCode() {
            return Objects.hash(id, visitedAt);
        }
    }

    @Entity(name = "Visit")
    @Table(name = "pr_visits")
    @IdClass(VisitKey.class)
    @PartitionedBy(range = "visitedAt")
    static class Visit {
        @Id Long id;
        @Id @Column(name = "visited_at") Instant visitedAt;
        @Column(name = "site_id") Long siteId;
        @OneToMany(mappedBy = "visit")
        List<VisitEvent> events;
    }

    @Entity(name = "VisitEvent")
    @Table(name = "pr_visit_events")
    @PartitionedBy(range = "visitedAt")
    static class VisitEvent {
        @Id Long id;
        @Column(name = "visited_at", nullable = false) Instant visitedAt;
        @Column(name = "visit_id", nullable = false) Long visitId;
        String kind;
        @ManyToOne(fetch = FetchType.LAZY)
        @JoinColumns(value = {@JoinColumn(name = "visit_id", referencedColumnName = "id", insertable = false, updatable = false),
                @JoinColumn(name = "visited_at", referencedColumnName = "visited_at", insertable = false, updatable = false)},
                foreignKey = @ForeignKey(ConstraintMode.NO_CONSTRAINT))
        Visit visit;
        @ManyToOne(fetch = FetchType.LAZY)
        @JoinColumn(name = "page_view_id", foreignKey = @ForeignKey(ConstraintMode.NO_CONSTRAINT))
        PageView pageView;
    }

    /** The same events with an eager association to the first page view, by its id alone. */
    @Entity(name = "EventDigest")
    @Table(name = "pr_visit_events")
    @PartitionedBy(range = "visitedAt")
    static class EventDigest {
        @Id Long id;
        @Column(name = "visited_at", nullable = false) Instant visitedAt;
        @ManyToOne(fetch = FetchType.EAGER)
        @JoinColumn(name = "first_view_id", foreignKey = @ForeignKey(ConstraintMode.NO_CONSTRAINT))
        PageView firstView;
    }

    @Entity(name = "TenantSession")
    @Table(name = "pr_sessions")
    @PartitionedBy(hash = "tenantId")
    static class TenantSession {
        @Id Long id;
        @Column(name = "tenant_id", nullable = false) Long tenantId;
    }

    enum Source { AUTO, MANUAL }

    @Entity(name = "Item")
    @Table(name = "pr_items")
    @PartitionedBy(list = "sourceType")
    @NamedQuery(name = "Item.byTitle", query = "select i from Item i where i.title = :title")
    static class Item {
        @Id Long id;
        @Enumerated(EnumType.STRING) @Column(name = "source_type", nullable = false) Source sourceType;
        String title;
    }

    @Entity(name = "Claim")
    @Table(name = "pr_claims")
    @PartitionedBy(range = "serviceDate")
    @SubPartitionedBy(list = "region")
    static class Claim {
        @Id Long id;
        @Column(name = "service_date", nullable = false) LocalDate serviceDate;
        @Column(nullable = false) String region;
    }
}
