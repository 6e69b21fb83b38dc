package io.pgpartition.internal.sql;

import io.pgpartition.model.TableName;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tables that SQL text writes to: the targets of {@code INSERT INTO}, {@code UPDATE}, {@code DELETE FROM},
 * {@code MERGE INTO} and {@code COPY ... FROM}, in every statement of the text and in every data-modifying
 * {@code WITH} query; and the columns that each UPDATE, {@code INSERT ... ON CONFLICT ... DO UPDATE} and
 * {@code MERGE ... WHEN MATCHED THEN UPDATE} sets. The text is read by {@link SqlLexer}, as PostgreSQL reads it. A
 * text holding a backslash is read twice, once with {@code standard_conforming_strings} on and once off, and what
 * either reading finds is reported.
 */
public final class DmlTargets {

    /** An UPDATE statement's target and the columns its SET clause assigns (names as PostgreSQL reads them). */
    public record Assignment(TableName table, List<String> columns) {

        public Assignment {
            columns = List.copyOf(columns);
        }
    }

    private final SqlLexer lexer;
    private final List<Assignment> assignments = new ArrayList<>();

    private DmlTargets(String sql, boolean backslashStrings) {
        this.lexer = new SqlLexer(sql, backslashStrings);
    }

    /** The write targets of the text; empty for reads and for text with no data-changing keyword at all. */
    public static List<TableName> of(String sql) {
        return writes(sql).targets();
    }

    /** The UPDATE statements of the text (data-modifying {@code WITH} queries included) with the columns each sets. */
    public static List<Assignment> assignments(String sql) {
        return writes(sql).assignments();
    }

    /** What a text writes: its targets (as {@link #of}) and its UPDATEs' assignments (as {@link #assignments}). */
    public record Writes(List<TableName> targets, List<Assignment> assignments) {

        public Writes {
            targets = List.copyOf(targets);
            assignments = List.copyOf(assignments);
        }
    }

    private static final Writes NOTHING = new Writes(List.of(), List.of());

    /** The targets and assignments of the text, read in one pass. */
    public static Writes writes(String sql) {
        if (sql == null || !mayWrite(sql)) {
            return NOTHING;
        }
        DmlTargets parser = new DmlTargets(sql, false);
        List<TableName> targets = new ArrayList<>();
        parser.scan(targets);
        List<Assignment> assignments = new ArrayList<>(parser.assignments);
        if (sql.contains("\\")) {
            DmlTargets other = new DmlTargets(sql, true);
            List<TableName> otherTargets = new ArrayList<>();
            other.scan(otherTargets);
            otherTargets.stream().filter(t -> !targets.contains(t)).forEach(targets::add);
            other.assignments.stream().filter(a -> !assignments.contains(a)).forEach(assignments::add);
        }
        return new Writes(targets, assignments);
    }

    /** A cheap first look: text without any data-changing keyword writes nothing. */
    static boolean mayWrite(String sql) {
        for (int i = 0; i + 4 <= sql.length(); i++) {
            char c = (char) (sql.charAt(i) | 0x20);
            if ((c == 'i' || c == 'u' || c == 'd' || c == 'm' || c == 'c')
                    && (sql.regionMatches(true, i, "insert", 0, 6) || sql.regionMatches(true, i, "update", 0, 6)
                    || sql.regionMatches(true, i, "delete", 0, 6) || sql.regionMatches(true, i, "merge", 0, 5)
                    || sql.regionMatches(true, i, "copy", 0, 4))) {
                return true;
            }
        }
        return false;
    }

