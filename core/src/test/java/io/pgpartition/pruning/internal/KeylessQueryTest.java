package io.pgpartition.pruning.internal;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A query is reported only where its text says for certain that it has no key condition. */
class KeylessQueryTest {

    private static final Set<String> TARGETS = Set.of("PageView", "pr_page_views");
    private static final Set<String> KEYS = Set.of("visitedAt", "visited_at");

    private static Optional<String> target(String text) {
        return KeylessQuery.target(text, TARGETS, KEYS);
    }

    @Test
    void oneTableAndNoKeyAnywhereIsCertain() {
        assertThat(target("select v from PageView v where v.siteId = :site")).contains("pageview");
        assertThat(target("from PageView where siteId = ?1")).contains("pageview");
        assertThat(target("select count(*) from PageView")).contains("pageview");
        assertThat(target("delete from PageView v where v.siteId = :s")).contains("pageview");
        assertThat(target("delete PageView v where v.siteId = :s")).contains("pageview");
        assertThat(target("update PageView v set v.siteId = :s where v.siteId = :old")).contains("pageview");
        assertThat(target("update PageView set siteId = 1")).contains("pageview");
        assertThat(target("SELECT id FROM public.pr_page_views WHERE member_id = ? ORDER BY id LIMIT 10")).contains("public.pr_page_views");
        assertThat(target("select v from PageView as v where v.siteId = 1 group by v.id having count(*) > 1")).contains("pageview");
        assertThat(target("SELECT * FROM pr_page_views FOR UPDATE")).contains("pr_page_views");
        assertThat(target("INSERT INTO archive SELECT * FROM pr_page_views WHERE site_id = 3")).as("the SELECT reads every partition")
                .contains("pr_page_views");
        assertThat(target("DELETE FROM pr_page_views WHERE site_id = 3 RETURNING id")).contains("pr_page_views");
        assertThat(target("select v from PageView v offset 10 fetch first 5 rows only")).contains("pageview");
        assertThat(target("SELECT id FROM \"pr_page_views\"WHERE site_id = 1")).as("WHERE right after a quoted name").contains("pr_page_views");
        assertThat(target("UPDATE \"pr_page_views\"SET site_id = 1 WHERE site_id = 2")).as("SET right after a quoted name")
                .contains("pr_page_views");
    }

    @Test
    void aKeyNamedAnywhereOrAnotherRelationLeavesItOpen() {
        for (String text : new String[]{
                "select v from PageView v where v.visitedAt > :from",
                "select v from PageView v where v.siteId = 1 order by v.visitedAt",
                "SELECT id FROM pr_page_views WHERE VISITED_AT >= now()",
                "select v from PageView v join v.member m where m.name = :n",
                "select v from PageView v, Member m where v.member = m",
                "select v from PageView v where v.id in (select e.id from Other e)",
                "select v from PageView v where exists (select 1 from Other o)",
                "select v from PageView v union select w from PageView w",
                "with x as (select 1) select * from pr_page_views",
                "select v from Member v where v.name = 'x'",
                "INSERT INTO pr_page_views VALUES (1, now(), 2, 3)",
                "SELECT 1",
                "SET x = 1",
                "select v from PageView v natural join Other o",
                "DELETE FROM pr_page_views USING other WHERE other.id = pr_page_views.id",
                "select v from PageView v cross join Other o",
                "SELECT * FROM pr_page_views, LATERAL (SELECT 1) x",
                "select from where",
                "select v from (select w from PageView w) v",
                "select * from pr_page_views; delete from pr_page_views",
                "EXPLAIN SELECT * FROM pr_page_views",
                "SELECT (SELECT 1), id FROM pr_page_views",
                "from PageView v where v.id in (from Member)"}) {
            assertThat(target(text)).as(text).isEmpty();
        }
    }

    @Test
    void literalsAndCommentsAreNotWords() {
        assertThat(target("select v from PageView v where v.siteId = 1 and v.note = 'visitedAt join'"))
                .as("words inside a literal are no key and no join").contains("pageview");
        assertThat(target("select v from PageView v /* visitedAt */ where v.siteId = 1")).contains("pageview");
        assertThat(target("SELECT id FROM \"pr_page_views\" WHERE site_id = 1")).contains("pr_page_views");
    }
}
