package io.pgpartition.hibernate;

import io.pgpartition.PartitioningException;

import java.util.Locale;

/**
 * The values of {@link PartitioningSettings#UNPRUNED_STATEMENTS}: what happens to a statement that can touch every
 * partition of a table (or more than one where it loads, updates or deletes one entity by its identifier).
 */
public enum UnprunedStatementsMode {
    /** Statements are not looked at (unless a test watches, see {@code pgpartition-test}). */
    OFF,
    /** Each distinct statement text is explained once; an unpruned one is logged at WARN once, with its fix. */
    LOG,
    /** As {@link #LOG}, but an unpruned statement is refused with {@link io.pgpartition.UnprunedStatementException}. */
    FAIL;

    /**
     * Reads a setting's value; {@code null} or blank means {@link #OFF}.
     *
     * @throws PartitioningException naming the setting, the value and the accepted values
     */
    public static UnprunedStatementsMode of(Object setting) {
        return SettingValues.of(UnprunedStatementsMode.class, PartitioningSettings.UNPRUNED_STATEMENTS, setting, OFF);
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
