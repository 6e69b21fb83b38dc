package io.pgpartition.pruning.internal;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanJsonTest {

    @Test
    void readsObjectsArraysStringsAndWords() {
        Object value = PlanJson.parse(" [ {\"Plan\": {\"Node Type\": \"Seq Scan\", \"Plans\": [], \"Rows\": 12, \"Parallel Aware\": false,"
                + "\"Empty\": {}, \"Nothing\": null}} ] ");
        assertThat(value).as("an array of one object").isEqualTo(List.of(Map.of("Plan", new java.util.LinkedHashMap<>(Map.of(
                "Node Type", "Seq Scan", "Plans", List.of(), "Rows", "12", "Parallel Aware", "false", "Empty", Map.of())) {{
                    put("Nothing", null);
                }})));
    }

    @Test
    void keepsTheOrderOfMembers() {
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) PlanJson.parse("{\"b\": 1, \"a\": 2, \"c\": 3}");
        assertThat(object.keySet()).containsExactly("b", "a", "c");
    }

    @Test
    void resolvesEveryEscape() {
        assertThat(PlanJson.parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u0041\""))
                .isEqualTo("q\" b\\ s/ \b\f\n\r\t \u00e9A");
    }

    @Test
    void readsNestedArraysAndSeveralItems() {
        assertThat(PlanJson.parse("[[1, 2], [], [\"x\"]]")).isEqualTo(List.of(List.of("1", "2"), List.of(), List.of("x")));
        assertThat(PlanJson.parse("[null, true]")).isEqualTo(Arrays.asList(null, "true"));
    }

    @Test
    void refusesWhatIsNotJsonNamingWhere() {
        assertThatThrownBy(() -> PlanJson.parse("{\"a\": 1} x")).hasMessage("Cannot read the plan: text after the value at offset 9 of 10");
        assertThatThrownBy(() -> PlanJson.parse("")).hasMessage("Cannot read the plan: a value expected at offset 0 of 0");
        assertThatThrownBy(() -> PlanJson.parse("[1,")).hasMessage("Cannot read the plan: a value expected at offset 3 of 3");
        assertThatThrownBy(() -> PlanJson.parse("[,]")).hasMessage("Cannot read the plan: a value expected at offset 1 of 3");
        assertThatThrownBy(() -> PlanJson.parse("{a: 1}")).hasMessage("Cannot read the plan: a member name expected at offset 1 of 6");
        assertThatThrownBy(() -> PlanJson.parse("{\"a\" 1}")).hasMessage("Cannot read the plan: ':' expected at offset 5 of 7");
        assertThatThrownBy(() -> PlanJson.parse("{\"a\": 1")).hasMessage("Cannot read the plan: '}' expected at offset 7 of 7");
        assertThatThrownBy(() -> PlanJson.parse("[1{]")).as("a brace ends a word").hasMessage("Cannot read the plan: ']' expected at offset 2 of 4");
        assertThatThrownBy(() -> PlanJson.parse("[1 2]")).hasMessage("Cannot read the plan: ']' expected at offset 3 of 5");
        assertThatThrownBy(() -> PlanJson.parse("\"abc")).hasMessage("Cannot read the plan: unterminated string at offset 4 of 4");
        assertThatThrownBy(() -> PlanJson.parse("\"abc\\")).hasMessage("Cannot read the plan: unterminated string at offset 5 of 5");
        assertThatThrownBy(() -> PlanJson.parse("\"\\x\"")).hasMessage("Cannot read the plan: unknown escape \\x at offset 3 of 4");
        assertThatThrownBy(() -> PlanJson.parse("\"\\u12\"")).hasMessage("Cannot read the plan: four hex digits expected at offset 3 of 6");
        assertThatThrownBy(() -> PlanJson.parse("\"\\u12zz\"")).hasMessage("Cannot read the plan: four hex digits expected at offset 3 of 8");
        assertThatThrownBy(() -> PlanJson.parse("{\"a\":}")).hasMessage("Cannot read the plan: a value expected at offset 5 of 6");
        assertThatThrownBy(() -> PlanJson.parse("{\"a\":1,")).hasMessage("Cannot read the plan: a member name expected at offset 7 of 7");
        assertThatThrownBy(() -> PlanJson.parse("\"\\u0041")).hasMessage("Cannot read the plan: unterminated string at offset 7 of 7");
    }

    @Test
    void skipsEveryKindOfSpace() {
        assertThat(PlanJson.parse("\t\r\n [ \t\r\n1 \t\r\n, 2 ] \n")).isEqualTo(List.of("1", "2"));
        assertThat(PlanJson.parse("{ }")).isEqualTo(Map.of());
        assertThat(PlanJson.parse("[ ]")).isEqualTo(List.of());
        assertThat(PlanJson.parse("{\"a\" : 1 , \"b\" : 2 }")).isEqualTo(Map.of("a", "1", "b", "2"));
        assertThat(PlanJson.parse("true")).as("a word that ends the text").isEqualTo("true");
        assertThat(PlanJson.parse("null")).isNull();
    }
}
