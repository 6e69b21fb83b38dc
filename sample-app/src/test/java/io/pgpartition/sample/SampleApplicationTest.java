package io.pgpartition.sample;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole tour on a real PostgreSQL: each step did what it says. */
class SampleApplicationTest {

    static String month(YearMonth month) {
        return month.getYear() + "_" + String.format("%02d", month.getMonthValue());
    }

    @Test
    void everyStepOfTheTourHappens(@TempDir Path dir) throws Exception {
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        Path html = dir.resolve("report.html");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SampleApplication.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), html);
        String out = bytes.toString(StandardCharsets.UTF_8);

        // 1. schema generation and validation
        assertThat(out).containsPattern("   5 entities, their tables created partitioned with their first partitions \\(\\d+ in all\\), "
                + "and validated against the database: no problem.");
        // 2. the wrong mapping
        assertThat(out).contains("   Partition mapping validation found 2 problems:\n"
                + "     [MAPS_CHILD_PARTITION] AutoContent -> content_items_auto: the table is a partition of public.content_items_all; "
                + "found a partition, expected its partitioned parent table. Fix: map the parent table instead: "
                + "@Table(name = \"content_items_all\")\n"
                + "     [KEY_NULLABLE] LooseImpression -> event_impressions: key attribute 'createdAt' is optional in the mapping; "
                + "found nullable = true, expected nullable = false. Fix: @Column(name = \"created_at\", nullable = false) on "
                + "LooseImpression.createdAt\n");
        // 3. routing and the guards
        int quarter = (now.getMonthValue() - 1) / 3 + 1;
        assertThat(out).contains("   ContentItem 1 (source_type 'auto') -> content_items_auto\n",
                "   ContentItem 2 (source_type 'items') -> content_items\n",
                ") -> chat_messages_" + now.getYear() + "_q" + quarter + "\n",
                ") -> event_impressions_" + month(now) + "\n",
                "     No partition of table content_items_all accepts partition key value 'manual'; nearest partitions: "
                        + "content_items, content_items_auto. Create a partition for this value or run partition maintenance.\n",
                "     update event_impressions set event_id=? where id=? and created_at=?\n",
                "     delete from event_impressions where id=? and created_at=?\n",
                "     scans [event_impressions_" + month(now) + "]; by id alone it would scan all 3 partitions\n");
        assertThat(out).containsPattern("     Cannot update EventImpression with id 1: partition key attribute 'createdAt' would change "
                + "from \\S+ to \\S+\\. The partition key of a stored row never changes");
        // 4. the sentinel
        assertThat(out).containsPattern("   em.find\\(EventImpression.class, 2L\\) is refused before it runs:\n"
                + "     Unpruned statement: entity load of EventImpression can touch all 3 partitions of public.event_impressions "
                + "\\(partition key RANGE \\(created_at\\)\\), run at io.pgpartition.sample.SampleApplication.lambda\\$sentinel\\$\\d+"
                + "\\(SampleApplication.java:\\d+\\): select ei1_0.id,ei1_0.created_at,ei1_0.event_id from event_impressions ei1_0 "
                + "where ei1_0.id=\\?. Fix: load EventImpression with PartitionedFinder.find\\(em, EventImpression.class, id, "
                + "createdAt\\) instead of by its identifier alone. If reading every partition is meant, run it inside "
                + "FullScan.intended\\(...\\) or put the comment /\\* pgpartition:full-scan \\*/ in its SQL.\n");
        assertThat(out).contains("   PartitionedFinder.find(em, EventImpression.class, 2L, createdAt) reads one partition and finds event 9.\n");
        // 5. maintenance: archive, rescue
        for (int back = 6; back >= 4; back--) {
            assertThat(out).contains("   detach and archive into public_archive expired public.event_impressions_"
                    + month(now.minusMonths(back)) + " [");
        }
        YearMonth rescued = now.plusMonths(5);
        assertThat(out).contains("   create public.claim_line_items_y" + rescued.getYear() + "m" + String.format("%02d", rescued.getMonthValue())
                + " for [" + rescued.atDay(1) + ", " + rescued.plusMonths(1).atDay(1) + "), moving its rows out of "
                + "claim_line_items_default (1 rows moved)\n",
                "   Complete: 1 created, 3 archived into public_archive, a second run has nothing to do (0 actions planned).\n");
        // 6. conversion
        assertThat(out).contains("     copied 20000 of 20000 rows\n",
                "   public.generated_images: swapped; the original is kept as public.generated_images_old",
                "   A row now lands in its month: generated_images_" + month(now) + "\n");
        assertThat(out).containsPattern("     swapped the names; writers stalled \\d+ ms behind the swap's lock\n");
        assertThat(out).contains("   Cleaned up: the original table is dropped.\n");
        // 7. online reshape
        assertThat(out).containsPattern("   generated_images_\\d{4}_\\d{2}, generated_images_\\d{4}_\\d{2}, generated_images_\\d{4}_\\d{2} "
                + "merged while the table stays writable:\n");
        assertThat(out).containsPattern("     verified \\d+ rows in 1 partition: counts and checksums match\n");
        assertThat(out).containsPattern("     swapped the partitions; the table was locked \\d+ ms\n");
        assertThat(out).contains(" into public.generated_images_oldest — swapped; the replaced partitions are kept for a rollback "
                + "until cleanup\n", "   Cleaned up: the three months are dropped; an old row now lands in generated_images_oldest\n");
        // 8. the report, and the summary
        for (String table : List.of("chat_messages", "claim_line_items", "claims_production", "content_items_all",
                "event_impressions", "generated_images")) {
            assertThat(out).containsPattern("\n   public\\." + table + "  (RANGE|LIST) ");
            assertThat(Files.readString(html)).contains("\"name\":\"" + table + "\"");
        }
        assertThat(out).contains("   public.generated_images  RANGE (created_at)  ", "20,000 rows",
                "     public_archive.event_impressions_" + month(now.minusMonths(6)) + "  archived  from public.event_impressions",
                "   The same as one HTML page with a chart per table: " + html.toAbsolutePath() + "\n");
        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>").contains("pgpartition-report/1");
        assertThat(out).containsPattern("\nDone: 6 partitioned tables, \\d+ partitions, 23,005 rows; validated, guarded, "
                + "maintained, archived, converted, reshaped and reported.\n$");
        assertThat(out).doesNotContain("should not happen", "Exception in", "\tat ");
        assertThat(out.lines()).as("no log noise: every line is the tour's").allSatisfy(line ->
                assertThat(line).doesNotStartWith("INFO").doesNotStartWith("WARN").doesNotContain("HHH"));
    }
}
