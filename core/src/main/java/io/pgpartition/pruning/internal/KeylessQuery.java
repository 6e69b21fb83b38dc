package io.pgpartition.pruning.internal;

import io.pgpartition.internal.sql.SqlLexer;
import io.pgpartition.model.TableName;

import java.util.Optional;
import java.util.Set;

/**
 * Tells, from the text of a query alone, that it reads a partitioned table with no condition on the partition key,
 * where that is certain: one statement on one table (no join, no second table, no subquery, no set operation) whose
 * text names no key anywhere. Anything the text leaves open (a join that could carry the key over, a subquery, a
 * function of an alias) is not reported, so that a report is never a false alarm. Reads JPQL/HQL and SQL alike.
 */
public final class KeylessQuery {

    /** Words that bring in another table or a second query. */
    private static final Set<String> ANOTHER_RELATION = Set.of("join", "union", "intersect", "except", "using", "with", "lateral");

    private KeylessQuery() {
    }

    /**
     * The table or entity the query reads with no condition on {@code keys}, if that is certain.
     *
     * @param text    the query
     * @param targets the names it could read the partitioned table by (entity names, table names), compared without case
     * @param keys    the names of the key (attributes and columns), compared without case
     */
    public static Optional<String> target(String text, Set<String> targets, Set<String> keys) {
        if (!StatementShape.explainable(text) && !startsWithFrom(text)) {
            return Optional.empty();
        }
        SqlLexer lexer = new SqlLexer(text, false);
        String target = null;
        int selects = 0;
        boolean first = true;
        for (String word = lexer.nextWord(); word != null; word = lexer.nextWord(), first = false) {
            if (containsIgnoringCase(keys, word) || ANOTHER_RELATION.contains(word)) {
                return Optional.empty();
            }
            if (word.equals("select")) {
                selects++;
            }
            // UPDATE and DELETE name their table as the statement's first word (FOR UPDATE names none)
            boolean names = word.equals("from") || first && (word.equals("update") || word.equals("delete") && !fromFollows(lexer));
            if (!names) {
                continue;
            }
            // a second table (a subquery's FROM among them) or a scalar subquery before the FROM leaves it open
            if (target != null || selects > 1) {
                return Optional.empty();
            }
            Optional<TableName> name = lexer.name();
            if (name.isEmpty()) {
                return Optional.empty();
            }
            String rest = text.substring(lexer.position());
            int end = clauseEnd(rest);
            String between = rest.substring(0, end);
            if (word.equals("update")) {
                int set = indexOfWord(between, "set");
                between = set < 0 ? between : between.substring(0, set);
            }
            if (!aliasOnly(between)) {
                return Optional.empty();
            }
            TableName table = name.get();
            if (!containsIgnoringCase(targets, table.name()) && !containsIgnoringCase(targets, table.toString())) {
                return Optional.empty();
            }
            target = table.toString();
        }
        return Optional.ofNullable(target);
    }

    /** Whether the text between the target and its WHERE holds at most an alias (after AS), with comments. */
    private static boolean aliasOnly(String between) {
        SqlLexer lexer = new SqlLexer(between, false);
        lexer.keyword("as");
        lexer.skipTriviaAll();
        lexer.identifier();
        lexer.skipTriviaAll();
        return lexer.atEnd();
    }

    private static boolean containsIgnoringCase(Set<String> names, String word) {
        for (String name : names) {
            if (name.equalsIgnoreCase(word)) {
                return true;
            }
        }
        return false;
    }

    /** HQL may begin with FROM ({@code from Visit v where ...}). */
    private static boolean startsWithFrom(String text) {
        SqlLexer lexer = new SqlLexer(text, false);
        return "from".equals(lexer.nextWord());
    }

    /** Where the clause after the target ends: at WHERE, ORDER, GROUP, LIMIT, OFFSET, RETURNING, FETCH or the end. */
    private static int clauseEnd(String rest) {
        int end = rest.length();
        for (String word : new String[]{"where", "order", "group", "limit", "offset", "returning", "fetch", "for", "having"}) {
            int at = indexOfWord(rest, word);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        return end;
    }

    /** Where {@code word} stands as a word in {@code text} (outside literals and comments), or -1. */
    private static int indexOfWord(String text, String word) {
        SqlLexer lexer = new SqlLexer(text, false);
        for (String next = lexer.nextWord(); next != null; next = lexer.nextWord()) {
            if (next.equals(word)) {
                return lexer.position() - word.length();
            }
        }
        return -1;
    }

    /** Whether FROM is the next word (HQL's {@code delete Visit v} has none); the cursor stays. */
    private static boolean fromFollows(SqlLexer lexer) {
        int saved = lexer.position();
        boolean from = lexer.keyword("from");
        lexer.reset(saved);
        return from;
    }
}
