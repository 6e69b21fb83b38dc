package io.pgpartition.internal.sql;

import io.pgpartition.model.TableName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DmlTargetsTest {

    /** Expected targets as {@code name} or {@code schema.name}, separated by {@code |}; empty for none. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
            "insert into content_items_auto (id) values (1) => content_items_auto",
            "INSERT INTO Content_Items_Auto VALUES (1) => content_items_auto",
            "insert into \"Content Items\" values (1) => Content Items",
            "insert into public.content_items_auto values (1) => public.content_items_auto",
            "insert into \"my schema\" . \"my\"\"table\" values (1) => my schema.my\"table",
            "update only claims_y2026 set x = 1 where id = 2 => claims_y2026",
            "delete from claims_y2026 where id = 1 => claims_y2026",
            "delete from only claims_y2026 => claims_y2026",
            "merge into claims_y2026 t using src s on s.id = t.id when matched then delete => claims_y2026",
            "copy claims_y2026 (id, amount) from stdin => claims_y2026",
            "copy claims_y2026 to stdout; => ",
            "copy (select * from claims_y2026) to stdout; => ",
            "copy (update claims_y2026 set amount = 1 returning id) to stdout => claims_y2026",
            "update a set x = 1 - => a",
            "update a set x = 1 / => a",
            "insert into a values (1) /* => a",
            "E'x'; insert into a values (1) => a",
            "select xE'\\' insert into shown values (1) --' => shown",
            "select $a1$ insert into hidden $a1$; insert into shown values (1) => shown",
            "select $1$ ; insert into shown values (1) => shown",
            "insert into U&\"a\\0062\" values (1) => ab",
            "insert into U&\"a!0062\" UESCAPE '!' => ab",
            "COPY (DELETE FROM claims_y2026 RETURNING *) TO STDOUT => claims_y2026",
            "copy (with x as (delete from claims_y2026 returning *) select * from x) to stdout => claims_y2026",
            "copy (insert into claims_y2026 values (1) returning id) to stdout => claims_y2026",
            "copy claims_y2026 (id) to stdout; delete from other => other",
            "select * from claims_y2026 where note = 'insert into x'; => ",
            "select * from claims_y2026 for update; => ",
            "select * from claims_y2026 for no key update; => ",
            "insert into claims (id) values (1) on conflict (id) do update set id = 2 => claims",
            "/* insert into hidden */ select 1; => ",
            "-- delete from hidden\\nselect 1; => ",
            "/* nested /* insert into hidden */ still comment */ update shown set a = 1 => shown",
            "select $$insert into hidden$$, $tag$ delete from hidden $tag$; => ",
            "select E'\\' insert into hidden'; => ",
            "with moved as (delete from claims_y2026 returning *) insert into claims select * from moved => claims_y2026|claims",
            "with recursive r as (select 1) update claims_y2026 set a = 1 => claims_y2026",
            "insert into a values (1); delete from b => a|b",
            "select copy_it(1); => ",
            "update claims_y2026 * set x = 1 => claims_y2026",
            "update only (claims_y2026) set x = 1 => claims_y2026",
            "delete from only ( public.claims_y2026 ) where id = 1 => public.claims_y2026",
            "delete from claims_y2026 * where id = 1 => claims_y2026",
            "insert into U&\"claims\\005fy2026\" values (1) => claims_y2026",
            "insert into U&\"claims!005fy2026\" UESCAPE '!' values (1) => claims_y2026",
            "insert into u&\"d\\0061t\\+000061\" values (1) => data",
            "select U&'insert into hidden'; insert into shown values (1) => shown",
            "select E'\\' insert into hidden'; insert into shown values (1) => shown",
            "select 'a\\'; insert into ambiguous values (1); --' => ambiguous",
            "merge into only claims_y2026 t using src s on true when matched then update set x = 1 => claims_y2026",
            "delete from => ",
            "insert into => ",
            "update => ",
            "copy x from => x",
            "copy x (a, (b)) from stdin => x",
            "copy x (a => ",
            "insert into \"unterminated => unterminated",
            "insert into a values ('it''s'); insert into b values ('') => a|b",
            "insert into a values ('unterminated => a",
            "insert into a values (1) -- trailing comment => a",
            "/* unterminated comment insert into hidden => ",
            "select 1 /**/; insert into shown values (1) => shown",
            "select $1, $2; insert into shown values ($1) => shown",
            "select $a$ unterminated insert into hidden => ",
            "select $_$ x $_$; insert into shown values (1) => shown",
            "select U& ; insert into shown values (1) => shown",
            "select e'\\'' ; insert into shown values (1) => shown",
            "select tie'x'; insert into shown values (1) => shown",
            "insert into U&\"\\+01F600x\" values (1) => \uD83D\uDE00x",
            "insert into U&\"a\\\\b\" values (1) => a\\b",
            "insert into U&\"a\\zzzzb\" values (1) => a\\zzzzb",
            "insert into U&\"a\\0\" values (1) => a\\0",
            "insert into U&\"a!0062\" UESCAPE => a!0062",
            "insert into U&\"a!0062\" UESCAPE '!' values (1) => ab",
            "insert into only_table values (1) => only_table",
            "select 'a\\'' ; insert into seen_with_backslash_escapes values (1); --' => seen_with_backslash_escapes",
            "insert into a values (1); select e => a",
            "insert into a values (1); select u& => a",
            "insert into a values (1); select u&x => a",
            "insert into a values (1 - 2) => a",
            "insert into a values (1 / 2) => a",
            "update only only_table set a = 1 => only_table",
            "delete from only => ",
            "select $$x$$/* insert into hidden */; => ",
            "insert into \"quoted_last\" => quoted_last",
            "copy x  (a) from stdin => x",
            "copy x /* c */ (a) from stdin => x",
            "copy x => ",
            "insert into a values (1); select $abc => a",
            "select 1$a$ insert into hidden $a$; insert into shown values (1) => shown",
            "insert into U&\"a!0062\" UESCAPE '! => a!0062",
            "insert into U&\"a\\\" values (1) => a\\",
            "insert into U&\"a\\+01\" values (1) => a\\+01",
            "select U&'\\'' insert into hidden'; => ",
            "delete from only (claims_y2026 => claims_y2026",
            "select 1 --'\\ninsert into shown values (1); --' => shown",
            "select 1; => "})
    void findsEveryWriteTargetAndNothingElse(String sql, String expected) {
        List<TableName> targets = expected == null || expected.isBlank() ? List.of()
                : Arrays.stream(expected.split("\\|")).map(DmlTargetsTest::name).toList();
        assertThat(DmlTargets.of(sql.replace("\\n", "\n"))).as(sql).isEqualTo(targets);
        assertThat(DmlTargets.writes(sql.replace("\\n", "\n")).targets()).as("writes(%s)", sql).isEqualTo(targets);
    }

    private static TableName name(String text) {
        int dot = text.indexOf('.');
        return dot < 0 ? TableName.of(text) : TableName.of(text.substring(0, dot), text.substring(dot + 1));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", value = {
            "update chat_messages set created_at=? where id=? => chat_messages: created_at",
            "update chat_messages cm1_0 set content=?,created_at=? where cm1_0.id=? => chat_messages: content|created_at",
            "UPDATE chat_messages AS m SET (content, \"Created At\") = (?, ?) => chat_messages: content|Created At",
            "update chat_messages set content = coalesce(content, 'a, created_at = b') , version = version + 1 where created_at = ? => chat_messages: content|version",
            "update chat_messages set content = (select max(x) from (select 1 as x) s), tokens = 2 from other where true => chat_messages: content|tokens",
            "with moved as (update a set k = 1 returning *) update b set j = 2 => a: k;b: j",
            "select * from chat_messages for update => ",
            "merge into chat_messages t using src s on s.id = t.id when matched then update set created_at = s.at => chat_messages: created_at",
            "MERGE INTO chat_messages t USING src s ON true WHEN MATCHED AND t.x > 1 THEN UPDATE SET content = 'a' WHEN MATCHED THEN DELETE => chat_messages: content",
            "insert into chat_messages (id, created_at) values (1, now()) on conflict (id) do update set created_at = excluded.created_at => chat_messages: created_at",
            "insert into chat_messages values (1) on conflict do nothing => ",
            "update chat_messages * set created_at = now() => chat_messages: created_at",
            "update only (chat_messages) set created_at = now() => chat_messages: created_at",
            "update chat_messages set flag = a is distinct from b, created_at = now() where id = 1 => chat_messages: flag|created_at",
            "update chat_messages set flag = a IS NOT DISTINCT FROM b , created_at = now() => chat_messages: flag|created_at",
            "update chat_messages set content = E'\\'', created_at = now() => chat_messages: content|created_at",
            "update chat_messages set content = U&'\\0027', created_at = now() => chat_messages: content|created_at",
            "update chat_messages set U&\"created\\005fat\" = now() => chat_messages: created_at",
            "update chat_messages set fromage = 1, created_at = now() => chat_messages: fromage|created_at",
            "update chat_messages set a = undistinct from other where x => chat_messages: a",
            "update chat_messages set a = 1 where created_at = now() => chat_messages: a",
            "update chat_messages set a = 1 returning created_at => chat_messages: a",
            "update chat_messages set a = (select 1 where true), created_at = now() => chat_messages: a|created_at",
            "update chat_messages m set a = 1 => chat_messages: a",
            "update chat_messages set a = 1 ; => chat_messages: a",
            "update chat_messages set (a, => chat_messages: a",
            "update chat_messages set (a b) = (1) => chat_messages: a",
            "update chat_messages set a = $q$ , created_at = $q$ , b = 1 => chat_messages: a|b",
            "update chat_messages set a = 'x''y, created_at = 1' , b = 1 => chat_messages: a|b",
            "update chat_messages set a = 1; update other set b = 2 => chat_messages: a;other: b",
            "update chat_messages set a = f(1)) , b = 2 => chat_messages: a",
            "update chat_messages set a = 1 where => chat_messages: a",
            "update chat_messages set a = 1 - 2, b = 3 / 4, c = 5 => chat_messages: a|b|c",
            "update chat_messages set a = 1 /* , x = 1 */, b = 2 -- , y = 2 => chat_messages: a|b",
            "update chat_messages set a = b is distinct  from c, created_at = now() => chat_messages: a|created_at",
            "update chat_messages set a = 1 , b = 2 => chat_messages: a|b",
            "update chat_messages set a = 1 where x = 1 returning id, created_at => chat_messages: a",
            "update chat_messages set a = 1 returning id, created_at => chat_messages: a",
            "update chat_messages set a = x_distinct from src s, other o where true => chat_messages: a",
            "update chat_messages set (a => chat_messages: a",
            "update chat_messages set (a, b) = (1, 2), created_at = now() => chat_messages: a|b|created_at",
            "update chat_messages set (a,b)=(1,2),c=3 => chat_messages: a|b|c",
            "update chat_messages set ( a , b ) = (1, 2), c = 3 => chat_messages: a|b|c",
            "update U&\"ch!0061t\" UESCAPE '!' set created_at = now() => chat: created_at",
            "update chat_messages set a = $$x$$from src s, other o where true => chat_messages: a",
            "update chat_messages set a = 'x'from src s, other o => chat_messages: a",
            "update chat_messages set a = b IS DISTINCT FROM c, d = 1 => chat_messages: a|d",
            "update chat_messages set a = b is distinct\tfrom c, d = 1 => chat_messages: a|d",
            "update chat_messages set a = 'x', b = 1 => chat_messages: a|b",
            "update chat_messages set a = U&'x', b = 1 => chat_messages: a|b",
            "update chat_messages set a = \"x\", b = 1 => chat_messages: a|b",
            "update chat_messages set a = $$x$$, b = 1 => chat_messages: a|b",
            "update chat_messages set a = 1 /* c */ => chat_messages: a",
            "copy (update chat_messages set created_at = now() returning id) to stdout => chat_messages: created_at"})
    void readsTheColumnsEachUpdateSets(String sql, String expected) {
        List<String> expectedText = expected == null || expected.isBlank() ? List.of() : List.of(expected.split(";"));
        assertThat(DmlTargets.assignments(sql.replace("\\\"", "\""))).extracting(a -> a.table().name() + ": " + String.join("|", a.columns()))
                .as(sql).isEqualTo(expectedText);
    }

    @Test
    void aWordAfterAnUpdateTargetThatIsNoAliasOfASetIsReadAgainAsAStatementWord() {
        assertThat(DmlTargets.writes("update a delete from c")).as("no SET after the word: it is read again, and the DELETE counts")
                .isEqualTo(new DmlTargets.Writes(List.of(TableName.of("a"), TableName.of("c")),
                        List.of(new DmlTargets.Assignment(TableName.of("a"), List.of()))));
    }

    @Test
    void aTextWithABackslashIsReadBothWaysAndEveryAssignmentOfEitherReadingCounts() {
        String sql = "update a set x = 'p\\'', k = 1 --'";
        assertThat(DmlTargets.writes(sql).assignments()).as("read without backslash escapes the string swallows k; read with them, not")
                .containsExactly(new DmlTargets.Assignment(TableName.of("a"), List.of("x")),
                        new DmlTargets.Assignment(TableName.of("a"), List.of("x", "k")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", value = {
            "insert into a values (1) => true",
            "UPDATE a SET x = 1 => true",
            "delete from a => true",
            "Merge into a => true",
            "copy a from stdin => true",
            "a copy => true",
            "select 1 => false",
            "select upd, del, mer, cop, ins => false",
            "cop => false"})
    void aFirstLookFindsEveryDataChangingKeywordAndNothingElse(String sql, boolean expected) {
        assertThat(DmlTargets.mayWrite(sql)).as(sql).isEqualTo(expected);
    }

    @Test
    void writesHoldsTargetsAndAssignmentsThatCannotBeChanged() {
        DmlTargets.Writes writes = DmlTargets.writes("with moved as (update a set k = 1 returning *) insert into b select * from moved");
        assertThat(writes.targets()).containsExactly(TableName.of("a"), TableName.of("b"));
        assertThat(writes.assignments()).containsExactly(new DmlTargets.Assignment(TableName.of("a"), List.of("k")));
        assertThatThrownBy(() -> writes.targets().add(TableName.of("c"))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> writes.assignments().get(0).columns().add("j")).isInstanceOf(UnsupportedOperationException.class);
    }
}