    /** Reads words in order; after each data-changing keyword, reads its target. */
    private void scan(List<TableName> targets) {
        String previous = "";
        TableName inserted = null;
        TableName merged = null;
        while (true) {
            String word = lexer.nextWord();
            if (word == null) {
                return;
            }
            switch (word) {
                case "insert" -> {
                    if (lexer.keyword("into")) {
                        inserted = lexer.name().orElse(null);
                        if (inserted != null) {
                            targets.add(inserted);
                        }
                    }
                }
                case "merge" -> {
                    if (lexer.keyword("into")) {
                        lexer.keyword("only");
                        merged = lexer.name().orElse(null);
                        if (merged != null) {
                            targets.add(merged);
                        }
                    }
                }
                case "update" -> {
                    if (previous.equals("do") && inserted != null) {
                        assignments.add(new Assignment(inserted, setColumns())); // INSERT ... ON CONFLICT ... DO UPDATE
                    } else if (previous.equals("then") && merged != null) {
                        assignments.add(new Assignment(merged, setColumns())); // MERGE ... WHEN MATCHED THEN UPDATE
                    } else if (!previous.equals("do") && !previous.equals("for") && !previous.equals("key")
                            && !previous.equals("then")) {
                        Optional<TableName> table = relation();
                        table.ifPresent(targets::add);
                        if (table.isPresent()) {
                            assignments.add(new Assignment(table.get(), setColumns()));
                        }
                    }
                }
                case "delete" -> {
                    if (lexer.keyword("from")) {
                        relation().ifPresent(targets::add);
                    }
                }
                case "copy" -> {
                    // COPY (query) TO ...: no name, and only whitespace and comments were read; the query is read on as
                    // any statement, a data-modifying one too
                    Optional<TableName> table = lexer.name();
                    if (table.isPresent()) {
                        lexer.skipParenthesized();
                        if (lexer.keyword("from")) {
                            targets.add(table.get());
                        }
                    }
                }
                default -> {
                }
            }
            previous = word;
        }
    }

    /** A table to update or delete from: {@code name}, {@code name *}, {@code ONLY name} or {@code ONLY (name)}. */
    private Optional<TableName> relation() {
        boolean only = lexer.keyword("only");
        lexer.skipTriviaAll();
        boolean parenthesized = only && lexer.accept('(');
        Optional<TableName> table = lexer.name();
        lexer.skipTriviaAll();
        if (parenthesized) {
            lexer.accept(')');
        } else if (!only) {
            lexer.accept('*');
        }
        return table;
    }

    /**
     * After an UPDATE target: skips an alias, then reads the SET list's target columns up to WHERE, FROM, RETURNING
     * or the end of the statement: {@code a = ..., (b, c) = (...)}; expressions are skipped with their parentheses,
     * literals and comments.
     */
    private List<String> setColumns() {
        List<String> columns = new ArrayList<>();
        if (setClause()) {
            readSetList(columns);
        }
        return columns;
    }

    /** Moves past {@code [AS] [alias] SET} and says so; leaves the cursor where it was when no SET follows. */
    private boolean setClause() {
        lexer.keyword("as");
        if (lexer.keyword("set")) {
            return true;
        }
        int saved = lexer.position();
        lexer.skipTriviaAll();
        if (lexer.identifier() != null && lexer.keyword("set")) {
            return true;
        }
        lexer.reset(saved);
        return false;
    }

    /** Reads the SET list's target columns into {@code columns}, up to the clause that ends it. */
    private void readSetList(List<String> columns) {
        boolean expectTarget = true;
        int depth = 0;
        while (!lexer.atEnd()) {
            if (lexer.skipTrivia()) {
                continue;
            }
            char c = lexer.peek();
            if (expectTarget) {
                if (c == '(') {
                    lexer.advance();
                    targetList(columns);
                } else {
                    String column = lexer.identifier();
                    if (column != null) {
                        columns.add(column);
                    }
                }
                expectTarget = false;
                continue;
            }
            int before = lexer.position();
            lexer.skipLiteral();
            if (lexer.position() != before) {
                continue;
            }
            if (c == '(') {
                depth++;
                lexer.advance();
            } else if (c == ')') {
                if (depth == 0) {
                    return;
                }
                depth--;
                lexer.advance();
            } else if (c == ';') {
                return;
            } else if (c == ',' && depth == 0) {
                expectTarget = true;
                lexer.advance();
            } else if (depth == 0 && (lexer.keywordAhead("where") || lexer.keywordAhead("returning")
                    || lexer.keywordAhead("from") && !lexer.afterDistinct())) {
                return;
            } else if (SqlLexer.isIdentifierPart(c)) {
                lexer.skipWord();
            } else {
                lexer.advance();
            }
        }
    }

    /**
     * Reads a parenthesized list of target columns, {@code a, b)}, after its opening parenthesis, through its closing
     * one, so that the SET list goes on after it: {@code (a, b) = (1, 2), c = 3}.
     */
    private void targetList(List<String> columns) {
        while (true) {
            lexer.skipTriviaAll();
            String column = lexer.identifier();
            if (column == null) {
                return;
            }
            columns.add(column);
            lexer.skipTriviaAll();
            if (!lexer.accept(',')) {
                lexer.accept(')');
                return;
            }
        }
    }
}
