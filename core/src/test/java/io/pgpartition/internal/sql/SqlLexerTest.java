package io.pgpartition.internal.sql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlLexerTest {

    private static String literal(String sql, boolean backslashStrings) {
        return new SqlLexer(sql, backslashStrings).stringLiteral();
    }

    @Test
    void readsTheValueOfAStringLiteralAsPostgresqlDoes() {
        assertThat(literal("'it''s'", false)).as("a doubled quote is one quote").isEqualTo("it's");
        assertThat(literal("E'a\\'b\\\\c'", false)).as("E'' takes a backslash's next character as it is").isEqualTo("a'b\\c");
        assertThat(literal("e'x'", false)).as("the prefix in lower case").isEqualTo("x");
        assertThat(literal("'a\\'", false)).as("standard_conforming_strings on: the backslash is a character").isEqualTo("a\\");
        assertThat(literal("'a\\'b'", true)).as("standard_conforming_strings off: the backslash escapes").isEqualTo("a'b");
        assertThat(literal("''", false)).as("the empty string").isEmpty();
    }

    @Test
    void readsNoLiteralWhereNoneStartsAndLeavesTheCursorWhereItWas() {
        assertThat(literal("", false)).as("at the end").isNull();
        assertThat(literal("E", false)).as("an E alone").isNull();
        assertThat(literal("Ex'", false)).as("an E that starts a word").isNull();
        assertThat(literal("x", false)).as("a word").isNull();
        SqlLexer afterWord = new SqlLexer("xE'a'", false);
        afterWord.reset(1);
        assertThat(afterWord.stringLiteral()).as("an E ending a word starts no E'' literal").isNull();
        assertThat(afterWord.position()).as("the cursor is not moved").isEqualTo(1);
    }

    @Test
    void leavesTheCursorJustAfterTheLiteral() {
        SqlLexer lexer = new SqlLexer("'a''b' , E'c' rest", false);
        assertThat(lexer.stringLiteral()).isEqualTo("a'b");
        assertThat(lexer.position()).as("after the closing quote").isEqualTo(6);
        lexer.skipTriviaAll();
        assertThat(lexer.accept(',')).isTrue();
        lexer.skipTriviaAll();
        assertThat(lexer.stringLiteral()).isEqualTo("c");
        assertThat(lexer.textFrom(0)).as("the text read so far").isEqualTo("'a''b' , E'c'");
        assertThat(lexer.startsWith(" rest")).as("what follows").isTrue();
    }

    @Test
    void refusesALiteralTheTextEndsIn() {
        assertThatThrownBy(() -> literal("'open", false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unterminated quoted value");
        assertThatThrownBy(() -> literal("E'a\\", false)).as("a backslash at the very end escapes nothing")
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unterminated quoted value");
        assertThatThrownBy(() -> literal("'it''", false)).as("a doubled quote at the end does not close it")
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unterminated quoted value");
    }

    @Test
    void cutsTheRestOfTheTextAtSeparatorsOutsideParenthesesLiteralsAndQuotedNames() {
        assertThat(new SqlLexer("a, f(b, c), 'd,e', \"f,g\", /* h, */ i", false).splitTopLevel(','))
                .containsExactly("a", "f(b, c)", "'d,e'", "\"f,g\"", "/* h, */ i");
        assertThat(new SqlLexer("single", false).splitTopLevel(',')).as("no separator: one piece").containsExactly("single");
    }

    private static int afterLiteral(String sql, int at) {
        SqlLexer lexer = new SqlLexer(sql, false);
        lexer.reset(at);
        lexer.skipLiteral();
        return lexer.position();
    }

    @Test
    void aPrefixedLiteralStartsOnlyWhereAWordStarts() {
        assertThat(afterLiteral("E'a' x", 0)).as("E'' at the start of the text").isEqualTo(4);
        assertThat(afterLiteral("xE'a'", 1)).as("an E ending a word is part of the word").isEqualTo(1);
        assertThat(afterLiteral("(E'a')", 1)).as("E'' after a parenthesis").isEqualTo(5);
        assertThat(afterLiteral("e'a\\'b' x", 0)).as("e'' in lower case, its backslash escaping the quote").isEqualTo(7);
        assertThat(afterLiteral("B'101'", 0)).as("a bit string's B is no E").isEqualTo(0);
        assertThat(afterLiteral("U&'a' x", 0)).as("U&'' at the start of the text").isEqualTo(5);
        assertThat(afterLiteral("U&\"a\" x", 0)).as("U&\"\" at the start of the text").isEqualTo(5);
        assertThat(afterLiteral("xU&'a'", 1)).as("a U ending a word is part of the word").isEqualTo(1);
        assertThat(afterLiteral("(U&'a')", 1)).as("U&'' after a parenthesis").isEqualTo(6);
    }

    @Test
    void aCommentTheTextEndsInIsSkippedToTheEnd() {
        SqlLexer open = new SqlLexer("/* open", false);
        assertThat(open.skipTrivia()).isTrue();
        assertThat(open.position()).as("at the end, not past it").isEqualTo(7);
        SqlLexer nested = new SqlLexer("/* a /* b */ c */x", false);
        assertThat(nested.skipTrivia()).isTrue();
        assertThat(nested.position()).as("nested comments end with the outer one").isEqualTo(17);
    }
}
