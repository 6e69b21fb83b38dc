package io.pgpartition.conversion;

import io.pgpartition.conversion.internal.ConversionPlanner;
import io.pgpartition.conversion.internal.Definitions;
import io.pgpartition.conversion.internal.Names;
import io.pgpartition.model.ColumnType;
import io.pgpartition.model.TableName;
import io.pgpartition.model.ValueKind;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The text a conversion derives: names within PostgreSQL's limit, index and trigger definitions for another table. */
class ConversionTextTest {

    @Test
    void derivedNamesAreTheNameAndSuffixOrACutNameWithAHash() {
        assertThat(Names.derived("events", "_old")).isEqualTo("events_old");
        String long60 = "e".repeat(60);
        String cut = Names.derived(long60, "_partitioned");
        assertThat(cut).hasSize(63).endsWith("_partitioned").startsWith("e".repeat(42) + "_")
                .isEqualTo("e".repeat(42) + String.format("_%08x", long60.hashCode()) + "_partitioned");
        assertThat(Names.derived("f".repeat(60), "_partitioned")).as("two long names never derive the same").isNotEqualTo(cut);
        assertThat(Names.derived("e".repeat(59), "_old")).as("exactly 63 bytes is kept whole").isEqualTo("e".repeat(59) + "_old");
        String accents = "é".repeat(30);
        String cutAccents = Names.derived(accents, "_old");
        assertThat(cutAccents.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(63);
        assertThat(cutAccents).as("cut on a character boundary").startsWith("é".repeat(25) + "_").endsWith("_old");
    }

    @Test
    void indexDefinitionsAreRewrittenForTheTwinWhateverTheirNames() {
        TableName twin = TableName.of("public", "events_partitioned");
        assertThat(Definitions.rewriteIndex("CREATE INDEX events_at ON public.events USING btree (at)", "events_at_pgp", twin))
                .contains("CREATE INDEX \"events_at_pgp\" ON \"public\".\"events_partitioned\" USING btree (at)");
        assertThat(Definitions.rewriteIndex("CREATE UNIQUE INDEX \"odd \"\"name\" ON \"my schema\".\"Ev ents\" USING btree (\"Id\") "
                + "WHERE (note IS NOT NULL)", "x", twin)).contains("CREATE UNIQUE INDEX \"x\" ON \"public\".\"events_partitioned\" USING "
                + "btree (\"Id\") WHERE (note IS NOT NULL)");
        assertThat(Definitions.rewriteIndex("CREATE INDEX i ON ONLY events USING btree (at)", "j", twin))
                .contains("CREATE INDEX \"j\" ON \"public\".\"events_partitioned\" USING btree (at)");
        assertThat(Definitions.rewriteIndex("not an index", "j", twin)).isEqualTo(Optional.empty());
        assertThat(Definitions.addKeyToIndex("CREATE UNIQUE INDEX \"u\" ON \"public\".\"t\" USING btree (lower((a)::text), b) "
                + "INCLUDE (c)", "at")).isEqualTo("CREATE UNIQUE INDEX \"u\" ON \"public\".\"t\" USING btree (lower((a)::text), b, \"at\") "
                + "INCLUDE (c)");
    }

    @Test
    void triggerDefinitionsAreRetargeted() {
        TableName table = TableName.of("public", "events");
        assertThat(Definitions.retarget("CREATE TRIGGER touch BEFORE UPDATE ON public.events_partitioned FOR EACH ROW EXECUTE "
                + "FUNCTION touch()", table)).isEqualTo("CREATE TRIGGER touch BEFORE UPDATE ON \"public\".\"events\" FOR EACH ROW "
                + "EXECUTE FUNCTION touch()");
        assertThat(Definitions.retarget("CREATE TRIGGER \"on\" AFTER INSERT ON \"my schema\".\"Odd \"\"t\"\"\" FOR EACH STATEMENT "
                + "EXECUTE FUNCTION f()", table)).isEqualTo("CREATE TRIGGER \"on\" AFTER INSERT ON \"public\".\"events\" FOR EACH "
                + "STATEMENT EXECUTE FUNCTION f()");
    }

    @Test
    void aTriggerOrRuleWhoseNameHoldsTheKeywordIsRetargetedAtItsTable() {
        TableName table = TableName.of("public", "events");
        assertThat(Definitions.retarget("CREATE TRIGGER \"x ON y z\" AFTER INSERT ON public.events_partitioned FOR EACH ROW EXECUTE "
                + "FUNCTION f()", table)).isEqualTo("CREATE TRIGGER \"x ON y z\" AFTER INSERT ON \"public\".\"events\" FOR EACH ROW "
                + "EXECUTE FUNCTION f()");
        assertThat(Definitions.retarget("CREATE CONSTRAINT TRIGGER c AFTER INSERT ON public.events_partitioned DEFERRABLE FOR EACH ROW "
                + "EXECUTE FUNCTION f()", table)).isEqualTo("CREATE CONSTRAINT TRIGGER c AFTER INSERT ON \"public\".\"events\" "
                + "DEFERRABLE FOR EACH ROW EXECUTE FUNCTION f()");
        assertThat(Definitions.retargetRule("CREATE RULE \"soft TO x delete\" AS\n    ON DELETE TO public.events_old DO INSTEAD  UPDATE "
                + "public.events SET deleted = true\n  WHERE (events.id = old.id);", table)).isEqualTo("CREATE RULE \"soft TO x delete\" "
                + "AS\n    ON DELETE TO \"public\".\"events\" DO INSTEAD  UPDATE public.events SET deleted = true\n  WHERE (events.id = old.id)");
    }

    @Test
    void constraintsGainTheKeyAndKeepEverythingElse() {
        assertThat(Definitions.addKeyToConstraint("PRIMARY KEY (id) DEFERRABLE INITIALLY DEFERRED", "at"))
                .isEqualTo("PRIMARY KEY (id, \"at\") DEFERRABLE INITIALLY DEFERRED");
        assertThat(Definitions.addKeyToConstraint("UNIQUE NULLS NOT DISTINCT (\"a(b\", c) INCLUDE (d) WITH (fillfactor='70')", "at"))
                .isEqualTo("UNIQUE NULLS NOT DISTINCT (\"a(b\", c, \"at\") INCLUDE (d) WITH (fillfactor='70')");
        assertThat(Definitions.rewriteStatistics("CREATE STATISTICS public.s1 (ndistinct) ON a, b FROM public.events",
                TableName.of("public", "s1_pgp"), TableName.of("public", "events_partitioned")))
                .contains("CREATE STATISTICS \"public\".\"s1_pgp\" (ndistinct) ON a, b FROM \"public\".\"events_partitioned\"");
        assertThat(Definitions.rewriteStatistics("not statistics", TableName.of("s"), TableName.of("t"))).isEmpty();
        assertThat(Definitions.repointed("FOREIGN KEY (claim_id, at) REFERENCES public.claims_old(id, at)", TableName.of("public",
                "claims"))).isEqualTo("FOREIGN KEY (claim_id, at) REFERENCES \"public\".\"claims\"(id, at) NOT VALID");
    }

    @Test
    void anIntervalIsProposedFromTheKeysPresent() {
        ColumnType timestamp = ColumnType.of("timestamp without time zone", ValueKind.TIMESTAMP);
        assertThat(ConversionPlanner.proposeInterval(timestamp, "2024-01-01 00:00:00", "2024-03-30 00:00:00")).contains("1 day");
        assertThat(ConversionPlanner.proposeInterval(timestamp, "2024-01-01 00:00:00", "2024-05-01 00:00:00")).contains("1 week");
        assertThat(ConversionPlanner.proposeInterval(timestamp, "2020-01-01 00:00:00", "2026-01-01 00:00:00")).contains("1 month");
        assertThat(ConversionPlanner.proposeInterval(timestamp, "1990-01-01 00:00:00", "2026-01-01 00:00:00")).contains("1 year");
        assertThat(ConversionPlanner.proposeInterval(ColumnType.of("date", ValueKind.DATE), null, null)).contains("1 month");
        ColumnType integer = ColumnType.of("bigint", ValueKind.INTEGER);
        assertThat(ConversionPlanner.proposeInterval(integer, "37", "74000")).contains("2000");
        assertThat(ConversionPlanner.proposeInterval(integer, "1", "30")).contains("1");
        assertThat(ConversionPlanner.proposeInterval(integer, "0", "20000000")).contains("500000");
        assertThat(ConversionPlanner.proposeInterval(ColumnType.of("text", ValueKind.TEXT), "a", "z")).isEmpty();
    }
}
