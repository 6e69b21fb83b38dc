package io.pgpartition.conversion.internal;

import io.pgpartition.ddl.internal.Sql;
import io.pgpartition.model.TableName;

import java.nio.charset.StandardCharsets;

/**
 * The names a conversion of {@code table} uses, all in the table's schema.
 *
 * @param twin     the partitioned table while it is built ({@code <table>_partitioned})
 * @param retired  the original after the swap ({@code <table>_old})
 * @param log      the change log ({@code <table>_pgp_log}): the keys of rows written while the two tables differ
 * @param logFunction the trigger function that fills the log
 * @param truncateFunction the trigger function that refuses TRUNCATE while the conversion is under way
 * @param state    the table where conversions record their state
 */
public record Names(TableName table, TableName twin, TableName retired, TableName log, TableName logFunction,
                    TableName truncateFunction, TableName state) {

    /** The table where conversions record their state, in the converted table's schema. */
    public static final String STATE_TABLE = "pgpartition_conversions";
    /** The trigger that logs writes (of the original before the swap, of the partitioned table after). */
    public static final String SYNC_TRIGGER = "pgpartition_sync";
    /** The trigger that refuses TRUNCATE while a conversion is under way. */
    public static final String TRUNCATE_TRIGGER = "pgpartition_no_truncate";
    /** The suffix of the twin's indexes and statistics until the swap gives them the original names. */
    public static final String BUILD_SUFFIX = "_pgp";
    /** The suffix of the original's indexes and statistics after the swap. */
    public static final String RETIRED_SUFFIX = "_old";

    public static Names of(TableName table) {
        return new Names(table, table.sibling(derived(table.name(), "_partitioned")), table.sibling(derived(table.name(), RETIRED_SUFFIX)),
                table.sibling(derived(table.name(), "_pgp_log")), table.sibling(derived(table.name(), "_pgp_log_write")),
                table.sibling(derived(table.name(), "_pgp_no_truncate")), table.sibling(STATE_TABLE));
    }

    /** The name an index or statistics object of the twin has until the swap. */
    public static String building(String name) {
        return derived(name, BUILD_SUFFIX);
    }

    /** The name an index or statistics object of the original has after the swap. */
    public static String retiring(String name) {
        return derived(name, RETIRED_SUFFIX);
    }

    /**
     * {@code name + suffix}, or when that is over PostgreSQL's 63 bytes, the name cut on a character boundary with a
     * short hash of the whole name before the suffix, so that two long names never derive the same.
     */
    public static String derived(String name, String suffix) {
        String whole = name + suffix;
        if (whole.getBytes(StandardCharsets.UTF_8).length <= Sql.MAX_IDENTIFIER_BYTES) {
            return whole;
        }
        String hash = String.format("_%08x", name.hashCode());
        int budget = Sql.MAX_IDENTIFIER_BYTES - suffix.getBytes(StandardCharsets.UTF_8).length - hash.length();
        StringBuilder cut = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < name.length(); ) {
            int codePoint = name.codePointAt(i);
            int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > budget) {
                break;
            }
            cut.appendCodePoint(codePoint);
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return cut + hash + suffix;
    }
}
