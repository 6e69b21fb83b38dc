package io.pgpartition.conversion.internal;

import io.pgpartition.catalog.internal.TableFacts;
import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.TableName;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Rewrites of the definitions PostgreSQL prints (indexes, constraints, triggers, rules, statistics) for another table or name. */
public final class Definitions {

    private Definitions() {
    }

    private static final String NAME = "(?:\"(?:[^\"]|\"\")+\"|[^\\s.\"(]+)";
    private static final Pattern INDEX_DEF = Pattern.compile("^(CREATE (?:UNIQUE )?INDEX )" + NAME + " ON (?:ONLY )?(?:" + NAME
            + "\\.)?" + NAME + " (USING .*)$", Pattern.DOTALL);
    private static final Pattern REFERENCES = Pattern.compile("REFERENCES (?:" + NAME + "\\.)?" + NAME + "\\(");
    private static final Pattern TRIGGER_NAME = Pattern.compile("^CREATE (?:CONSTRAINT )?TRIGGER " + NAME + " ");
    private static final Pattern TRIGGER_TABLE = Pattern.compile(" ON (?:" + NAME + "\\.)?" + NAME + " ");
    private static final Pattern RULE_NAME = Pattern.compile("^CREATE RULE " + NAME + " AS\\s");
    private static final Pattern RULE_TABLE = Pattern.compile(" TO (?:" + NAME + "\\.)?" + NAME + " ");
    private static final Pattern STATISTICS_DEF = Pattern.compile("^CREATE STATISTICS (?:" + NAME + "\\.)?" + NAME
            + "( .* FROM )(?:" + NAME + "\\.)?" + NAME + "$", Pattern.DOTALL);

    /** An index definition for another index name on another table; empty when the text is not understood. */
    public static Optional<String> rewriteIndex(String definition, String indexName, TableName table) {
        Matcher m = INDEX_DEF.matcher(definition);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(m.group(1) + Sql.identifier(indexName) + " ON " + Sql.table(table) + " " + m.group(2));
    }

    /** A unique index definition with the key column added to its key columns (after the first parenthesised list). */
    public static String addKeyToIndex(String definition, String key) {
        return addToFirstList(definition, definition.indexOf(" USING "), key);
    }

    /**
     * A primary key or unique constraint definition ({@code UNIQUE NULLS NOT DISTINCT (a) INCLUDE (b) DEFERRABLE}) with
     * the key column added to its columns, everything else kept.
     */
    public static String addKeyToConstraint(String definition, String key) {
        return addToFirstList(definition, 0, key);
    }

    private static String addToFirstList(String definition, int from, String key) {
        int open = definition.indexOf('(', Math.max(from, 0));
        int depth = 0;
        boolean quoted = false;
        for (int i = open; i >= 0 && i < definition.length(); i++) {
            char c = definition.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '(') {
                depth++;
            } else if (!quoted && c == ')' && --depth == 0) {
                return definition.substring(0, i) + ", " + Sql.identifier(key) + definition.substring(i);
            }
        }
        return definition;
    }

    /** A trigger definition for another table (the first {@code ON table} after the trigger's name). */
    public static String retarget(String definition, TableName table) {
        return replaceAfter(TRIGGER_NAME, TRIGGER_TABLE, definition, " ON " + Sql.table(table) + " ");
    }

    /** A rule definition ({@code CREATE RULE r AS ON DELETE TO t DO ...}) for another table; its actions are kept as written. */
    public static String retargetRule(String definition, TableName table) {
        return stripSemicolon(replaceAfter(RULE_NAME, RULE_TABLE, definition, " TO " + Sql.table(table) + " "));
    }

    /** The first match of {@code target} after the match of {@code prefix} (a name that may hold the same words), replaced. */
    private static String replaceAfter(Pattern prefix, Pattern target, String definition, String replacement) {
        Matcher head = prefix.matcher(definition);
        int from = head.find() ? head.end() - 1 : 0;
        Matcher m = target.matcher(definition);
        return m.find(from) ? definition.substring(0, m.start()) + replacement + definition.substring(m.end()) : definition;
    }

    /** A statistics object definition under another name on another table; empty when the text is not understood. */
    public static Optional<String> rewriteStatistics(String definition, TableName name, TableName table) {
        Matcher m = STATISTICS_DEF.matcher(definition);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of("CREATE STATISTICS " + Sql.table(name) + m.group(1) + Sql.table(table));
    }

    /** A foreign key definition referencing {@code table} instead, added NOT VALID (validated after the swap commits). */
    public static String repointed(String definition, TableName table) {
        Matcher m = REFERENCES.matcher(definition);
        String pointed = m.find() ? definition.substring(0, m.start()) + "REFERENCES " + Sql.table(table) + "("
                + definition.substring(m.end()) : definition;
        return pointed.endsWith(" NOT VALID") ? pointed : pointed + " NOT VALID";
    }

    /** The definition without a trailing semicolon. */
    public static String stripSemicolon(String definition) {
        String trimmed = definition.strip();
        return trimmed.endsWith(";") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    /**
     * What a table lets whom do, as statements that give it to {@code table}: grants (column grants too), the comment
     * when asked, row-level security ({@code FORCE} too) and its policies.
     */
    public static List<String> accessOf(TableFacts facts, TableName table, boolean comment) {
        List<String> statements = new ArrayList<>();
        facts.grants().forEach(grant -> statements.add(String.format(grant, Sql.table(table))));
        facts.columns().forEach(column -> column.grants().forEach(grant -> statements.add(String.format(grant, Sql.table(table)))));
        if (comment) {
            facts.comment().ifPresent(text -> statements.add("COMMENT ON TABLE " + Sql.table(table) + " IS " + Sql.literal(text)));
        }
        if (facts.rowSecurity()) {
            statements.add("ALTER TABLE " + Sql.table(table) + " ENABLE ROW LEVEL SECURITY");
        }
        if (facts.forceRowSecurity()) {
            statements.add("ALTER TABLE " + Sql.table(table) + " FORCE ROW LEVEL SECURITY");
        }
        facts.policies().forEach(policy -> statements.add(String.format(policy, Sql.table(table))));
        return statements;
    }
}
